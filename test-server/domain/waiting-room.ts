import type { Consultation } from './consultations.js';
import { DomainError, key, nowIso, type Id } from './errors.js';

export interface WaitingSession {
  id: string;
  consultationId: number;
  patientId: string;
  joinedAt: string;
  lastHeartbeatAt: string;
  heartbeats: number;
}

/** Average consultation length used for wait estimates, in seconds. */
const SLOT_SECONDS = 300;

/** Waiting-room sessions: one per patient and consultation, queued per practitioner by arrival. */
export class WaitingRoomStore {
  private readonly sessions = new Map<string, WaitingSession>();
  private nextId = 1;

  /** Enters (or returns the existing session: entering twice is idempotent). */
  enter(consultation: Consultation, patientId: Id): { session: WaitingSession; created: boolean } {
    const existing = this.find(consultation.id, patientId);
    if (existing) return { session: existing, created: false };
    const at = nowIso();
    const session: WaitingSession = {
      id: `wr-${this.nextId++}`,
      consultationId: consultation.id,
      patientId: key(patientId),
      joinedAt: at,
      lastHeartbeatAt: at,
      heartbeats: 0,
    };
    this.sessions.set(session.id, session);
    return { session, created: true };
  }

  leave(consultationId: Id, patientId?: Id): WaitingSession[] {
    const removed = [...this.sessions.values()].filter(
      (s) => key(s.consultationId) === key(consultationId) && (patientId === undefined || s.patientId === key(patientId)),
    );
    for (const session of removed) this.sessions.delete(session.id);
    return removed;
  }

  find(consultationId: Id, patientId: Id): WaitingSession | undefined {
    return [...this.sessions.values()].find((s) => key(s.consultationId) === key(consultationId) && s.patientId === key(patientId));
  }

  get(sessionId: Id): WaitingSession | undefined {
    return this.sessions.get(key(sessionId));
  }

  heartbeat(sessionId: Id, patientId: Id): WaitingSession {
    const session = this.get(sessionId);
    if (!session) throw new DomainError(`Waiting room session ${String(sessionId)} not found`, 'not_found');
    if (session.patientId !== key(patientId)) throw new DomainError('This waiting room session belongs to another patient', 'forbidden');
    session.lastHeartbeatAt = nowIso();
    session.heartbeats++;
    return session;
  }

  all(): WaitingSession[] {
    return [...this.sessions.values()];
  }

  /**
   * The queue a session waits in: sessions of consultations with the same practitioner (or of
   * unassigned consultations), oldest first.
   */
  queueOf(practitionerId: string | null, practitionerOf: (consultationId: number) => string | null): WaitingSession[] {
    return this.all()
      .filter((s) => practitionerOf(s.consultationId) === practitionerId)
      .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt) || a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  /** 1-based position in its queue, and an estimate in seconds. */
  position(session: WaitingSession, queue: WaitingSession[]): { position: number; estimatedWaitTime: number } {
    const position = queue.findIndex((s) => s.id === session.id) + 1;
    return { position, estimatedWaitTime: Math.max(0, position - 1) * SLOT_SECONDS };
  }

  view(session: WaitingSession, queue: WaitingSession[]) {
    return {
      id: session.id,
      sessionId: session.id,
      consultationId: session.consultationId,
      patientId: session.patientId,
      joinedAt: session.joinedAt,
      ...this.position(session, queue),
    };
  }
}
