/**
 * Generated docs: the committed files are what the contract generates today, the AsyncAPI document
 * describes the server as the contract says and is valid AsyncAPI 3.0.0, and `--check` works.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import * as prettier from 'prettier';
import { afterAll, describe, expect, test } from 'vitest';
import type { NamespaceSpec } from '../../src/contract/index.js';
import {
  ackMessageKey,
  channelKey,
  CONTRACT_DOCS,
  operationKey,
  renderDocs,
  SHIPPED_CONTRACTS,
  toJsonSchema,
  type AsyncApiDocument,
} from '../../scripts/docs/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const committed = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');
const rendered = renderDocs();
const asyncApiOf = (path: string) => JSON.parse(committed(path)) as AsyncApiDocument;
const liveEvents = (spec: NamespaceSpec) => Object.entries(spec.events).filter(([, event]) => !event.reserved);

describe('docs freshness', () => {
  test('the generator covers docs/events.md and docs/asyncapi.json, and both for every shipped contract', () => {
    expect([...rendered.keys()]).toEqual([
      'docs/events.md',
      'docs/asyncapi.json',
      ...SHIPPED_CONTRACTS.flatMap(({ name }) => [`docs/contracts/${name}/events.md`, `docs/contracts/${name}/asyncapi.json`]),
    ]);
    expect(SHIPPED_CONTRACTS.map(({ name }) => name)).toEqual(['ws-app', 'clinic-queue', 'root-prefixed', 'plain-ws']);
  });

  test.each([...rendered.keys()])('%s is what `npm run docs` generates from the contract today', (path) => {
    const current = committed(path).split('\n');
    const expected = rendered.get(path)!.split('\n');
    // A short, actionable failure instead of a diff of a 900 KB string.
    const line = expected.findIndex((text, i) => text !== current[i]);
    const stale = line >= 0 || current.length !== expected.length;
    expect(stale, `${path} is stale from line ${line + 1 || expected.length}: run \`npm run docs\` and commit it`).toBe(false);
  });

  test.each(SHIPPED_CONTRACTS)(
    'docs/contracts/$name/asyncapi.json is laid out as Prettier prints it (`npm run lint` checks it)',
    async ({ name }) => {
      const path = resolve(ROOT, `docs/contracts/${name}/asyncapi.json`);
      const options = await prettier.resolveConfig(path);
      expect(await prettier.check(rendered.get(`docs/contracts/${name}/asyncapi.json`)!, { ...options, filepath: path })).toBe(true);
    },
  );

  describe('`npm run docs -- --check`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hcw-docs-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/generate-docs.ts', ...args], { cwd: ROOT }).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );

    test('passes on fresh docs, fails naming the stale file, writes nothing', async () => {
      cpSync(resolve(ROOT, 'docs'), join(dir, 'docs'), { recursive: true });
      for (const [path, content] of rendered) writeFileSync(join(dir, path), content);
      const fresh = await run('--check', '--dir', dir);
      expect(fresh.code).toBe(0);
      expect(fresh.stdout).toContain('up to date  docs/asyncapi.json');

      writeFileSync(join(dir, 'docs/events.md'), `${rendered.get('docs/events.md')}\n| \`hand_edit\` | emit |\n`);
      const stale = await run('--check', '--dir', dir);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toMatch(/stale\s+docs\/events\.md/);
      expect(stale.stderr).not.toContain('docs/asyncapi.json');
      expect(readFileSync(join(dir, 'docs/events.md'), 'utf8')).toContain('hand_edit'); // --check wrote nothing

      const written = await run('--dir', dir);
      expect(written.code).toBe(0);
      expect(readFileSync(join(dir, 'docs/events.md'), 'utf8')).toBe(rendered.get('docs/events.md'));
    }, 60_000);
  });
});

/** The validator of the official AsyncAPI 3.0.0 JSON Schema: the errors it finds in a document. */
function asyncApiErrors(): (value: unknown) => string[] {
  const require = createRequire(import.meta.url);
  const { schemas } = require('@asyncapi/specs') as { schemas: Record<string, object> };
  // The AsyncAPI schema bundles its own draft-07 meta-schema: Ajv's would clash with it.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, meta: false, validateSchema: false });
  const validate = ajv.compile(schemas['3.0.0']!);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

describe.each(CONTRACT_DOCS)('$asyncapi', ({ asyncapi, specs: namespaces }) => {
  const doc = asyncApiOf(asyncapi);
  const resolvePointer = (ref: string): unknown =>
    ref
      .replace(/^#\//, '')
      .split('/')
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment], doc);

  test('is AsyncAPI 3.0.0 describing the server, one channel per namespace addressed by its name', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.info.title).toMatch(/server/i);
    expect(doc.info.version).toBe(JSON.parse(committed('package.json')).version);
    expect(
      Object.values(doc.channels)
        .map((channel) => channel.address)
        .sort(),
    ).toEqual(namespaces.map((spec) => spec.name).sort());
    for (const spec of namespaces) expect(doc.channels[channelKey(spec)]?.address).toBe(spec.name);
  });

  test.each(namespaces.map((spec) => [spec.name, spec] as const))(
    '%s: one message per event (name = event), payload from zod, lifecycle names left out',
    (_, spec) => {
      const channel = doc.channels[channelKey(spec)]!;
      const eventMessages = Object.entries(channel.messages).filter(([, message]) => message['x-ack-of'] === undefined);
      expect(eventMessages.map(([key]) => key).sort()).toEqual(
        liveEvents(spec)
          .map(([name]) => name)
          .sort(),
      );
      for (const [name, event] of liveEvents(spec)) {
        const message = channel.messages[name]!;
        expect(message.name).toBe(name);
        expect(message.payload, `${spec.name} ${name}`).toEqual(toJsonSchema(event.payload));
        expect(message['x-extension']).toBe(event.extension);
      }
      for (const [name, event] of Object.entries(spec.events)) {
        if (event.reserved) expect(channel.messages[name], `${spec.name} ${name}`).toBeUndefined();
      }
    },
  );

  test.each(namespaces.map((spec) => [spec.name, spec] as const))(
    '%s: client→server events are receive operations, server→client events send operations, acks are replies',
    (_, spec) => {
      const channelRef = `#/channels/${channelKey(spec)}`;
      for (const [name, event] of liveEvents(spec)) {
        const receive = doc.operations[operationKey(spec, name, 'receive')];
        const send = doc.operations[operationKey(spec, name, 'send')];
        expect(Boolean(receive), `${spec.name} ${name} receive`).toBe(event.direction !== 'receive');
        expect(Boolean(send), `${spec.name} ${name} send`).toBe(event.direction !== 'emit');
        for (const operation of [receive, send]) {
          if (!operation) continue;
          expect(operation.channel.$ref).toBe(channelRef);
          expect(operation.messages.map((ref) => resolvePointer(ref.$ref))).toEqual([doc.channels[channelKey(spec)]!.messages[name]]);
        }
        if (event.ack) {
          const reply = receive?.reply;
          expect(reply, `${spec.name} ${name} reply`).toBeDefined();
          expect(reply!.messages.map((ref) => ref.$ref)).toEqual([`${channelRef}/messages/${ackMessageKey(name)}`]);
          const ack = resolvePointer(reply!.messages[0]!.$ref) as { payload: unknown; 'x-ack-of': string };
          expect(ack['x-ack-of']).toBe(name);
          expect(ack.payload).toEqual(toJsonSchema(event.ack));
        } else {
          expect(receive?.reply).toBeUndefined();
        }
      }
    },
  );

  test("every operation points into the document and acts as its event's direction says", () => {
    const actions = { receive: 0, send: 0 };
    for (const [key, operation] of Object.entries(doc.operations)) {
      expect(['send', 'receive'], key).toContain(operation.action);
      actions[operation.action]++;
      expect(resolvePointer(operation.channel.$ref), key).toBeDefined();
      for (const ref of operation.messages) expect(resolvePointer(ref.$ref), `${key} → ${ref.$ref}`).toBeDefined();
    }
    const live = namespaces.flatMap((spec) => liveEvents(spec).map(([, event]) => event));
    expect(actions.receive).toBe(live.filter((event) => event.direction !== 'receive').length);
    expect(actions.send).toBe(live.filter((event) => event.direction !== 'emit').length);
  });

  test('the rooms of each namespace (joined by an event) are on its channel', () => {
    for (const spec of namespaces)
      expect(doc.channels[channelKey(spec)]!['x-rooms']).toEqual(spec.rooms && Object.keys(spec.rooms).length ? spec.rooms : undefined);
  });

  test('is valid against the official AsyncAPI 3.0.0 JSON Schema', () => {
    expect(asyncApiErrors()(doc)).toEqual([]);
  });
});

test('the AsyncAPI validator does look: a 2.x action and a broken payload schema are caught', () => {
  const broken = structuredClone(asyncApiOf('docs/asyncapi.json')) as unknown as {
    operations: Record<string, { action: string }>;
    channels: Record<string, { messages: Record<string, { payload: { type: unknown } }> }>;
  };
  broken.operations[Object.keys(broken.operations)[0]!]!.action = 'publish';
  broken.channels.chat!.messages.send_message!.payload.type = 'text';
  const found = asyncApiErrors()(broken).join('\n');
  expect(found).toMatch(/action must be equal to one of the allowed values/);
  expect(found).toMatch(/messages\/send_message\/payload\/type must be equal to one of the allowed values/);
});

/** The table rows under each namespace heading: event → cells. */
function tablesOf(markdown: string): Map<string, Map<string, string[]>> {
  const result = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^## `([^`]+)`$/.exec(line);
    if (heading) result.set(heading[1]!, (current = new Map()));
    const row = /^\| `([^`]+)` \| (.*) \|$/.exec(line);
    if (row && current)
      current.set(
        row[1]!,
        row[2]!.split(/(?<!\\)\|/).map((cell) => cell.trim()),
      );
  }
  return result;
}

describe.each(CONTRACT_DOCS)('$events', ({ events, specs: namespaces }) => {
  const sections = () => tablesOf(committed(events));

  test('one table per namespace, one row per event (lifecycle names included), with direction', () => {
    const tables = sections();
    expect([...tables.keys()]).toEqual(namespaces.map((spec) => spec.name));
    for (const spec of namespaces) {
      const rows = tables.get(spec.name)!;
      expect([...rows.keys()], spec.name).toEqual(Object.keys(spec.events));
      for (const [name, event] of Object.entries(spec.events)) {
        const [direction] = rows.get(name)!;
        const expected = event.reserved
          ? 'lifecycle'
          : { emit: 'emit (client → server)', receive: 'receive (server → client)', 'emit/recv': 'emit/recv (both ways)' }[event.direction];
        expect(direction, `${spec.name} ${name}`).toBe(expected);
      }
    }
  });

  test('namespaces with rooms name each room with its join and leave events', () => {
    const markdown = committed(events);
    for (const spec of namespaces) {
      for (const [room, { join }] of Object.entries(spec.rooms ?? {})) expect(markdown).toContain(`\`${room}\` (joined by \`${join}\``);
    }
  });
});

describe('docs/events.md', () => {
  const sections = () => tablesOf(committed('docs/events.md'));

  test('rows show payload fields with types and optional marks, acks, answers and extensions', () => {
    const tables = sections();
    const [, history] = tables.get('/chat')!.get('request_message_history')!;
    expect(history).toBe('`consultationId: string \\| integer`<br>`limit?: integer`<br>`offset?: integer`');
    const [, , ack] = tables.get('/mediasoup')!.get('createTransport')!;
    expect(ack).toContain('`id: string`');
    expect(ack).toContain('`iceCandidates: { foundation, priority, ip?, address?, protocol, … }[]`');
    const [, , , answers] = tables.get('/chat')!.get('send_message')!;
    expect(answers).toBe('→ `new_message`<br>✗ `message_error`');
    const [, , , , notes] = tables.get('/mediasoup')!.get('getProducers')!;
    expect(notes).toMatch(/^\*\*Extension\.\*\* Producer discovery/);
  });
});
