import { isEnded } from '../domain/consultations.js';
import { DomainError, key, nowIso } from '../domain/errors.js';
import { admit, enterWaitingRoom } from './admission.js';
import { consultationOf, consultationUrls, isStaff, requireInCharge, requireRole, requireSelf } from './common.js';
import { queueOf, waitingPatient } from './queue.js';
import { NO_ACK, type HandlerTable } from './types.js';
import type { HandlerContext } from '../transport/context.js';

function waitingRoomData(ctx: HandlerContext, practitionerId: string) {
  const { app } = ctx;
  const mine = queueOf(app, practitionerId);
  const pool = queueOf(app, null);
  const now = Date.now();
  const waits = mine.map((s) => (now - Date.parse(s.joinedAt)) / 1000);
  return {
    mine,
    pool,
    averageWaitTime: waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : 0,
    longestWaitTime: waits.length ? Math.max(...waits) : 0,
  };
}

function patientOf(ctx: HandlerContext, consultationId: string | number, patientId: string | number) {
  if (!isStaff(ctx.user.role)) requireSelf(ctx, patientId, 'patientId');
  const consultation = consultationOf(ctx, consultationId);
  const participant = ctx.app.consultations.participant(consultation, patientId);
  if (!participant)
    throw new DomainError(`Patient ${String(patientId)} is not a participant of consultation ${consultation.id}`, 'not_found');
  return { consultation, participant };
}

/** Waiting room, smart join, admission and live join. */
export const waitingRoomHandlers: HandlerTable = {
  enter_waiting_room(ctx, { consultationId, userId }) {
    requireSelf(ctx, userId);
    const consultation = consultationOf(ctx, consultationId);
    const { session } = enterWaitingRoom(ctx.app, consultation, userId);
    const queue = queueOf(ctx.app, consultation.practitionerId);
    ctx.reply('waiting_room_entered', { session: ctx.app.waitingRoom.view(session, queue), message: 'You are in the waiting room' });
  },

  join_waiting_room_enhanced(ctx, { consultationId, userId }) {
    requireSelf(ctx, userId);
    const consultation = consultationOf(ctx, consultationId);
    const { session } = enterWaitingRoom(ctx.app, consultation, userId);
    const queue = queueOf(ctx.app, consultation.practitionerId);
    ctx.reply('waiting_room_joined', {
      success: true,
      waitingRoomSession: ctx.app.waitingRoom.view(session, queue),
      message: 'You are in the waiting room',
    });
  },

  waiting_room_heartbeat(ctx, { waitingRoomSessionId, patientId }) {
    requireSelf(ctx, patientId, 'patientId');
    const session = ctx.app.waitingRoom.heartbeat(waitingRoomSessionId, patientId);
    ctx.reply('waiting_room_heartbeat_ack', { sessionId: session.id, timestamp: nowIso() });
  },

  get_practitioner_waiting_room(ctx, { practitionerId }) {
    requireRole(ctx, 'PRACTITIONER', 'ADMIN');
    requireSelf(ctx, practitionerId, 'practitionerId');
    const { mine, pool, averageWaitTime, longestWaitTime } = waitingRoomData(ctx, key(practitionerId));
    ctx.reply('practitioner_waiting_room_data', {
      waitingRoomData: {
        practitionerId: key(practitionerId),
        waitingCount: mine.length,
        patients: mine.map((s) => waitingPatient(ctx.app, s, mine)),
        unassigned: pool.map((s) => waitingPatient(ctx.app, s, pool)),
        averageWaitTime,
        longestWaitTime,
      },
      timestamp: nowIso(),
    });
  },

  get_waiting_room_stats(ctx, { practitionerId }) {
    requireRole(ctx, 'PRACTITIONER', 'ADMIN');
    requireSelf(ctx, practitionerId, 'practitionerId');
    const { mine, averageWaitTime, longestWaitTime } = waitingRoomData(ctx, key(practitionerId));
    return { practitionerId, waitingCount: mine.length, averageWaitTime, longestWaitTime, timestamp: nowIso() };
  },

  smart_patient_join(ctx, { consultationId, patientId, joinType }) {
    const { consultation } = patientOf(ctx, consultationId, patientId);
    if (isEnded(consultation)) throw new DomainError(`Consultation ${consultation.id} has ended`, 'conflict');
    const urls = consultationUrls(ctx.app, consultation);
    const live = consultation.status === 'ACTIVE';
    if (!live) enterWaitingRoom(ctx.app, consultation, patientId);
    ctx.reply('smart_patient_join_response', {
      success: true,
      consultationId: consultation.id,
      patientId,
      joinType,
      redirectTo: live ? urls.consultationRoom : urls.waitingRoom,
    });
    ctx.app.hub.toConsultation(consultation.id, 'patient_join_state_change', {
      consultationId: consultation.id,
      patientId,
      joinType,
      newState: live ? 'consultation_room' : 'waiting_room',
      consultationStatus: consultation.status,
      timestamp: nowIso(),
    });
  },

  check_session_status(ctx, { consultationId, patientId }) {
    try {
      const { consultation, participant } = patientOf(ctx, consultationId, patientId);
      const urls = consultationUrls(ctx.app, consultation);
      const live = consultation.status === 'ACTIVE';
      ctx.reply('session_status_response', {
        success: true,
        consultationId: consultation.id,
        patientId,
        consultation: ctx.app.consultations.summary(consultation),
        participant: ctx.app.consultations.participantView(participant),
        navigation: { target: live ? 'consultation_room' : 'waiting_room', url: live ? urls.consultationRoom : urls.waitingRoom },
        urls,
        config: { heartbeatIntervalMs: ctx.app.options.heartbeatIntervalMs, chatRateLimit: ctx.app.options.chatRateLimit },
        data: { status: consultation.status, inWaitingRoom: participant.inWaitingRoom },
        timestamp: nowIso(),
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      ctx.reply('session_status_response', { success: false, consultationId, patientId, error: error.message, timestamp: nowIso() });
    }
  },

  check_patient_admission_status(ctx, { consultationId, patientId }) {
    const { consultation, participant } = patientOf(ctx, consultationId, patientId);
    const live = consultation.status === 'ACTIVE';
    const ended = isEnded(consultation);
    ctx.reply('patient_admission_status_response', {
      consultationId: consultation.id,
      patientId,
      consultationStatus: consultation.status,
      inWaitingRoom: participant.inWaitingRoom,
      isActive: participant.connections > 0,
      canJoinDirectly: live,
      recommendedAction: live ? 'join_consultation' : ended ? 'none' : 'wait_in_waiting_room',
      message: live ? 'You have been admitted' : ended ? 'The consultation has ended' : 'Please wait for the practitioner',
      timestamp: nowIso(),
    });
  },

  async admit_patient(ctx, { consultationId, patientId, welcomeMessage }) {
    const consultation = consultationOf(ctx, consultationId);
    requireInCharge(ctx, consultation);
    if (ctx.app.injected.admissionFails) {
      // The reference backend's runtime failure (a null gateway): an error event, no ack, no change.
      ctx.reply('error', { message: 'Failed to admit patient' });
      return NO_ACK;
    }
    const result = await admit(ctx.app, consultation, ctx.user, patientId, welcomeMessage);
    return {
      success: true,
      consultationId: result.consultationId,
      message: result.alreadyActive ? 'Patient already admitted' : 'Patient admitted',
    };
  },

  async admit_from_waiting_room_enhanced(ctx, { consultationId, patientId, welcomeMessage }) {
    const consultation = consultationOf(ctx, consultationId);
    requireInCharge(ctx, consultation);
    const result = await admit(ctx.app, consultation, ctx.user, patientId, welcomeMessage);
    if (result.alreadyActive) {
      ctx.reply('patient_admitted_from_waiting_room', {
        patientId,
        consultationId: consultation.id,
        admittedBy: ctx.user.userId,
        success: true,
      });
    }
  },

  join_live_consultation_enhanced(ctx, { consultationId, userId, role }) {
    requireSelf(ctx, userId);
    if (role !== ctx.user.role) throw new DomainError(`role ${role} does not match the authenticated role ${ctx.user.role}`, 'forbidden');
    const consultation = consultationOf(ctx, consultationId);
    if (consultation.status !== 'ACTIVE') {
      throw new DomainError(`Consultation ${consultation.id} is not live (status ${consultation.status})`, 'conflict');
    }
    const participant =
      ctx.app.consultations.participant(consultation, userId) ?? ctx.app.consultations.addParticipant(consultation, userId, role);
    participant.inLive = true;
    const joinedAt = nowIso();
    ctx.reply('live_consultation_joined', {
      liveConsultationData: {
        consultation: ctx.app.consultations.summary(consultation),
        participants: [...consultation.participants.values()].map((p) => ctx.app.consultations.participantView(p)),
        mediaReady: ctx.app.media.hasRouter(consultation.id),
        joinedAt,
      },
      message: 'Joined the live consultation',
    });
    ctx.app.hub.toConsultation(
      consultation.id,
      'participant_joined_live',
      { userId, userRole: role, consultationId: consultation.id, joinedAt },
      { exceptUserId: userId },
    );
  },

  patient_state_transition(ctx, { consultationId, fromState, toState, patientId }) {
    const { consultation, participant } = patientOf(ctx, consultationId, patientId);
    if (fromState === toState) throw new DomainError(`Patient is already in state ${toState}`, 'conflict');
    if (participant.journeyState !== null && participant.journeyState !== fromState) {
      throw new DomainError(`Patient is in state ${participant.journeyState}, not ${fromState}`, 'conflict');
    }
    participant.journeyState = toState;
    ctx.app.hub.toConsultation(consultation.id, 'patient_state_changed', {
      consultationId: consultation.id,
      patientId,
      fromState,
      toState,
      timestamp: nowIso(),
      triggeredBy: ctx.user.userId,
    });
  },
};
