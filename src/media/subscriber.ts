import type { types as ms } from 'mediasoup-client';
import { BehaviorSubject, type Observable } from 'rxjs';
import { asMediaError } from './media-error.js';
import type { MediaSignalling, ProducerNotice } from './signalling-port.js';
import type { RemoteTrack } from './types.js';

interface Consuming {
  readonly consumer: ms.Consumer;
  readonly userId: string | undefined;
}

/**
 * The remote tracks: one consumer per remote producer, however many times the producer is
 * announced (discovery and the live notice can race), dropped when it closes.
 */
export class Subscriber {
  private readonly consumers = new Map<string, Consuming>();
  /** Consumes under way by producer id: concurrent callers share them. */
  private readonly consuming = new Map<string, Promise<RemoteTrack | undefined>>();
  private readonly remote = new BehaviorSubject<readonly RemoteTrack[]>([]);
  private generation = 0;
  readonly remote$: Observable<readonly RemoteTrack[]> = this.remote.asObservable();

  constructor(
    private readonly signalling: MediaSignalling,
    private readonly receiving: () => Promise<{ transport: ms.Transport; rtpCapabilities: ms.RtpCapabilities }>,
  ) {}

  get tracks(): readonly RemoteTrack[] {
    return this.remote.value;
  }

  /** Consumes a producer once; a second caller for the same producer gets undefined. */
  consume(producerId: string, userId: string | undefined, paused: boolean): Promise<RemoteTrack | undefined> {
    if ([...this.consumers.values()].some(({ consumer }) => consumer.producerId === producerId)) return Promise.resolve(undefined);
    const inFlight = this.consuming.get(producerId);
    if (inFlight)
      return inFlight.then(
        () => undefined,
        () => undefined,
      );
    const attempt = this.create(producerId, userId, paused).finally(() => {
      if (this.consuming.get(producerId) === attempt) this.consuming.delete(producerId);
    });
    this.consuming.set(producerId, attempt);
    return attempt;
  }

  /** Consumes the producers the server lists now (discovery); a failed listing is reported, not thrown. */
  async consumeExisting(): Promise<void> {
    const existing = await this.signalling.listProducers().catch((error: unknown) => {
      this.signalling.report(asMediaError('producer discovery failed', error));
      return undefined;
    });
    for (const producer of existing ?? []) await this.consume(producer.producerId, producer.userId, producer.paused);
  }

  /** Consumes a producer the server announced; a failure is reported (nobody awaits a notice). */
  consumeAnnounced({ producerId, userId, paused }: ProducerNotice): void {
    this.consume(producerId, userId, paused).catch((error: unknown) =>
      this.signalling.report(asMediaError('could not consume a new producer', error)),
    );
  }

  /** The producer closed: its consumers go. */
  dropProducer(producerId: string): void {
    for (const [id, { consumer }] of this.consumers) if (consumer.producerId === producerId) this.drop(id);
  }

  setPaused(producerId: string, paused: boolean): void {
    this.remote.next(this.remote.value.map((track) => (track.producerId === producerId ? { ...track, paused } : track)));
  }

  /** Drops every consumer; consumes under way are dropped on arrival. */
  closeAll(): void {
    this.generation += 1;
    this.consuming.clear();
    for (const id of [...this.consumers.keys()]) this.drop(id);
  }

  complete(): void {
    this.remote.complete();
  }

  private async create(producerId: string, userId: string | undefined, paused: boolean): Promise<RemoteTrack | undefined> {
    const generation = this.generation;
    const { transport, rtpCapabilities } = await this.receiving();
    const options = await this.signalling.consume(transport.id, producerId, rtpCapabilities);
    if (generation !== this.generation || transport.closed) return undefined;
    const consumer = await transport.consume(options);
    if (generation !== this.generation) {
      consumer.close();
      return undefined;
    }
    this.consumers.set(consumer.id, { consumer, userId });
    consumer.on('transportclose', () => this.drop(consumer.id));
    consumer.on('trackended', () => this.drop(consumer.id));
    const remote: RemoteTrack = { consumerId: consumer.id, producerId, userId, kind: consumer.kind, track: consumer.track, paused };
    this.remote.next([...this.remote.value, remote]);
    return remote;
  }

  private drop(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    this.consumers.delete(consumerId);
    if (!entry.consumer.closed) entry.consumer.close();
    this.remote.next(this.remote.value.filter((track) => track.consumerId !== consumerId));
  }
}
