/**
 * A patient is queued by the server on connection, so an instant admission (a bot, an auto-admit
 * rule) can overtake the answer to `enter_waiting_room` — which the server then refuses, the
 * consultation being active. `PatientWaitingRoom.enter` must resolve as soon as the patient is
 * admitted and never fall back to `waiting` when a late answer arrives.
 */
import { afterEach, expect, test } from 'vitest';
import { contract, eventSpec, samplePayload } from '../../src/index.js';
import { PatientWaitingRoom, PractitionerWaitingRoom } from '../../src/state/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { sleep, waitFor } from '../support/observe.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test('admitted while the enter answer is held back: enter resolves admitted at once; the late answer changes nothing', async () => {
  harness = await startHarness({ media: false });
  const patient = harness.client();
  const room = new PatientWaitingRoom(patient, { heartbeatIntervalMs: 50 });
  // The server says on connect that the consultation waits for the practitioner.
  await waitFor(room.state$, (state) => state.phase === 'waiting');
  // Every server emit and ack is held 2 s; emitRaw bypasses the delay, so the admission overtakes.
  harness.server.faults.delayEvents(2000);
  const entering = room.enter('plain');
  const admission = samplePayload(eventSpec(contract.consultation, 'admitted_to_live_consultation')!.payload);
  harness.server.faults.emitRaw(harness.patientId, '/consultation', 'admitted_to_live_consultation', admission);
  const started = Date.now();
  expect((await entering).phase).toBe('admitted');
  expect(Date.now() - started).toBeLessThan(1000); // not the held answer, 2 s away
  await sleep(2300); // the held answer (waiting_room_entered) has arrived by now
  expect(room.state.phase).toBe('admitted');
  // Entering again after admission is a no-op.
  expect((await room.enter('plain')).phase).toBe('admitted');
  room.dispose();
});

test('a practitioner auto-admitting on notification: enter settles within moments (not the request timeout), then admitted', async () => {
  harness = await startHarness({ media: false });
  const doctor = harness.client({ role: 'PRACTITIONER' });
  const list = new PractitionerWaitingRoom(doctor);
  await list.open();
  const admitting = new Set<string>();
  list.state$.subscribe((state) => {
    for (const { patientId } of state.patients) {
      if (admitting.has(patientId)) continue;
      admitting.add(patientId);
      void list.admit(patientId).catch(() => admitting.delete(patientId));
    }
  });
  const room = new PatientWaitingRoom(harness.client(), { heartbeatIntervalMs: 50 });
  const started = Date.now();
  expect(['waiting', 'admitted']).toContain((await room.enter('plain')).phase);
  expect(Date.now() - started).toBeLessThan(3000);
  await waitFor(room.state$, (state) => state.phase === 'admitted');
  expect(harness.server.domain.consultations.get(harness.consultationId)?.status).toBe('ACTIVE');
  room.dispose();
  list.dispose();
});
