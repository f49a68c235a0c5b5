/**
 * The page of the peer-to-peer browser test (bundled by esbuild in test/browser/p2p.test.ts): a
 * root-prefixed client and a PeerMediaManager, driven by the test through `window.p2p`, with
 * probes on what the page really receives (frames painted, inbound-rtp counters, SDP ufrags).
 */
import { createRealtimeClient } from '../../../src/realtime-client.js';
import { rootPrefixedContract } from '../../../src/contracts/root-prefixed.js';
import { PeerMediaManager } from '../../../src/media/p2p/peer-media-manager.js';
import { RootPrefixedPeerSignalling } from '../../../src/media/p2p/root-prefixed-signalling.js';
import type { RemoteTrack } from '../../../src/media/types.js';
import type { PeerMessage, PeerSignalling } from '../../../src/media/p2p/peer-signalling.js';
import { Subject } from 'rxjs';

interface Start {
  url: string;
  userId: string;
  roomId: string;
}

const video = document.querySelector<HTMLVideoElement>('#remote')!;
const events: { at: number; what: string }[] = [];
const errors: string[] = [];
let frames = 0;
let firstFrameAt: number | undefined;
/** `Date.now()` of the first painted remote frame: one clock for the pages and the test. */
let firstFrameWall: number | undefined;
let manager: PeerMediaManager | undefined;
let signalling: RootPrefixedPeerSignalling | undefined;
let client: ReturnType<typeof createRealtimeClient<typeof rootPrefixedContract>> | undefined;
let remote: readonly RemoteTrack[] = [];
/** Incoming messages held (a slow path from the server, for the glare test), released in order. */
let holding = false;
const held: PeerMessage[] = [];
const incoming = new Subject<PeerMessage>();
let shown: MediaStreamTrack | undefined;
let localCamera: MediaStreamTrack | undefined;

const log = (what: string) => events.push({ at: performance.now(), what });

function countFrames(): void {
  video.requestVideoFrameCallback(() => {
    frames++;
    firstFrameAt ??= performance.now();
    firstFrameWall ??= Date.now();
    countFrames();
  });
}
countFrames();

function show(tracks: readonly RemoteTrack[]): void {
  remote = tracks;
  const next = tracks.find((track) => track.kind === 'video')?.track;
  if (next === shown) return;
  shown = next;
  video.srcObject = next ? new MediaStream([next]) : null;
  if (next) void video.play().catch(() => undefined);
}

const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];

async function inbound(peerId: string) {
  const pc = manager?.connection(peerId);
  const result = { framesDecoded: 0, videoBytes: 0, audioBytes: 0 };
  if (!pc) return result;
  (await pc.getStats()).forEach((stat: { type?: string; kind?: string; framesDecoded?: number; bytesReceived?: number }) => {
    if (stat.type !== 'inbound-rtp') return;
    if (stat.kind === 'video') {
      result.framesDecoded += stat.framesDecoded ?? 0;
      result.videoBytes += stat.bytesReceived ?? 0;
    } else result.audioBytes += stat.bytesReceived ?? 0;
  });
  return result;
}

const api = {
  start({ url, userId, roomId }: Start): void {
    client = createRealtimeClient(rootPrefixedContract, {
      url,
      token: userId,
      transports: ['websocket'],
      reconnection: { delayMs: 100, maxDelayMs: 300, jitter: 0 },
      watchNetwork: false,
    });
    client.errors$.subscribe((error) => errors.push(`${error.reason}: ${error.message}`));
    signalling = new RootPrefixedPeerSignalling(client, { roomId, userId });
    signalling.connected$.subscribe((up) => log(up ? 'signalling up' : 'signalling down'));
    manager = new PeerMediaManager(gated(signalling), { statsIntervalMs: 1000, offerRetryMs: 2000 });
    manager.remoteTracks$.subscribe(show);
    manager.localTracks$.subscribe((tracks) => (localCamera = tracks.camera));
    manager.iceRestarts$.subscribe(({ peerId, reason }) => log(`ice restart ${peerId} ${reason}`));
    void manager.join();
    log('joined');
  },
  ready: () => signalling?.connected ?? false,
  async startMedia(): Promise<void> {
    await manager!.startCamera();
    await manager!.startMicrophone();
  },
  connect(peerId: string): void {
    log(`connect ${peerId}`);
    const pc = () => manager!.connection(peerId);
    manager!.connect(peerId);
    pc()!.addEventListener('signalingstatechange', () => log(`signaling ${pc()?.signalingState}`));
    pc()!.addEventListener('connectionstatechange', () => log(`connection ${pc()?.connectionState}`));
  },
  /** Holds incoming messages (true) or releases what was held, in order (false). */
  hold(on: boolean): void {
    holding = on;
    if (!on) for (const message of held.splice(0)) incoming.next(message);
  },
  setCamera: (enabled: boolean) => manager!.setCameraEnabled(enabled),
  setMicrophone: (enabled: boolean) => manager!.setMicrophoneEnabled(enabled),
  /** Chromium's fake device is one camera: a new getUserMedia track stands for the other one. */
  switchCamera: () => manager!.switchDevice('camera', {}),
  async probe(peerId: string) {
    const pc = manager?.connection(peerId);
    const video = pc?.getTransceivers().filter((t) => t.receiver.track.kind === 'video') ?? [];
    return {
      frames,
      firstFrameAt,
      firstFrameWall,
      now: performance.now(),
      ...(await inbound(peerId)),
      remote: remote.map(({ consumerId, userId, kind, paused, track }) => ({ consumerId, userId, kind, paused, state: track.readyState })),
      /** What each video sender sends now (null: nothing, muted). */
      videoSenderTracks: video.map((t) => t.sender.track?.id ?? null),
      localCamera: localCamera?.id ?? null,
      signalingState: pc?.signalingState,
      connectionState: pc?.connectionState,
      localUfrag: ufrag(pc?.localDescription?.sdp),
      remoteUfrag: ufrag(pc?.remoteDescription?.sdp),
      quality: manager?.currentQuality,
      signallingUp: signalling?.connected ?? false,
      events,
      errors,
    };
  },
  async stop(): Promise<void> {
    await manager?.dispose();
    client?.dispose();
  },
};

/** The adapter with its incoming messages through the hold. */
function gated(port: RootPrefixedPeerSignalling): PeerSignalling {
  port.messages$.subscribe((message) => (holding ? held.push(message) : incoming.next(message)));
  return {
    userId: port.userId,
    get scheduler() {
      return port.scheduler;
    },
    get connected() {
      return port.connected;
    },
    connected$: port.connected$,
    reconnected$: port.reconnected$,
    messages$: incoming,
    peerJoined$: port.peerJoined$,
    peerLeft$: port.peerLeft$,
    send: (kind, to, data) => port.send(kind, to, data),
    report: (error) => port.report(error),
    close: () => port.close(),
  };
}

declare global {
  interface Window {
    p2p: typeof api;
  }
}
window.p2p = api;
