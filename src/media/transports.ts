import type { Device, types as ms } from 'mediasoup-client';
import { invalidMediaState } from './media-error.js';
import type { MediaSignalling } from './signalling-port.js';

export type Direction = 'send' | 'recv';

/** A transport's ICE/DTLS state changed (mediasoup-client's `connectionstatechange`). */
export type TransportStateListener = (transport: ms.Transport, state: ms.ConnectionState) => void;

/**
 * The mediasoup-client Device and its two transports: created on first need, one at a time under
 * concurrency, wired to the signalling (`connect`, `produce`). `closeAll()` starts a new
 * generation: a transport whose creation was under way is closed on arrival, never assigned.
 */
export class MediaTransports {
  private device: Device | undefined;
  private readonly open = new Map<Direction, ms.Transport>();
  private readonly creating = new Map<Direction, Promise<ms.Transport>>();
  private generation = 0;

  constructor(
    private readonly signalling: MediaSignalling,
    private readonly createDevice: () => Device,
    private readonly onState: TransportStateListener,
  ) {}

  /** The Device, once `load()` has run. */
  get loaded(): Device | undefined {
    return this.device?.loaded ? this.device : undefined;
  }

  /** Loads the router's capabilities into the Device (once; a rebuild keeps the loaded Device). */
  async load(): Promise<Device> {
    const capabilities = await this.signalling.routerCapabilities();
    this.device ??= this.createDevice();
    if (!this.device.loaded) await this.device.load({ routerRtpCapabilities: capabilities });
    return this.device;
  }

  /** The open transports. */
  all(): ms.Transport[] {
    return [...this.open.values()].filter((transport) => !transport.closed);
  }

  /** The transport of one direction, created on first need (concurrent callers share one creation). */
  ensure(direction: Direction): Promise<ms.Transport> {
    const current = this.open.get(direction);
    if (current && !current.closed) return Promise.resolve(current);
    const pending = this.creating.get(direction);
    if (pending) return pending;
    const creation = this.create(direction).finally(() => {
      if (this.creating.get(direction) === creation) this.creating.delete(direction);
    });
    this.creating.set(direction, creation);
    return creation;
  }

  /** Closes both transports locally and returns them; creations under way are dropped on arrival. */
  closeAll(): ms.Transport[] {
    this.generation += 1;
    this.creating.clear();
    const closed = this.all();
    for (const transport of closed) transport.close();
    this.open.clear();
    return closed;
  }

  private async create(direction: Direction): Promise<ms.Transport> {
    const generation = this.generation;
    const device = this.device;
    if (!device?.loaded) throw invalidMediaState('media is not joined: call join() first');
    const options = await this.signalling.createTransport(direction);
    if (generation !== this.generation) {
      // The session was closed or rebuilt meanwhile: this server transport belongs to nobody.
      void this.signalling.closeTransport(options.id).catch(() => undefined);
      throw invalidMediaState(`the media session was closed while its ${direction} transport was being created`);
    }
    const transport = direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    this.wire(transport);
    this.open.set(direction, transport);
    return transport;
  }

  private wire(transport: ms.Transport): void {
    const { signalling } = this;
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      signalling.connectTransport(transport.id, dtlsParameters).then(callback, errback);
    });
    if (transport.direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        signalling.produce(transport.id, kind, rtpParameters, appData).then((id) => callback({ id }), errback);
      });
    }
    transport.on('connectionstatechange', (state) => this.onState(transport, state));
  }
}
