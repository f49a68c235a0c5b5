/** Helpers of the examples' tests: tsc runs, consumer projects that install the package by name. */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = resolve(import.meta.dirname, '../..');
export const TSC = resolve(ROOT, 'node_modules/typescript/bin/tsc');
export const TSX = resolve(ROOT, 'node_modules/tsx/dist/cli.mjs');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node ...args`; never throws, the exit code tells. */
export function runNode(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  return promisify(execFile)(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    timeout: options.timeoutMs ?? 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number | string; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === 'number' ? error.code : -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? String(error.code),
    }),
  );
}

/** `tsc -p tsconfig --noEmit --listFiles`: exit code, the errors, the files it read. */
export async function typecheck(tsconfig: string, cwd = ROOT): Promise<{ code: number; errors: string[]; files: string[] }> {
  const { code, stdout } = await runNode([TSC, '-p', tsconfig, '--noEmit', '--listFiles'], { cwd });
  const lines = stdout.split('\n').filter(Boolean);
  return { code, errors: lines.filter((line) => /error TS\d+/.test(line)), files: lines.filter((line) => !/error TS\d+/.test(line)) };
}

/**
 * A throw-away app directory with `node_modules/hcw-realtime-sdk` linked to this repository (what
 * `npm install hcw-realtime-sdk` gives, with the built dist/), so files in it import the package by
 * name. `remove()` deletes it.
 */
export function consumerProject(prefix: string, packageJson: Record<string, unknown> = { type: 'module' }) {
  const dir = mkdtempSync(join(tmpdir(), `hcw-${prefix}-`));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'hcw-realtime-sdk'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${prefix}`, private: true, ...packageJson }));
  return {
    dir,
    write(file: string, content: string) {
      writeFileSync(join(dir, file), content);
      return join(dir, file);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
