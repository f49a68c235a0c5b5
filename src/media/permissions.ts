import { HcwError } from '../core/errors.js';

/** What went wrong when asking for a camera, microphone or screen. */
export type MediaErrorKind = 'denied' | 'not_found' | 'in_use' | 'overconstrained' | 'insecure' | 'aborted' | 'unknown';

/** Per kind: what the user can do about it. */
export const MEDIA_GUIDANCE: Record<MediaErrorKind, string> = {
  denied:
    'Access was blocked. Allow the camera and microphone in the browser (padlock icon in the address bar) or in the system privacy settings, then try again.',
  not_found: 'No camera or microphone was found. Plug one in, or check that it is enabled in the system settings.',
  in_use: 'The device is busy or failed to start. Close other apps that use the camera (video calls, camera apps) and try again.',
  overconstrained: 'The selected device cannot satisfy the requested settings. Choose another device or a lower resolution.',
  insecure: 'Media access needs a secure page (https or localhost) and permission for this site.',
  aborted: 'The request was interrupted. Try again.',
  unknown: 'The camera or microphone could not be started. Reload the page and try again.',
};

/** A getUserMedia / getDisplayMedia failure, typed, with guidance for the user. */
export class MediaAccessError extends HcwError {
  constructor(
    readonly kind: MediaErrorKind,
    readonly device: 'camera' | 'microphone' | 'screen',
    readonly guidance: string,
    cause: unknown,
  ) {
    super('media_access', `${device}: ${kind} — ${guidance}`, { cause });
  }
}

/** Maps a DOMException name from getUserMedia to a kind (browsers differ in names). */
export function mediaErrorKind(error: unknown): MediaErrorKind {
  const name = (error as { name?: unknown } | null)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return 'not_found';
    case 'NotReadableError':
    case 'TrackStartError':
      return 'in_use';
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'overconstrained';
    case 'SecurityError':
      return 'insecure';
    case 'AbortError':
      return 'aborted';
    default:
      return 'unknown';
  }
}

export function toMediaAccessError(error: unknown, device: 'camera' | 'microphone' | 'screen'): MediaAccessError {
  const kind = mediaErrorKind(error);
  return new MediaAccessError(kind, device, MEDIA_GUIDANCE[kind], error);
}
