/** A refusal the client caused (bad state, no access, unknown id): answered as the event's error. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: 'bad_request' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' = 'bad_request',
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export type Id = string | number;

/** One key for ids that arrive as numbers or strings (`1` and `"1"` are the same consultation). */
export const key = (id: Id): string => String(id);

export const nowIso = (): string => new Date().toISOString();
