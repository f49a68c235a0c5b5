/** Types of scripts/check-size.mjs (used by bench/bundle-size.ts). */
export type Bundler = 'esbuild' | 'vite' | 'webpack';
export type AppName = 'chat' | 'preset' | 'contract';

export interface SizeMeasurement {
  /** `chat (vite)`, ..., `UMD`. */
  name: string;
  app: AppName | 'umd';
  bundler: Bundler | 'rollup';
  /** Bytes of the minified output (the UMD file as shipped, already minified). */
  minified: number;
  /** Bytes gzipped (level 9). */
  gzip: number;
  /** Budget in gzipped bytes, when there is one. */
  budget: number | undefined;
  /** Wall time of that bundler's run (all its apps), ms; 0 for the UMD file. */
  ms: number;
}
export const APPS: Record<AppName, { title: string; source: string }>;
export const BUNDLERS: Bundler[];
export const BUDGETS: Record<AppName | 'umd', number>;
export const TARGET: { app: AppName; gzip: number };
export function withAppFolder<T>(root: string, use: (dir: string) => Promise<T>): Promise<T>;
export function measureSizes(root?: string, options?: { bundlers?: Bundler[]; apps?: AppName[] }): Promise<SizeMeasurement[]>;
