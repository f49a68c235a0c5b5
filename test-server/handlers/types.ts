import type { AckOf, ClientEvent, In } from '../events.js';
import type { HandlerContext } from '../transport/context.js';

/** A domain handler: gets the validated payload; its return value is the ack (when the event has one). */
export type Handler<E extends ClientEvent> = (
  ctx: HandlerContext,
  payload: In<E>,
) => AckOf<E> | void | Promise<AckOf<E> | void>;

/** Handlers by event name; one table serves every namespace listing the event. */
export type HandlerTable = { [E in ClientEvent]?: Handler<E> };
