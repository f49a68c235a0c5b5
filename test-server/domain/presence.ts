import { key, type Id } from './errors.js';

/** Practitioner presence, as declared by `practitioner_online` / `practitioner_offline`. */
export class PresenceStore {
  private readonly online = new Set<string>();

  /** Returns true when the state changed. */
  set(practitionerId: Id, online: boolean): boolean {
    const id = key(practitionerId);
    if (this.online.has(id) === online) return false;
    if (online) this.online.add(id);
    else this.online.delete(id);
    return true;
  }

  isOnline(practitionerId: Id): boolean {
    return this.online.has(key(practitionerId));
  }

  list(): string[] {
    return [...this.online];
  }
}
