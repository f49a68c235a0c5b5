/**
 * A practitioner bot: goes online, joins the practitioner room, admits every patient who enters the
 * waiting room of its consultation and answers each chat message from someone else.
 *
 *   npm start                                   # test server on :4000, consultation 1, practitioner dr-demo
 *   npx tsx examples/node-bot/bot.ts --url http://127.0.0.1:4000 --consultation 1 [--practitioner dr-demo]
 *
 * Tokens come from the test server's `POST /dev/token`; against a real backend pass your own
 * `token` provider to {@link startBot}. The package is imported by name, as an app would: build it
 * first (`npm run build`; `npm start` and `npm test` do).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createHcwClient, toChatMessage, type HcwClient, type TokenProvider } from 'hcw-realtime-sdk';
import { ChatStore, PractitionerWaitingRoom, type WaitingPatient } from 'hcw-realtime-sdk/state';

export interface BotOptions {
  /** Server origin, e.g. `http://127.0.0.1:4000`. */
  url: string;
  consultationId: string | number;
  /** The practitioner in charge of the consultation (`npm start` seeds `dr-demo`). */
  practitionerId?: string;
  /** Default: a token from the test server's `POST {url}/dev/token`, asked on every (re)connection. */
  token?: TokenProvider;
  /** The answer to a message; `undefined` = no answer. Default: an acknowledgement quoting it. */
  reply?: (content: string, from: string) => string | undefined;
  /** Where the bot narrates what it does. Default: nothing. */
  log?: (line: string) => void;
}

export interface Bot {
  readonly client: HcwClient;
  readonly chat: ChatStore;
  readonly waitingRoom: PractitionerWaitingRoom;
  /** Patients admitted so far (ids, in order). */
  readonly admitted: readonly string[];
  /** Messages answered so far. */
  readonly answered: number;
  /** Goes offline and disconnects. */
  stop(): Promise<void>;
}

/** A token from the test server's dev endpoint (never for production: anyone can ask it). */
export function devToken(url: string, userId: string, role: 'PATIENT' | 'PRACTITIONER'): () => Promise<string> {
  return async () => {
    const response = await fetch(`${url}/dev/token`, { method: 'POST', body: JSON.stringify({ userId, role }) });
    if (!response.ok) throw new Error(`POST /dev/token: HTTP ${response.status}`);
    return ((await response.json()) as { token: string }).token;
  };
}

const defaultReply = (content: string) => `Bot: thanks, I got "${content}". The doctor will answer shortly.`;

/** Starts the bot; resolves once it is online in the practitioner room with the current waiting list. */
export async function startBot(options: BotOptions): Promise<Bot> {
  const practitionerId = options.practitionerId ?? 'dr-demo';
  const log = options.log ?? (() => undefined);
  const reply = options.reply ?? defaultReply;
  const client = createHcwClient({
    url: options.url,
    consultationId: options.consultationId,
    userId: practitionerId,
    role: 'PRACTITIONER',
    token: options.token ?? devToken(options.url, practitionerId, 'PRACTITIONER'),
    watchNetwork: false,
  });
  const waitingRoom = new PractitionerWaitingRoom(client);
  const chat = new ChatStore(client.chat, client.identity);
  const admitted: string[] = [];
  const admitting = new Set<string>();
  /** Messages seen (ids), so none is answered twice. */
  const answeredIds = new Set<string>();
  let answers = 0;
  const ours = (patient: WaitingPatient) =>
    patient.consultationId === undefined || patient.consultationId === String(options.consultationId);

  const admit = (patientId: string) => {
    if (admitting.has(patientId)) return;
    admitting.add(patientId);
    log(`admitting ${patientId}`);
    waitingRoom
      .admit(patientId)
      .then(
        () => {
          admitted.push(patientId);
          log(`admitted ${patientId}`);
        },
        (error: unknown) => log(`admitting ${patientId} failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => admitting.delete(patientId));
  };

  const subscriptions = [
    client.state$.subscribe((state) => log(`connection ${state.status}`)),
    client.errors$.subscribe((error) => log(`error ${error.reason}: ${error.message}`)),
    // Every patient who shows up in the live waiting list of this consultation is admitted.
    waitingRoom.state$.subscribe((state) => {
      for (const patient of state.patients) if (ours(patient)) admit(patient.patientId);
    }),
    // Live messages only (history refilled after a reconnection is not answered again).
    client.chat.on('new_message').subscribe((event) => {
      const { id, content, userId, senderId } = toChatMessage(event);
      const from = String(userId ?? senderId ?? '');
      const key = String(id);
      if (from === practitionerId || answeredIds.has(key)) return;
      answeredIds.add(key);
      const answer = reply(content, from);
      if (answer === undefined) return;
      answers++;
      log(`answering ${from}: ${answer}`);
      void chat.send(answer).then((entry) => {
        if (entry.status === 'failed') log(`answer failed: ${entry.error?.message ?? 'unknown'}`);
      });
    }),
  ];

  await client.consultation.setOnline(true);
  await waitingRoom.open();
  log(`online as ${practitionerId} in consultation ${String(options.consultationId)}, ${waitingRoom.state.waitingCount} waiting`);

  return {
    client,
    chat,
    waitingRoom,
    admitted,
    get answered() {
      return answers;
    },
    async stop() {
      await client.consultation.setOnline(false).catch(() => undefined);
      for (const subscription of subscriptions) subscription.unsubscribe();
      waitingRoom.dispose();
      chat.dispose();
      client.dispose();
    },
  };
}

// ---- Command line -----------------------------------------------------------------------------------

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:4000' },
      consultation: { type: 'string', default: '1' },
      practitioner: { type: 'string', default: 'dr-demo' },
    },
  });
  const bot = await startBot({
    url: values.url,
    consultationId: Number(values.consultation),
    practitionerId: values.practitioner,
    log: (line) => console.log(`[bot] ${line}`),
  });
  const stop = () => void bot.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
