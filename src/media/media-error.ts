import { HcwError } from '../core/errors.js';

/**
 * An {@link HcwError} for a failure inside media work nothing awaits: an SDK error as it is, any
 * other (mediasoup-client, WebRTC) as `media_failed` with its cause.
 */
export function asMediaError(message: string, error: unknown): HcwError {
  if (error instanceof HcwError) return error;
  return new HcwError('media_failed', `${message}: ${String(error)}`, { namespace: '/mediasoup', cause: error });
}

/** The operation does not fit the media session's state now (not joined, not published, closed meanwhile). */
export function invalidMediaState(message: string): HcwError {
  return new HcwError('invalid_state', message, { namespace: '/mediasoup' });
}
