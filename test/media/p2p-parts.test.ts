/**
 * The state-machine parts of peer-to-peer media, in Node: who is polite, what happens to an
 * incoming description, the outbox that holds messages while the signalling is down, the ICE
 * watchdog (on a stub connection: only its state and `restartIce` are read), quality from stats,
 * and permission errors. The negotiation itself runs on real RTCPeerConnections in Chromium
 * (test/browser/p2p.test.ts).
 */
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { BehaviorSubject, NEVER, Subject } from 'rxjs';
import { describe, expect, test } from 'vitest';
import { MediaAccessError } from '../../src/media/permissions.js';
import { IceWatchdog, type WatchedConnection } from '../../src/media/p2p/ice-watchdog.js';
import { Outbox } from '../../src/media/p2p/outbox.js';
import { PeerMediaManager } from '../../src/media/p2p/peer-media-manager.js';
import { PeerQuality, type SampledConnection } from '../../src/media/p2p/peer-quality.js';
import type { PeerMessage, PeerMessageKind, PeerSignalling } from '../../src/media/p2p/peer-signalling.js';
import { decide, isPolite, PerfectNegotiation, type NegotiationState } from '../../src/media/p2p/perfect-negotiation.js';
import type { HcwError } from '../../src/index.js';
import { FakePeerConnection } from '../support/fake-peer-connection.js';
import { ManualScheduler } from '../support/manual-scheduler.js';

/** An in-memory signalling port: what is sent is recorded; up and down by hand. */
function memorySignalling(userId = 'doctor') {
  const up = new BehaviorSubject(true);
  const sent: { kind: PeerMessageKind; to: string | undefined; data: unknown }[] = [];
  const errors: HcwError[] = [];
  const scheduler = new ManualScheduler();
  const signalling: PeerSignalling = {
    userId,
    scheduler,
    get connected() {
      return up.value;
    },
    connected$: up.asObservable(),
    reconnected$: new Subject<void>(),
    messages$: new Subject<PeerMessage>(),
    peerJoined$: NEVER,
    peerLeft$: NEVER,
    send: async (kind, to, data) => void sent.push({ kind, to, data }),
    report: (error) => void errors.push(error),
  };
  return { signalling, up, sent, errors, scheduler };
}

describe('politeness', () => {
  test('decided by the ids alone: exactly one side of a pair is polite, the same on both sides', () => {
    for (const [a, b] of [
      ['doctor', 'patient'],
      ['42', '7'],
      ['user-b', 'user-a'],
    ] as const) {
      expect(isPolite(a, b)).not.toBe(isPolite(b, a));
    }
    expect(isPolite('doctor', 'patient')).toBe(true);
  });
});

describe('an incoming description', () => {
  const state = (overrides: Partial<NegotiationState>): NegotiationState => ({
    makingOffer: false,
    signalingState: 'stable',
    settingRemoteAnswer: false,
    polite: false,
    ...overrides,
  });

  test('an offer in stable is applied, whoever is polite', () => {
    expect(decide('offer', state({ polite: false }))).toBe('apply');
    expect(decide('offer', state({ polite: true }))).toBe('apply');
  });

  test('a colliding offer (own offer being made or sent) is ignored by the impolite side, applied (rollback) by the polite one', () => {
    for (const collision of [state({ makingOffer: true }), state({ signalingState: 'have-local-offer' })]) {
      expect(decide('offer', { ...collision, polite: false })).toBe('ignore');
      expect(decide('offer', { ...collision, polite: true })).toBe('apply');
    }
  });

  test('an offer while our answer to their last offer is being applied is no collision', () => {
    expect(decide('offer', state({ signalingState: 'have-local-offer', settingRemoteAnswer: true }))).toBe('apply');
  });

  test('an answer applies only to an offer of ours pending; a duplicate (re-sent offer answered twice) is stale', () => {
    expect(decide('answer', state({ signalingState: 'have-local-offer' }))).toBe('apply');
    expect(decide('answer', state({ signalingState: 'stable' }))).toBe('stale');
    expect(decide('answer', state({ signalingState: 'have-remote-offer' }))).toBe('stale');
  });
});

describe('the first offer', () => {
  const track = () => new FakeMediaStreamTrack({ kind: 'video' }) as unknown as MediaStreamTrack;
  const side = (polite: boolean, scheduler: ManualScheduler) => {
    const pc = new FakePeerConnection();
    const sent: { kind: PeerMessageKind; data: unknown }[] = [];
    const negotiation = new PerfectNegotiation(pc as unknown as RTCPeerConnection, {
      polite,
      scheduler,
      send: (kind, data) => void (kind === 'candidate' || sent.push({ kind, data })),
      connected: () => true,
      report: (message, error) => {
        throw new Error(`${message}: ${String(error)}`);
      },
      offerRetryMs: 4000,
      firstOfferDelayMs: 1000,
    });
    return { pc, sent, negotiation };
  };
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };

  test('the impolite side offers at once; the polite one waits for it, answers, then offers its own sources: no collision', async () => {
    const scheduler = new ManualScheduler();
    const polite = side(true, scheduler);
    const impolite = side(false, scheduler);
    polite.pc.addTransceiver(track(), { direction: 'sendonly' });
    impolite.pc.addTransceiver(track(), { direction: 'sendonly' });
    await settle();
    expect(impolite.sent.map((m) => m.kind)).toEqual(['offer']);
    expect(polite.sent).toEqual([]); // waiting for the peer's
    await polite.negotiation.receive({ kind: 'offer', from: 'b', data: impolite.sent[0]!.data as { type: 'offer'; sdp: string } });
    await settle();
    expect(polite.sent.map((m) => m.kind)).toEqual(['answer', 'offer']); // answered, then its own
    expect(polite.pc.signalingState).toBe('have-local-offer');
    await scheduler.advance(3000); // past the wait, before the unanswered offer's retry (4 s)
    expect(polite.sent.filter((m) => m.kind === 'offer')).toHaveLength(1); // no late first offer from the timer
  });

  test('the polite side offers after the wait when the peer sends nothing (a peer with nothing to send, or no presence)', async () => {
    const scheduler = new ManualScheduler();
    const polite = side(true, scheduler);
    polite.pc.addTransceiver(track(), { direction: 'sendonly' });
    await settle();
    await scheduler.advance(999);
    expect(polite.sent).toEqual([]);
    await scheduler.advance(1);
    await settle();
    expect(polite.sent.map((m) => m.kind)).toEqual(['offer']);
    polite.negotiation.close();
  });
});

describe('the outbox', () => {
  const candidate = (n: number) => ({ candidate: `candidate:${n}`, sdpMid: '0', sdpMLineIndex: 0 });

  test('sends at once while up; holds while down and sends in order once back; nothing in between', async () => {
    const { signalling, up, sent } = memorySignalling();
    const outbox = new Outbox(signalling);
    outbox.send('offer', 'patient', { type: 'offer', sdp: 'v=0 1' });
    expect(sent).toHaveLength(1);
    up.next(false);
    outbox.send('candidate', 'patient', candidate(1));
    outbox.send('answer', 'patient', { type: 'answer', sdp: 'v=0 2' });
    expect(sent).toHaveLength(1);
    expect(outbox.pending).toBe(2);
    up.next(true);
    expect(sent.map((message) => message.kind)).toEqual(['offer', 'candidate', 'answer']);
    expect(outbox.pending).toBe(0);
    outbox.close();
  });

  test("forgets a peer's messages when it leaves; when full, the oldest candidates go first", () => {
    const { signalling, up, sent } = memorySignalling();
    const outbox = new Outbox(signalling);
    up.next(false);
    outbox.send('offer', 'nurse', { type: 'offer', sdp: 'v=0 nurse' });
    outbox.send('offer', 'patient', { type: 'offer', sdp: 'v=0 patient' });
    for (let n = 0; n < 600; n++) outbox.send('candidate', 'patient', candidate(n));
    outbox.forget('nurse');
    expect(outbox.pending).toBe(499); // 500 kept (102 oldest candidates dropped), then the nurse's offer
    up.next(true);
    expect(sent[0]).toMatchObject({ kind: 'offer', to: 'patient' });
    expect(sent[1]).toMatchObject({ kind: 'candidate', data: { candidate: 'candidate:102' } });
    expect(sent.at(-1)).toMatchObject({ data: { candidate: 'candidate:599' } });
  });

  test('a failed send is reported, not thrown', async () => {
    const { signalling, errors } = memorySignalling();
    signalling.send = () => Promise.reject(new Error('socket gone'));
    new Outbox(signalling).send('offer', undefined, { type: 'offer', sdp: 'v=0' });
    await Promise.resolve();
    await Promise.resolve();
    expect(errors.map((error) => [error.reason, error.message])).toEqual([
      ['media_failed', 'could not send the offer: Error: socket gone'],
    ]);
  });
});

/** A connection whose state the test sets; counts `restartIce()`. */
class StubConnection extends EventTarget implements WatchedConnection {
  connectionState: RTCPeerConnectionState = 'connected';
  restarts = 0;
  restartIce(): void {
    this.restarts++;
  }
  set(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}

describe('the ICE watchdog', () => {
  const watch = () => {
    const { signalling, up, scheduler } = memorySignalling();
    const pc = new StubConnection();
    const reasons: string[] = [];
    const watchdog = new IceWatchdog(pc, {
      scheduler,
      connected: () => signalling.connected,
      disconnectedMs: 3000,
      retryMs: 5000,
      onRestart: (reason) => reasons.push(reason),
    });
    return { pc, up, scheduler, watchdog, reasons };
  };

  test('failed while the signalling is up: an ICE restart at once, retried (backing off) until connected', async () => {
    const { pc, scheduler, reasons } = watch();
    pc.set('failed');
    expect(pc.restarts).toBe(1);
    await scheduler.advance(4999);
    expect(pc.restarts).toBe(1);
    await scheduler.advance(1);
    expect(pc.restarts).toBe(2);
    await scheduler.advance(10_000); // second retry after 2 × 5 s
    expect(pc.restarts).toBe(3);
    pc.set('connected');
    await scheduler.advance(60_000);
    expect(pc.restarts).toBe(3);
    expect(reasons).toEqual(['failed', 'failed', 'failed']);
  });

  test('disconnected: a restart only if it lasts 3 s (it often heals by itself)', async () => {
    const { pc, scheduler } = watch();
    pc.set('disconnected');
    await scheduler.advance(2000);
    pc.set('connected');
    await scheduler.advance(5000);
    expect(pc.restarts).toBe(0);
    pc.set('disconnected');
    await scheduler.advance(3000);
    expect(pc.restarts).toBe(1);
  });

  test('failed while the signalling is down: owed, done when it is back (a fresh negotiation)', async () => {
    const { pc, up, scheduler, watchdog, reasons } = watch();
    up.next(false);
    pc.set('failed');
    await scheduler.advance(30_000);
    expect(pc.restarts).toBe(0);
    expect(watchdog.restartOwed).toBe(true);
    up.next(true);
    watchdog.signallingBack();
    expect(pc.restarts).toBe(1);
    expect(watchdog.restartOwed).toBe(false);
    expect(reasons).toEqual(['signalling']);
  });

  test('closed: no timer left, nothing restarted', async () => {
    const { pc, scheduler, watchdog } = watch();
    pc.set('disconnected');
    watchdog.close();
    await scheduler.advance(60_000);
    expect(pc.restarts).toBe(0);
    expect(scheduler.pending).toBe(0);
  });
});

describe('quality from getStats', () => {
  /** A stats report as RTCStatsReport iterates it. */
  const report = (entries: object[]) => ({ forEach: (callback: (value: unknown) => void) => entries.forEach(callback) }) as RTCStatsReport;
  const connection = (state: RTCPeerConnectionState, stats: () => object[]): SampledConnection => ({
    connectionState: state,
    getStats: async () => report(stats()),
  });

  test('the thresholds of the mediasoup manager on the counters of every peer connection; "lost" when one is down', async () => {
    let received = 0;
    const stats = () => [
      {
        type: 'inbound-rtp',
        kind: 'video',
        packetsReceived: (received += 100),
        packetsLost: 0,
        bytesReceived: received * 1000,
        jitter: 0.005,
      },
      { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.02 },
    ];
    const connections = [connection('connected', stats)];
    const quality = new PeerQuality(new ManualScheduler(), 0, () => connections);
    expect(await quality.sample()).toBe('good');
    connections.push(connection('failed', () => []));
    expect(await quality.sample()).toBe('lost');
    expect(await new PeerQuality(new ManualScheduler(), 0, () => []).sample()).toBeUndefined();
  });
});

describe('permissions', () => {
  test('a refused camera is the MediaAccessError of the mediasoup manager, with its guidance', async () => {
    const { signalling } = memorySignalling();
    const denied = Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' });
    const manager = new PeerMediaManager(signalling, { mediaDevices: { getUserMedia: () => Promise.reject(denied) }, statsIntervalMs: 0 });
    const error = await manager.startCamera().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaAccessError);
    expect(error).toMatchObject({ reason: 'media_access', kind: 'denied', device: 'camera' });
    await manager.dispose();
  });
});
