import type { App } from '../app.js';
import type { Consultation } from '../domain/consultations.js';
import { DomainError, nowIso } from '../domain/errors.js';

/**
 * Opens the consultation's media session (its router), as the reference backend does on admission,
 * `initialize_media_session` and `join_via_invite`, and tells the room it is live.
 */
export async function openMediaSession(app: App, consultation: Consultation): Promise<boolean> {
  const consultationId = consultation.id;
  if (!app.media.enabled) {
    app.hub.toConsultation(consultationId, 'media_session_live', { consultationId, timestamp: nowIso(), mediasoupReady: false });
    return false;
  }
  const existed = app.media.hasRouter(consultationId);
  try {
    const router = await app.media.ensureRouter(consultationId);
    if (existed) return true;
    app.hub.toConsultation(consultationId, 'media_session_live', { consultationId, timestamp: nowIso(), mediasoupReady: true });
    app.hub.toConsultation(consultationId, 'media_session_ready', {
      consultationId,
      timestamp: nowIso(),
      mediasoupReady: true,
      routerId: router.id,
      rtpCapabilities: router.rtpCapabilities,
      canJoinMedia: true,
      mediaInitialized: true,
    });
    return true;
  } catch (error) {
    app.options.logger.error(`media session for consultation ${consultationId} failed to open`, error);
    app.hub.toConsultation(consultationId, 'media_session_live', { consultationId, timestamp: nowIso(), mediasoupReady: false });
    return false;
  }
}

/** Closes the router (and every transport on it) and tells the room. */
export async function closeMediaSession(app: App, consultation: Consultation): Promise<void> {
  await app.media.closeRouter(consultation.id);
  for (const participant of consultation.participants.values()) participant.inMedia = false;
  consultation.screenSharer = null;
  app.hub.toConsultation(consultation.id, 'media_session_closed', { consultationId: consultation.id, mediasoupCleaned: true });
}

/**
 * The router for a media request: existing, or (full profile) created lazily while the consultation
 * is ACTIVE. In the reference profile only admission, `initialize_media_session` and the like open it.
 */
export async function routerFor(app: App, consultation: Consultation) {
  if (!app.media.hasRouter(consultation.id) && (consultation.status !== 'ACTIVE' || !app.profile.lazyRouter)) {
    throw new DomainError(
      `No media session for consultation ${consultation.id} (status ${consultation.status}): it opens on admission`,
      'conflict',
    );
  }
  return app.media.ensureRouter(consultation.id);
}
