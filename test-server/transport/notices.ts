import type { Socket } from 'socket.io';
import type { App } from '../app.js';
import type { Consultation } from '../domain/consultations.js';
import { nowIso } from '../domain/errors.js';
import { queryValue } from './auth.js';
import type { SocketUser } from './context.js';

const only = (namespace: string, user: SocketUser) => ({ namespaces: [namespace], exceptUserId: user.userId });

/** What the others in a namespace learn when someone connects (reference gateways, plus the table's notices). */
export function announceJoin(app: App, namespace: string, socket: Socket, consultation: Consultation, user: SocketUser): void {
  const consultationId = consultation.id;
  const at = nowIso();
  const name = app.consultations.displayName(user.userId, user.role);
  if (namespace === '/chat') {
    const joinType = queryValue(socket, 'joinType') ?? 'consultation';
    app.hub.toConsultation(
      consultationId,
      'user_joined_chat',
      { userId: user.userId, consultationId, userRole: user.role, joinType, joinedAt: at },
      only(namespace, user),
    );
    return;
  }
  if (namespace !== '/consultation' && namespace !== '/enhanced-consultation') return;
  if (socket.recovered) {
    app.hub.toConsultation(
      consultationId,
      'user_reconnected',
      { userId: user.userId, timestamp: at, message: `${name} reconnected` },
      only(namespace, user),
    );
  }
  if (namespace !== '/consultation') return;
  app.hub.toConsultation(
    consultationId,
    'system_message',
    { type: 'user_joined', userId: user.userId, role: user.role, timestamp: at, message: `${name} joined` },
    only(namespace, user),
  );
  app.hub.toConsultation(
    consultationId,
    'participant_joined',
    {
      type: 'participant_joined',
      title: 'Participant joined',
      description: `${name} joined the consultation`,
      severity: 'info',
      data: { userId: user.userId, role: user.role, consultationId },
      consultationId,
      userId: user.userId,
      role: user.role,
      joinedAt: at,
    },
    only(namespace, user),
  );
  const participant = app.consultations.participant(consultation, user.userId);
  if ((user.role === 'EXPERT' || user.role === 'GUEST') && participant) {
    const view = app.consultations.participantView(participant);
    const capabilities = { chat: true, audio: true, video: true, screenShare: user.role === 'EXPERT' };
    app.hub.toConsultation(
      consultationId,
      'expert_guest_joined_consultation',
      { consultationId, participant: view, joinTime: at, capabilities },
      only(namespace, user),
    );
    app.hub.send(socket, 'participant_ready_for_consultation', {
      consultationId,
      participant: view,
      features: capabilities,
      timestamp: at,
    });
  }
  if (user.role === 'PRACTITIONER' && consultation.practitionerId === user.userId) {
    app.hub.toConsultation(
      consultationId,
      'practitioner-joined',
      { practitionerId: user.userId, consultationId, joinedAt: at },
      only(namespace, user),
    );
    app.hub.toConsultation(
      consultationId,
      'doctor_joined',
      { consultationId, practitionerId: user.userId, message: `${name} has joined` },
      only(namespace, user),
    );
  }
}

/** What the others learn when someone's socket of a namespace goes away. */
export function announceLeave(app: App, namespace: string, socket: Socket, consultation: Consultation, user: SocketUser): void {
  const consultationId = consultation.id;
  const at = nowIso();
  const name = app.consultations.displayName(user.userId, user.role);
  if (namespace === '/chat') {
    const joinType = queryValue(socket, 'joinType') ?? 'consultation';
    app.hub.toConsultation(
      consultationId,
      'user_left_chat',
      { userId: user.userId, consultationId, userRole: user.role, joinType, leftAt: at },
      only(namespace, user),
    );
    return;
  }
  if (namespace !== '/consultation') return;
  app.hub.toConsultation(
    consultationId,
    'system_message',
    { type: 'user_left', userId: user.userId, role: user.role, timestamp: at, message: `${name} left` },
    only(namespace, user),
  );
  app.hub.toConsultation(
    consultationId,
    'participant_left',
    {
      type: 'participant_left',
      title: 'Participant left',
      description: `${name} left the consultation`,
      severity: 'info',
      data: { userId: user.userId, role: user.role, consultationId },
    },
    only(namespace, user),
  );
  if (user.role === 'PRACTITIONER' && consultation.practitionerId === user.userId) {
    app.hub.toConsultation(
      consultationId,
      'practitioner-left',
      { practitionerId: user.userId, consultationId, leftAt: at },
      only(namespace, user),
    );
  }
}
