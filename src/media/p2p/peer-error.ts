import { HcwError } from '../../core/errors.js';

/** A failure of peer-to-peer media nothing awaits: an SDK error as it is, any other as `media_failed` with its cause. */
export function peerError(message: string, error: unknown): HcwError {
  if (error instanceof HcwError) return error;
  return new HcwError('media_failed', `${message}: ${String(error)}`, { cause: error });
}
