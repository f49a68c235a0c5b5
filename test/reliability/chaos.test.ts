import { describe, expect, test } from 'vitest';
import { ChatStore } from '../../src/state/index.js';
import { PROFILES, useHarness } from '../support/harness.js';
import { until, waitFor } from '../support/observe.js';

const start = useHarness();

/** Deterministic pseudo-random numbers (mulberry32), so a failure replays. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(PROFILES)('against the %s profile', (profile) => {
  test('1,000 messages through 20+ transport drops and server restarts: exactly once, in order, both stores', async () => {
    const harness = await start({ profile, chatRateLimit: { max: 100_000, windowMs: 1000 } });
    const patient = harness.client({ transports: ['websocket'] });
    const doctor = harness.client({ role: 'PRACTITIONER', transports: ['websocket'] });
    const stores = {
      patient: new ChatStore(patient.chat, patient.identity, { maxMessages: 2000, pageSize: 200 }),
      doctor: new ChatStore(doctor.chat, doctor.identity, { maxMessages: 2000, pageSize: 200 }),
    };
    await waitFor(patient.chat.state$, (s) => s.status === 'connected');
    await waitFor(doctor.chat.state$, (s) => s.status === 'connected');

    const next = random(2026);
    const TOTAL = 1000;
    const faultAt = new Set(Array.from({ length: 24 }, (_, i) => Math.floor(((i + 1) * TOTAL) / 25)));
    let faults = 0;
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const from = next() < 0.5 ? 'patient' : 'doctor';
      sent.push(stores[from].send(`${from}-${i}`));
      if (faultAt.has(i)) {
        faults++;
        if (faults % 4 === 0) {
          await harness.server.restart();
        } else {
          harness.server.faults.dropTransport(next() < 0.5 ? harness.patientId : harness.practitionerId);
        }
      }
      // Let some messages overlap the faults, others not.
      if (next() < 0.3) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(faults).toBeGreaterThanOrEqual(20);
    const outcomes = (await Promise.all(sent)) as { status: string }[];
    expect(outcomes.filter((entry) => entry.status !== 'sent')).toEqual([]);

    const history = (await doctor.chat.loadHistory(500, 0)).messages.concat();
    const older = await doctor.chat.loadHistory(500, 500);
    const server = [...older.messages, ...history].map((m) => m.content);
    expect(server).toHaveLength(TOTAL);
    expect(new Set(server).size).toBe(TOTAL);

    for (const store of Object.values(stores)) {
      await until(() => store.messages.length === TOTAL, 15_000, 'store complete');
      expect(store.messages.map((entry) => entry.message.content)).toEqual(server);
      expect(store.messages.every((entry) => entry.status === 'sent')).toBe(true);
    }
    // Each sender's own messages keep their sending order.
    for (const who of ['patient', 'doctor']) {
      const mine = server.filter((c) => c.startsWith(who)).map((c) => Number(c.split('-')[1]));
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
  }, 180_000);
});
