import {
  contract,
  handshakeValues,
  type ChatNamespace,
  type ConsultationNamespace,
  type EnhancedConsultationNamespace,
  type Contract,
  type MediasoupNamespace,
} from './contract/index.js';
import type { Connection } from './core/connection.js';
import type { HcwClientOptions, ResolvedOptions } from './core/options.js';
import { ChatService } from './namespaces/chat.js';
import { ConsultationService } from './namespaces/consultation.js';
import type { ClientIdentity } from './namespaces/context.js';
import { EnhancedConsultationService } from './namespaces/enhanced.js';
import { MediasoupService } from './namespaces/mediasoup.js';
import { createRealtimeClient, type NamespaceChannel, type RealtimeClient } from './realtime-client.js';

/**
 * A client of one HCW@Home backend for one user in one consultation: the generic
 * {@link RealtimeClient} of the HCW contract, with its four services at the top level.
 */
export interface HcwClient extends Omit<RealtimeClient<Contract>, 'services' | 'contract' | 'connection'> {
  /** @internal The Socket.IO connection all services share (tests, benchmarks). */
  readonly connection: Connection;
  /** `/consultation` service (opened on first access). */
  readonly consultation: ConsultationService;
  /** `/chat` service (opened on first access). */
  readonly chat: ChatService;
  /** `/mediasoup` signalling service (opened on first access). */
  readonly mediasoup: MediasoupService;
  /** `/enhanced-consultation` service (opened on first access; `unavailable` on servers without it). */
  readonly enhanced: EnhancedConsultationService;
  /** Who this client is. */
  readonly identity: ClientIdentity;
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
  const identity: ClientIdentity = Object.freeze({
    consultationId: options.consultationId,
    userId: options.userId,
    role: options.role,
  });
  const handshake = handshakeValues(options);
  const base = createRealtimeClient(
    contract,
    { ...options, handshake },
    {
      consultation: (channel: NamespaceChannel<ConsultationNamespace>) => new ConsultationService(channel, identity),
      chat: (channel: NamespaceChannel<ChatNamespace>) => new ChatService(channel, identity),
      mediasoup: (channel: NamespaceChannel<MediasoupNamespace>) => new MediasoupService(channel),
      enhanced: (channel: NamespaceChannel<EnhancedConsultationNamespace>, resolved: ResolvedOptions) =>
        new EnhancedConsultationService(channel, resolved.scheduler, resolved.heartbeat.latencyPingIntervalMs),
    },
  );
  const { services } = base;
  return {
    get consultation() {
      return services.consultation;
    },
    get chat() {
      return services.chat;
    },
    get mediasoup() {
      return services.mediasoup;
    },
    get enhanced() {
      return services.enhanced;
    },
    state$: base.state$,
    get state() {
      return base.state;
    },
    errors$: base.errors$,
    identity,
    features: base.features,
    connection: base.connection as Connection,
    reconnect: () => base.reconnect(),
    pause: () => base.pause(),
    resume: () => base.resume(),
    dispose: () => base.dispose(),
  };
}
