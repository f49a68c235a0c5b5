/**
 * The page of the peer-to-peer browser tests and benchmarks (bundled by esbuild in
 * test/support/p2p-call.ts): a root-prefixed client and a PeerMediaManager, driven through
 * `window.p2p`, with probes on what the page really receives from each peer (frames painted in
 * its own <video>, with their wall-clock times; inbound-rtp counters; SDP ufrags; the selected
 * ICE candidate pair).
 */
import { NEVER, Subject } from 'rxjs';
import { createRealtimeClient } from '../../../src/realtime-client.js';
import { rootPrefixedContract } from '../../../src/contracts/root-prefixed.js';
import { PeerMediaManager } from '../../../src/media/p2p/peer-media-manager.js';
import { RootPrefixedPeerSignalling } from '../../../src/media/p2p/root-prefixed-signalling.js';
import type { RemoteTrack } from '../../../src/media/types.js';
import type { PeerMessage, PeerSignalling } from '../../../src/media/p2p/peer-signalling.js';

interface Start {
  url: string;
  userId: string;
  roomId: string;
  /** Calls made from the server's presence (default); false: only by `connect()` or a peer's offer. */
  presence?: boolean;
  /** ICE restart retry period (default the manager's). */
  iceRestartRetryMs?: number;
}

/** What one peer's video does on this page. */
interface Tile {
  /** A new <video> per source (as keyed tiles of an app): one element never plays two tracks. */
  video: HTMLVideoElement | undefined;
  track: MediaStreamTrack | undefined;
  frames: number;
  /** `Date.now()` of the first painted frame: one clock for the pages and the test. */
  firstFrameWall: number | undefined;
  /** `Date.now()` of each painted frame (the last 3000). */
  readonly times: number[];
}

const events: { at: number; wall: number; what: string }[] = [];
const errors: string[] = [];
const tiles = new Map<string, Tile>();
let startedWall: number | undefined;
let manager: PeerMediaManager | undefined;
let signalling: RootPrefixedPeerSignalling | undefined;
let client: ReturnType<typeof createRealtimeClient<typeof rootPrefixedContract>> | undefined;
let remote: readonly RemoteTrack[] = [];
/** Incoming messages held (a slow path from the server, for the glare test), released in order. */
let holding = false;
const held: PeerMessage[] = [];
const incoming = new Subject<PeerMessage>();
let localCamera: MediaStreamTrack | undefined;
const watched = new WeakSet<RTCPeerConnection>();
/** The peers the manager is in a call with. */
let peers: readonly string[] = [];

const log = (what: string) => events.push({ at: performance.now(), wall: Date.now(), what });

function tile(peerId: string): Tile {
  let found = tiles.get(peerId);
  if (!found) {
    found = { video: undefined, track: undefined, frames: 0, firstFrameWall: undefined, times: [] };
    tiles.set(peerId, found);
  }
  return found;
}

/** Shows a track in a new <video> of the peer's tile (the old one removed), counting its painted frames. */
function play(peerId: string, entry: Tile, track: MediaStreamTrack | undefined): void {
  entry.video?.remove();
  entry.video = undefined;
  if (!track) return;
  const video = Object.assign(document.createElement('video'), { autoplay: true, playsInline: true, muted: true, width: 320, height: 240 });
  video.dataset.peer = peerId;
  video.srcObject = new MediaStream([track]);
  document.body.append(video);
  entry.video = video;
  const next = () =>
    video.requestVideoFrameCallback(() => {
      if (entry.video !== video) return;
      entry.frames++;
      const now = Date.now();
      entry.firstFrameWall ??= now;
      entry.times.push(now);
      if (entry.times.length > 3000) entry.times.splice(0, 1000);
      next();
    });
  next();
  void video.play().catch(() => undefined);
}

function show(tracks: readonly RemoteTrack[]): void {
  remote = tracks;
  const shown = new Set([...tiles.keys(), ...tracks.flatMap((track) => (track.userId === undefined ? [] : [track.userId]))]);
  for (const peerId of shown) {
    const next = tracks.find((track) => track.userId === peerId && track.kind === 'video')?.track;
    const entry = tile(peerId);
    if (next === entry.track) continue;
    entry.track = next;
    play(peerId, entry, next);
  }
}

/** Logs the signalling and connection states of each peer connection (a new one too, after a reload). */
function watch(linked: readonly string[]): void {
  for (const peerId of linked) {
    const pc = manager?.connection(peerId);
    if (!pc || watched.has(pc)) continue;
    watched.add(pc);
    log(`connection to ${peerId} made`);
    pc.addEventListener('signalingstatechange', () => log(`signaling ${pc.signalingState}`));
    pc.addEventListener('connectionstatechange', () => log(`connection ${pc.connectionState}`));
  }
}

const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];

type Stat = {
  type?: string;
  kind?: string;
  framesDecoded?: number;
  bytesReceived?: number;
  selectedCandidatePairId?: string;
  localCandidateId?: string;
  remoteCandidateId?: string;
  address?: string;
  port?: number;
  protocol?: string;
  usernameFragment?: string;
};

async function stats(peerId: string) {
  const pc = manager?.connection(peerId);
  const result = {
    framesDecoded: 0,
    videoBytes: 0,
    audioBytes: 0,
    selected: undefined as { local: string; remote: string; localPort: number; localUfrag: string | undefined } | undefined,
  };
  if (!pc) return result;
  const report = new Map<string, Stat>();
  (await pc.getStats()).forEach((stat: Stat & { id: string }) => report.set(stat.id, stat));
  let pairId: string | undefined;
  for (const stat of report.values()) {
    if (stat.type === 'transport' && stat.selectedCandidatePairId) pairId = stat.selectedCandidatePairId;
    if (stat.type !== 'inbound-rtp') continue;
    if (stat.kind === 'video') {
      result.framesDecoded += stat.framesDecoded ?? 0;
      result.videoBytes += stat.bytesReceived ?? 0;
    } else result.audioBytes += stat.bytesReceived ?? 0;
  }
  const pair = pairId ? report.get(pairId) : undefined;
  const local = pair?.localCandidateId ? report.get(pair.localCandidateId) : undefined;
  const far = pair?.remoteCandidateId ? report.get(pair.remoteCandidateId) : undefined;
  if (local && far) {
    result.selected = {
      local: `${local.address}:${local.port}/${local.protocol}`,
      remote: `${far.address}:${far.port}/${far.protocol}`,
      localPort: local.port ?? 0,
      localUfrag: local.usernameFragment,
    };
  }
  return result;
}

const api = {
  start({ url, userId, roomId, presence = true, iceRestartRetryMs }: Start): void {
    startedWall = Date.now();
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
    signalling.peerJoined$.subscribe((peer) => log(`peer joined ${peer}`));
    signalling.peerLeft$.subscribe(({ peerId, reason }) => log(`peer left ${peerId} ${reason}`));
    manager = new PeerMediaManager(gated(signalling, presence), {
      statsIntervalMs: 1000,
      offerRetryMs: 2000,
      ...(iceRestartRetryMs === undefined ? {} : { iceRestartRetryMs }),
    });
    manager.remoteTracks$.subscribe(show);
    manager.peers$.subscribe((now) => {
      peers = now;
      watch(now);
    });
    manager.localTracks$.subscribe((tracks) => (localCamera = tracks.camera));
    manager.iceRestarts$.subscribe(({ peerId, reason }) => log(`ice restart ${peerId} ${reason}`));
    void manager.join();
    log('joined');
  },
  /** `start`, then camera and microphone at once (what an app does: no wait for the signalling). */
  async join(start: Start): Promise<void> {
    api.start(start);
    await api.startMedia();
  },
  ready: () => signalling?.connected ?? false,
  async startMedia(): Promise<void> {
    await manager!.startCamera();
    await manager!.startMicrophone();
  },
  connect(peerId: string): void {
    log(`connect ${peerId}`);
    manager!.connect(peerId);
    watch([peerId]);
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
  /** Wall times of the frames painted from one peer since `since` (Date.now()). */
  frameTimes: (peerId: string, since: number) => (tiles.get(peerId)?.times ?? []).filter((time) => time >= since),
  async probe(peerId: string) {
    const pc = manager?.connection(peerId);
    // The video this page sends: its own (send-only) transceivers.
    const video = pc?.getTransceivers().filter((t) => t.receiver.track.kind === 'video' && /send/.test(t.direction)) ?? [];
    const entry = tiles.get(peerId);
    return {
      startedWall,
      frames: entry?.frames ?? 0,
      firstFrameWall: entry?.firstFrameWall,
      lastFrameWall: entry?.times.at(-1),
      transceivers: pc
        ?.getTransceivers()
        .map(
          (t) =>
            `${t.mid} ${t.direction}/${t.currentDirection} rx ${t.receiver.track.kind} ${t.receiver.track.id} tx ${t.sender.track?.id}`,
        ),
      tile: entry && {
        track: entry.track?.id,
        trackState: entry.track?.readyState,
        trackMuted: entry.track?.muted,
        paused: entry.video?.paused,
        readyState: entry.video?.readyState,
        width: entry.video?.videoWidth,
      },
      now: Date.now(),
      ...(await stats(peerId)),
      remote: remote.map(({ consumerId, userId, kind, paused, track }) => ({ consumerId, userId, kind, paused, state: track.readyState })),
      peers: [...peers],
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

/** The adapter with its incoming messages through the hold, and its presence on or off. */
function gated(port: RootPrefixedPeerSignalling, presence: boolean): PeerSignalling {
  port.messages$.subscribe((message) => {
    if (message.kind !== 'candidate') log(`in ${message.kind}`);
    if (holding) held.push(message);
    else incoming.next(message);
  });
  return {
    userId: port.userId,
    ...(presence ? { presence: port.presence } : {}),
    get scheduler() {
      return port.scheduler;
    },
    get connected() {
      return port.connected;
    },
    connected$: port.connected$,
    reconnected$: port.reconnected$,
    messages$: incoming,
    peerJoined$: presence ? port.peerJoined$ : NEVER,
    peerLeft$: presence ? port.peerLeft$ : NEVER,
    send: (kind, to, data) => {
      if (kind !== 'candidate') log(`out ${kind}`);
      return port.send(kind, to, data);
    },
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
