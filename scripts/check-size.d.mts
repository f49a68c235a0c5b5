/** Types of scripts/check-size.mjs (used by bench/bundle-size.ts). */
export interface SizeMeasurement {
  name: string;
  file: string;
  /** Bytes after minification (ESM entries) or as shipped (UMD, already minified). */
  minified: number;
  /** Bytes gzipped (level 9). */
  gzip: number;
  /** Budget in gzipped bytes, when there is one. */
  budget: number | undefined;
}
export const BUDGETS: Record<string, number>;
export function measureSizes(root?: string): SizeMeasurement[];
