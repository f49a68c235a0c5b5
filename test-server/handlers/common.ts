import type { Role } from '../../src/contract/index.js';
import type { App } from '../app.js';
import type { Consultation } from '../domain/consultations.js';
import { DomainError, key, nowIso, type Id } from '../domain/errors.js';
import type { HandlerContext } from '../transport/context.js';

export { nowIso };

/** The consultation named by the payload (or the handshake's), if the caller may act on it. */
export function consultationOf(ctx: HandlerContext, id?: Id): Consultation {
  return ctx.app.consultations.requireAccess(id ?? ctx.user.consultationId, ctx.user.userId, ctx.user.role);
}

/** A payload's `userId`/`patientId`/`practitionerId` must be the caller (admins may act for anyone). */
export function requireSelf(ctx: HandlerContext, userId: Id, field = 'userId'): void {
  if (ctx.user.role === 'ADMIN') return;
  if (key(userId) !== ctx.user.userId) {
    throw new DomainError(`${field} ${String(userId)} does not match the authenticated user`, 'forbidden');
  }
}

export function requireRole(ctx: HandlerContext, ...roles: Role[]): void {
  if (!roles.includes(ctx.user.role)) {
    throw new DomainError(`Only ${roles.join(' or ')} may do this (you are ${ctx.user.role})`, 'forbidden');
  }
}

export const isStaff = (role: Role) => role === 'PRACTITIONER' || role === 'ADMIN';

/** A practitioner acts on their own consultations (or unassigned ones); admins on any. */
export function requireInCharge(ctx: HandlerContext, consultation: Consultation): void {
  requireRole(ctx, 'PRACTITIONER', 'ADMIN');
  if (ctx.user.role === 'PRACTITIONER' && consultation.practitionerId && consultation.practitionerId !== ctx.user.userId) {
    throw new DomainError(`Consultation ${consultation.id} is assigned to another practitioner`, 'forbidden');
  }
}

/** The caller's display name. */
export function nameOf(app: App, userId: Id, role?: Role): string {
  return app.consultations.displayName(userId, role);
}

/** URLs a client navigates to (the demo page understands them). */
export function consultationUrls(app: App, consultation: Consultation) {
  const base = app.baseUrl();
  return {
    consultationRoom: `${base}/consultation/${consultation.id}`,
    waitingRoom: `${base}/waiting-room/${consultation.id}`,
    dashboard: `${base}/dashboard`,
  };
}

/** The consultation and the caller's participation (the payload's userId, when given, must be the caller). */
export function participantOf(ctx: HandlerContext, consultationId: string | number, userId?: string | number) {
  if (userId !== undefined) requireSelf(ctx, userId);
  const consultation = consultationOf(ctx, consultationId);
  const participant = ctx.app.consultations.participant(consultation, ctx.user.userId);
  if (!participant) throw new DomainError(`${ctx.user.userId} is not a participant of consultation ${consultation.id}`, 'forbidden');
  return { consultation, participant };
}
