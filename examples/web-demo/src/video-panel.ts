import { Subscription } from 'rxjs';
import type { HcwClient } from '../../../src/index.js';
import type { MediaManager, RemoteTrack } from '../../../src/media/index.js';
import { describeError, h, setText, show } from './dom.js';
import { featureNotice, offers } from './features.js';

/**
 * Video: the local camera preview, one `<video>` per remote video track and one `<audio>` per
 * remote audio track (from `remoteTracks$`), mute / camera on-off / camera switch buttons.
 *
 * The other side's video needs producer discovery (`newProducer`, `getProducers`: test-server
 * extensions): on a server without it (the reference HCW@Home backend) nothing says which
 * producers exist, so the panel shows a notice instead of waiting for a video that cannot come.
 * Local camera, microphone and their controls work everywhere.
 */
export function createVideoPanel(
  client: HcwClient,
  media: MediaManager,
): { element: HTMLElement; subscription: Subscription; start(): Promise<void> } {
  const subscription = new Subscription();
  const noRemote = featureNotice('producer_discovery');
  const local = h('video', { 'data-testid': 'local-video', class: 'local', autoplay: true, playsinline: true, muted: true });
  local.muted = true; // the attribute alone does not mute in every browser
  const remotes = h('div', { 'data-testid': 'remote-videos', class: 'remotes' });
  const placeholder = h('p', { 'data-testid': 'remote-placeholder', class: 'placeholder' }, 'Waiting for the other participant’s video…');
  const mute = h('button', { type: 'button', 'data-testid': 'mute-button', disabled: true }, 'Mute');
  const camera = h('button', { type: 'button', 'data-testid': 'camera-button', disabled: true }, 'Camera off');
  const switchCamera = h('button', { type: 'button', 'data-testid': 'switch-camera-button', disabled: true }, 'Switch camera');
  const cameraLabel = h('span', { 'data-testid': 'camera-label', class: 'device' });
  const enableSound = h('button', { type: 'button', 'data-testid': 'enable-sound-button', hidden: true }, 'Enable sound');
  const error = h('div', { 'data-testid': 'media-error', class: 'error', hidden: true });
  const element = h(
    'section',
    { 'data-testid': 'video-panel', class: 'panel video' },
    h('h2', {}, 'Video'),
    h('div', { class: 'stage' }, remotes, placeholder, noRemote.element, local),
    h('div', { class: 'controls' }, mute, camera, switchCamera, enableSound, cameraLabel),
    error,
  );

  const fail = (e: unknown) => {
    setText(error, describeError(e));
    show(error, true);
  };

  // ---- Local preview and controls.
  let micOn = true;
  let camOn = true;
  subscription.add(
    media.localTracks$.subscribe((tracks) => {
      const track = tracks.camera;
      const current = (local.srcObject as MediaStream | null)?.getVideoTracks()[0];
      if (track !== current) local.srcObject = track ? new MediaStream([track]) : null;
      setText(cameraLabel, track ? `Camera: ${track.label || 'default'}` : '');
      local.dataset.trackId = track?.id ?? '';
      mute.disabled = !tracks.microphone;
      camera.disabled = switchCamera.disabled = !track;
    }),
  );
  mute.addEventListener('click', () => {
    micOn = !micOn;
    mute.dataset.muted = String(!micOn);
    setText(mute, micOn ? 'Mute' : 'Unmute');
    void media.setMicrophoneEnabled(micOn).catch(fail);
  });
  camera.addEventListener('click', () => {
    camOn = !camOn;
    camera.dataset.off = String(!camOn);
    setText(camera, camOn ? 'Camera off' : 'Camera on');
    local.classList.toggle('off', !camOn);
    void media.setCameraEnabled(camOn).catch(fail);
  });
  switchCamera.addEventListener('click', () => {
    switchCamera.disabled = true;
    void nextCamera(media)
      .then((deviceId) => media.switchDevice('camera', deviceId ? { deviceId } : {}))
      .then(() => {
        switchCamera.dataset.switches = String(Number(switchCamera.dataset.switches ?? 0) + 1);
      })
      .catch(fail)
      .finally(() => (switchCamera.disabled = false));
  });

  // ---- Remote tracks: keyed by consumer, elements kept while the consumer lives.
  const elements = new Map<string, HTMLMediaElement>();
  // Decided once joined (the server answered on /mediasoup, after announcing what it offers).
  let joined = false;
  let hasRemoteVideo = false;
  const update = () => {
    const discovery = !joined || offers(client, 'producer_discovery');
    noRemote.show(!discovery && !hasRemoteVideo);
    show(placeholder, discovery && !hasRemoteVideo);
    element.dataset.remoteVideo = discovery ? 'available' : 'unavailable';
  };
  subscription.add(client.features.features$.subscribe(update));
  subscription.add(
    media.remoteTracks$.subscribe((tracks) => {
      const live = new Set(tracks.map((track) => track.consumerId));
      for (const [id, el] of elements) {
        if (!live.has(id)) {
          el.srcObject = null;
          el.closest('.remote')?.remove();
          elements.delete(id);
        }
      }
      for (const track of tracks) {
        let el = elements.get(track.consumerId);
        if (!el) {
          el = remoteElement(track);
          elements.set(track.consumerId, el);
          if (track.kind === 'video')
            remotes.append(h('figure', { class: 'remote' }, el, h('figcaption', {}, track.userId ?? 'participant')));
          else remotes.append(h('div', { class: 'remote audio' }, el));
          el.play().catch(() => {
            // Autoplay with sound needs a user gesture in real browsers: offer one.
            if (track.kind === 'audio') show(enableSound, true);
          });
        }
        el.dataset.paused = String(track.paused);
        el.closest('.remote')?.classList.toggle('paused', track.paused);
      }
      hasRemoteVideo = tracks.some((track) => track.kind === 'video');
      update();
    }),
  );
  enableSound.addEventListener('click', () => {
    for (const el of elements.values()) void el.play().catch(() => undefined);
    show(enableSound, false);
  });

  /** Joins the call and publishes camera and microphone (each may fail on its own). */
  async function start(): Promise<void> {
    try {
      await media.join();
    } catch (e) {
      fail(e);
      return;
    }
    joined = true;
    update();
    const results = await Promise.allSettled([media.startCamera(), media.startMicrophone()]);
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) fail(failure.reason);
    void media.refreshDevices().catch(() => undefined);
  }

  return { element, subscription, start };
}

function remoteElement(track: RemoteTrack): HTMLMediaElement {
  const attributes = { 'data-testid': `remote-${track.kind}`, 'data-user-id': track.userId ?? '', autoplay: true, playsinline: true };
  const el = track.kind === 'video' ? h('video', { ...attributes, muted: true }) : h('audio', attributes);
  // Video elements stay muted (sound comes through the audio element), so they always autoplay.
  if (track.kind === 'video') el.muted = true;
  el.srcObject = new MediaStream([track.track]);
  return el;
}

/** The camera after the current one (cycling); undefined when there is only one. */
async function nextCamera(media: MediaManager): Promise<string | undefined> {
  const cameras = (await media.refreshDevices()).filter((device) => device.kind === 'videoinput');
  if (cameras.length < 2) return cameras[0]?.deviceId || undefined;
  const current = currentCameraId(media);
  const index = cameras.findIndex((device) => device.deviceId === current);
  return cameras[(index + 1) % cameras.length]!.deviceId;
}

function currentCameraId(media: MediaManager): string | undefined {
  let id: string | undefined;
  media.localTracks$.subscribe((tracks) => (id = tracks.camera?.getSettings().deviceId)).unsubscribe();
  return id;
}
