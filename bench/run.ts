/**
 * `npm run bench [-- name ...]`: runs the benchmarks (all, or the named ones), each in a fresh child
 * process, prints the results and rewrites BENCHMARKS.md from bench/results.json (results of the
 * benchmarks not run this time are kept).
 *
 * Child mode (used by the parent): `node --expose-gc --import tsx bench/run.ts --child <name> --out <file>`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFileLimit, SCALE_FDS_NEEDED } from './lib/fd-limit.js';
import { machine, renderMarkdown, type StoredResult } from './lib/report.js';
import type { Benchmark, BenchResult } from './lib/result.js';

/** name → module, in report order. */
const BENCHMARKS: Record<string, string> = {
  receive: './receive.ts',
  'receive-ws': './receive-ws.ts',
  emit: './emit.ts',
  connect: './connect.ts',
  recovery: './recovery.ts',
  'dead-link': './dead-link.ts',
  'bundle-size': './bundle-size.ts',
  memory: './memory.ts',
  scale: './scale.ts',
  media: './media.ts',
  outage: './outage.ts',
  'p2p-join': './p2p-join.ts',
  'p2p-signalling-drop': './p2p-signalling-drop.ts',
};
/** Benchmarks of the issue not implemented yet (a TODO line in BENCHMARKS.md). */
const PENDING: { title: string; todo: string }[] = [];
// The outage benchmark runs 3 cases × 5 rounds in real time (about 7 minutes).
const CHILD_TIMEOUT_MS = 12 * 60_000;
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));
const MARKDOWN = join(ROOT, 'BENCHMARKS.md');

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1]!, args[3]!);
else await parent(args.filter((arg) => !arg.startsWith('-')));

async function child(name: string, out: string): Promise<void> {
  const started = Date.now();
  let result: Partial<BenchResult> & { error?: string };
  try {
    const benchmark = ((await import(BENCHMARKS[name]!)) as { default: Benchmark }).default;
    result = { name, title: benchmark.title, ...(await benchmark.run()) };
  } catch (error) {
    result = { name, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  writeFileSync(out, JSON.stringify({ ...result, durationMs: Date.now() - started }));
  process.exit(0); // sockets or timers a benchmark left behind must not keep the child alive
}

async function parent(requested: string[]): Promise<void> {
  const unknown = requested.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
  const names = requested.length > 0 ? requested : Object.keys(BENCHMARKS);
  const command = requested.length > 0 ? `npm run bench -- ${names.join(' ')}` : 'npm run bench';
  const host = machine();
  const dir = mkdtempSync(join(tmpdir(), 'hcw-bench-'));
  const fresh: StoredResult[] = [];
  console.log(`[bench] ${names.join(', ')} on ${host.cpu} × ${host.cores}, Node ${host.node}, load ${host.load}`);
  for (const name of names) {
    const out = join(dir, `${name}.json`);
    console.log(`[bench] ${name} ...`);
    const started = Date.now();
    const code = await runChild(name, out);
    type Raw = Partial<BenchResult> & { name: string; error?: string };
    const raw: Raw = existsSync(out)
      ? (JSON.parse(readFileSync(out, 'utf8')) as Raw)
      : { name, error: `child exited with ${code} and no result` };
    const title = raw.title ?? name;
    const result: StoredResult = {
      target: '',
      value: '',
      pass: null,
      context: [],
      method: '',
      ...raw,
      title,
      machine: host,
      at: new Date().toISOString(),
      command,
      durationMs: raw.durationMs ?? Date.now() - started,
    };
    fresh.push(result);
    if (result.error) console.log(`[bench] ${name}: ERROR ${result.error}`);
    else {
      const verdict = result.pass === null ? 'reported' : result.pass ? 'MET' : 'MISSED';
      console.log(`[bench] ${name}: ${result.value} (target ${result.target}: ${verdict}) in ${(result.durationMs! / 1000).toFixed(0)} s`);
      for (const line of result.context) console.log(`          ${line}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });

  const stored = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as StoredResult[]) : [];
  const merged = [...stored.filter((r) => !names.includes(r.name) && r.name in BENCHMARKS), ...fresh];
  const order = Object.keys(BENCHMARKS);
  merged.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  writeFileSync(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
  writeFileSync(MARKDOWN, renderMarkdown(merged, order, PENDING));
  console.log(`[bench] wrote BENCHMARKS.md and bench/results.json`);
  if (fresh.some((r) => r.error)) process.exitCode = 1;
}

/** Runs one benchmark in a child process; the scale one under a raised open-file limit when needed and allowed. */
function runChild(name: string, out: string): Promise<number | null> {
  const self = fileURLToPath(import.meta.url);
  let command = process.execPath;
  let argv = ['--expose-gc', '--import', 'tsx', self, '--child', name, '--out', out];
  const limit = openFileLimit();
  if (name === 'scale' && limit && limit.soft < SCALE_FDS_NEEDED) {
    if (limit.hard < SCALE_FDS_NEEDED) {
      console.warn(`[bench] open-file limit: hard limit ${limit.hard} < ${SCALE_FDS_NEEDED}; the scale benchmark will report the error`);
    } else {
      console.log(`[bench] raising the open-file limit from ${limit.soft} to ${SCALE_FDS_NEEDED} for the scale benchmark (ulimit -n)`);
      argv = ['-c', `ulimit -n ${SCALE_FDS_NEEDED} && exec "$0" "$@"`, command, ...argv];
      command = '/bin/sh';
    }
  }
  return new Promise((resolve) => {
    const proc = spawn(command, argv, { cwd: ROOT, stdio: 'inherit' });
    const timer = setTimeout(() => {
      console.error(`[bench] ${name}: no result after ${CHILD_TIMEOUT_MS / 60_000} min, stopping it`);
      proc.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
