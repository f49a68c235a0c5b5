import { readFileSync } from 'node:fs';

/**
 * The process's open-file limit (soft, hard), read from /proc/self/limits (Linux). Node has no
 * setrlimit: bench/run.ts starts the scale benchmark under `ulimit -n` when the soft limit is too
 * low and the hard one allows more. Undefined where /proc is not available.
 */
export function openFileLimit(): { soft: number; hard: number } | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('Max open files'));
    const [soft, hard] = (line?.match(/(\d+|unlimited)\s+(\d+|unlimited)/)?.slice(1) ?? []).map((value) =>
      value === 'unlimited' ? Infinity : Number(value),
    );
    return soft !== undefined && hard !== undefined ? { soft, hard } : undefined;
  } catch {
    return undefined;
  }
}

/** File descriptors the scale benchmark needs: both ends of every connection are in this process, plus polling requests. */
export const SCALE_FDS_NEEDED = 5000;
