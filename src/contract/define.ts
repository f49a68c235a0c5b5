import type { ZodMiniType } from 'zod/mini';
import type * as core from 'zod/v4/core';

/**
 * A zod 4 schema, as events declare them: the contract's are `zod/mini` schemas; `zod` (classic)
 * schemas fit too (they have the same methods and more).
 */
type Schema = ZodMiniType;

/**
 * Who sends an event, in the upstream table's words: `emit` = client → server, `receive` =
 * server → client, `emit/recv` = both ways.
 */
export type Direction = 'emit' | 'receive' | 'emit/recv';

/** How a client→server event is answered, when it is. */
export interface EventOptions<
  Ack extends Schema | undefined = undefined,
  R extends readonly string[] = readonly string[],
  Err extends readonly string[] = readonly string[],
> {
  /** Schema of the Socket.IO acknowledgement the server sends back (the reference backend answers by ack). */
  ack?: Ack;
  /** Server→client events that answer this one (request/response by event). */
  responses?: R;
  /** Server→client events that report this request's failure. */
  errors?: Err;
  /**
   * Set when the event is not in the upstream table: a documented addition (why it exists).
   * The SDK may use it when the server offers it, but must not depend on it to connect or chat.
   * Documentation: in the sources and docs/, left out of the published bundles (as is `note`).
   */
  extension?: string;
  /** Socket.IO lifecycle names listed by the table (`connect`, `disconnect`, ...): never emitted as events. */
  reserved?: boolean;
  /** A short note on a decision taken where the upstream table contradicts itself. */
  note?: string;
  /**
   * Server→client events only: the part of the payload the SDK and its stores cannot do without.
   * A received payload that breaks the contract only outside this part is still delivered, with the
   * breaks reported as drift (see `checkIncoming`); one that breaks it here is refused.
   *
   * Either dotted paths into the payload schema, or a zod schema of that part (for an either/or):
   * - `'status'`: the field `status`, with its whole schema (an optional field may be absent, but
   *   not wrong).
   * - `'message.id'`: `message` must be there (an object), and its `id` valid.
   * - `'participants[]'`: an array whose elements have at least the element's type (objects);
   *   `'messages[].id'`: each element's `id`.
   *
   * Left out: the payload must have its top-level type (an object, for object payloads); everything
   * else is drift. Refinements of the whole payload are not part of it unless given as a schema.
   * It only decides for payloads the contract refuses: one the payload schema accepts is accepted.
   */
  requires?: readonly string[] | Schema;
}

/** One event of one namespace: direction, payload schema and, optionally, how it is answered. */
export interface EventSpec<
  D extends Direction = Direction,
  P extends Schema = Schema,
  Ack extends Schema | undefined = Schema | undefined,
  R extends readonly string[] = readonly string[],
  Err extends readonly string[] = readonly string[],
> extends EventOptions<Ack, R, Err> {
  readonly direction: D;
  readonly payload: P;
}

export type EventMap = Record<string, EventSpec>;

/** A namespace: its path, the handshake query keys the reference backend reads, and its events. */
/**
 * A server room of a namespace that clients join by an event (`join_queue_room { clinic_id }`,
 * `conversations:join` with an ack). The SDK joins on the first subscriber, leaves on the last,
 * and joins again after every reconnection the server did not recover (rooms are lost with the
 * server's session).
 */
export interface RoomSpec {
  /** Client event that joins; its payload says which room (its ack or response, when declared, confirms). */
  readonly join: string;
  /** Client event that leaves, sent with the same payload (none: rooms end with the connection). */
  readonly leave?: string;
}

export type RoomMap = Readonly<Record<string, RoomSpec>>;

export interface NamespaceSpec<N extends string = string, E extends EventMap = EventMap, R extends RoomMap = RoomMap> {
  readonly name: N;
  /** Query keys this namespace's gateway reads from the handshake (sent as the union over one connection). */
  readonly handshake: readonly HandshakeKey[];
  /** Rooms joined by an event (see {@link RoomSpec}). */
  readonly rooms?: R;
  /**
   * The client works without it: servers may not have it (the reference backend has no
   * `/enhanced-consultation`). When the server refuses it, it is `unavailable`, not a failure.
   */
  readonly optional?: boolean;
  readonly events: E;
}

/** A handshake query key a namespace's gateway reads (the client gives its value). */
export type HandshakeKey = string;

function spec<
  D extends Direction,
  P extends Schema,
  Ack extends Schema | undefined,
  R extends readonly string[],
  Err extends readonly string[],
>(direction: D, payload: P, options: EventOptions<Ack, R, Err> = {}): EventSpec<D, P, Ack, R, Err> {
  return { direction, payload, ...options };
}

/** Client → server event. */
export const emit = <
  P extends Schema,
  Ack extends Schema | undefined = undefined,
  const R extends readonly string[] = readonly [],
  const Err extends readonly string[] = readonly [],
>(
  payload: P,
  options?: EventOptions<Ack, R, Err>,
) => spec('emit', payload, options);

/** Server → client event. */
export const receive = <P extends Schema>(payload: P, options?: Omit<EventOptions, 'ack'>) => spec('receive', payload, options);

/** Event sent both ways under one name (heartbeat, typing). */
export const both = <P extends Schema>(payload: P, options?: Omit<EventOptions, 'ack'>) => spec('emit/recv', payload, options);

/** A Socket.IO lifecycle name the table lists (`connect`, ...): documented, never sent as an event. */
export const lifecycle = <P extends Schema>(payload: P) =>
  ({ ...spec('receive', payload), reserved: true }) as EventSpec<'receive', P, undefined, readonly [], readonly []> & {
    reserved: true;
  };

/**
 * Declares a namespace, checking it at once: a bad contract fails where it is written, with a
 * message naming the namespace and the event, not later on the wire. Keeps literal types.
 */
export const defineNamespace = <const N extends string, const E extends EventMap, const R extends RoomMap = Record<never, never>>(
  namespace: NamespaceSpec<N, E, R>,
): NamespaceSpec<N, E, R> => {
  const problems = namespaceProblems(namespace);
  if (problems.length > 0) throw new Error(`defineNamespace ${String(namespace.name)}: ${problems.join('; ')}`);
  return namespace;
};

const DIRECTIONS: readonly Direction[] = ['emit', 'receive', 'emit/recv'];

function namespaceProblems(namespace: NamespaceSpec): string[] {
  const problems: string[] = [];
  if (typeof namespace.name !== 'string' || !namespace.name.startsWith('/')) problems.push('the name must be a path starting with "/"');
  const keys = namespace.handshake ?? [];
  for (const [i, key] of keys.entries()) {
    if (typeof key !== 'string' || key === '') problems.push(`handshake key #${i + 1} is empty`);
    else if (keys.indexOf(key) !== i) problems.push(`handshake key "${key}" is listed twice`);
  }
  const events = namespace.events ?? {};
  const sentBy = (name: string, side: 'client' | 'server') => {
    const entry = Object.hasOwn(events, name) ? events[name] : undefined;
    if (!entry || entry.reserved) return false;
    return side === 'client' ? entry.direction !== 'receive' : entry.direction !== 'emit';
  };
  for (const [name, entry] of Object.entries(events)) {
    if (!DIRECTIONS.includes(entry?.direction))
      problems.push(`${name}: unknown direction "${String(entry?.direction)}" (emit, receive or emit/recv)`);
    if (typeof (entry?.payload as { _zod?: unknown } | undefined)?._zod !== 'object')
      problems.push(`${name}: the payload is not a zod schema`);
  }
  for (const [name, room] of Object.entries(namespace.rooms ?? {})) {
    if (!sentBy(room.join, 'client')) problems.push(`room ${name}: its join event "${room.join}" is not a client event of this namespace`);
    if (room.leave !== undefined && !sentBy(room.leave, 'client'))
      problems.push(`room ${name}: its leave event "${room.leave}" is not a client event of this namespace`);
  }
  return problems;
}

/**
 * Merges event groups into one namespace's events; an event name given twice fails (object
 * spreads would silently keep the last one).
 */
export function events<const G extends readonly EventMap[]>(...groups: G): MergedEvents<G> {
  const merged: EventMap = {};
  for (const group of groups) {
    for (const [name, entry] of Object.entries(group)) {
      if (Object.hasOwn(merged, name)) throw new Error(`events: "${name}" is declared twice`);
      merged[name] = entry;
    }
  }
  return merged as MergedEvents<G>;
}

type MergedEvents<G extends readonly EventMap[]> = G extends readonly [
  infer First extends EventMap,
  ...infer Rest extends readonly EventMap[],
]
  ? First & MergedEvents<Rest>
  : Record<never, never>;

/** Picks named entries of a shared event group, so one definition serves several namespaces. */
export function pick<E extends EventMap, const K extends keyof E>(group: E, ...names: K[]): Pick<E, K> {
  const picked = {} as Pick<E, K>;
  for (const name of names) {
    if (!(name in group)) throw new Error(`pick: no event "${String(name)}" in this group`);
    picked[name] = group[name];
  }
  return picked;
}

// ---- Type-level views derived from a namespace spec -------------------------------------------

export type EventsOf<NS extends NamespaceSpec> = NS['events'];

/** Names of the events of `NS` sent in direction `D`, lifecycle names excluded. */
export type EventNamesSentAs<NS extends NamespaceSpec, D extends Direction> = {
  [K in keyof EventsOf<NS>]: EventsOf<NS>[K] extends { reserved: true } ? never : EventsOf<NS>[K]['direction'] extends D ? K : never;
}[keyof EventsOf<NS>] &
  string;

/** Event names the client may send (`emit` and `emit/recv`), lifecycle names excluded. */
export type ClientEventName<NS extends NamespaceSpec> = EventNamesSentAs<NS, 'emit' | 'emit/recv'>;

/** Event names the server may send (`receive` and `emit/recv`), lifecycle names excluded. */
export type ServerEventName<NS extends NamespaceSpec> = EventNamesSentAs<NS, 'receive' | 'emit/recv'>;

/** Client events answered by a Socket.IO ack. */
export type AckEventName<NS extends NamespaceSpec> = {
  [K in ClientEventName<NS>]: HasAck<EventsOf<NS>[K]> extends true ? K : never;
}[ClientEventName<NS>];

export type HasAck<S extends EventSpec> = [NonNullable<S['ack']>] extends [never] ? false : true;

/** What the app passes when sending `E` (schema input: defaults may be omitted). */
export type OutgoingPayload<NS extends NamespaceSpec, E extends keyof EventsOf<NS>> = core.input<EventsOf<NS>[E]['payload']>;

/** What the app receives for `E`, after validation. */
export type IncomingPayload<NS extends NamespaceSpec, E extends keyof EventsOf<NS>> = core.output<EventsOf<NS>[E]['payload']>;

/** Client events that can be awaited with `request()`: answered by ack or by response events. */
export type RequestEventName<NS extends NamespaceSpec> = {
  [K in ClientEventName<NS>]: HasAck<EventsOf<NS>[K]> extends true
    ? K
    : NonNullable<EventsOf<NS>[K]['responses']> extends readonly [string, ...string[]]
      ? K
      : never;
}[ClientEventName<NS>];

/** Server events that answer `E` in this namespace. */
export type ResponseEventName<NS extends NamespaceSpec, E extends keyof EventsOf<NS>> = Extract<
  NonNullable<EventsOf<NS>[E]['responses']>[number],
  ServerEventName<NS>
>;

/** What `request(E)` resolves with: the ack, or the payload of the response event. */
export type RequestResult<NS extends NamespaceSpec, E extends keyof EventsOf<NS>> =
  HasAck<EventsOf<NS>[E]> extends true ? core.output<NonNullable<EventsOf<NS>[E]['ack']>> : IncomingPayload<NS, ResponseEventName<NS, E>>;

/** The validated ack of `E`. */
export type AckPayload<NS extends NamespaceSpec, E extends keyof EventsOf<NS>> =
  HasAck<EventsOf<NS>[E]> extends true ? core.output<NonNullable<EventsOf<NS>[E]['ack']>> : never;

/** Marks an event of a shared group as an addition to the upstream table in one namespace. */
export const asExtension = <S extends EventSpec>(event: S, why: string): S => ({ ...event, extension: why });
