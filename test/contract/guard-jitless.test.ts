import { expect, test } from 'vitest';
import { z } from 'zod';
import { checkIncoming, checkPayload, contract, guardOf, samplePayload } from '../../src/contract/index.js';
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

test('jitless: checkIncoming delivers drift and refuses what the SDK needs, with zod alone', () => {
  const spec = contract.chat;
  const sample = samplePayload(spec.events.message_deleted.payload) as { message: Record<string, unknown> };
  const drift = checkIncoming(spec, 'message_deleted', { ...sample, message: { ...sample.message, senderRole: 'DOCTOR' } });
  expect(drift.ok && drift.drift?.map((issue) => issue.path)).toEqual(['message.senderRole']);
  expect(checkIncoming(spec, 'message_deleted', { ...sample, message: { content: 'no id' } }).ok).toBe(false);
  expect(checkIncoming(spec, 'message_deleted', sample)).toEqual({ ok: true, value: sample });
});
