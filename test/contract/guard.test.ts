import { expect, test } from 'vitest';
import { z } from 'zod';
import { guardOf } from '../../src/contract/index.js';
import { countGeneratedFunctions, guardSuite } from './guard-suite.js';

test('a guard is generated code, one function per object (zod may generate code here)', () => {
  guardOf(z.boolean()); // the first guard built also probes, once, whether `new Function` is allowed
  const schema = z.looseObject({ name: z.string(), nested: z.looseObject({ count: z.number() }) });
  expect(countGeneratedFunctions(() => guardOf(schema))).toBe(2);
  expect(guardOf(schema)!({ name: 'a', nested: { count: 1 } })).toBe(true);
  expect(guardOf(schema)!({ name: 'a', nested: { count: '1' } })).toBe(false);
});

test('schemas whose output differs from their input get no guard (zod decides)', () => {
  expect(guardOf(z.object({ name: z.string() }))).toBeNull(); // strips unknown keys
  expect(guardOf(z.looseObject({ name: z.string().trim() }))).toBeNull(); // rewrites the value
  expect(guardOf(z.looseObject({ count: z.number().default(0) }))).toBeNull(); // fills a default
  expect(guardOf(z.string().transform((s) => s.length))).toBeNull();
});

guardSuite();
