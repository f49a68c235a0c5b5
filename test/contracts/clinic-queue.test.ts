/**
 * The clinic queue contract (hcw-realtime-sdk/contracts/clinic-queue) against its test server:
 * rooms joined by events and joined again after every reconnection the server did not recover;
 * the nine refetch events coalesced into one refetch per 500 ms window (time driven through the
 * SDK's Scheduler seam, no wall-clock waits for the windows).
 */
import { Subject, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import { afterEach, describe, expect, test } from 'vitest';
import { createRealtimeClient, type RealtimeClient, type RealtimeClientOptions } from '../../src/index.js';
import type { RoomJoined } from '../../src/core/rooms.js';
import { defineNamespace, receive } from '../../src/contract/index.js';
import {
  clinicQueueContract,
  clinicQueueNamespace,
  coalesceRefetch,
  queueRefetches,
  queueTriggers,
  REFETCH_EVENTS,
  type RefetchTrigger,
} from '../../src/contracts/clinic-queue.js';
import { startContractServer } from '../../test-server/generic/server.js';
import { startClinicQueueServer, type ClinicQueueServer, type Dashboard } from '../../test-server/generic/systems/clinic-queue.js';
import { ManualScheduler } from '../support/manual-scheduler.js';
import { record, sleep, until, waitFor } from '../support/observe.js';

let server: ClinicQueueServer | undefined;
const clients: RealtimeClient<typeof clinicQueueContract>[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  await server?.close();
  server = undefined;
});

function connect(options: Partial<RealtimeClientOptions> = {}) {
  const client = createRealtimeClient(clinicQueueContract, {
    url: server!.url,
    token: () => server!.token('receptionist'),
    reconnection: { delayMs: 10, maxDelayMs: 20, jitter: 0 },
    watchNetwork: false,
    ...options,
  });
  clients.push(client);
  return client;
}

/** A room subscription's joins and its error. */
function watchRoom(source: Observable<RoomJoined>) {
  const seen: { joins: RoomJoined[]; error?: unknown } = { joins: [] };
  source.subscribe({ next: (joined) => seen.joins.push(joined), error: (error: unknown) => (seen.error = error) });
  return seen;
}

const inRooms = () =>
  server!.members('queue', 'clinic', { clinic_id: 1 }).length === 1 && server!.members('queue', 'doctor', { doctor_id: 2 }).length === 1;

describe('clinic queue rooms', () => {
  test.each(['dropTransport', 'restart'] as const)(
    'clinic_{id} and doctor_{id} are joined by events and joined again after %s (the server kept no session)',
    async (fault) => {
      server = await startClinicQueueServer({ clinics: { 1: [2] } });
      const queue = connect().services.queue;
      const rooms = [queue.room('clinic', { clinic_id: 1 }).subscribe(), queue.room('doctor', { doctor_id: 2 }).subscribe()];
      await until(inRooms, 2000, 'in both rooms');
      const checkins = record(queue.on('new_checkin'));
      const updates = record(queue.on('queue_updated'));
      server.checkIn(1, 2, 'Ann');
      await until(() => checkins.values.length === 1 && updates.values.length === 1, 2000, 'room broadcasts');
      expect(checkins.values[0]).toMatchObject({ clinic_id: 1, doctor_id: 2, patient: { name: 'Ann' } });

      const resyncs = record(queue.resync$);
      if (fault === 'dropTransport') server.faults.dropTransport();
      else await server.faults.restart(50);
      await until(() => resyncs.values.length === 1 && inRooms(), 5000, 'the rooms joined again');
      expect(queue.state).toMatchObject({ status: 'connected', reconnected: true });
      expect(queue.state.status === 'connected' && queue.state.recovered).toBeFalsy();
      server.checkIn(1, 2, 'Ben');
      await until(() => checkins.values.length === 2, 2000, 'a broadcast after the re-join');

      const joins = server.received.filter((event) => event.event.startsWith('join_')).map((event) => event.event);
      // After a restart the new server saw only the re-joins; the log spans both.
      expect(joins.sort()).toEqual(['join_doctor_room', 'join_doctor_room', 'join_queue_room', 'join_queue_room']);
      for (const subscription of rooms) subscription.unsubscribe();
      await until(() => !server!.members('queue', 'clinic', { clinic_id: 1 }).length, 2000, 'left');
      expect(server.problems).toEqual([]);
    },
  );

  test.each([
    ['error { event }', false],
    ['error without event (as Flask-SocketIO sends it)', true],
  ] as const)('a refused join errors its room subscription with the server reason: %s', async (_, unnamedRefusals) => {
    server = await startClinicQueueServer({ clinics: { 1: [2] }, unnamedRefusals });
    const queue = connect({ requestTimeoutMs: 300 }).services.queue;
    // A room joined before, its watch over (no refusal within requestTimeoutMs: accepted).
    const joined = watchRoom(queue.room('doctor', { doctor_id: 2 }));
    await until(() => server!.members('queue', 'doctor', { doctor_id: 2 }).length === 1, 2000, 'in the doctor room');
    await sleep(350);
    const refused = new Promise<unknown>((resolve) => queue.room('clinic', { clinic_id: 99 }).subscribe({ error: resolve }));
    expect(await refused).toMatchObject({
      name: 'HcwError',
      reason: 'server_error',
      code: 'not_found',
      namespace: '/',
      event: 'join_queue_room',
      message: expect.stringContaining('Clinic 99 not found'),
    });
    // The refusal is the refused join's alone.
    expect(joined.error).toBeUndefined();
    expect(server.members('queue', 'clinic', { clinic_id: 99 })).toEqual([]);
    expect(server.members('queue', 'doctor', { doctor_id: 2 })).toHaveLength(1);
  });

  test('an accepted join is not errored by a later refusal once its watch (requestTimeoutMs) is over', async () => {
    server = await startClinicQueueServer({ clinics: { 1: [2] } });
    const queue = connect({ requestTimeoutMs: 200 }).services.queue;
    const joined = watchRoom(queue.room('clinic', { clinic_id: 1 }));
    await until(() => server!.members('queue', 'clinic', { clinic_id: 1 }).length === 1, 2000, 'in the room');
    await sleep(300); // past requestTimeoutMs: the join counts as accepted
    server.emitRaw('queue', 'error', { message: 'late', event: 'join_queue_room' });
    server.emitRaw('queue', 'error', { message: 'unattributed' });
    await sleep(100);
    expect(joined.error).toBeUndefined();
    expect(joined.joins).toHaveLength(1);
  });

  test('a join refused by an `exception` (no event named, as NestJS gateways send it) errors its subscription', async () => {
    const contract = {
      queue: defineNamespace({
        name: '/',
        handshake: [],
        rooms: clinicQueueNamespace.rooms,
        events: { ...clinicQueueNamespace.events, exception: receive(z.looseObject({ status: z.string(), message: z.string() })) },
      }),
    };
    const nest = await startContractServer(contract, {
      handlers: {
        queue: {
          events: {
            join_queue_room: ({ clinic_id }, { emit }) => {
              if (clinic_id === 1) return;
              emit('exception', { status: 'error', message: `Clinic ${clinic_id} not found` });
              return { error: 'refused' }; // a failure answer: not joined
            },
          },
        },
      },
    });
    const client = createRealtimeClient(contract, { url: nest.url, token: 'any', watchNetwork: false });
    try {
      const refused = new Promise<unknown>((resolve) =>
        client.services.queue.room('clinic', { clinic_id: 5 }).subscribe({ error: resolve }),
      );
      expect(await refused).toMatchObject({
        reason: 'server_error',
        event: 'join_queue_room',
        message: expect.stringContaining('exception: Clinic 5'),
      });
    } finally {
      client.dispose();
      await nest.close();
    }
  });

  test('a clinic and a doctor room joined at once, the doctor refused: only the doctor subscription errors', async () => {
    server = await startClinicQueueServer({ clinics: { 1: [2] } });
    const client = connect();
    const queue = client.services.queue;
    await waitFor(queue.state$, (state) => state.status === 'connected', 3000);
    const errors = record(client.errors$);
    const clinic = watchRoom(queue.room('clinic', { clinic_id: 1 }));
    const doctor = watchRoom(queue.room('doctor', { doctor_id: 7 }));
    await until(() => doctor.error !== undefined, 2000, 'the refusal');
    expect(doctor.error).toMatchObject({ reason: 'server_error', event: 'join_doctor_room', code: 'not_found' });
    expect(clinic.error).toBeUndefined();
    expect(server.members('queue', 'clinic', { clinic_id: 1 })).toHaveLength(1);
    expect(errors.values).toEqual([]); // attributed: not reported as an unattributed refusal
  });
});

/** A refetch whose answer the test releases, to play a slow network. */
function slowRefetch() {
  const calls: { triggers: readonly string[]; release: (value: string) => void }[] = [];
  let running = 0;
  let overlapped = false;
  const refetch = (triggers: readonly string[]) =>
    new Promise<string>((resolve) => {
      running++;
      if (running > 1) overlapped = true;
      calls.push({ triggers, release: (value) => (running--, resolve(value)) });
    });
  return { refetch, calls, overlapped: () => overlapped };
}

describe('coalesceRefetch', () => {
  test('one refetch per 500 ms window however many triggers, in any order; the last trigger never lost', async () => {
    const scheduler = new ManualScheduler();
    const triggers = new Subject<string>();
    const refetches: (readonly string[])[] = [];
    triggers.pipe(coalesceRefetch((batch) => (refetches.push(batch), batch.length), { scheduler })).subscribe();

    // A burst, out of order (the queue update before the appointment that caused it).
    for (const event of ['queue_updated', 'appointment_created', 'queue_updated', 'visit_status_changed']) triggers.next(event);
    await scheduler.advance(499);
    expect(refetches).toEqual([]);
    await scheduler.advance(1);
    expect(refetches).toEqual([['queue_updated', 'appointment_created', 'queue_updated', 'visit_status_changed']]);

    // A steady stream cannot postpone it (not a debounce): one refetch per window.
    for (let t = 0; t < 1500; t += 100) {
      triggers.next(`tick ${t}`);
      await scheduler.advance(100);
    }
    expect(refetches.slice(1).map((batch) => batch.length)).toEqual([5, 5, 5]);

    // The last trigger, alone, still gets its refetch.
    triggers.next('payment_processed');
    await scheduler.advance(500);
    expect(refetches.at(-1)).toEqual(['payment_processed']);
    expect(scheduler.pending).toBe(0);
  });

  test('refetches never overlap: a window closing during a slow one waits, then one refetch covers it; answers in order', async () => {
    const scheduler = new ManualScheduler();
    const triggers = new Subject<string>();
    const slow = slowRefetch();
    const results = record(triggers.pipe(coalesceRefetch(slow.refetch, { scheduler })));

    triggers.next('a');
    await scheduler.advance(500);
    expect(slow.calls.map((call) => call.triggers)).toEqual([['a']]);
    // Still in flight: two more windows close.
    triggers.next('b');
    await scheduler.advance(500);
    triggers.next('c');
    await scheduler.advance(500);
    expect(slow.calls).toHaveLength(1);
    slow.calls[0]!.release('state after a');
    await until(() => slow.calls.length === 2, 1000, 'the waiting refetch');
    expect(slow.calls[1]!.triggers).toEqual(['b', 'c']);
    slow.calls[1]!.release('state after c');
    await until(() => results.values.length === 2, 1000, 'both results');
    expect(results.values).toEqual(['state after a', 'state after c']);
    expect(slow.overlapped()).toBe(false);
  });

  test('an open window is flushed when the source completes', async () => {
    const scheduler = new ManualScheduler();
    const triggers = new Subject<string>();
    const refetches: (readonly string[])[] = [];
    let completed = false;
    triggers.pipe(coalesceRefetch((batch) => refetches.push(batch), { scheduler })).subscribe({ complete: () => (completed = true) });
    triggers.next('queue_updated');
    triggers.complete();
    await until(() => completed, 1000, 'completion');
    expect(refetches).toEqual([['queue_updated']]);
    expect(scheduler.pending).toBe(0);
  });
});

describe('queueRefetches against the clinic server', () => {
  test('the nine events and every resync trigger refetches, one per window, through the client scheduler', async () => {
    server = await startClinicQueueServer({ clinics: { 1: [2] } });
    const scheduler = new ManualScheduler();
    const client = connect({ scheduler });
    const queue = client.services.queue;
    const triggers = record(queueTriggers(queue));
    const seen: Dashboard[] = [];
    const batches: (readonly RefetchTrigger[])[] = [];
    queueRefetches(
      queue,
      (batch) => {
        batches.push(batch);
        return server!.dashboard(1);
      },
      { scheduler },
    ).subscribe((dashboard) => seen.push(dashboard));
    queue.room('clinic', { clinic_id: 1 }).subscribe();
    await waitFor(queue.state$, (state) => state.status === 'connected', 3000);
    await until(() => server!.members('queue', 'clinic', { clinic_id: 1 }).length === 1, 2000, 'in the clinic room');

    server.checkIn(1, 2, 'Ann'); // new_checkin, queue_updated
    server.createAppointment(1, 2); // appointment_created, queue_updated
    for (const event of ['patient_created', 'patient_updated', 'payment_processed'] as const) {
      server.emit('queue', event, event === 'payment_processed' ? { payment: {}, visit: {} } : { patient: { id: 1 } });
    }
    await until(() => triggers.values.length === 7, 2000, 'seven triggers');
    expect(batches).toEqual([]);
    await scheduler.advance(500);
    await until(() => seen.length === 1, 1000, 'one refetch');
    expect(batches[0]!.map((trigger) => trigger.event)).toEqual([
      'new_checkin',
      'queue_updated',
      'appointment_created',
      'queue_updated',
      'patient_created',
      'patient_updated',
      'payment_processed',
    ]);
    expect(seen[0]).toMatchObject({ version: 2, waiting: [{ patient: 'Ann' }] });

    // A lost session: events may have been missed, so the resync refetches too.
    server.faults.dropTransport();
    for (let i = 0; i < 100 && !(queue.state.status === 'connected' && triggers.values.length === 8); i++) {
      await scheduler.advance(50); // the reconnect policy's delays run on the scheduler
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(triggers.values.at(-1)).toEqual({ event: 'resync' });
    await scheduler.advance(500);
    await until(() => seen.length === 2, 1000, 'the refetch after the resync');
    expect(REFETCH_EVENTS).toHaveLength(9);
  });
});
