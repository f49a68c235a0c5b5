import { afterEach, beforeEach, expect, test } from 'vitest';
import { config, globalConfig } from 'zod/v4/core';

/**
 * The contract is written with `zod/mini`, which installs no locale: the SDK gives zod's English
 * messages per parse (src/contract/parse.ts), never through zod's global config. This file must not
 * import `zod` (classic): it installs English globally on its first schema and would hide a
 * missing per-parse locale. The global locale is cleared around each test all the same.
 */
let saved: Pick<typeof globalConfig, 'localeError' | 'customError'>;
beforeEach(() => {
  saved = { localeError: globalConfig.localeError, customError: globalConfig.customError };
  globalConfig.localeError = undefined;
  globalConfig.customError = undefined;
});
afterEach(() => {
  Object.assign(globalConfig, saved);
});

const load = () => import('../../src/contract/index.js');

test('loading and using the contract sets no zod locale or error map (no global side effect to lose)', async () => {
  const { checkPayload, checkIncoming, contract } = await load();
  checkPayload(contract.chat, 'send_message', { content: 1 });
  checkIncoming(contract.chat, 'new_message', { id: true });
  expect(globalConfig.localeError).toBeUndefined();
  expect(globalConfig.customError).toBeUndefined();
});

test('an invalid payload is explained in English, naming the namespace, the event and the field', async () => {
  const { checkPayload, contract } = await load();
  const wrong = checkPayload(contract.chat, 'send_message', { consultationId: 1, userId: 2, content: 42 });
  expect(wrong).toEqual({
    ok: false,
    issues: [{ path: 'content', message: 'Invalid input: expected string, received number' }],
    message: '/chat send_message: content: Invalid input: expected string, received number',
  });
  const empty = checkPayload(contract.chat, 'send_message', { consultationId: 1, userId: 2, content: '' });
  expect(!empty.ok && empty.message).toBe('/chat send_message: content: Too small: expected string to have >=1 characters');
  const status = checkPayload(contract.consultation, 'consultation_status_update', { status: 'OPEN', participantCount: -1 });
  expect(!status.ok && status.issues).toEqual([
    {
      path: 'status',
      message: 'Invalid option: expected one of "DRAFT"|"SCHEDULED"|"WAITING"|"ACTIVE"|"COMPLETED"|"CANCELLED"|"TERMINATED_OPEN"',
    },
    { path: 'participantCount', message: 'Too small: expected number to be >=0' },
  ]);
  const email = checkPayload(contract.consultation, 'add_participant', {
    consultationId: 1,
    role: 'EXPERT',
    email: 'not an email',
    firstName: 'A',
    lastName: 'B',
  });
  expect(!email.ok && email.message).toBe('/consultation add_participant: email: Invalid email address');
});

test('received payloads: drift and refusals are explained in English too', async () => {
  const { checkIncoming, contract, samplePayload } = await load();
  const sample = samplePayload(contract.chat.events.message_deleted.payload) as { message: Record<string, unknown> };
  const drift = checkIncoming(contract.chat, 'message_deleted', { ...sample, message: { ...sample.message, isRead: 'yes' } });
  expect(drift.ok && drift.drift && drift.message).toBe(
    '/chat message_deleted: delivered, drift: message.isRead: Invalid input: expected boolean, received string',
  );
  const refused = checkIncoming(contract.chat, 'message_deleted', { ...sample, message: { content: 'no id' } });
  // `id` is a union (string or integer): zod's English for a union no option matched.
  expect(!refused.ok && refused.message).toBe('/chat message_deleted: message.id: Invalid input');
});

test("an app's own zod configuration wins over the SDK's English (as with zod's default locale)", async () => {
  const { checkPayload, contract } = await load();
  config({ customError: (issue) => `custom ${issue.code}` });
  const wrong = checkPayload(contract.chat, 'send_message', { consultationId: 1, userId: 2, content: 42 });
  expect(!wrong.ok && wrong.message).toBe('/chat send_message: content: custom invalid_type');
});
