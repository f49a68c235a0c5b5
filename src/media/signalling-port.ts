import type { types as ms } from 'mediasoup-client';
import type { Observable } from 'rxjs';
import type { QualityLevel, ServerFeature } from '../contract/index.js';
import type { HcwError } from '../core/errors.js';
import type { Scheduler } from '../core/scheduler.js';
import type { MediaAccessError } from './permissions.js';
import type { LocalSource, QualityWarning } from './types.js';

/** A remote producer as the server announces it (`newProducer`, `getProducers`). */
export interface ProducerNotice {
  readonly producerId: string;
  readonly userId: string;
  readonly paused: boolean;
}

/** The signalling connection came back: with its session (`recovered`), or as a new one. */
export interface SignallingReconnected {
  readonly recovered: boolean;
}

/** A stats period, as reported to the server. */
export interface StatsReport {
  readonly transportId: string;
  readonly packetLoss: number;
  readonly rttMs: number | undefined;
  readonly jitterMs: number | undefined;
  readonly bytes: number;
  readonly level: QualityLevel;
}

/**
 * What the media parts need from the server, and nothing else: the seam between media and the
 * client. The HCW adapter (`hcw-signalling.ts`) implements it over `/mediasoup` and
 * `/consultation`; unit tests implement it in memory. Calls to a server extension resolve
 * `undefined` where the server does not offer it, and reject when it fails.
 */
export interface MediaSignalling {
  /** This participant, as the server names it. */
  readonly userId: string;
  readonly scheduler: Scheduler;
  /** Whether the signalling is connected now (requests sent now reach the server). */
  readonly connected: boolean;
  /** Connected or not, starting with the current value. */
  readonly connected$: Observable<boolean>;
  /** Fires on every reconnection of the signalling, recovered or not. */
  readonly reconnected$: Observable<SignallingReconnected>;
  readonly newProducer$: Observable<ProducerNotice>;
  readonly producerClosed$: Observable<string>;
  readonly producerPaused$: Observable<{ readonly producerId: string; readonly paused: boolean }>;
  /** The server closed the consultation's media session. */
  readonly sessionClosed$: Observable<void>;
  /** The server's quality warnings (this participant's own, `mine`, or another one's). */
  readonly qualityWarning$: Observable<QualityWarning & { readonly mine: boolean }>;

  has(feature: ServerFeature): boolean;
  routerCapabilities(): Promise<ms.RtpCapabilities>;
  createTransport(direction: 'send' | 'recv'): Promise<ms.TransportOptions>;
  connectTransport(transportId: string, dtlsParameters: ms.DtlsParameters): Promise<void>;
  produce(transportId: string, kind: ms.MediaKind, rtpParameters: ms.RtpParameters, appData: ms.AppData): Promise<string>;
  consume(transportId: string, producerId: string, rtpCapabilities: ms.RtpCapabilities): Promise<ms.ConsumerOptions>;
  closeTransport(transportId: string): Promise<void>;
  /** The producers already there (`undefined` without producer discovery). */
  listProducers(): Promise<readonly ProducerNotice[] | undefined>;
  setProducerPaused(producerId: string, paused: boolean): Promise<void>;
  closeProducer(producerId: string): Promise<void>;
  /** New ICE parameters for a transport (`undefined` where the server cannot restart ICE). */
  restartIce(transportId: string): Promise<ms.IceParameters | undefined>;
  /** Tells the others a source was muted or unmuted. */
  announceEnabled(source: LocalSource, enabled: boolean): Promise<void>;
  reportPermission(source: 'camera' | 'microphone', granted: boolean): void;
  reportAccessError(error: MediaAccessError): void;
  reportStats(report: StatsReport): Promise<void>;
  /** An error nothing awaits, for the app (`errors$`). */
  report(error: HcwError): void;
}
