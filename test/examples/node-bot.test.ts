/**
 * examples/node-bot: the practitioner bot against the test server, as a function and as the command
 * line the README shows. A patient SDK client enters the waiting room, is admitted by the bot and
 * gets its chat answer. The bot imports the package by name (the built dist/, `npm test` builds).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { startBot, type Bot } from '../../examples/node-bot/bot.js';
import { createHcwClient, type HcwClient } from '../../src/index.js';
import { ChatStore, PatientWaitingRoom } from '../../src/state/index.js';
import { startTestServer, type TestServer } from '../../test-server/index.js';
import { waitFor } from '../support/observe.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PRACTITIONER = 'dr-bot';
const PATIENT = 'patient-1';

let server: TestServer | undefined;
let bot: Bot | undefined;
let child: ChildProcess | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  child?.kill('SIGKILL');
  child = undefined;
  await bot?.stop();
  bot = undefined;
  await server?.close();
  server = undefined;
});

/** The patient's side: enters the waiting room, is admitted, says hello, gets the bot's answer. */
async function patientVisit(
  url: string,
  consultationId: number,
  token: () => string,
): Promise<{ navigationTarget?: string; answer: string }> {
  const patient: HcwClient = createHcwClient({ url, consultationId, userId: PATIENT, role: 'PATIENT', token, watchNetwork: false });
  const room = new PatientWaitingRoom(patient);
  const chat = new ChatStore(patient.chat, patient.identity);
  cleanups.push(() => {
    room.dispose();
    chat.dispose();
    patient.dispose();
  });
  // The server queues a patient on connection, so the bot may admit before `enter` is answered.
  expect(['waiting', 'admitted']).toContain((await room.enter('plain')).phase);
  const admitted = await waitFor(room.state$, (state) => state.phase === 'admitted', 10_000);
  expect((await chat.send('Hello, is anyone there?')).status).toBe('sent');
  const messages = await waitFor(
    chat.messages$,
    (entries) => entries.some((entry) => String(entry.message.userId) === PRACTITIONER),
    10_000,
  );
  const answer = messages.find((entry) => String(entry.message.userId) === PRACTITIONER)!.message.content;
  return { ...(admitted.navigationTarget ? { navigationTarget: admitted.navigationTarget } : {}), answer };
}

test('startBot: online, admits the waiting patient, answers the chat (token from POST /dev/token)', async () => {
  server = await startTestServer({ port: 0, media: false });
  const consultationId = server.createConsultation({ practitionerId: PRACTITIONER, patientId: PATIENT });
  const lines: string[] = [];
  bot = await startBot({ url: server.url, consultationId, practitionerId: PRACTITIONER, log: (line) => lines.push(line) });
  expect(bot.client.state.status).toBe('connected');

  const visit = await patientVisit(server.url, consultationId, () => server!.createToken(PATIENT, 'PATIENT'));
  expect(visit.answer).toBe('Bot: thanks, I got "Hello, is anyone there?". The doctor will answer shortly.');
  expect(bot.admitted).toEqual([PATIENT]);
  expect(bot.answered).toBe(1);
  expect(server.domain.consultations.get(consultationId)?.status).toBe('ACTIVE');
  expect(lines).toContain(`admitted ${PATIENT}`);
  // The bot never answers itself: exactly one bot message, for one patient message.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(bot.chat.messages.map((entry) => String(entry.message.userId))).toEqual([PATIENT, PRACTITIONER]);
  expect(server.contractViolations).toEqual([]);
});

// `node --import tsx`, not tsx's CLI: the CLI relays a signal to the script's process and kills it
// when the script does not confirm fast enough, which a loaded machine misses now and then (exit 130).
test('command line: node --import tsx examples/node-bot/bot.ts --url … --consultation … admits and answers; SIGINT exits 0', async () => {
  server = await startTestServer({ port: 0, media: false });
  const consultationId = server.createConsultation({ practitionerId: PRACTITIONER, patientId: PATIENT });
  child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'examples/node-bot/bot.ts',
      '--url',
      server.url,
      '--consultation',
      String(consultationId),
      '--practitioner',
      PRACTITIONER,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  const printed = async (text: string, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (!output.includes(text)) {
      if (Date.now() > deadline || child?.exitCode !== null) throw new Error(`the bot did not print "${text}":\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await printed('[bot] online as');

  const visit = await patientVisit(server.url, consultationId, () => server!.createToken(PATIENT, 'PATIENT'));
  expect(visit.answer).toMatch(/^Bot: thanks, I got "Hello, is anyone there\?"/);
  await printed(`[bot] admitted ${PATIENT}`, 5000);
  child.kill('SIGINT');
  expect(await exited).toBe(0);
  child = undefined;
}, 60_000);
