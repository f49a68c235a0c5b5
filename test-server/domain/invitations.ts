import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/contract/index.js';
import { DomainError, key, type Id } from './errors.js';

export interface Invitation {
  id: number;
  token: string;
  consultationId: number;
  email: string;
  role: Role;
  name: string | null;
  notes: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  usedBy: string | null;
}

/** Invitations: an unguessable token with an expiry, claimed once by one user (re-claim by the same user is fine). */
export class InvitationStore {
  private readonly byToken = new Map<string, Invitation>();
  private nextId = 1;

  constructor(private readonly ttlMs: number) {}

  create(input: { consultationId: number; email: string; role: Role; name?: string; notes?: string; createdBy: Id }): Invitation {
    const now = Date.now();
    const invitation: Invitation = {
      id: this.nextId++,
      token: randomBytes(18).toString('base64url'),
      consultationId: input.consultationId,
      email: input.email,
      role: input.role,
      name: input.name ?? null,
      notes: input.notes ?? null,
      createdBy: key(input.createdBy),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.ttlMs).toISOString(),
      usedBy: null,
    };
    this.byToken.set(invitation.token, invitation);
    return invitation;
  }

  /** The valid (known, unexpired) invitation of a token. */
  find(token: string, now = Date.now()): Invitation {
    const invitation = this.byToken.get(token);
    if (!invitation) throw new DomainError('Invalid invitation token', 'not_found');
    if (Date.parse(invitation.expiresAt) <= now) throw new DomainError('Invitation expired', 'forbidden');
    return invitation;
  }

  claim(token: string, userId: Id, now = Date.now()): Invitation {
    const invitation = this.find(token, now);
    if (invitation.usedBy && invitation.usedBy !== key(userId)) throw new DomainError('Invitation already used', 'conflict');
    invitation.usedBy = key(userId);
    return invitation;
  }

  /** Test hook: make an invitation expire now. */
  expire(token: string): void {
    const invitation = this.byToken.get(token);
    if (invitation) invitation.expiresAt = new Date(Date.now() - 1).toISOString();
  }

  all(): Invitation[] {
    return [...this.byToken.values()];
  }
}
