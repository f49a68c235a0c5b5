import { isEnded } from '../domain/consultations.js';
import { DomainError, nowIso } from '../domain/errors.js';
import { consultationOf, participantOf, requireSelf } from './common.js';
import { openMediaSession } from './media-session.js';
import type { HandlerTable } from './types.js';

/** Media session: initialize, join, leave, capabilities and status (non-mediasoup signalling). */
export const mediaHandlers: HandlerTable = {
  async initialize_media_session(ctx, { consultationId, initiatorUserId, initiatorRole }) {
    requireSelf(ctx, initiatorUserId, 'initiatorUserId');
    if (initiatorRole !== ctx.user.role)
      throw new DomainError(`initiatorRole ${initiatorRole} does not match your role ${ctx.user.role}`, 'forbidden');
    const { consultation } = participantOf(ctx, consultationId);
    if (isEnded(consultation)) throw new DomainError(`Consultation ${consultation.id} has ended`, 'conflict');
    if (!(await openMediaSession(ctx.app, consultation))) throw new DomainError('Media is not available on this server');
    const info = (await ctx.app.media.routerInfo(consultation.id))!;
    ctx.app.hub.toConsultation(consultation.id, 'media_session_initialized', {
      consultationId: consultation.id,
      routerId: info.routerId,
      rtpCapabilities: info.rtpCapabilities,
      sessionInitialized: true,
    });
  },

  join_media_session(ctx, { consultationId, userId, userRole }) {
    const { consultation, participant } = participantOf(ctx, consultationId, userId);
    const canJoinMedia = ctx.app.media.enabled && (ctx.app.media.hasRouter(consultation.id) || consultation.status === 'ACTIVE');
    if (canJoinMedia) participant.inMedia = true;
    ctx.reply('media_join_response', {
      consultationId: consultation.id,
      success: canJoinMedia,
      canJoinMedia,
      mediaCapabilities: { audio: true, video: true, screenShare: true, mediasoup: ctx.app.media.enabled },
      timestamp: nowIso(),
    });
    if (!canJoinMedia) return;
    ctx.app.hub.toConsultation(
      consultation.id,
      'participant_joined_media',
      {
        consultationId: consultation.id,
        participant: ctx.app.consultations.participantView(participant),
        capabilities: { ...participant.deviceStatus, role: userRole },
        timestamp: nowIso(),
      },
      { exceptUserId: ctx.user.userId },
    );
  },

  leave_media_session(ctx, { consultationId, userId, userRole }) {
    const { consultation, participant } = participantOf(ctx, consultationId, userId);
    const wasIn = participant.inMedia;
    participant.inMedia = false;
    if (consultation.screenSharer === ctx.user.userId) consultation.screenSharer = null;
    ctx.app.media.closeUserMedia(ctx.user.userId, consultation.id);
    ctx.reply('media_leave_response', { consultationId: consultation.id, success: true, timestamp: nowIso() });
    if (wasIn) {
      ctx.app.hub.toConsultation(
        consultation.id,
        'participant_left_media',
        { consultationId: consultation.id, userId: ctx.user.userId, role: userRole, timestamp: nowIso() },
        { exceptUserId: ctx.user.userId },
      );
    }
  },

  request_participant_media_capabilities(ctx, { consultationId, userId }) {
    const consultation = consultationOf(ctx, consultationId);
    const participant = ctx.app.consultations.participant(consultation, userId);
    if (!participant) throw new DomainError(`${String(userId)} is not a participant of consultation ${consultation.id}`, 'not_found');
    ctx.reply('participant_media_capabilities_response', {
      consultationId: consultation.id,
      userId,
      capabilities: { ...participant.deviceStatus, ...participant.mediaStatus, permissions: participant.permissions },
      inWaitingRoom: participant.inWaitingRoom,
      isActive: participant.connections > 0,
      timestamp: nowIso(),
    });
  },

  async request_media_session_status(ctx, { consultationId }) {
    const consultation = consultationOf(ctx, consultationId);
    const info = await ctx.app.media.routerInfo(consultation.id);
    const producers = await ctx.app.media.producers(consultation.id);
    ctx.reply('media_session_status_response', {
      consultationId: consultation.id,
      participants: [...consultation.participants.values()].map((p) => ({
        userId: p.userId,
        role: p.role,
        inMedia: p.inMedia,
        isActive: p.connections > 0,
        mediaStatus: p.mediaStatus,
        quality: p.quality?.level ?? null,
        producers: producers
          .filter((producer) => producer.userId === p.userId)
          .map(({ producerId, kind, paused }) => ({ producerId, kind, paused })),
      })),
      health: {
        mediasoupReady: info !== undefined,
        routerId: info?.routerId ?? null,
        producers: producers.length,
        screenSharer: consultation.screenSharer,
      },
      timestamp: nowIso(),
    });
  },
};
