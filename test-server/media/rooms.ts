import { spawnSync } from 'node:child_process';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { DomainError, key, type Id } from '../domain/errors.js';
import type { RateLimit, TestServerLogger } from '../options.js';
import { mediaCodecs } from './codecs.js';
import { heldConsumeOptions, KeyframeClock, refreshConsumer, startConsumer } from './keyframes.js';

/** The mediasoup version whose worker the test server runs. */
export const MEDIASOUP_VERSION: string = mediasoup.version;

let workerCheck: string | undefined | null = null;

/**
 * Why the mediasoup worker cannot run here (undefined: it can): the binary missing (mediasoup's
 * download is skipped, scripts/ensure-mediasoup-worker.mjs builds it) or not starting. A worker
 * started without MEDIASOUP_VERSION exits at once with its own code 41; anything else means it
 * cannot run (missing library, wrong architecture, truncated file). Checked once per process.
 */
export function mediaWorkerProblem(): string | undefined {
  if (workerCheck !== null) return workerCheck;
  const bin = mediasoup.workerBin;
  const env = { ...process.env };
  delete env.MEDIASOUP_VERSION;
  const run = spawnSync(bin, [], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000, encoding: 'utf8' });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-2).join(' | ');
  workerCheck =
    run.error !== undefined
      ? `${bin}: ${(run.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : run.error.message}`
      : run.status === 41
        ? undefined
        : `${bin} exited with ${run.status ?? run.signal}${output ? `: ${output}` : ''}`;
  return workerCheck;
}

export interface MediaOptions {
  enabled: boolean;
  listenIp: string;
  announcedIp: string | undefined;
  rtcMinPort: number;
  rtcMaxPort: number;
  rateLimit: RateLimit | false;
  logger: TestServerLogger;
}

interface ProducerEntry {
  producer: ms.Producer;
  userId: string;
  peerId: string;
  transportId: string;
}

interface Room {
  consultationId: string;
  router: ms.Router;
  producers: Map<string, ProducerEntry>;
  closing: boolean;
}

/** One socket's media: its transports, producers and consumers (closed with the socket). */
interface Peer {
  id: string;
  userId: string;
  transports: Map<string, { transport: ms.WebRtcTransport; consultationId: string }>;
  producers: Set<string>;
  consumers: Map<string, ms.Consumer>;
  calls: number[];
}

/** When, after a client's ICE restart, the streams through its transport are asked for a keyframe. */
const KEYFRAME_RETRY_MS = [0, 250, 600, 1200, 2500];
/** mediasoup refuses what a client sent (bad DTLS or RTP parameters, a second connect): a client error. */
async function refused<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new DomainError(`${operation} refused by mediasoup: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export interface ProducerListener {
  closed(consultationId: string, producerId: string, userId: string): void;
}

export interface ProducerView {
  producerId: string;
  userId: string;
  kind: 'audio' | 'video';
  paused: boolean;
  appData: Record<string, unknown>;
}

/**
 * Real mediasoup: one lazy Worker, one Router per consultation, WebRtcTransports per socket.
 * Every close path (explicit, transport, socket, router) goes through mediasoup's observers so the
 * bookkeeping and the `producerClosed` notices cannot drift.
 */
export class MediaRooms {
  private workerPromise: Promise<ms.Worker> | undefined;
  private readonly rooms = new Map<string, Promise<Room>>();
  /** Rooms whose router creation finished. */
  private readonly settled = new Map<string, Room>();
  private readonly peers = new Map<string, Peer>();
  private closed = false;
  private readonly keyframes = new KeyframeClock();

  constructor(
    private readonly options: MediaOptions,
    private readonly listener: ProducerListener,
  ) {}

  get enabled(): boolean {
    return this.options.enabled;
  }

  private worker(): Promise<ms.Worker> {
    if (!this.workerPromise) {
      const promise = mediasoup.createWorker({
        logLevel: 'warn',
        rtcMinPort: this.options.rtcMinPort,
        rtcMaxPort: this.options.rtcMaxPort,
      });
      this.workerPromise = promise;
      promise.then(
        (worker) =>
          worker.on('died', (error) => {
            this.options.logger.error('mediasoup worker died', error);
            this.workerPromise = undefined;
            this.rooms.clear();
            this.settled.clear();
          }),
        () => (this.workerPromise = undefined),
      );
    }
    return this.workerPromise;
  }

  hasRouter(consultationId: Id): boolean {
    return this.rooms.has(key(consultationId));
  }

  /** The consultation's router, created on first use. */
  async ensureRouter(consultationId: Id): Promise<ms.Router> {
    if (!this.enabled) throw new DomainError('Media is disabled on this server');
    if (this.closed) throw new DomainError('Server is closing');
    const cid = key(consultationId);
    let room = this.rooms.get(cid);
    if (!room) {
      room = this.worker().then(async (worker) => ({
        consultationId: cid,
        router: await worker.createRouter({ mediaCodecs }),
        producers: new Map<string, ProducerEntry>(),
        closing: false,
      }));
      this.rooms.set(cid, room);
      room.then(
        (created) => this.settled.set(cid, created),
        () => this.rooms.delete(cid),
      );
    }
    return (await room).router;
  }

  private async room(consultationId: Id): Promise<Room> {
    const room = this.rooms.get(key(consultationId));
    if (!room) throw new DomainError(`No media session for consultation ${String(consultationId)}`, 'not_found');
    return room;
  }

  /** Closes the consultation's router and everything on it; true if there was one. */
  async closeRouter(consultationId: Id): Promise<boolean> {
    const cid = key(consultationId);
    const pending = this.rooms.get(cid);
    if (!pending) return false;
    this.rooms.delete(cid);
    const room = await pending.catch(() => undefined);
    this.settled.delete(cid);
    if (!room) return false;
    room.closing = true;
    room.router.close();
    return true;
  }

  async closeAllRouters(): Promise<void> {
    await Promise.all([...this.rooms.keys()].map((cid) => this.closeRouter(cid)));
  }

  private peer(peerId: string, userId: string): Peer {
    let peer = this.peers.get(peerId);
    if (!peer) {
      peer = { id: peerId, userId, transports: new Map(), producers: new Set(), consumers: new Map(), calls: [] };
      this.peers.set(peerId, peer);
    }
    return peer;
  }

  /** Reference throttle: createTransport/produce/consume per socket. */
  private throttle(peer: Peer): void {
    const limit = this.options.rateLimit;
    if (!limit) return;
    const now = Date.now();
    peer.calls = peer.calls.filter((t) => now - t < limit.windowMs);
    if (peer.calls.length >= limit.max) throw new DomainError('Too many media requests, slow down', 'rate_limited');
    peer.calls.push(now);
  }

  private transportOf(peerId: string, transportId: string) {
    const entry = this.peers.get(peerId)?.transports.get(transportId);
    if (!entry) throw new DomainError(`Transport ${transportId} not found`, 'not_found');
    return entry;
  }

  async createTransport(peerId: string, userId: string, consultationId: Id, type: 'producer' | 'consumer') {
    const peer = this.peer(peerId, userId);
    this.throttle(peer);
    const router = await this.ensureRouter(consultationId);
    const transport = await router.createWebRtcTransport({
      listenIps: [{ ip: this.options.listenIp, ...(this.options.announcedIp ? { announcedIp: this.options.announcedIp } : {}) }],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      appData: { peerId, userId, type },
    });
    peer.transports.set(transport.id, { transport, consultationId: key(consultationId) });
    transport.observer.once('close', () => peer.transports.delete(transport.id));
    // The path came back (a new ICE tuple after an outage or an ICE restart, or consent regained):
    // what crosses this transport restarts from a keyframe at once, as SFUs do, instead of after
    // the receivers' NACKs for packets nobody has any more give up (about a second).
    transport.on('iceselectedtuplechange', () => this.refreshKeyFrames(transport));
    transport.on('icestatechange', (state) => {
      if (state === 'connected' || state === 'completed') this.refreshKeyFrames(transport);
    });
    return {
      id: transport.id,
      iceParameters: transport.iceParameters as unknown as Record<string, unknown>,
      iceCandidates: transport.iceCandidates.map((c) => ({ ...c, address: c.ip, tcpType: c.tcpType ?? undefined })),
      dtlsParameters: transport.dtlsParameters as unknown as Record<string, unknown>,
    };
  }

  /** Asks for a keyframe on every stream through `transport`: what it receives, and what its producers feed others. */
  private refreshKeyFrames(transport: ms.WebRtcTransport): void {
    const producers = new Set<string>();
    for (const room of this.settled.values()) {
      for (const [id, entry] of room.producers) if (entry.transportId === transport.id) producers.add(id);
    }
    for (const other of this.peers.values()) {
      for (const consumer of other.consumers.values()) {
        const through = consumer.appData.transportId === transport.id;
        const producer = through || producers.has(consumer.producerId) ? this.producerById(consumer.producerId) : undefined;
        if (producer) refreshConsumer(consumer, producer, this.keyframes);
      }
    }
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: Record<string, unknown>): Promise<void> {
    const { transport } = this.transportOf(peerId, transportId);
    await refused('connectTransport', () => transport.connect({ dtlsParameters: dtlsParameters as unknown as ms.DtlsParameters }));
  }

  async restartIce(peerId: string, transportId: string): Promise<Record<string, unknown>> {
    const { transport } = this.transportOf(peerId, transportId);
    const iceParameters = await refused('restartIce', () => transport.restartIce());
    // The client saw its path break. Its old tuple may carry media again before a new one is
    // chosen, or only a moment later, and a keyframe request sent into a dead path is lost: ask
    // now and a few times while the path comes back (and again on the new tuple).
    this.refreshKeyFramesSoon(transport);
    return iceParameters;
  }

  /**
   * The peer's signalling came back with its session (connection state recovery): its media path
   * was down as long, and usually comes back on the same ICE pair without a restart or a new tuple
   * (nothing else would tell this server). What crosses its transports restarts from keyframes,
   * as after an ICE restart.
   */
  pathsResumed(peerId: string): void {
    for (const { transport } of this.peers.get(peerId)?.transports.values() ?? []) this.refreshKeyFramesSoon(transport);
  }

  private refreshKeyFramesSoon(transport: ms.WebRtcTransport): void {
    for (const delayMs of KEYFRAME_RETRY_MS) {
      const timer = setTimeout(() => !transport.closed && this.refreshKeyFrames(transport), delayMs);
      timer.unref();
    }
  }

  closeTransport(peerId: string, transportId: string): void {
    this.transportOf(peerId, transportId).transport.close();
  }

  async produce(
    peerId: string,
    input: {
      consultationId: Id;
      transportId: string;
      kind: 'audio' | 'video';
      rtpParameters: Record<string, unknown>;
      appData?: Record<string, unknown>;
    },
  ): Promise<ProducerView> {
    const peer = this.peers.get(peerId);
    if (!peer) throw new DomainError(`Transport ${input.transportId} not found`, 'not_found');
    this.throttle(peer);
    const entry = this.transportOf(peerId, input.transportId);
    if (entry.consultationId !== key(input.consultationId)) throw new DomainError('Transport belongs to another consultation');
    const room = await this.room(input.consultationId);
    const producer = await refused('produce', () =>
      entry.transport.produce({
        kind: input.kind,
        rtpParameters: input.rtpParameters as unknown as ms.RtpParameters,
        appData: { ...(input.appData ?? {}), userId: peer.userId },
      }),
    );
    room.producers.set(producer.id, { producer, userId: peer.userId, peerId, transportId: entry.transport.id });
    peer.producers.add(producer.id);
    this.keyframes.watch(producer);
    producer.observer.once('close', () => {
      room.producers.delete(producer.id);
      peer.producers.delete(producer.id);
      if (!room.closing && !this.closed) this.listener.closed(room.consultationId, producer.id, peer.userId);
    });
    return this.view(room.producers.get(producer.id)!);
  }

  async consume(
    peerId: string,
    input: { consultationId: Id; transportId: string; producerId: string; rtpCapabilities: Record<string, unknown> },
  ) {
    const peer = this.peers.get(peerId);
    if (!peer) throw new DomainError(`Transport ${input.transportId} not found`, 'not_found');
    this.throttle(peer);
    const entry = this.transportOf(peerId, input.transportId);
    const room = await this.room(input.consultationId);
    const rtpCapabilities = input.rtpCapabilities as unknown as ms.RtpCapabilities;
    const producer = room.producers.get(input.producerId)?.producer;
    if (!producer) throw new DomainError(`Producer ${input.producerId} not found`, 'not_found');
    let canConsume = false;
    try {
      canConsume = room.router.canConsume({ producerId: input.producerId, rtpCapabilities });
    } catch {
      // malformed capabilities: cannot consume
    }
    if (!canConsume) {
      throw new DomainError(`Cannot consume producer ${input.producerId} with these RTP capabilities`);
    }
    const consumer = await refused('consume', () =>
      entry.transport.consume({
        producerId: input.producerId,
        rtpCapabilities,
        ...heldConsumeOptions(producer),
        appData: { transportId: entry.transport.id },
      }),
    );
    peer.consumers.set(consumer.id, consumer);
    startConsumer(consumer, producer, entry.transport, this.keyframes);
    consumer.observer.once('close', () => peer.consumers.delete(consumer.id));
    return {
      id: consumer.id,
      producerId: input.producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters as unknown as Record<string, unknown>,
      type: consumer.type,
      producerPaused: consumer.producerPaused,
    };
  }

  private ownProducer(peerId: string, producerId: string): { entry: ProducerEntry; consultationId: string } {
    const peer = this.peers.get(peerId);
    if (!peer?.producers.has(producerId)) throw new DomainError(`Producer ${producerId} not found`, 'not_found');
    for (const [cid, room] of this.settled) {
      const entry = room.producers.get(producerId);
      if (entry) return { entry, consultationId: cid };
    }
    throw new DomainError(`Producer ${producerId} not found`, 'not_found');
  }

  async setPaused(peerId: string, producerId: string, paused: boolean): Promise<string> {
    const { entry, consultationId } = this.ownProducer(peerId, producerId);
    if (paused) await entry.producer.pause();
    else await entry.producer.resume();
    return consultationId;
  }

  closeProducer(peerId: string, producerId: string): void {
    this.ownProducer(peerId, producerId).entry.producer.close();
  }

  /** Producers of a consultation, except those of `exceptUserId`. */
  async producers(consultationId: Id, exceptUserId?: Id): Promise<ProducerView[]> {
    const room = this.rooms.get(key(consultationId));
    if (!room) return [];
    return [...(await room).producers.values()]
      .filter((entry) => exceptUserId === undefined || entry.userId !== key(exceptUserId))
      .map((entry) => this.view(entry));
  }

  private view(entry: ProducerEntry): ProducerView {
    return {
      producerId: entry.producer.id,
      userId: entry.userId,
      kind: entry.producer.kind,
      paused: entry.producer.paused,
      appData: entry.producer.appData,
    };
  }

  /** Closes everything a socket opened (its transports carry its producers and consumers). */
  closePeer(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    this.peers.delete(peerId);
    for (const { transport } of peer.transports.values()) transport.close();
  }

  /** Closes the transports a user opened for one consultation (leave_media_session). */
  closeUserMedia(userId: Id, consultationId: Id): void {
    for (const peer of this.peers.values()) {
      if (peer.userId !== key(userId)) continue;
      for (const { transport, consultationId: cid } of peer.transports.values()) if (cid === key(consultationId)) transport.close();
    }
  }

  async routerInfo(consultationId: Id): Promise<{ routerId: string; rtpCapabilities: Record<string, unknown> } | undefined> {
    const room = this.rooms.get(key(consultationId));
    if (!room) return undefined;
    const { router } = await room;
    return { routerId: router.id, rtpCapabilities: router.rtpCapabilities as unknown as Record<string, unknown> };
  }

  /** Counts for tests and health: live routers, transports, producers, consumers. */
  /** A consumer by id (tests: to play what mediasoup reports). */
  consumerById(consumerId: string): ms.Consumer | undefined {
    for (const peer of this.peers.values()) {
      const consumer = peer.consumers.get(consumerId);
      if (consumer) return consumer;
    }
    return undefined;
  }

  /** A producer by id (tests: to play what mediasoup reports). */
  producerById(producerId: string): ms.Producer | undefined {
    for (const room of this.settled.values()) {
      const entry = room.producers.get(producerId);
      if (entry) return entry.producer;
    }
    return undefined;
  }

  /** A transport by id (tests: to play what mediasoup reports). */
  transportById(transportId: string): ms.WebRtcTransport | undefined {
    for (const peer of this.peers.values()) {
      const entry = peer.transports.get(transportId);
      if (entry) return entry.transport;
    }
    return undefined;
  }

  stats(): { routers: number; transports: number; producers: number; consumers: number; workerStarted: boolean } {
    let transports = 0;
    let producers = 0;
    let consumers = 0;
    for (const peer of this.peers.values()) {
      transports += peer.transports.size;
      producers += peer.producers.size;
      consumers += peer.consumers.size;
    }
    return { routers: this.settled.size, transports, producers, consumers, workerStarted: this.workerPromise !== undefined };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.closeAllRouters();
    const worker = await this.workerPromise?.catch(() => undefined);
    worker?.close();
    this.workerPromise = undefined;
  }
}
