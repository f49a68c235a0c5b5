/**
 * `npm run docs`: writes docs/events.md and docs/asyncapi.json from the contract.
 * `npm run docs -- --check`: writes nothing; exits 1 when a committed file differs from what the
 * contract generates (stale docs).
 * `--dir <path>`: the directory that holds `docs/` (default: the repository root).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ROOT, renderDocs } from './docs/index.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const dirArg = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : undefined;
const base = dirArg ? resolve(dirArg) : ROOT;
const stale: string[] = [];

for (const [path, content] of renderDocs()) {
  const file = resolve(base, path);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === content) {
    console.log(`up to date  ${path}`);
    continue;
  }
  if (check) {
    stale.push(path);
    console.error(`${current === undefined ? 'missing' : 'stale'}       ${path}`);
    continue;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  console.log(`written     ${path} (${Buffer.byteLength(content)} bytes)`);
}

if (stale.length > 0) {
  console.error(`\n${stale.length} generated file(s) out of date: run \`npm run docs\` and commit the result.`);
  process.exit(1);
}
