/** What one benchmark reports: the ratio or value against its target first, absolute numbers as context. */
export interface BenchResult {
  name: string;
  title: string;
  /** The target in words, e.g. `SDK / raw ≤ 1.15`. */
  target: string;
  /** The headline number compared with the target, e.g. `1.08×`. */
  value: string;
  /** Whether the target is met; null when the benchmark has no pass/fail target (informational). */
  pass: boolean | null;
  /** Absolute numbers, one line each (context only: these machines are noisy). */
  context: string[];
  /** How it is measured, in one or two sentences. */
  method: string;
  /** Why a target is missed, and where the time or bytes go. */
  notes?: string[];
  /** Wall time of the benchmark itself, ms. */
  durationMs?: number;
}

/** A benchmark module: `run()` is called in a fresh child process (see bench/run.ts). */
export interface Benchmark {
  name: string;
  title: string;
  run(): Promise<Omit<BenchResult, 'name' | 'title'>>;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const ms = (value: number, digits = value < 10 ? 2 : value < 100 ? 1 : 0) => `${value.toFixed(digits)} ms`;
export const ratio = (value: number) => `${value.toFixed(2)}×`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} kB`;
export const list = (values: readonly number[], digits = 0) => values.map((v) => v.toFixed(digits)).join(', ');

/** High-resolution now, in ms. */
export const now = () => performance.now();

export const sleep = (time: number) => new Promise<void>((resolve) => setTimeout(resolve, time));

/** Resolves when `check()` is true (polled every `step` ms); rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, label: string, step = 1): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await sleep(step);
  }
}

/**
 * Runs `rounds` rounds of two measured functions, alternating which goes first (SDK, baseline;
 * baseline, SDK; ...) so drift in the machine's speed hits both equally. Returns each one's samples.
 */
export async function alternate(
  rounds: number,
  sdk: () => Promise<number>,
  baseline: () => Promise<number>,
): Promise<{ sdk: number[]; baseline: number[] }> {
  const samples = { sdk: [] as number[], baseline: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      samples.sdk.push(await sdk());
      samples.baseline.push(await baseline());
    } else {
      samples.baseline.push(await baseline());
      samples.sdk.push(await sdk());
    }
  }
  return samples;
}

/** Mean cost of `fn` in µs over `n` calls, after a warm-up. */
export function microseconds(fn: () => unknown, n = 100_000): number {
  for (let i = 0; i < n / 5; i++) fn();
  const start = performance.now();
  for (let i = 0; i < n; i++) fn();
  return ((performance.now() - start) * 1000) / n;
}
