import { Subscription } from 'rxjs';
import type { PeerMediaManager } from '../../../src/media/p2p/index.js';
import type { RemoteTrack } from '../../../src/media/types.js';
import { describeError, h, setText, show } from '../../web-demo/src/dom.js';
import { createPeerList } from './peer-list.js';

/**
 * The call: the local camera preview, a tile per remote video track and an `<audio>` per remote
 * audio track (`remoteTracks$`), the peers and their connection state, and the controls: mute
 * the microphone, turn the camera off and on (nothing sent meanwhile: `replaceTrack(null)`, no
 * renegotiation), switch camera (shown with more than one), enable sound (where autoplay is blocked).
 */
export function createCallView(
  media: PeerMediaManager,
  room: string,
): { element: HTMLElement; subscription: Subscription; start(): Promise<void> } {
  const subscription = new Subscription();
  const local = h('video', { 'data-testid': 'local-video', class: 'local', autoplay: true, playsinline: true, muted: true });
  local.muted = true; // the attribute alone does not mute in every browser
  const remotes = h('div', { 'data-testid': 'remote-videos', class: 'remotes' });
  const placeholder = h('p', { 'data-testid': 'remote-placeholder', class: 'placeholder' }, `Waiting for someone to join room ${room}…`);
  const mic = h('button', { type: 'button', 'data-testid': 'mic-button', disabled: true }, 'Mute');
  const camera = h('button', { type: 'button', 'data-testid': 'camera-button', disabled: true }, 'Camera off');
  const switchCamera = h('button', { type: 'button', 'data-testid': 'switch-camera-button', hidden: true }, 'Switch camera');
  const enableSound = h('button', { type: 'button', 'data-testid': 'enable-sound-button', hidden: true }, 'Enable sound');
  const error = h('div', { 'data-testid': 'media-error', class: 'error', hidden: true });
  const peers = createPeerList(media);
  subscription.add(peers.subscription);
  const element = h(
    'section',
    { class: 'panel call' },
    h('div', { class: 'stage' }, remotes, placeholder, local),
    h('div', { class: 'controls' }, mic, camera, switchCamera, enableSound),
    peers.element,
    error,
  );
  const fail = (e: unknown) => {
    setText(error, describeError(e));
    show(error, true);
  };

  // ---- Local preview and controls.
  let micOn = true;
  let cameraOn = true;
  subscription.add(
    media.localTracks$.subscribe((tracks) => {
      const track = tracks.camera;
      if (track !== (local.srcObject as MediaStream | null)?.getVideoTracks()[0]) local.srcObject = track ? new MediaStream([track]) : null;
      mic.disabled = !tracks.microphone;
      camera.disabled = !track;
    }),
  );
  subscription.add(
    media.devices$.subscribe((devices) => show(switchCamera, devices.filter((device) => device.kind === 'videoinput').length > 1)),
  );
  mic.addEventListener('click', () => {
    micOn = !micOn;
    mic.dataset.muted = String(!micOn);
    setText(mic, micOn ? 'Mute' : 'Unmute');
    void media.setMicrophoneEnabled(micOn).catch(fail);
  });
  camera.addEventListener('click', () => {
    cameraOn = !cameraOn;
    camera.dataset.off = String(!cameraOn);
    setText(camera, cameraOn ? 'Camera off' : 'Camera on');
    local.classList.toggle('off', !cameraOn);
    void media.setCameraEnabled(cameraOn).catch(fail);
  });
  switchCamera.addEventListener('click', () => {
    switchCamera.disabled = true;
    void nextCamera(media)
      .then((deviceId) => media.switchDevice('camera', { deviceId }))
      .catch(fail)
      .finally(() => (switchCamera.disabled = false));
  });

  // ---- Remote tracks: an element per track, kept while the track is received.
  const elements = new Map<string, HTMLMediaElement>();
  subscription.add(
    media.remoteTracks$.subscribe((tracks) => {
      const live = new Set(tracks.map((track) => track.consumerId));
      for (const [id, el] of elements) {
        if (live.has(id)) continue;
        el.srcObject = null;
        (el.closest('.remote') ?? el).remove();
        elements.delete(id);
      }
      for (const track of tracks) {
        if (elements.has(track.consumerId)) continue;
        const el = remoteElement(track);
        elements.set(track.consumerId, el);
        remotes.append(el.closest('.remote') ?? el);
        el.play().catch(() => track.kind === 'audio' && show(enableSound, true)); // sound may need a user gesture
      }
      show(placeholder, !tracks.some((track) => track.kind === 'video'));
    }),
  );
  enableSound.addEventListener('click', () => {
    for (const el of elements.values()) void el.play().catch(() => undefined);
    show(enableSound, false);
  });

  /** Joins the room's calls and sends camera and microphone (each may fail on its own). */
  async function start(): Promise<void> {
    await media.join();
    const results = await Promise.allSettled([media.startCamera(), media.startMicrophone()]);
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) fail(failure.reason);
    await media.refreshDevices().catch(() => undefined);
  }
  return { element, subscription, start };
}

/** A `<video>` in a captioned tile, or an (invisible) `<audio>`. */
function remoteElement({ kind, track, userId = 'peer' }: RemoteTrack): HTMLMediaElement {
  const attributes = { 'data-testid': `remote-${kind}`, 'data-peer': userId, autoplay: true, playsinline: true };
  if (kind === 'audio') {
    const audio = h('audio', attributes);
    audio.srcObject = new MediaStream([track]);
    return audio;
  }
  const video = h('video', { ...attributes, muted: true });
  video.muted = true; // sound comes through the <audio>: a muted video always autoplays
  video.srcObject = new MediaStream([track]);
  h('figure', { class: 'remote', 'data-peer': userId }, video, h('figcaption', {}, userId));
  return video;
}

/** The camera after the current one (cycling). */
async function nextCamera(media: PeerMediaManager): Promise<string | undefined> {
  const cameras = (await media.refreshDevices()).filter((device) => device.kind === 'videoinput');
  let current: string | undefined;
  media.localTracks$.subscribe((tracks) => (current = tracks.camera?.getSettings().deviceId)).unsubscribe();
  const index = cameras.findIndex((device) => device.deviceId === current);
  return cameras[(index + 1) % cameras.length]?.deviceId;
}
