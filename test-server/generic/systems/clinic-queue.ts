/**
 * A clinic queue server (docs/upstream/related-systems/clinic-queue-flask-socketio.md) on the
 * generic test server: `connected` on connect, the rooms `clinic_{id}`/`doctor_{id}` (unknown ids
 * refused with `error { message, code, event }`, or without `event` as a Flask handler's
 * `emit('error', {'message': ...})` would), and the routes' emissions (check-in, appointment) with a dashboard the
 * client refetches. Like Flask-SocketIO, no session survives a reconnection: rooms are lost.
 */
import { clinicQueueContract, clinicQueueRoomNames } from '../../../src/contracts/clinic-queue.js';
import { Refusal, startContractServer, type ContractServer } from '../server.js';

export interface Dashboard {
  clinic_id: number;
  /** Bumped by every change: a refetch tells how fresh it is. */
  version: number;
  waiting: { visit_id: number; patient: string }[];
}

export interface ClinicQueueServer extends ContractServer<typeof clinicQueueContract> {
  /** POST /queue/checkin: `new_checkin` to the clinic room, `queue_updated` to the clinic and doctor rooms. */
  checkIn(clinicId: number, doctorId: number, patient: string): void;
  /** POST /appointments: `appointment_created` then `queue_updated`, to the clinic and doctor rooms. */
  createAppointment(clinicId: number, doctorId: number): void;
  /** GET of the reception dashboard (what a refetch reads). */
  dashboard(clinicId: number): Dashboard;
}

export async function startClinicQueueServer({
  clinics = { 1: [2] },
  secret = 'clinic-secret',
  unnamedRefusals = false,
}: {
  clinics?: Record<number, number[]>;
  secret?: string;
  /** Refusals as `error { message, code }`, naming no event. */
  unnamedRefusals?: boolean;
} = {}): Promise<ClinicQueueServer> {
  const doctors = new Set(Object.values(clinics).flat());
  const dashboards = new Map<number, Dashboard>();
  const dashboard = (clinicId: number) => {
    let state = dashboards.get(clinicId);
    if (!state) dashboards.set(clinicId, (state = { clinic_id: clinicId, version: 0, waiting: [] }));
    return state;
  };
  let visits = 0;
  /** Refuses a join: by the generic server (`error` naming the event), or with an `error` that names none. */
  const refuse = (message: string, emit: (event: 'error', payload: { message: string; code: string }) => void) => {
    if (!unnamedRefusals) throw new Refusal(message, 'not_found');
    emit('error', { message, code: 'not_found' });
    return { error: message }; // a failure answer: the generic server does not join the room
  };
  const server = await startContractServer(clinicQueueContract, {
    auth: { secret },
    handlers: {
      queue: {
        roomNames: clinicQueueRoomNames,
        connection: ({ emit }) => emit('connected', { message: 'Connected' }),
        events: {
          join_queue_room: ({ clinic_id }, { emit }) => {
            if (!(clinic_id in clinics)) return refuse(`Clinic ${clinic_id} not found`, emit);
          },
          join_doctor_room: ({ doctor_id }, { emit }) => {
            if (!doctors.has(doctor_id)) return refuse(`Doctor ${doctor_id} not found`, emit);
          },
        },
      },
    },
  });
  const rooms = (clinicId: number, doctorId: number) => ({
    rawRoom: [clinicQueueRoomNames.clinic({ clinic_id: clinicId }), clinicQueueRoomNames.doctor({ doctor_id: doctorId })],
  });
  const queueUpdated = (clinicId: number, doctorId: number) => {
    const state = dashboard(clinicId);
    server.emit(
      'queue',
      'queue_updated',
      {
        clinic_id: clinicId,
        doctor_id: doctorId,
        waiting: state.waiting,
        called: [],
        in_progress: [],
        completed: [],
        total: state.waiting.length,
      },
      rooms(clinicId, doctorId),
    );
  };
  return Object.assign(server, {
    checkIn(clinicId: number, doctorId: number, patient: string) {
      const state = dashboard(clinicId);
      const visit = { visit_id: ++visits, patient };
      state.waiting.push(visit);
      state.version++;
      server.emit(
        'queue',
        'new_checkin',
        { visit, patient: { name: patient }, clinic_id: clinicId, doctor_id: doctorId },
        {
          room: 'clinic',
          params: { clinic_id: clinicId },
        },
      );
      queueUpdated(clinicId, doctorId);
    },
    createAppointment(clinicId: number, doctorId: number) {
      dashboard(clinicId).version++;
      const appointment = { id: ++visits };
      server.emit(
        'queue',
        'appointment_created',
        { appointment, visit: {}, clinic_id: clinicId, doctor_id: doctorId },
        rooms(clinicId, doctorId),
      );
      queueUpdated(clinicId, doctorId);
    },
    dashboard: (clinicId: number) => structuredClone(dashboard(clinicId)),
  });
}
