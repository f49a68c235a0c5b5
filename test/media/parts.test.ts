/**
 * The media parts with mediasoup-client's FakeHandler and an in-memory signalling port: no server,
 * time driven by a manual scheduler. Recovery by case, dedupe of consumes, the stale-creation guard.
 */
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { Device, FakeHandler, testFakeParameters, type types as ms } from 'mediasoup-client';
import { afterEach, describe, expect, test } from 'vitest';
import { isHcwError } from '../../src/index.js';
import { MediaManager } from '../../src/media/index.js';
import { Subscriber } from '../../src/media/subscriber.js';
import { MediaTransports } from '../../src/media/transports.js';
import { FakeMediaSignalling } from '../support/fake-media-signalling.js';

const handlerFactory = FakeHandler.createFactory(testFakeParameters);
const track = (kind: 'audio' | 'video') => new FakeMediaStreamTrack({ kind }) as unknown as MediaStreamTrack;
const turn = () => new Promise((resolve) => setImmediate(resolve));
/** Lets pending promise chains settle (several awaits deep). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await turn();
}
/** Drives a transport's ICE/DTLS state as the browser would. */
const setState = (transport: ms.Transport, state: ms.ConnectionState) =>
  (transport.handler as unknown as FakeHandler).setConnectionState(state);

const managers: MediaManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.dispose()));
});

function manager(signalling: FakeMediaSignalling, iceRestartRetryMs = 1000): MediaManager {
  const created = new MediaManager(signalling, { handlerFactory, statsIntervalMs: 0, iceRestartRetryMs });
  managers.push(created);
  return created;
}

async function loadedTransports(signalling: FakeMediaSignalling) {
  const transports = new MediaTransports(
    signalling,
    () => new Device({ handlerFactory }),
    () => undefined,
  );
  await transports.load();
  return transports;
}

/** A joined manager publishing camera and microphone, consuming one remote producer. */
async function inCall(signalling: FakeMediaSignalling) {
  signalling.producers = [{ producerId: 'remote-video', userId: 'doctor', paused: false }];
  const media = manager(signalling);
  await media.join();
  const camera = track('video');
  const microphone = track('audio');
  await media.startCamera({ track: camera });
  await media.startMicrophone({ track: microphone });
  return { media, camera, microphone };
}

describe('parts', () => {
  test('a producer announced several times at once is consumed once', async () => {
    const signalling = new FakeMediaSignalling();
    const transports = await loadedTransports(signalling);
    const subscriber = new Subscriber(signalling, async () => ({
      transport: await transports.ensure('recv'),
      rtpCapabilities: transports.loaded!.rtpCapabilities,
    }));
    const results = await Promise.all([
      subscriber.consume('p1', 'doctor', false),
      subscriber.consume('p1', 'doctor', false),
      subscriber.consume('p1', 'doctor', false),
    ]);
    expect(signalling.callsOf('consume')).toHaveLength(1);
    expect(signalling.callsOf('createTransport')).toEqual([['recv']]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(subscriber.tracks.map((remote) => remote.producerId)).toEqual(['p1']);
    // Once consumed, a late notice is a no-op too.
    expect(await subscriber.consume('p1', 'doctor', false)).toBeUndefined();
    subscriber.dropProducer('p1');
    expect(subscriber.tracks).toEqual([]);
  });

  test('a transport whose creation outlives closeAll() is never assigned, and closed on the server', async () => {
    const signalling = new FakeMediaSignalling();
    const transports = await loadedTransports(signalling);
    const release = signalling.hold('createTransport');
    const first = transports.ensure('send');
    const second = transports.ensure('send');
    expect(second).toBe(first); // one creation for concurrent callers
    await turn();
    transports.closeAll();
    release();
    const error: unknown = await first.catch((e: unknown) => e);
    expect(isHcwError(error, 'invalid_state')).toBe(true);
    expect(transports.all()).toEqual([]);
    expect(signalling.callsOf('closeTransport')).toHaveLength(1);
    // The next need creates a fresh one.
    const fresh = await transports.ensure('send');
    expect(transports.all()).toEqual([fresh]);
  });

  test('creating a transport before join() is an invalid_state error', async () => {
    const transports = new MediaTransports(
      new FakeMediaSignalling(),
      () => new Device({ handlerFactory }),
      () => undefined,
    );
    await expect(transports.ensure('recv')).rejects.toMatchObject({ reason: 'invalid_state' });
  });
});

describe('recovery', () => {
  test('ICE failed with the signalling up: restart, retried until the transport connects', async () => {
    const signalling = new FakeMediaSignalling();
    const { media } = await inCall(signalling);
    const [send] = (media as unknown as { transports: MediaTransports }).transports.all();
    setState(send!, 'failed');
    await settle();
    expect(signalling.callsOf('restartIce')).toEqual([[send!.id]]);
    expect(media.currentQuality).toBe('lost');
    // Not connected after the wait: a second attempt (never a silent give-up).
    await signalling.scheduler.advance(1000);
    await settle();
    expect(signalling.callsOf('restartIce')).toHaveLength(2);
    setState(send!, 'connected');
    await signalling.scheduler.advance(10_000);
    await settle();
    expect(signalling.callsOf('restartIce')).toHaveLength(2);
    expect(signalling.callsOf('createTransport')).toHaveLength(2); // transports kept
  });

  test("a lost link leaves the camera's simulcast layers as they were (the server's poor verdict caps them: quality.test.ts)", async () => {
    const signalling = new FakeMediaSignalling();
    const media = manager(signalling);
    await media.join();
    const camera = await media.startCamera({ track: track('video') });
    expect(camera.rtpParameters.encodings).toHaveLength(3);
    const [send] = (media as unknown as { transports: MediaTransports }).transports.all();
    setState(send!, 'disconnected');
    expect(await media.sampleStats()).toBe('lost');
    await settle();
    expect(camera.maxSpatialLayer).toBeUndefined();
  });

  test('a failed ICE restart is reported and retried; none is sent while the signalling is down', async () => {
    const signalling = new FakeMediaSignalling();
    const { media } = await inCall(signalling);
    const transports = (media as unknown as { transports: MediaTransports }).transports.all();
    signalling.drop();
    expect(media.currentQuality).toBe('lost');
    for (const transport of transports) setState(transport, 'disconnected');
    await signalling.scheduler.advance(30_000);
    await settle();
    expect(signalling.callsOf('restartIce')).toEqual([]);
    const timeout = Object.assign(new Error('no answer'), { reason: 'timeout' });
    signalling.fail('restartIce', timeout);
    signalling.back(true);
    await settle();
    // Both transports asked at once on the way back; the one that timed out is reported, then retried.
    expect(signalling.callsOf('restartIce')).toHaveLength(2);
    expect(signalling.reported.map((error) => error.reason)).toEqual(['media_failed']);
    await signalling.scheduler.advance(1000);
    await settle();
    expect(signalling.callsOf('restartIce')).toHaveLength(4); // both still not connected: both again
    expect(signalling.callsOf('createTransport')).toHaveLength(2); // recovered session: transports kept
  });

  test('back with its session, no stats proving a path alive: ICE restarted once on each transport, even one that reads connected', async () => {
    const signalling = new FakeMediaSignalling();
    const { media } = await inCall(signalling);
    const transports = (media as unknown as { transports: MediaTransports }).transports.all();
    for (const transport of transports) setState(transport, 'connected');
    signalling.drop();
    signalling.back(true);
    await settle();
    expect(new Set(signalling.callsOf('restartIce').map(([id]) => id))).toEqual(new Set(transports.map((t) => t.id)));
    await signalling.scheduler.advance(30_000);
    await settle();
    expect(signalling.callsOf('restartIce')).toHaveLength(2); // connected: once is enough
    expect(signalling.callsOf('createTransport')).toHaveLength(2);
  });

  test('back with its session: a path carrying packets again is kept (no ICE restart), a silent one is restarted after the probe', async () => {
    const signalling = new FakeMediaSignalling();
    const { media } = await inCall(signalling);
    const [send, recv] = (media as unknown as { transports: MediaTransports }).transports.all();
    // What the browser's stats say: bytes keep arriving on the receiving transport's old pair; the
    // sending one's path is dead (its counter stands still).
    let received = 1000;
    const statsOf = (bytes: () => number) => async () =>
      new Map([['T01', { type: 'transport', id: 'T01', timestamp: 0, bytesReceived: bytes() }]]) as unknown as RTCStatsReport;
    Object.assign(recv!.handler, { getTransportStats: statsOf(() => (received += 500)) });
    Object.assign(send!.handler, { getTransportStats: statsOf(() => 1000) });
    setState(send!, 'disconnected');
    setState(recv!, 'disconnected');
    signalling.drop();
    signalling.back(true);
    await settle();
    expect(signalling.callsOf('restartIce')).toEqual([]); // nothing before the probe window ends
    await signalling.scheduler.advance(300);
    await settle();
    expect(signalling.callsOf('restartIce')).toEqual([[send!.id]]);
    setState(recv!, 'connected'); // ICE sees the old pair again by itself
    setState(send!, 'connected');
    await signalling.scheduler.advance(30_000);
    await settle();
    expect(signalling.callsOf('restartIce')).toEqual([[send!.id]]);
    expect(signalling.callsOf('createTransport')).toHaveLength(2);
  });

  test('a path alive by its bytes while ICE never reads connected again is restarted after two probes', async () => {
    const signalling = new FakeMediaSignalling();
    const { media } = await inCall(signalling);
    const [, recv] = (media as unknown as { transports: MediaTransports }).transports.all();
    let received = 0;
    Object.assign(recv!.handler, {
      getTransportStats: async () =>
        new Map([['T01', { type: 'transport', bytesReceived: (received += 100) }]]) as unknown as RTCStatsReport,
    });
    setState(recv!, 'disconnected');
    await settle();
    await signalling.scheduler.advance(300 + 1000); // probe, then the wait for ICE (iceRestartRetryMs)
    await settle();
    expect(signalling.callsOf('restartIce')).toEqual([]);
    await signalling.scheduler.advance(300 + 1000);
    await settle();
    await signalling.scheduler.advance(0);
    await settle();
    expect(signalling.callsOf('restartIce')).toEqual([[recv!.id]]);
  });

  test('back as a new session: full rebuild, each source published once more, each remote consumed once', async () => {
    const signalling = new FakeMediaSignalling();
    const { media, camera, microphone } = await inCall(signalling);
    const before = (media as unknown as { transports: MediaTransports }).transports.all();
    expect(media.remoteTracks).toHaveLength(1);
    signalling.drop();
    signalling.back(false);
    await settle();
    const after = (media as unknown as { transports: MediaTransports }).transports.all();
    expect(before.every((transport) => transport.closed)).toBe(true);
    expect(after).toHaveLength(2);
    expect(after.some((transport) => before.includes(transport))).toBe(false);
    const produced = signalling.callsOf('produce');
    expect(produced.map(([, kind]) => kind)).toEqual(['video', 'audio', 'video', 'audio']);
    expect(new Set(produced.slice(2).map(([transportId]) => transportId))).toEqual(
      new Set([after.find((t) => t.direction === 'send')!.id]),
    );
    expect(media.remoteTracks.map((remote) => remote.producerId)).toEqual(['remote-video']);
    expect(signalling.callsOf('consume')).toHaveLength(2);
    // The same tracks are sent again, still live.
    let local: Record<string, MediaStreamTrack | undefined> = {};
    media.localTracks$.subscribe((tracks) => (local = tracks)).unsubscribe();
    expect(local).toEqual({ camera, microphone });
    expect(camera.readyState).toBe('live');
    // The new session's server dropped the old media itself: nothing to close there.
    expect(signalling.callsOf('closeTransport')).toEqual([]);
  });

  test('disposed while a rebuild is owed: the owed sources are released', async () => {
    const signalling = new FakeMediaSignalling();
    const { media, camera } = await inCall(signalling);
    signalling.fail('routerCapabilities', Object.assign(new Error('gone'), { reason: 'disconnected' }));
    signalling.back(false);
    await settle();
    expect(camera.readyState).toBe('live');
    await media.dispose();
    expect(camera.readyState).toBe('ended');
  });

  test('a server that cannot restart ICE: rebuild, closing the old transports on the server', async () => {
    const signalling = new FakeMediaSignalling();
    signalling.features.delete('media_controls');
    const { media } = await inCall(signalling);
    const before = (media as unknown as { transports: MediaTransports }).transports.all();
    setState(before[0]!, 'failed');
    await settle();
    expect(new Set(signalling.callsOf('closeTransport').map(([id]) => id))).toEqual(new Set(before.map((t) => t.id)));
    expect(signalling.callsOf('produce')).toHaveLength(4);
    expect(media.remoteTracks).toHaveLength(1);
  });

  test('a rebuild that fails offline is done at the next reconnection, even a recovered one', async () => {
    const signalling = new FakeMediaSignalling();
    const { media, camera, microphone } = await inCall(signalling);
    signalling.fail('routerCapabilities', Object.assign(new Error('gone'), { reason: 'disconnected' }));
    signalling.back(false);
    await settle();
    expect(signalling.reported.map((error) => error.reason)).toEqual(['media_failed']);
    expect(media.remoteTracks).toHaveLength(0);
    // Stopped meanwhile: not published again.
    await media.stop('microphone');
    expect(microphone.readyState).toBe('ended');
    expect(camera.readyState).toBe('live'); // still owed
    signalling.back(true);
    await settle();
    expect(signalling.callsOf('produce').map(([, kind]) => kind)).toEqual(['video', 'audio', 'video']);
    expect(media.remoteTracks).toHaveLength(1);
  });
});
