import { testFakeParameters, type types as ms } from 'mediasoup-client';
import { BehaviorSubject, Subject } from 'rxjs';
import type { HcwError, ServerFeature } from '../../src/index.js';
import type { MediaSignalling, ProducerNotice, SignallingReconnected, StatsReport } from '../../src/media/index.js';
import { ManualScheduler } from './manual-scheduler.js';

/** A call the fake received, by method name. */
export interface FakeCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/**
 * The media signalling port in memory, for unit tests of the media parts with mediasoup-client's
 * FakeHandler: answers like a server with every extension, records every call, and lets the test
 * hold an answer (`hold`), fail one (`fail`), take the link down and bring it back.
 */
export class FakeMediaSignalling implements MediaSignalling {
  readonly userId = 'me';
  readonly scheduler = new ManualScheduler();
  readonly calls: FakeCall[] = [];
  readonly reported: HcwError[] = [];
  readonly features = new Set<ServerFeature>(['producer_discovery', 'media_controls']);
  /** Producers the server lists on discovery. */
  producers: ProducerNotice[] = [];
  private readonly link = new BehaviorSubject(true);
  private readonly failures = new Map<string, Error>();
  readonly connected$ = this.link.asObservable();
  readonly reconnectedSubject = new Subject<SignallingReconnected>();
  readonly reconnected$ = this.reconnectedSubject.asObservable();
  readonly newProducer = new Subject<ProducerNotice>();
  readonly newProducer$ = this.newProducer.asObservable();
  readonly producerClosed = new Subject<string>();
  readonly producerClosed$ = this.producerClosed.asObservable();
  readonly producerPaused$ = new Subject<{ producerId: string; paused: boolean }>().asObservable();
  readonly sessionClosed$ = new Subject<void>().asObservable();
  readonly qualityWarning$ = new Subject<{ userId: string; level: string; message: string; mine: boolean }>().asObservable();

  get connected(): boolean {
    return this.link.value;
  }

  /** Calls of one method, their arguments. */
  callsOf(method: string): (readonly unknown[])[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  /** The next call of `method` waits until the returned release is called. */
  hold(method: string): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.gates.set(method, [...(this.gates.get(method) ?? []), gate]);
    return release;
  }

  /** The next call of `method` rejects with `error`. */
  fail(method: string, error: Error): void {
    this.failures.set(method, error);
  }

  /** The link drops (`connected` false); `back(recovered)` brings it back as a reconnection. */
  drop(): void {
    this.link.next(false);
  }

  back(recovered: boolean): void {
    this.link.next(true);
    this.reconnectedSubject.next({ recovered });
  }

  has(feature: ServerFeature): boolean {
    return this.features.has(feature);
  }

  routerCapabilities(): Promise<ms.RtpCapabilities> {
    return this.answer('routerCapabilities', [], () => testFakeParameters.generateRouterRtpCapabilities());
  }

  createTransport(direction: 'send' | 'recv'): Promise<ms.TransportOptions> {
    return this.answer('createTransport', [direction], () => testFakeParameters.generateTransportRemoteParameters());
  }

  connectTransport(transportId: string): Promise<void> {
    return this.answer('connectTransport', [transportId], () => undefined);
  }

  produce(transportId: string, kind: ms.MediaKind): Promise<string> {
    return this.answer('produce', [transportId, kind], () => testFakeParameters.generateProducerRemoteParameters().id);
  }

  consume(transportId: string, producerId: string): Promise<ms.ConsumerOptions> {
    return this.answer('consume', [transportId, producerId], () => ({
      ...testFakeParameters.generateConsumerRemoteParameters({ codecMimeType: 'video/VP8' }),
      producerId,
    }));
  }

  closeTransport(transportId: string): Promise<void> {
    return this.answer('closeTransport', [transportId], () => undefined);
  }

  listProducers(): Promise<readonly ProducerNotice[] | undefined> {
    return this.answer('listProducers', [], () => (this.features.has('producer_discovery') ? this.producers : undefined));
  }

  setProducerPaused(producerId: string, paused: boolean): Promise<void> {
    return this.answer('setProducerPaused', [producerId, paused], () => undefined);
  }

  closeProducer(producerId: string): Promise<void> {
    return this.answer('closeProducer', [producerId], () => undefined);
  }

  restartIce(transportId: string): Promise<ms.IceParameters | undefined> {
    return this.answer('restartIce', [transportId], () =>
      this.features.has('media_controls') ? testFakeParameters.generateTransportRemoteParameters().iceParameters : undefined,
    );
  }

  announceEnabled(source: string, enabled: boolean): Promise<void> {
    return this.answer('announceEnabled', [source, enabled], () => undefined);
  }

  reportPermission(source: string, granted: boolean): void {
    this.calls.push({ method: 'reportPermission', args: [source, granted] });
  }

  reportAccessError(error: unknown): void {
    this.calls.push({ method: 'reportAccessError', args: [error] });
  }

  reportStats(report: StatsReport): Promise<void> {
    return this.answer('reportStats', [report], () => undefined);
  }

  report(error: HcwError): void {
    this.reported.push(error);
  }

  private readonly gates = new Map<string, Promise<void>[]>();

  private async answer<T>(method: string, args: readonly unknown[], value: () => T): Promise<T> {
    this.calls.push({ method, args });
    const gate = this.gates.get(method)?.shift();
    if (gate) await gate;
    const failure = this.failures.get(method);
    if (failure !== undefined) {
      this.failures.delete(method);
      throw failure;
    }
    return value();
  }
}
