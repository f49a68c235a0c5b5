import type { Observable } from 'rxjs';
import { contract } from './contract/index.js';
import type { ConnectionState } from './core/connection-state.js';
import { Connection } from './core/connection.js';
import type { HcwError } from './core/errors.js';
import type { ServerFeatures } from './core/server-features.js';
import { resolveOptions, type HcwClientOptions } from './core/options.js';
import { ChatService } from './namespaces/chat.js';
import { ConsultationService } from './namespaces/consultation.js';
import type { ClientIdentity } from './namespaces/context.js';
import { EnhancedConsultationService } from './namespaces/enhanced.js';
import { MediasoupService } from './namespaces/mediasoup.js';

/** A client of one HCW@Home backend for one user in one consultation. */
export interface HcwClient {
  /** `/consultation` service (opened on first access). */
  readonly consultation: ConsultationService;
  /** `/chat` service (opened on first access). */
  readonly chat: ChatService;
  /** `/mediasoup` signalling service (opened on first access). */
  readonly mediasoup: MediasoupService;
  /** `/enhanced-consultation` service (opened on first access). */
  readonly enhanced: EnhancedConsultationService;
  /** Aggregate connection state over the opened services. */
  readonly state$: Observable<ConnectionState>;
  /** Current aggregate state. */
  readonly state: ConnectionState;
  /** Every SDK error (malformed server payloads, auth failures, exhausted reconnection, ...). */
  readonly errors$: Observable<HcwError>;
  /** Who this client is. */
  readonly identity: ClientIdentity;
  /**
   * What the server announced it adds to the reference HCW@Home backend (`has('producer_discovery')`,
   * `features$`). Empty on a server that announces nothing: the stores then use only what the
   * reference backend does.
   */
  readonly features: ServerFeatures;
  /** The connection all services share (advanced use: Manager, channel list). */
  readonly connection: Connection;
  /** Reconnects after `unauthorized`, `failed` or a server kick; asks the token provider again. */
  reconnect(): void;
  /** Disconnects, keeping queued emits (app in background). */
  pause(): void;
  /** Reconnects after `pause()`. */
  resume(): void;
  /** Closes every service; no timers, listeners or sockets are left. */
  dispose(): void;
}

/**
 * Creates a client. Nothing connects until a service is first used; all services share ONE
 * Engine.IO connection.
 *
 * @example
 * const client = createHcwClient({ url, consultationId, userId, role: 'PATIENT', token: () => fetchToken() });
 * client.chat.on('new_message').subscribe((event) => render(event));
 * await client.chat.sendMessage('Hello doctor');
 */
export function createHcwClient(options: HcwClientOptions): HcwClient {
  const connection = new Connection(resolveOptions(options));
  const identity: ClientIdentity = Object.freeze({
    consultationId: options.consultationId,
    userId: options.userId,
    role: options.role,
  });
  const { scheduler, heartbeat } = connection.options;
  // Each service wraps its namespace's channel, created (and connected) on first access.
  let consultation: ConsultationService | undefined;
  let chat: ChatService | undefined;
  let mediasoup: MediasoupService | undefined;
  let enhanced: EnhancedConsultationService | undefined;
  return {
    get consultation() {
      return (consultation ??= new ConsultationService(connection.channel(contract.consultation), identity));
    },
    get chat() {
      return (chat ??= new ChatService(connection.channel(contract.chat), identity));
    },
    get mediasoup() {
      return (mediasoup ??= new MediasoupService(connection.channel(contract.mediasoup)));
    },
    get enhanced() {
      return (enhanced ??= new EnhancedConsultationService(connection.channel(contract.enhanced), scheduler, heartbeat.latencyPingIntervalMs));
    },
    state$: connection.state$,
    get state() {
      return connection.state;
    },
    errors$: connection.errors$,
    identity,
    features: connection.features,
    connection,
    reconnect: () => connection.reconnect(),
    pause: () => connection.pause(),
    resume: () => connection.resume(),
    dispose: () => connection.dispose(),
  };
}
