/**
 * The clinic queue contract (a Flask-SocketIO server): queue, appointment, visit, patient and
 * payment events, delivered to the rooms `clinic_{id}` and `doctor_{id}` that clients join by an
 * event, as `docs/upstream/related-systems/clinic-queue-flask-socketio.md` describes them.
 *
 * The server keeps no session across reconnections, so its rooms are lost every time: the SDK
 * joins them again (`service.room(...)`). Nine events mean "the dashboard is stale"; the dashboard
 * refetches at most once per 500 ms window ({@link queueRefetches}).
 *
 * ```ts
 * import { createRealtimeClient } from 'hcw-realtime-sdk';
 * import { clinicQueueContract, queueRefetches } from 'hcw-realtime-sdk/contracts/clinic-queue';
 *
 * const client = createRealtimeClient(clinicQueueContract, { url, token: getJwt });
 * const queue = client.services.queue;
 * queue.room('clinic', { clinic_id: 1 }).subscribe();
 * queueRefetches(queue, () => api.dashboard()).subscribe(render);
 * ```
 * @packageDocumentation
 * @module hcw-realtime-sdk/contracts/clinic-queue
 */
import { map, merge, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import { defineNamespace, emit, receive, type IncomingPayload, type ServerEventName } from '../contract/define.js';
import { coalesceRefetch, type CoalesceRefetchOptions } from './coalesce-refetch.js';

export { coalesceRefetch, type CoalesceRefetchOptions } from './coalesce-refetch.js';

/** Database ids (integers). */
const id = z.number().check(z.int());
/** Server records (visit, patient, appointment, payment): objects whose fields are the REST API's. */
const record = z.looseObject({});

const clinicRef = z.looseObject({ clinic_id: id });
const doctorRef = z.looseObject({ doctor_id: id });

/** The queue namespace (Flask-SocketIO's default namespace). The JWT travels in `auth`; no handshake query. */
export const clinicQueueNamespace = defineNamespace({
  name: '/',
  handshake: [],
  rooms: {
    /** `clinic_{clinic_id}`: every user viewing the clinic. */
    clinic: { join: 'join_queue_room', leave: 'leave_queue_room' },
    /** `doctor_{doctor_id}`: every user viewing the doctor's queue. */
    doctor: { join: 'join_doctor_room', leave: 'leave_doctor_room' },
  },
  events: {
    join_queue_room: emit(clinicRef, { errors: ['error'], note: 'Not acknowledged: a refusal comes as `error`.' }),
    leave_queue_room: emit(clinicRef),
    join_doctor_room: emit(doctorRef, { errors: ['error'], note: 'Not acknowledged: a refusal comes as `error`.' }),
    leave_doctor_room: emit(doctorRef),
    connected: receive(z.unknown(), { note: 'Connection successful (after the JWT was verified); its payload is not specified.' }),
    error: receive(z.looseObject({ message: z.optional(z.string()) }), {
      note: 'Authentication error or invalid request. The shape is not specified beyond a message; the SDK reports it as `server_error`.',
    }),
    queue_updated: receive(
      z.looseObject({
        clinic_id: id,
        doctor_id: z.optional(id),
        waiting: z.array(record),
        called: z.array(record),
        in_progress: z.array(record),
        completed: z.array(record),
        total: z.number(),
      }),
      {
        requires: ['clinic_id'],
        note: 'To the clinic and doctor rooms on check-in, call, start, completion, walk-in, cancellation and phase moves; rapid operations send several.',
      },
    ),
    new_checkin: receive(z.looseObject({ visit: record, patient: record, clinic_id: id, doctor_id: id }), { requires: ['clinic_id'] }),
    appointment_created: receive(z.looseObject({ appointment: record, visit: record, clinic_id: id, doctor_id: id }), {
      requires: ['clinic_id'],
    }),
    appointment_updated: receive(z.looseObject({ appointment: record, clinic_id: id, doctor_id: id }), { requires: ['clinic_id'] }),
    appointment_cancelled: receive(z.looseObject({ appointment: record, clinic_id: id, doctor_id: id }), { requires: ['clinic_id'] }),
    visit_status_changed: receive(z.looseObject({ visit: record, clinic_id: id, doctor_id: id }), { requires: ['clinic_id'] }),
    walkin_added: receive(z.looseObject({ visit: record, clinic_id: id }), { requires: ['clinic_id'] }),
    visit_cancelled: receive(z.looseObject({ visit_id: id, reason: z.string(), clinic_id: id }), { requires: ['clinic_id'] }),
    queue_reordered: receive(z.looseObject({ visit_id: id, new_position: z.number().check(z.int()), clinic_id: id }), {
      requires: ['clinic_id'],
    }),
    patient_created: receive(z.looseObject({ patient: record }), { note: 'To every client.' }),
    patient_updated: receive(z.looseObject({ patient: record }), { note: 'To every client.' }),
    payment_processed: receive(z.looseObject({ payment: record, visit: record }), { note: 'To every client.' }),
  },
});

/** The clinic queue contract: `createRealtimeClient(clinicQueueContract, options)` gives `services.queue`. */
export const clinicQueueContract = { queue: clinicQueueNamespace } as const;

export type ClinicQueueNamespace = typeof clinicQueueNamespace;
export type ClinicQueueContract = typeof clinicQueueContract;

/** The socket.io room names the server puts the joins in (`clinic_{id}`, `doctor_{id}`). */
export const clinicQueueRoomNames = {
  clinic: ({ clinic_id }: { clinic_id: number }) => `clinic_${clinic_id}`,
  doctor: ({ doctor_id }: { doctor_id: number }) => `doctor_${doctor_id}`,
} as const;

/** The nine events after which the reception dashboard refetches (its state changed on the server). */
export const REFETCH_EVENTS = [
  'queue_updated',
  'new_checkin',
  'visit_status_changed',
  'appointment_created',
  'appointment_updated',
  'appointment_cancelled',
  'patient_created',
  'patient_updated',
  'payment_processed',
] as const satisfies readonly ServerEventName<ClinicQueueNamespace>[];

export type RefetchEventName = (typeof REFETCH_EVENTS)[number];

/**
 * Why a refetch is due: one of the nine events (with its payload), or `resync` after a reconnection
 * the server did not recover (events may have been missed while offline).
 */
export type RefetchTrigger =
  | { [E in RefetchEventName]: { event: E; payload: IncomingPayload<ClinicQueueNamespace, E> } }[RefetchEventName]
  | { event: 'resync'; payload?: undefined };

/** What {@link queueTriggers} needs of the queue service (`client.services.queue`). */
export interface ClinicQueueEvents {
  on<E extends ServerEventName<ClinicQueueNamespace>>(event: E): Observable<IncomingPayload<ClinicQueueNamespace, E>>;
  readonly resync$: Observable<void>;
}

/** The nine refetch events and every resync of the queue service, as {@link RefetchTrigger}s in arrival order. */
export function queueTriggers(service: ClinicQueueEvents): Observable<RefetchTrigger> {
  return merge(
    ...REFETCH_EVENTS.map((event) => service.on(event).pipe(map((payload) => ({ event, payload }) as RefetchTrigger))),
    service.resync$.pipe(map((): RefetchTrigger => ({ event: 'resync' }))),
  );
}

/**
 * The dashboard's refetch: `refetch` runs at most once per window (default 500 ms) after any of the
 * nine events or a resync, never loses the last one, never overlaps itself (see {@link coalesceRefetch}).
 * Emits each refetch's result, in order.
 */
export function queueRefetches<R>(
  service: ClinicQueueEvents,
  refetch: (triggers: readonly RefetchTrigger[]) => R | PromiseLike<R>,
  options?: CoalesceRefetchOptions,
): Observable<R> {
  return queueTriggers(service).pipe(coalesceRefetch(refetch, options));
}
