/**
 * hcw-realtime-sdk: a typed realtime client for HCW@Home.
 * @packageDocumentation
 * @module hcw-realtime-sdk
 */
export * from './contract/index.js';
export { createHcwClient, type HcwClient } from './client.js';
export {
  createRealtimeClient,
  type ContractSpec,
  type NamespaceChannel,
  type RealtimeClient,
  type RealtimeClientOptions,
  type ServiceFactories,
  type ServiceFactory,
  type ServicesOf,
} from './realtime-client.js';
export type { RequestOptions } from './core/channel.js';
export type { Connection } from './core/connection.js';
export type { RealtimeConnection, Transport } from './core/transport.js';
export type { TransportError, TransportSocket } from './core/transport-socket.js';
export {
  aggregateState,
  canTransition,
  type ConnectionState,
  isSettledState,
  type ConnectionStatus,
  type DisconnectReason,
  type NamespaceState,
} from './core/connection-state.js';
export { ServerFeatures } from './core/server-features.js';
export { exponentialBackoff, type BackoffOptions, type ReconnectContext, type ReconnectPolicy } from './core/reconnect-policy.js';
export { systemScheduler, type Scheduler, type TimerHandle } from './core/scheduler.js';
export { HcwError, isHcwError, type HcwErrorDetails, type HcwErrorReason } from './core/errors.js';
export type {
  ConnectionOptions,
  HcwClientOptions,
  HeartbeatOptions,
  Logger,
  ReconnectionOptions,
  ResolvedOptions,
  TokenProvider,
} from './core/options.js';
export { ChatService, toChatMessage, type SendMessageOptions } from './namespaces/chat.js';
export { ConsultationService } from './namespaces/consultation.js';
export { EnhancedConsultationService } from './namespaces/enhanced.js';
export { MediasoupService } from './namespaces/mediasoup.js';
export { NamespaceService } from './namespaces/service.js';
export type { ClientIdentity } from './namespaces/context.js';
