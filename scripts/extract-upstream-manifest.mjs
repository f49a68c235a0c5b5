#!/usr/bin/env node
// Transcribes the upstream event table (docs/upstream/hcw-websocket-contract.md) into
// src/contract/upstream-manifest.json: one row per (namespace, event) with the table's direction and
// every payload variant the table gives. The JSON is committed; this script only re-creates it when
// the upstream document changes (`npm run manifest`). `--stdout` prints the JSON instead of writing it
// (the contract tests compare it with the committed file).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const toStdout = args.includes('--stdout');
const source = args.find((arg) => !arg.startsWith('--')) ?? resolve(root, 'docs/upstream/hcw-websocket-contract.md');
const target = resolve(root, 'src/contract/upstream-manifest.json');

/** Section headings of the table → namespace. "Consultation Namespace Events" belongs to /consultation. */
const sections = [
  [/^### Consultation Namespace \(`\/consultation`\)/, '/consultation'],
  [/^### Chat Namespace/, '/chat'],
  [/^### Mediasoup Namespace/, '/mediasoup'],
  [/^### Enhanced Consultation Namespace/, '/enhanced-consultation'],
  [/^### Consultation Namespace Events/, '/consultation'],
];
const directions = new Set(['emit', 'receive', 'emit/recv']);

const rows = new Map();
let namespace = null;
for (const line of readFileSync(source, 'utf8').split('\n')) {
  if (line.startsWith('#')) {
    namespace = sections.find(([pattern]) => pattern.test(line))?.[1] ?? null;
    continue;
  }
  if (!namespace || !line.startsWith('|')) continue;
  const cells = line
    .split('|')
    .slice(1)
    .map((cell) => cell.trim());
  const [nameCell, direction, payload] = cells;
  if (!directions.has(direction)) continue; // header and separator rows
  // A cell may name several events: "`typing` / `user_typing`".
  for (const [, event] of nameCell.matchAll(/`([^`]+)`/g)) {
    const key = `${namespace} ${event}`;
    const row = rows.get(key) ?? { namespace, event, directions: [], payloads: [] };
    if (!row.directions.includes(direction)) row.directions.push(direction);
    const cleanPayload = payload.replace(/^`|`$/g, '');
    if (!row.payloads.includes(cleanPayload)) row.payloads.push(cleanPayload);
    rows.set(key, row);
  }
}

const manifest = [...rows.values()].map(({ directions: seen, ...row }) => ({
  ...row,
  // A row listed both as emit and receive in one namespace is bidirectional.
  direction: seen.length > 1 || seen[0] === 'emit/recv' ? 'emit/recv' : seen[0],
}));
const json = JSON.stringify(manifest, null, 1) + '\n';
if (toStdout) process.stdout.write(json);
else writeFileSync(target, json);
const count = (ns) => manifest.filter((row) => row.namespace === ns).length;
(toStdout ? console.error : console.log)(
  `${manifest.length} rows → ${toStdout ? 'stdout' : target}\n` +
    ['/consultation', '/chat', '/mediasoup', '/enhanced-consultation'].map((ns) => `  ${ns}: ${count(ns)}`).join('\n'),
);
