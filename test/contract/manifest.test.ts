/**
 * The contract against the upstream table: every row of the transcribed manifest has an entry in
 * the same namespace with the same direction, and everything the contract adds is marked as an
 * extension with a reason.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { contract, eventSpec, namespaceByName, namespaces, type Direction } from '../../src/contract/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MANIFEST_PATH = resolve(ROOT, 'src/contract/upstream-manifest.json');
const UPSTREAM_TABLE = resolve(ROOT, 'docs/upstream/hcw-websocket-contract.md');

interface ManifestRow {
  namespace: string;
  event: string;
  direction: Direction;
  payloads: string[];
}

const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as ManifestRow[];
const rowKey = (namespace: string, event: string) => `${namespace} ${event}`;
const manifestKeys = new Set(manifest.map((row) => rowKey(row.namespace, row.event)));

describe('upstream manifest', () => {
  test('has the four namespaces and 352 rows, counted per namespace', () => {
    const counts: Record<string, number> = {};
    for (const row of manifest) counts[row.namespace] = (counts[row.namespace] ?? 0) + 1;
    expect(counts).toEqual({
      '/consultation': 197,
      '/chat': 42,
      '/mediasoup': 27,
      '/enhanced-consultation': 86,
    });
    expect(manifest).toHaveLength(352);
    // The namespaces of the table are exactly the contract's.
    expect(Object.keys(counts).sort()).toEqual(namespaces.map((ns) => ns.name).sort());
  });

  test('rows are well-formed and unique per namespace', () => {
    const directions: Direction[] = ['emit', 'receive', 'emit/recv'];
    for (const row of manifest) {
      expect(directions, rowKey(row.namespace, row.event)).toContain(row.direction);
      expect(row.event).toMatch(/^[A-Za-z][\w-]*$/);
      expect(row.payloads.length, rowKey(row.namespace, row.event)).toBeGreaterThan(0);
    }
    expect(manifestKeys.size).toBe(manifest.length);
  });

  test('is what the extractor makes of the upstream table today', () => {
    const extracted = execFileSync(process.execPath, ['scripts/extract-upstream-manifest.mjs', UPSTREAM_TABLE, '--stdout'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(JSON.parse(extracted)).toEqual(manifest);
  });
});

describe('contract vs manifest', () => {
  test('every manifest row has a contract entry in the same namespace with the same direction', () => {
    const problems: string[] = [];
    for (const row of manifest) {
      const spec = namespaceByName(row.namespace);
      const entry = spec && eventSpec(spec, row.event);
      if (!entry) problems.push(`${rowKey(row.namespace, row.event)}: missing`);
      else if (entry.direction !== row.direction) {
        problems.push(`${rowKey(row.namespace, row.event)}: ${entry.direction}, table says ${row.direction}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('every contract entry not in the table is a documented extension; table entries are not', () => {
    const undocumented: string[] = [];
    const mislabelled: string[] = [];
    const extensions: string[] = [];
    for (const spec of namespaces) {
      for (const [event, entry] of Object.entries(spec.events)) {
        const key = rowKey(spec.name, event);
        if (manifestKeys.has(key)) {
          if (entry.extension !== undefined) mislabelled.push(key);
          continue;
        }
        extensions.push(key);
        if (typeof entry.extension !== 'string' || entry.extension.trim() === '') undocumented.push(key);
      }
    }
    expect(undocumented).toEqual([]);
    expect(mislabelled).toEqual([]);
    // The additions the project knows about (reference-backend.md): NestJS `exception`, the
    // mediasoup gateway's `error` and `exception`, the events the reference /consultation gateway
    // sends that the table lacks, the test server's `server_features`, and producer discovery /
    // control on /mediasoup.
    expect(extensions.sort()).toEqual(
      [
        '/consultation exception',
        '/chat exception',
        '/consultation media_session_initialization_failed',
        '/consultation patient_admitted_to_consultation',
        '/consultation consultation_state_changed',
        ...['/consultation', '/chat', '/mediasoup', '/enhanced-consultation'].map((ns) => `${ns} server_features`),
        '/mediasoup error',
        '/mediasoup exception',
        '/mediasoup getProducers',
        '/mediasoup newProducer',
        '/mediasoup producerClosed',
        '/mediasoup producerPaused',
        '/mediasoup pauseProducer',
        '/mediasoup resumeProducer',
        '/mediasoup closeProducer',
        '/mediasoup restartIce',
      ].sort(),
    );
  });

  test('Socket.IO lifecycle names are in the table but reserved, never client events', () => {
    for (const name of ['connect', 'disconnect', 'reconnect', 'connect_error']) {
      for (const spec of [contract.consultation, contract.chat, contract.mediasoup]) {
        expect(manifestKeys.has(rowKey(spec.name, name)), rowKey(spec.name, name)).toBe(true);
        expect(eventSpec(spec, name)?.reserved, rowKey(spec.name, name)).toBe(true);
      }
    }
  });
});
