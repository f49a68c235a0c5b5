import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Sdk from '../../src/index.node.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Rebuilds the library (rollup only) when a source file is newer than dist/index.js; true when it did. */
export function ensureBuilt(): boolean {
  const built = (() => {
    try {
      return statSync(join(ROOT, 'dist/index.js')).mtimeMs;
    } catch {
      return 0;
    }
  })();
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
        const path = join(dir, entry.name);
        return entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
      }),
    );
  if (newest(join(ROOT, 'src')) <= built) return false;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/rollup/dist/bin/rollup'), '-c'], { cwd: ROOT, stdio: 'ignore' });
  return true;
}

/**
 * The SDK as a Node app runs it: the built package's Node entry (dist/index.node.js), not the
 * sources through tsx (whose transform keeps function names with a wrapper per closure, which
 * inflates a heap measurement by about half).
 */
export async function builtSdk(): Promise<typeof Sdk> {
  ensureBuilt();
  return (await import(pathToFileURL(join(ROOT, 'dist/index.node.js')).href)) as typeof Sdk;
}
