import type { z } from 'zod';
import type { chatEvents } from '../src/contract/events/chat.js';
import type { consultationEvents } from '../src/contract/events/consultation.js';
import type { mediaEvents } from '../src/contract/events/media.js';
import type { mediasoupEvents } from '../src/contract/events/mediasoup.js';
import type { participantEvents } from '../src/contract/events/participants.js';
import type { sessionEvents } from '../src/contract/events/session.js';
import type { waitingRoomEvents } from '../src/contract/events/waiting-room.js';

/**
 * Every event of the contract by name. An event name has one spec wherever a namespace lists it
 * (namespaces pick from these shared groups), so the server can be typed by name alone.
 */
type Groups = typeof sessionEvents &
  typeof consultationEvents &
  typeof waitingRoomEvents &
  typeof participantEvents &
  typeof chatEvents &
  typeof mediaEvents &
  typeof mediasoupEvents;

type Name = Extract<keyof Groups, string>;

/** Events the server sends. */
export type ServerEvent = {
  [K in Name]: Groups[K] extends { reserved: true } ? never : Groups[K]['direction'] extends 'emit' ? never : K;
}[Name];

/** Events clients send. */
export type ClientEvent = {
  [K in Name]: Groups[K] extends { reserved: true } ? never : Groups[K]['direction'] extends 'receive' ? never : K;
}[Name];

/** Payload the server sends for `E` (checked at compile time, and at run time by the hub). */
export type Out<E extends ServerEvent> = z.input<Groups[E]['payload']>;

/** Validated payload of client event `E`. */
export type In<E extends ClientEvent> = z.output<Groups[E]['payload']>;

/** Success acknowledgement of `E`, when the contract declares one. */
export type AckOf<E extends ClientEvent> = Groups[E] extends { ack: infer A extends z.ZodType } ? z.input<A> : unknown;
