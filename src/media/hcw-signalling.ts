import type { types as ms } from 'mediasoup-client';
import { distinctUntilChanged, filter, map, merge, skip, type Observable } from 'rxjs';
import type { ServerFeature } from '../contract/index.js';
import type { HcwClient } from '../client.js';
import type { HcwError } from '../core/errors.js';
import type { MediaAccessError } from './permissions.js';
import { asMediaError } from './media-error.js';
import { MediaManager } from './media-manager.js';
import type { MediaSignalling, ProducerNotice, SignallingReconnected, StatsReport } from './signalling-port.js';
import type { LocalSource, MediaManagerOptions, QualityWarning } from './types.js';

interface AdapterOptions {
  /** Timeout of calls to the test server's extensions. */
  readonly extensionTimeoutMs: number;
}

/**
 * The media parts' signalling over an HCW client: `/mediasoup` requests by ack, the producer
 * notices, and the `/consultation` events media cares about. The only media file that knows the
 * client. Payloads are validated by the contract on both sides; here they are only reshaped.
 */
export class HcwMediaSignalling implements MediaSignalling {
  readonly userId: string;
  readonly connected$: Observable<boolean>;
  readonly reconnected$: Observable<SignallingReconnected>;
  readonly newProducer$: Observable<ProducerNotice>;
  readonly producerClosed$: Observable<string>;
  readonly producerPaused$: Observable<{ producerId: string; paused: boolean }>;
  readonly sessionClosed$: Observable<void>;
  readonly qualityWarning$: Observable<QualityWarning & { mine: boolean }>;

  constructor(
    private readonly client: HcwClient,
    private readonly options: AdapterOptions,
  ) {
    const { mediasoup, consultation } = client;
    this.userId = String(client.identity.userId);
    this.connected$ = mediasoup.state$.pipe(
      map((state) => state.status === 'connected'),
      distinctUntilChanged(),
    );
    // state$ starts with the current state: a reconnection that happened before is not news.
    this.reconnected$ = mediasoup.state$.pipe(
      skip(1),
      filter((state) => state.status === 'connected' && state.reconnected),
      map((state) => ({ recovered: state.status === 'connected' && state.recovered === true })),
    );
    this.newProducer$ = mediasoup.on('newProducer').pipe(
      map((event) => ({ producerId: event.producerId, userId: String(event.userId), paused: event.paused ?? false })),
      filter((notice) => notice.userId !== this.userId),
    );
    this.producerClosed$ = mediasoup.on('producerClosed').pipe(map((event) => event.producerId));
    this.producerPaused$ = mediasoup.on('producerPaused').pipe(map(({ producerId, paused }) => ({ producerId, paused })));
    this.sessionClosed$ = merge(mediasoup.on('media_session_closed'), consultation.on('media_session_closed')).pipe(map(() => undefined));
    this.qualityWarning$ = merge(
      consultation
        .on('connection_quality_warning')
        .pipe(map((event) => ({ userId: String(event.userId), level: event.qualityLevel, message: event.message }))),
      consultation
        .on('poor_connection_detected')
        .pipe(map((event) => ({ userId: String(event.affectedUserId), level: 'poor', message: event.message }))),
    ).pipe(map((warning) => ({ ...warning, mine: warning.userId === this.userId })));
  }

  get scheduler() {
    return this.client.connection.options.scheduler;
  }

  get connected(): boolean {
    return this.client.mediasoup.connected;
  }

  private get consultationId() {
    return this.client.identity.consultationId;
  }

  private get timeout() {
    return { timeoutMs: this.options.extensionTimeoutMs };
  }

  has(feature: ServerFeature): boolean {
    return this.client.features.has(feature);
  }

  async routerCapabilities(): Promise<ms.RtpCapabilities> {
    const answer = await this.client.mediasoup.request('getRouterCapabilities', { consultationId: this.consultationId });
    return answer.rtpCapabilities;
  }

  /** ICE candidates from mediasoup < 3.14 carry `ip` where mediasoup-client reads `address`: mapped, not cast. */
  async createTransport(direction: 'send' | 'recv'): Promise<ms.TransportOptions> {
    const type = direction === 'send' ? 'producer' : 'consumer';
    const answer = await this.client.mediasoup.request('createTransport', { consultationId: this.consultationId, type });
    return {
      id: answer.id,
      iceParameters: answer.iceParameters as unknown as ms.IceParameters,
      iceCandidates: answer.iceCandidates.map((candidate) => ({
        ...candidate,
        address: candidate.address ?? candidate.ip ?? '',
      })) as unknown as ms.IceCandidate[],
      dtlsParameters: answer.dtlsParameters as unknown as ms.DtlsParameters,
    };
  }

  async connectTransport(transportId: string, dtlsParameters: ms.DtlsParameters): Promise<void> {
    await this.client.mediasoup.request('connectTransport', { transportId, dtlsParameters });
  }

  async produce(transportId: string, kind: ms.MediaKind, rtpParameters: ms.RtpParameters, appData: ms.AppData): Promise<string> {
    const { id } = await this.client.mediasoup.request('produce', {
      consultationId: this.consultationId,
      transportId,
      kind,
      rtpParameters,
      appData,
    });
    return id;
  }

  async consume(transportId: string, producerId: string, rtpCapabilities: ms.RtpCapabilities): Promise<ms.ConsumerOptions> {
    const answer = await this.client.mediasoup.request('consume', {
      consultationId: this.consultationId,
      transportId,
      producerId,
      rtpCapabilities,
    });
    return {
      id: answer.id,
      producerId: answer.producerId,
      kind: answer.kind,
      rtpParameters: answer.rtpParameters as unknown as ms.RtpParameters,
    };
  }

  async closeTransport(transportId: string): Promise<void> {
    await this.client.mediasoup.request('closeTransport', { transportId }, { timeoutMs: 2000 });
  }

  async listProducers(): Promise<readonly ProducerNotice[] | undefined> {
    if (!this.has('producer_discovery')) return undefined;
    const { producers } = await this.client.mediasoup.request('getProducers', { consultationId: this.consultationId }, this.timeout);
    return producers.map((producer) => ({
      producerId: producer.producerId,
      userId: String(producer.userId),
      paused: producer.paused ?? false,
    }));
  }

  async setProducerPaused(producerId: string, paused: boolean): Promise<void> {
    if (!this.has('media_controls')) return;
    await this.client.mediasoup.request(paused ? 'pauseProducer' : 'resumeProducer', { producerId }, this.timeout);
  }

  async closeProducer(producerId: string): Promise<void> {
    if (!this.has('media_controls')) return;
    await this.client.mediasoup.request('closeProducer', { producerId }, this.timeout);
  }

  async restartIce(transportId: string): Promise<ms.IceParameters | undefined> {
    if (!this.has('media_controls')) return undefined;
    const { iceParameters } = await this.client.mediasoup.request('restartIce', { transportId }, this.timeout);
    return iceParameters as unknown as ms.IceParameters;
  }

  async announceEnabled(source: LocalSource, enabled: boolean): Promise<void> {
    const { consultationId, userId } = this.client.identity;
    if (source === 'microphone') await this.client.consultation.emit('toggle_audio', { consultationId, userId, audioEnabled: enabled });
    else if (source === 'camera') await this.client.consultation.emit('toggle_video', { consultationId, userId, videoEnabled: enabled });
  }

  reportPermission(source: 'camera' | 'microphone', granted: boolean): void {
    const { consultationId, userId } = this.client.identity;
    const status = {
      consultationId,
      userId,
      camera: source === 'camera' ? granted : ('unknown' as const),
      microphone: source === 'microphone' ? granted : ('unknown' as const),
    };
    void this.client.mediasoup.emit('media_permission_status', status).catch(() => undefined);
  }

  reportAccessError(error: MediaAccessError): void {
    const { consultationId, userId } = this.client.identity;
    if (error.kind === 'denied' && error.device !== 'screen') {
      const denied = {
        consultationId,
        userId,
        camera: error.device === 'camera' ? false : ('unknown' as const),
        microphone: error.device === 'microphone' ? false : ('unknown' as const),
      };
      void this.client.mediasoup.emit('media_permission_denied', denied).catch(() => undefined);
    } else {
      void this.client.consultation
        .emit('media_permission_error', { consultationId, userId, errorType: error.kind, errorMessage: error.guidance })
        .catch(() => undefined);
    }
  }

  async reportStats(report: StatsReport): Promise<void> {
    const { consultationId } = this.client.identity;
    const stats = { packetLoss: report.packetLoss, rttMs: report.rttMs ?? null, jitterMs: report.jitterMs ?? null, bytes: report.bytes };
    await Promise.all([
      this.client.mediasoup
        .request('collect_stats', { consultationId, stats: { type: 'transport', id: report.transportId, stats } })
        .catch((error: unknown) => this.reportFailure('collect_stats failed', error)),
      this.client.consultation
        .emit('update_connection_quality', {
          consultationId,
          packetLoss: Math.round(report.packetLoss * 10_000) / 100, // percent on the wire
          ...(report.rttMs === undefined ? {} : { latency: report.rttMs }),
          ...(report.jitterMs === undefined ? {} : { jitter: report.jitterMs }),
          quality: report.level,
        })
        .catch((error: unknown) => this.reportFailure('update_connection_quality failed', error)),
    ]);
  }

  report(error: HcwError): void {
    this.client.connection.report(error);
  }

  private reportFailure(message: string, error: unknown): void {
    this.report(asMediaError(message, error));
  }
}

/** Creates the media manager of an HCW client (one per client). */
export function createMediaManager(client: HcwClient, options: MediaManagerOptions = {}): MediaManager {
  return new MediaManager(new HcwMediaSignalling(client, { extensionTimeoutMs: options.extensionTimeoutMs ?? 2000 }), options);
}
