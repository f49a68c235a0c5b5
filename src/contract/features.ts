import * as z from 'zod/mini';

/**
 * What a server can add to the reference HCW@Home backend (`shared`'s reference-backend note): the
 * SDK uses a feature only once the server announced it (`server_features`, the first event of a
 * namespace connection); with no announcement it assumes the baseline, which has none of them.
 */
export const SERVER_FEATURES = [
  /** `/consultation` `enter_waiting_room`, `waiting_room_heartbeat`, `position-update`: waiting sessions with positions. */
  'waiting_room_sessions',
  /** `/consultation` `request_participants` → `participants_list` (the baseline has it on `/chat` only). */
  'consultation_participants',
  /** Practitioners hear about patients already waiting when they connect (the baseline tells them nothing). */
  'waiting_list_on_connect',
  /** `/mediasoup` `getProducers`, `newProducer`, `producerClosed`: remote producers are announced and listed. */
  'producer_discovery',
  /** `/mediasoup` `pauseProducer`, `resumeProducer`, `closeProducer`, `restartIce`, `producerPaused`: producer control and ICE restart. */
  'media_controls',
  /** `send_message` retried with a known `clientUuid` is answered with the stored message, not `message_error`. */
  'idempotent_send',
  /** `message_history` echoes the `limit`/`offset` asked for, so an answer can be told from the history pushed on connect. */
  'history_echo',
] as const;

/** A feature a server may announce (see {@link SERVER_FEATURES}). */
export type ServerFeature = (typeof SERVER_FEATURES)[number];

/** The `server_features` payload: what this server adds; unknown names are kept (newer servers). */
export const serverFeatures = z.looseObject({ features: z.array(z.string()) });
