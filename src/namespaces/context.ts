import type { Role } from '../contract/index.js';

/** Who this client is: used by the convenience methods to fill in ids. */
export interface ClientIdentity {
  readonly consultationId: string | number;
  readonly userId: string | number;
  readonly role: Role;
}
