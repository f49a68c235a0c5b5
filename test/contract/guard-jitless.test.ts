import { expect, test } from 'vitest';
import { z } from 'zod';
import { checkPayload, contract, guardOf, samplePayload } from '../../src/contract/index.js';
import { countGeneratedFunctions } from './guard-suite.js';

// As under a strict CSP: zod's `jitless` set before any guard is built (a fresh module graph per file).
z.config({ jitless: true });

test('jitless: no code is generated, no guard, and zod alone still validates', () => {
  const spec = contract.chat;
  const schema = spec.events.new_message.payload;
  expect(countGeneratedFunctions(() => guardOf(schema))).toBe(0);
  expect(guardOf(schema)).toBeNull();
  const sample = samplePayload(schema) as Record<string, unknown>;
  expect(checkPayload(spec, 'new_message', sample)).toEqual({ ok: true, value: sample });
  const wrong = checkPayload(spec, 'new_message', { ...sample, consultationId: true });
  expect(wrong.ok).toBe(false);
  expect(!wrong.ok && wrong.message).toMatch(/^\/chat new_message: consultationId: /);
});
