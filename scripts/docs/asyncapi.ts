/**
 * `docs/asyncapi.json`: an AsyncAPI 3.0 document of the **server** application, built from the contract.
 *
 * - One channel per namespace; its `address` is the namespace (`/consultation`).
 * - One message per event of the namespace (message `name` = the event name; the map key too).
 *   Socket.IO lifecycle names (`connect`, ...) are not events and are left out.
 * - Client→server events are operations the server `receive`s; server→client events are operations
 *   it `send`s; events that go both ways get both.
 * - An acknowledgement is the `reply` of the server's `receive` operation. Its message is in the
 *   channel too (key `<event>.ack`, `x-ack-of: <event>`), since a reply's messages must belong to
 *   its channel.
 * - Payloads are JSON Schema draft-07 (the base of AsyncAPI schema objects) from zod.
 */
import { z } from 'zod';
import {
  namespaces as contractNamespaces,
  role,
  samplePayload,
  type EventSpec,
  type HandshakeKey,
  type NamespaceSpec,
} from '../../src/contract/index.js';
import { toJsonSchema, type JsonSchema } from './schema.js';

export type OperationAction = 'send' | 'receive';

export interface AsyncApiMessage {
  name: string;
  title: string;
  summary?: string;
  description?: string;
  payload: JsonSchema;
  examples: { name: string; payload: unknown }[];
  tags?: { name: string }[];
  'x-direction'?: EventSpec['direction'];
  'x-extension'?: string;
  'x-ack-of'?: string;
}

export interface AsyncApiOperation {
  action: OperationAction;
  channel: { $ref: string };
  messages: { $ref: string }[];
  summary: string;
  reply?: { channel: { $ref: string }; messages: { $ref: string }[] };
  'x-responses'?: string[];
  'x-errors'?: string[];
}

export interface AsyncApiChannel {
  address: string;
  title: string;
  description: string;
  messages: Record<string, AsyncApiMessage>;
  bindings: { ws: { method: 'GET'; query: JsonSchema; bindingVersion: '0.1.0' } };
  /** Rooms joined by an event (the contract's `rooms`): name → join and leave events. */
  'x-rooms'?: Record<string, { join: string; leave?: string }>;
}

export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string };
  defaultContentType: string;
  channels: Record<string, AsyncApiChannel>;
  operations: Record<string, AsyncApiOperation>;
}

export interface AsyncApiOptions {
  /** `info.version`: the package version. */
  version: string;
  specs?: readonly NamespaceSpec[];
  /** `info.title` and `info.description` (default: the HCW@Home server's). */
  info?: { title: string; description: string };
  /** A channel's description (default: a Socket.IO namespace's, with its handshake query and the token in `auth`). */
  describeChannel?: (spec: NamespaceSpec) => string;
}

/** JSON Pointer segment escaping (RFC 6901). */
const pointer = (...segments: string[]) => `#/${segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/** Channel key of a namespace: `/enhanced-consultation` → `enhanced-consultation`, `/ws/app` → `ws-app`, `/` → `root`. */
export const channelKey = (spec: NamespaceSpec) => spec.name.replace(/^\//, '').replace(/[^\w.-]+/g, '-') || 'root';
/** Map key of an acknowledgement message. */
export const ackMessageKey = (event: string) => `${event}.ack`;
/** Operation id of one direction of one event. */
export const operationKey = (spec: NamespaceSpec, event: string, action: OperationAction) => `${channelKey(spec)}.${event}.${action}`;

/** What each handshake query key carries (the query is strings only). */
const HANDSHAKE_VALUES: Record<HandshakeKey, z.core.$ZodType> = {
  consultationId: z.string().describe('Consultation id.'),
  userId: z.string().describe('User id.'),
  role: role.clone().register(z.globalRegistry, { description: 'Role of the user in the consultation.' }),
  userRole: role
    .clone()
    .register(z.globalRegistry, { description: "Role of the user in the consultation (the /chat gateway's name for it)." }),
  joinType: z.string().describe('How the user joins the chat; the SDK sends `consultation`.'),
};

function handshakeQuery(spec: NamespaceSpec): JsonSchema {
  const shape = Object.fromEntries(spec.handshake.map((key) => [key, HANDSHAKE_VALUES[key] ?? z.string()]));
  return toJsonSchema(z.looseObject(shape));
}

function describeEvent(event: EventSpec): string | undefined {
  const parts = [event.extension ? `Extension (not in the upstream table): ${event.extension}` : undefined, event.note].filter(
    (part): part is string => Boolean(part),
  );
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

const DIRECTION_SUMMARY = {
  emit: 'client → server',
  receive: 'server → client',
  'emit/recv': 'both ways',
} as const;

function eventMessage(spec: NamespaceSpec, name: string, event: EventSpec): AsyncApiMessage {
  const description = describeEvent(event);
  return {
    name,
    title: name,
    summary: `${spec.name} ${name} (${DIRECTION_SUMMARY[event.direction]})`,
    ...(description ? { description } : {}),
    payload: toJsonSchema(event.payload),
    examples: [{ name: 'sample', payload: samplePayload(event.payload) }],
    ...(event.extension ? { tags: [{ name: 'extension' }] } : {}),
    'x-direction': event.direction,
    ...(event.extension ? { 'x-extension': event.extension } : {}),
  };
}

function ackMessage(spec: NamespaceSpec, name: string, ack: z.core.$ZodType): AsyncApiMessage {
  return {
    name: `${name} (ack)`,
    title: `${name} acknowledgement`,
    summary: `What the server answers to ${spec.name} ${name}, through the Socket.IO ack callback.`,
    payload: toJsonSchema(ack),
    examples: [{ name: 'sample', payload: samplePayload(ack) }],
    'x-ack-of': name,
  };
}

/** How every document ends its description: what operations, replies and payloads mean. */
export const ASYNCAPI_READING =
  'Client→server events are `receive` operations of the server, server→client events `send` operations. ' +
  'Acknowledgements (Socket.IO ack callbacks) are operation replies. Payloads accept unknown extra fields. ' +
  'Generated by `npm run docs`.';

const HCW_INFO = {
  title: 'HCW@Home realtime server',
  description:
    'The realtime API an HCW@Home server offers over Socket.IO 4 (path /socket.io), one namespace per ' +
    `channel, as the hcw-realtime-sdk contract defines it. ${ASYNCAPI_READING}`,
};

/** A Socket.IO namespace: its handshake query, the token in `auth`. */
function socketIoChannel(spec: NamespaceSpec): string {
  const query = spec.handshake.length > 0 ? `The handshake query carries ${spec.handshake.join(', ')}` : 'No handshake query';
  return `Socket.IO namespace ${spec.name}. ${query}; the bearer token travels in handshake.auth.token.`;
}

/** The AsyncAPI 3.0 document of the server application. */
export function buildAsyncApi({
  version,
  specs = contractNamespaces,
  info = HCW_INFO,
  describeChannel = socketIoChannel,
}: AsyncApiOptions): AsyncApiDocument {
  const channels: Record<string, AsyncApiChannel> = {};
  const operations: Record<string, AsyncApiOperation> = {};

  for (const spec of specs) {
    const key = channelKey(spec);
    const channelRef = { $ref: pointer('channels', key) };
    const messageRef = (messageKey: string) => ({ $ref: pointer('channels', key, 'messages', messageKey) });
    const messages: Record<string, AsyncApiMessage> = {};

    for (const [name, event] of Object.entries(spec.events)) {
      if (event.reserved) continue;
      messages[name] = eventMessage(spec, name, event);

      if (event.direction !== 'receive') {
        const operation: AsyncApiOperation = {
          action: 'receive',
          channel: channelRef,
          messages: [messageRef(name)],
          summary: `The server receives ${name} from a client.`,
        };
        if (event.ack) {
          messages[ackMessageKey(name)] = ackMessage(spec, name, event.ack);
          operation.reply = { channel: channelRef, messages: [messageRef(ackMessageKey(name))] };
        }
        if (event.responses?.length) operation['x-responses'] = [...event.responses];
        if (event.errors?.length) operation['x-errors'] = [...event.errors];
        operations[operationKey(spec, name, 'receive')] = operation;
      }
      if (event.direction !== 'emit') {
        operations[operationKey(spec, name, 'send')] = {
          action: 'send',
          channel: channelRef,
          messages: [messageRef(name)],
          summary: `The server sends ${name} to clients.`,
        };
      }
    }

    const rooms = Object.entries(spec.rooms ?? {});
    channels[key] = {
      address: spec.name,
      title: spec.name,
      description: describeChannel(spec),
      messages,
      bindings: { ws: { method: 'GET', query: handshakeQuery(spec), bindingVersion: '0.1.0' } },
      ...(rooms.length > 0 ? { 'x-rooms': Object.fromEntries(rooms.map(([name, room]) => [name, { ...room }])) } : {}),
    };
  }

  return {
    asyncapi: '3.0.0',
    info: { title: info.title, version, description: info.description },
    defaultContentType: 'application/json',
    channels,
    operations,
  };
}
