/**
 * `docs/events.md`: one table per namespace, rendered from the contract.
 */
import { namespaces as contractNamespaces, type EventSpec, type NamespaceSpec } from '../../src/contract/index.js';
import { describeFields, describeType, toJsonSchema } from './schema.js';

const DIRECTION_LABEL = {
  emit: 'emit (client → server)',
  receive: 'receive (server → client)',
  'emit/recv': 'emit/recv (both ways)',
} as const;

/** Markdown table cells: no raw pipes, no line breaks. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (text: string) => `\`${text}\``;

function fieldsCell(schema: EventSpec['payload'] | undefined): string {
  if (!schema) return '';
  const json = toJsonSchema(schema);
  const fields = describeFields(json);
  if (!fields) return code(describeType(json));
  return fields.map((field) => code(`${field.name}${field.required ? '' : '?'}: ${field.type}`)).join('<br>');
}

function answersCell(spec: EventSpec): string {
  const parts = [...(spec.responses ?? []).map((name) => `→ ${code(name)}`), ...(spec.errors ?? []).map((name) => `✗ ${code(name)}`)];
  return parts.join('<br>');
}

/** What the SDK cannot do without in a received payload (the rest is drift): `requires`. */
function requiresText(spec: EventSpec): string | undefined {
  const { requires } = spec;
  if (requires === undefined || spec.direction === 'emit') return undefined;
  if (Array.isArray(requires)) return requires.length > 0 ? requires.map(code).join(', ') : undefined;
  return code(describeType(toJsonSchema(requires as EventSpec['payload'])));
}

function notesCell(spec: EventSpec): string {
  const parts: string[] = [];
  if (spec.reserved) parts.push('Socket.IO lifecycle name: surfaced as connection state, never sent as an event.');
  if (spec.extension) parts.push(`**Extension.** ${spec.extension}`);
  const requires = requiresText(spec);
  if (requires) parts.push(`**Requires:** ${requires}.`);
  if (spec.note) parts.push(spec.note);
  return parts.join('<br>');
}

function directionCell(spec: EventSpec): string {
  return spec.reserved ? 'lifecycle' : DIRECTION_LABEL[spec.direction];
}

interface Counts {
  events: number;
  emit: number;
  receive: number;
  both: number;
  ack: number;
  extensions: number;
  lifecycle: number;
}

function countEvents(spec: NamespaceSpec): Counts {
  const events = Object.values(spec.events);
  const live = events.filter((event) => !event.reserved);
  return {
    events: events.length,
    emit: live.filter((event) => event.direction === 'emit').length,
    receive: live.filter((event) => event.direction === 'receive').length,
    both: live.filter((event) => event.direction === 'emit/recv').length,
    ack: live.filter((event) => event.ack).length,
    extensions: events.filter((event) => event.extension).length,
    lifecycle: events.length - live.length,
  };
}

const anchor = (name: string) =>
  name
    .replace(/^\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '');

/** The namespace's rooms joined by an event, when it has some. */
function roomsLines(spec: NamespaceSpec): string[] {
  const rooms = Object.entries(spec.rooms ?? {});
  if (rooms.length === 0) return [];
  const described = rooms.map(
    ([name, room]) =>
      `${code(name)} (joined by ${code(room.join)}${room.leave ? `, left by ${code(room.leave)}` : ', left with the connection'})`,
  );
  return [`Rooms: ${described.join('; ')}.`, ''];
}

/** A Socket.IO namespace's handshake: its query keys, the token in `auth`. */
const socketIoHandshake = (spec: NamespaceSpec) =>
  spec.handshake.length > 0
    ? `Handshake query keys read by this namespace: ${spec.handshake.map(code).join(', ')}.`
    : 'No handshake query keys: the token travels in `handshake.auth.token`.';

function namespaceSection(spec: NamespaceSpec, handshake: (spec: NamespaceSpec) => string): string[] {
  const lines = [
    `## ${code(spec.name)}`,
    '',
    handshake(spec),
    '',
    ...roomsLines(spec),
    '| Event | Direction | Payload | Ack | Answered by | Notes |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, event] of Object.entries(spec.events)) {
    const row = [
      code(name),
      directionCell(event),
      fieldsCell(event.payload),
      fieldsCell(event.ack),
      answersCell(event),
      notesCell(event),
    ].map(cell);
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('');
  return lines;
}

/** The text around the tables of a contract other than HCW's (the shipped contracts). */
export interface EventsDocument {
  /** The heading, e.g. `/ws/app realtime events`. */
  title: string;
  /** Where the contract is defined (generated-from comment), e.g. `src/contracts/ws-app.ts`. */
  source: string;
  /** Paragraph lines under the heading: what the contract is, where it comes from. */
  intro: readonly string[];
  /** The line under a namespace's heading on what its handshake carries (default: a Socket.IO namespace's). */
  handshake?: (spec: NamespaceSpec) => string;
}

/** The legend: HCW's speaks of the upstream table and the reference backend, the others of their contract. */
function legend(hcw: boolean): string[] {
  return [
    '- **Direction**: `emit` = client → server, `receive` = server → client, `emit/recv` = both ways',
    hcw
      ? "  (the upstream table's words); `lifecycle` = a Socket.IO name the table lists, never sent as an event."
      : '  (declared with `emit`, `receive` and `both`).',
    '- **Payload**: the top-level fields, `name?` when optional, with the type a sender may put on the wire.',
    '  Object payloads accept unknown extra fields (servers evolve); a wrong type in a known field is rejected.',
    hcw
      ? '- **Ack**: the Socket.IO acknowledgement the server answers with (the reference backend answers by ack).'
      : '- **Ack**: the Socket.IO acknowledgement the server answers with; a failure ack is a `server_error`.',
    '- **Answered by**: server events that answer the request (→) or report its failure (✗).',
    ...(hcw ? ['- **Extension**: not in the upstream table; the SDK uses it when a server offers it, never depends on it.'] : []),
    '- **Requires**: what the SDK cannot do without in a received payload. A payload that breaks the contract',
    '  only elsewhere is delivered without the broken fields, which are reported as drift (`checkIncoming`);',
    "  with no **Requires**, only the payload's type (an object) is. Optional fields of received payloads accept `null`.",
    ...(hcw
      ? []
      : [
          '- **Rooms**: server rooms joined by an event. `service.room(name, params)` joins on the first subscriber,',
          '  leaves on the last and joins again after every reconnection the server did not recover.',
        ]),
  ];
}

const HCW_INTRO = [
  'Every event of the four Socket.IO namespaces, as the contract in `src/contract` defines it. One',
  'Socket.IO connection (path `/socket.io`) carries all namespaces; the bearer token travels in',
  '`handshake.auth.token`, never in the query.',
];

/** The whole of `docs/events.md` (the HCW contract), or of a shipped contract's `events.md` with its `document`. */
export function renderEventsMarkdown(specs: readonly NamespaceSpec[] = contractNamespaces, document?: EventsDocument): string {
  const lines = [
    `# ${document?.title ?? 'HCW@Home realtime events'}`,
    '',
    `<!-- Generated from ${document?.source ?? 'src/contract'} by \`npm run docs\`. Do not edit by hand: change the contract and regenerate. -->`,
    '',
    ...(document?.intro ?? HCW_INTRO),
    '',
    ...legend(!document),
    '',
    '| Namespace | Events | Client → server | Server → client | Both ways | With ack | Extensions | Lifecycle |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const spec of specs) {
    const c = countEvents(spec);
    const name = anchor(spec.name) ? `[${code(spec.name)}](#${anchor(spec.name)})` : code(spec.name);
    lines.push(`| ${name} | ${c.events} | ${c.emit} | ${c.receive} | ${c.both} | ${c.ack} | ${c.extensions} | ${c.lifecycle} |`);
  }
  lines.push('');
  for (const spec of specs) lines.push(...namespaceSection(spec, document?.handshake ?? socketIoHandshake));
  return lines.join('\n');
}
