/**
 * `npm run docs`: the contract docs (scripts/generate-docs.ts: docs/events.md, docs/asyncapi.json and,
 * for each shipped contract, docs/contracts/<name>/events.md and asyncapi.json;
 * committed), then the API reference (TypeDoc with typedoc.json: docs/api/, not committed; open
 * docs/api/index.html).
 * Arguments go to generate-docs.ts, so `npm run docs -- --check` still checks the contract docs
 * (TypeDoc does not run with `--check` or `--dir`).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const run = (argv: string[]) => spawnSync(process.execPath, argv, { cwd: ROOT, stdio: 'inherit' }).status ?? 1;

let status = run(['--import', 'tsx', 'scripts/generate-docs.ts', ...args]);
if (status === 0 && !args.includes('--check') && !args.includes('--dir')) {
  status = run([resolve(ROOT, 'node_modules/typedoc/bin/typedoc')]);
}
process.exit(status);
