import type { Server, Socket } from 'socket.io';
import type { NamespaceSpec } from '../../src/contract/index.js';
import type { App } from '../app.js';
import { isEnded, type Consultation } from '../domain/consultations.js';
import { DomainError, key, nowIso, type Id } from '../domain/errors.js';
import { enterWaitingRoom, notifyWaiting } from '../handlers/admission.js';
import { announceTyping, wire } from '../handlers/chat.js';
import { setPresence } from '../handlers/presence.js';
import { endConsultation, patientStatus } from '../handlers/status.js';
import { queueOfConsultation } from '../handlers/queue.js';
import { announcedFeatures, errorEventPayload, isNumericId } from '../profile.js';
import { role as roleSchema } from '../../src/contract/index.js';
import { queryValue } from './auth.js';
import { dataOf, userOf, type SocketUser } from './context.js';
import { announceJoin, announceLeave } from './notices.js';
import { ReferenceLifecycle } from './reference-lifecycle.js';
import { peerIdOf, rooms } from './rooms.js';

/** Disconnect reasons after which Socket.IO keeps the session for recovery. */
const RECOVERABLE = new Set(['transport error', 'transport close', 'forced close', 'ping timeout']);
export const RECOVERY_WINDOW_MS = 120_000;

/** Namespaces whose connection is bound to one consultation the user must take part in. */
const BOUND = new Set(['/consultation', '/chat', '/enhanced-consultation']);

/**
 * Connection life cycle per namespace: handshake keys (missing → `error` + disconnect, as the
 * reference), rooms, on-connect notices, participant bookkeeping and clean-up on disconnect.
 */
export class Connections {
  /** Open sockets per user, all namespaces (presence). */
  private readonly sockets = new Map<string, number>();
  private readonly leaveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /**
   * Media of sockets that may still recover (connection state recovery): closed if they do not
   * come back, or at once when a new session of the same user arrives (see replaceMediaSessions).
   */
  private readonly parkedPeers = new Map<
    string,
    { timer: ReturnType<typeof setTimeout>; userId: string; consultationId: string | undefined }
  >();
  /** The /consultation life cycle of the reference profile. */
  private readonly reference: ReferenceLifecycle;

  constructor(private readonly app: App) {
    this.reference = new ReferenceLifecycle(app);
  }

  onConnection(io: Server, spec: NamespaceSpec, socket: Socket): boolean {
    const { app } = this;
    const { profile } = app;
    const user = userOf(socket);
    // First event of every namespace connection, before any other (refusals included).
    if (profile.announceFeatures) app.hub.send(socket, 'server_features', { features: announcedFeatures(profile) });
    // A recovered socket comes back with its old data: bind it afresh.
    dataOf(socket).consultations = [];
    const missing = spec.handshake.filter((name) => queryValue(socket, name) === undefined);
    if (missing.length > 0) return this.refuse(socket, `Missing handshake query parameter(s): ${missing.join(', ')}`, 'bad_request');
    // Reference: ids go through Number(...); users are numeric there.
    if (profile.numericIds && !(isNumericId(user.consultationId) && isNumericId(user.userId) && roleSchema.safeParse(user.role).success)) {
      return this.refuse(socket, 'Invalid connection parameters.', 'bad_request');
    }
    const consultation = app.consultations.get(user.consultationId);
    if (BOUND.has(spec.name)) {
      if (!consultation) return this.refuse(socket, `Consultation ${user.consultationId} not found`, 'not_found');
      if (!app.consultations.canAccess(consultation, user.userId, user.role)) {
        return this.refuse(socket, `User ${user.userId} is not a participant of consultation ${consultation.id}`, 'forbidden');
      }
    }
    const referenceConsultation = profile.lifecycle === 'reference' && spec.name === '/consultation';
    if (referenceConsultation && consultation) {
      const refused = this.reference.refusal(io, socket, consultation, user);
      if (refused) return this.refuse(socket, refused, 'conflict');
    }
    this.sockets.set(user.userId, (this.sockets.get(user.userId) ?? 0) + 1);
    const joined = [rooms.user(user.userId)];
    if (user.role === 'PRACTITIONER' || user.role === 'ADMIN') joined.push(rooms.practitioner(user.userId), rooms.practitioners);
    void socket.join(joined);
    if (consultation && app.consultations.canAccess(consultation, user.userId, user.role)) this.bind(socket, consultation.id);
    const parked = this.parkedPeers.get(peerIdOf(spec, socket));
    if (parked && socket.recovered) {
      clearTimeout(parked.timer);
      this.parkedPeers.delete(peerIdOf(spec, socket));
    }
    if (spec.name === '/mediasoup' && !socket.recovered && consultation) this.replaceMediaSessions(spec, socket, consultation, user);
    if (spec.name === '/mediasoup' && socket.recovered) this.app.media.pathsResumed(peerIdOf(spec, socket));
    socket.once('disconnect', (reason) => this.onDisconnect(io, spec, socket, reason));
    if (!consultation) return true;

    if (referenceConsultation) {
      this.reference.onConnect(io, socket, consultation, user);
      return true;
    }
    announceJoin(app, spec.name, socket, consultation, user);
    if (spec.name === '/consultation') this.consultationConnected(io, socket, consultation, user);
    if (spec.name === '/chat') this.chatConnected(socket, consultation);
    if (spec.name === '/enhanced-consultation' && user.role !== 'PATIENT') this.sendWaiting(socket, consultation);
    return true;
  }

  private refuse(socket: Socket, message: string, code: string): false {
    this.app.hub.send(socket, 'error', errorEventPayload(this.app.profile, socket.nsp.name, { message, code }));
    this.app.hub.deliver(() => socket.disconnect());
    return false;
  }

  /** Joins a consultation's rooms and counts the socket as one of the participant's connections. */
  bind(socket: Socket, consultationId: Id): void {
    const user = userOf(socket);
    const bound = (dataOf(socket).consultations ??= []);
    if (bound.includes(key(consultationId))) return;
    bound.push(key(consultationId));
    void socket.join([rooms.consultation(consultationId), rooms.member(consultationId, user.userId)]);
    const consultation = this.app.consultations.get(consultationId);
    const participant = consultation && this.app.consultations.participant(consultation, user.userId);
    if (participant) {
      participant.connections++;
      participant.lastSeenAt = nowIso();
    }
    const timer = this.leaveTimers.get(`${key(consultationId)}|${user.userId}`);
    if (timer) {
      clearTimeout(timer);
      this.leaveTimers.delete(`${key(consultationId)}|${user.userId}`);
    }
  }

  private consultationConnected(io: Server, socket: Socket, consultation: Consultation, user: SocketUser): void {
    const { app } = this;
    const consultationId = consultation.id;
    const at = nowIso();
    // Reference: a second practitioner/expert connection for the same consultation replaces the first.
    if (user.role === 'PRACTITIONER' || user.role === 'EXPERT') {
      for (const other of io.of('/consultation').sockets.values()) {
        if (other.id === socket.id || userOf(other)?.userId !== user.userId) continue;
        if (!(dataOf(other).consultations ?? []).includes(key(consultationId))) continue;
        app.hub.send(other, 'session_ended', {
          consultationId,
          userId: user.userId,
          role: user.role,
          timestamp: at,
          message: 'Replaced by a newer connection',
        });
        app.hub.deliver(() => other.disconnect());
      }
    }
    app.hub.send(socket, 'session_sync', {
      consultationId,
      userId: user.userId,
      role: user.role,
      timestamp: at,
      message: 'Session synchronized',
    });
    if (user.role === 'PATIENT') {
      app.hub.send(socket, 'consultation_status_patient', patientStatus(app, consultation));
      if (consultation.status === 'SCHEDULED' || consultation.status === 'WAITING') {
        try {
          enterWaitingRoom(app, consultation, user.userId);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
        }
      }
      return;
    }
    this.sendWaiting(socket, consultation);
  }

  /** Tells a practitioner's new socket who is already waiting for this consultation. */
  private sendWaiting(socket: Socket, consultation: Consultation): void {
    const user = userOf(socket);
    if (!this.app.profile.features.has('waiting_list_on_connect')) return;
    if (user.role !== 'PRACTITIONER' && user.role !== 'ADMIN') return;
    for (const session of queueOfConsultation(this.app, consultation)) {
      if (session.consultationId !== consultation.id) continue;
      notifyWaiting(this.app, consultation, session, (event, payload) =>
        this.app.hub.send(socket, event as 'patient_waiting', payload as never),
      );
    }
  }

  private chatConnected(socket: Socket, consultation: Consultation): void {
    const { app } = this;
    const page = app.chat.page(consultation.id, 50, 0);
    app.hub.send(socket, 'message_history', {
      messages: page.messages.map(wire),
      consultationId: consultation.id,
      hasMore: page.hasMore,
      ...(app.profile.features.has('history_echo') ? { limit: 50, offset: 0 } : {}),
      timestamp: nowIso(),
    });
  }

  private onDisconnect(io: Server, spec: NamespaceSpec, socket: Socket, reason: string): void {
    const { app } = this;
    const user = userOf(socket);
    const left = (this.sockets.get(user.userId) ?? 1) - 1;
    if (left > 0) this.sockets.set(user.userId, left);
    else this.sockets.delete(user.userId);
    this.releaseMedia(spec, socket, reason);
    for (const cid of dataOf(socket).consultations ?? []) {
      const consultation = app.consultations.get(cid);
      const participant = consultation && app.consultations.participant(consultation, user.userId);
      if (!consultation || !participant) continue;
      participant.connections = Math.max(0, participant.connections - 1);
      participant.lastSeenAt = nowIso();
      if (app.profile.lifecycle === 'reference' && spec.name === '/consultation') {
        void this.reference
          .onDisconnect(io, consultation, user)
          .catch((error) => app.options.logger.error('reference disconnect handling failed', error));
      } else {
        announceLeave(app, spec.name, socket, consultation, user);
      }
      if (participant.connections === 0) {
        if (app.typing.isTyping(cid, user.userId)) {
          app.typing.set(cid, user.userId, participant.firstName, false);
          announceTyping(app, consultation.id, user.userId, participant.firstName, false);
        }
        if (user.role === 'PRACTITIONER' && consultation.practitionerId === user.userId) this.practitionerLeft(consultation, user);
      }
    }
    if (left <= 0 && app.presence.isOnline(user.userId)) setPresence(app, user.userId, false);
  }

  /**
   * A new (not recovered) /mediasoup session of a user replaces the ones before it: their media in
   * this consultation is closed at once, parked or still connected (after a link outage the old
   * socket is often not even known to be dead yet), so the others get `producerClosed` now rather
   * than keeping a frozen copy of the same person until a ping timeout or the recovery window.
   * A recovered socket keeps its media (handled above: it is the same session).
   */
  private replaceMediaSessions(spec: NamespaceSpec, socket: Socket, consultation: Consultation, user: SocketUser): void {
    const own = peerIdOf(spec, socket);
    for (const [peerId, parked] of this.parkedPeers) {
      if (peerId === own || parked.userId !== user.userId || parked.consultationId !== key(consultation.id)) continue;
      clearTimeout(parked.timer);
      this.parkedPeers.delete(peerId);
      this.app.media.closePeer(peerId);
    }
    // Transports of this user's other sockets in this consultation (the new socket has none yet).
    this.app.media.closeUserMedia(user.userId, consultation.id);
  }

  /**
   * A socket that may come back with connection state recovery keeps its transports, producers and
   * consumers (the client resumes without rebuilding them) until the recovery window is over.
   */
  private releaseMedia(spec: NamespaceSpec, socket: Socket, reason: string): void {
    const peerId = peerIdOf(spec, socket);
    if (!this.app.options.connectionStateRecovery || !RECOVERABLE.has(reason)) return this.app.media.closePeer(peerId);
    const timer = setTimeout(() => {
      this.parkedPeers.delete(peerId);
      this.app.media.closePeer(peerId);
    }, RECOVERY_WINDOW_MS + 1000);
    timer.unref();
    const { userId, consultationId } = userOf(socket);
    const consultation = consultationId === undefined ? undefined : this.app.consultations.get(consultationId);
    this.parkedPeers.set(peerId, { timer, userId, consultationId: consultation ? key(consultation.id) : consultationId });
  }

  /** Reference behaviour (opt-in): the practitioner leaving an ACTIVE consultation ends it after a grace period. */
  private practitionerLeft(consultation: Consultation, user: SocketUser): void {
    const grace = this.app.options.practitionerLeaveGraceMs;
    if (grace === false || consultation.status !== 'ACTIVE') return;
    const timerKey = `${key(consultation.id)}|${user.userId}`;
    const timer = setTimeout(() => {
      this.leaveTimers.delete(timerKey);
      const participant = this.app.consultations.participant(consultation, user.userId);
      if (!participant || participant.connections > 0 || isEnded(consultation) || consultation.status !== 'ACTIVE') return;
      void endConsultation(this.app, consultation, {
        to: 'TERMINATED_OPEN',
        action: 'terminate',
        by: user.userId,
        byRole: user.role,
        reason: 'Practitioner disconnected',
      }).catch((error) => this.app.options.logger.error('ending the consultation failed', error));
    }, grace);
    this.leaveTimers.set(timerKey, timer);
  }

  /** Disconnects a user's sockets bound to one consultation. */
  disconnectMember(io: Server | undefined, consultationId: Id, userId: Id): void {
    if (!io) return;
    for (const spec of this.app.profile.namespaces) {
      void io.of(spec).in(rooms.member(consultationId, userId)).disconnectSockets();
    }
  }

  close(): void {
    for (const timer of this.leaveTimers.values()) clearTimeout(timer);
    this.leaveTimers.clear();
    for (const { timer } of this.parkedPeers.values()) clearTimeout(timer);
    this.parkedPeers.clear();
    this.reference.clear();
  }
}
