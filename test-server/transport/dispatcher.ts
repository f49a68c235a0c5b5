import type { Socket } from 'socket.io';
import { checkPayload, clientEventNames, eventSpec, payloadFields, type NamespaceSpec } from '../../src/contract/index.js';
import type { App } from '../app.js';
import { DomainError, nowIso } from '../domain/errors.js';
import { NO_ACK, type HandlerTable } from '../handlers/types.js';
import { errorEventPayload, STRICT_ID_FIELDS } from '../profile.js';
import { createContext, type HandlerContext } from './context.js';

type Failure = { message: string; reason: string; crash: boolean };

/**
 * One generic listener per client event of the namespace, derived from the contract: validate the
 * payload, run the domain handler, answer by ack when the client asked for one, and report any
 * failure the same way everywhere (ack `{ error, code }`, the event's declared error event, `error`,
 * or `exception` for a crash). Invalid input never reaches a handler, so it changes no state.
 * Events the profile has no handler for get no listener: like NestJS, no answer at all.
 */
export function registerEventHandlers(app: App, spec: NamespaceSpec, socket: Socket, handlers: HandlerTable): void {
  for (const event of clientEventNames(spec)) {
    if (!app.profile.handles(spec.name, event)) continue;
    socket.on(event, (...args: unknown[]) => {
      void dispatch(app, spec, socket, handlers, event, args);
    });
  }
}

async function dispatch(app: App, spec: NamespaceSpec, socket: Socket, handlers: HandlerTable, event: string, args: unknown[]) {
  const callback = typeof args.at(-1) === 'function' ? (args.pop() as (value: unknown) => void) : undefined;
  const payload = args[0];
  const ctx = createContext(app, spec, socket, event);
  const check = checkPayload(spec, event, payload);
  if (!check.ok) return fail(ctx, payload, callback, { message: check.message, reason: 'invalid_payload', crash: false });
  const strict = app.profile.numericIds ? strictIdProblem(ctx, check.value) : undefined;
  if (strict) return fail(ctx, payload, callback, { message: strict, reason: 'bad_request', crash: false });
  const handler = handlers[event as keyof HandlerTable] as ((c: HandlerContext, p: unknown) => unknown) | undefined;
  if (!handler)
    return fail(ctx, payload, callback, { message: `${spec.name} ${event}: not implemented`, reason: 'not_implemented', crash: false });
  try {
    const result = await handler(ctx, check.value);
    if (!callback || result === NO_ACK) return;
    if (eventSpec(spec, event)?.ack) app.hub.ack(spec.name, event, callback, result);
    else app.hub.ackAny(callback, result ?? { success: true });
  } catch (error) {
    if (error instanceof DomainError) {
      return fail(ctx, payload, callback, { message: error.message, reason: error.code, crash: false });
    }
    app.options.logger.error(`${spec.name} ${event} handler failed`, error);
    const message = error instanceof Error ? error.message : String(error);
    return fail(ctx, payload, callback, { message, reason: 'internal_error', crash: true });
  }
}

/**
 * Numeric ids (reference profile): the reference compares payload ids with `!==` against the numbers
 * it parsed from the handshake, and /mediasoup requires `typeof consultationId === 'number'`.
 */
function strictIdProblem(ctx: HandlerContext, value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const payload = value as Record<string, unknown>;
  for (const field of STRICT_ID_FIELDS) {
    const id = payload[field];
    if (id !== undefined && typeof id !== 'number') return `Invalid ${field}: expected a number, received ${JSON.stringify(id)}`;
  }
  const bound = ctx.ns === '/consultation' || ctx.ns === '/chat';
  if (bound && payload.consultationId !== undefined && payload.consultationId !== Number(ctx.user.consultationId)) {
    return `Consultation ID mismatch: this connection is for consultation ${ctx.user.consultationId}`;
  }
  return undefined;
}

/**
 * Answers a failure as the profile's server would. `ack` (full profile): an ack `{ error, code }`
 * when the client asked for one (/mediasoup adds `error { event, message }`). `events` (the
 * reference backend): never an ack; /mediasoup sends `error { event, message }` and
 * `exception { status: 'error', message }`. Otherwise, in both: a crash is an `exception`
 * (NestJS), a refusal the event's own error event or `error { message }`.
 */
function fail(ctx: HandlerContext, incoming: unknown, callback: ((value: unknown) => void) | undefined, failure: Failure): void {
  const { app, spec, event } = ctx;
  app.options.logger.warn(`${spec.name} ${event} refused: ${failure.message}`);
  const errorEvent = () => errorEventPayload(app.profile, spec.name, { event, message: failure.message, code: failure.reason });
  const byEvents = app.profile.failures === 'events';
  if (byEvents && ctx.ns === '/mediasoup') {
    ctx.reply('error', errorEvent());
    ctx.reply('exception', { status: 'error', message: failure.message });
    return;
  }
  if (!byEvents && callback) {
    app.hub.ackError(callback, failure.message, failure.reason);
    if (spec.name === '/mediasoup') ctx.reply('error', errorEvent());
    return;
  }
  if (failure.crash && ctx.has('exception')) {
    ctx.reply('exception', { status: 'error', message: failure.message });
    return;
  }
  if (sendErrorEvent(ctx, incoming, failure)) return;
  ctx.reply('error', errorEvent());
}

/** The event's own error event (`message_error`, ...), when it declares one other than `error`. */
function sendErrorEvent(ctx: HandlerContext, incoming: unknown, failure: Failure): boolean {
  const { app, spec, event } = ctx;
  const errorEvent = eventSpec(spec, event)?.errors?.[0];
  if (!errorEvent || errorEvent === 'error' || !ctx.has(errorEvent)) return false;
  const payload = errorPayload(spec, errorEvent, incoming, failure);
  if (!checkPayload(spec, errorEvent, payload).ok) return false;
  app.hub.deliver(() => ctx.socket.emit(errorEvent, payload));
  return true;
}

/** Fills an error event's fields: the failure itself, then what the request carried (ids). */
function errorPayload(spec: NamespaceSpec, errorEvent: string, incoming: unknown, failure: Failure): Record<string, unknown> {
  const known: Record<string, unknown> = {
    error: failure.message,
    message: failure.message,
    reason: failure.reason,
    success: false,
    timestamp: nowIso(),
  };
  const request = incoming !== null && typeof incoming === 'object' ? (incoming as Record<string, unknown>) : {};
  const payload: Record<string, unknown> = {};
  for (const field of payloadFields(eventSpec(spec, errorEvent)!.payload)) {
    if (field.name in known) payload[field.name] = known[field.name];
    else if (request[field.name] !== undefined) payload[field.name] = request[field.name];
  }
  return payload;
}
