import type { AckOf, ClientEvent, In } from '../events.js';
import type { HandlerContext } from '../transport/context.js';

/** A handler's return value meaning "send no ack" (it answered with an event, as a failing reference handler). */
export const NO_ACK: unique symbol = Symbol('no ack');

/** A domain handler: gets the validated payload; its return value is the ack (when the event has one). */
export type Handler<E extends ClientEvent> = (
  ctx: HandlerContext,
  payload: In<E>,
) => AckOf<E> | void | typeof NO_ACK | Promise<AckOf<E> | void | typeof NO_ACK>;

/** Handlers by event name; one table serves every namespace listing the event. */
export type HandlerTable = { [E in ClientEvent]?: Handler<E> };
