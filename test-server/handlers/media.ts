import { isEnded } from '../domain/consultations.js';
import { DomainError, nowIso } from '../domain/errors.js';
import type { HandlerContext } from '../transport/context.js';
import { consultationOf, nameOf, requireSelf } from './common.js';
import { openMediaSession } from './media-session.js';
import type { HandlerTable } from './types.js';

function participantOf(ctx: HandlerContext, consultationId: string | number, userId?: string | number) {
  if (userId !== undefined) requireSelf(ctx, userId);
  const consultation = consultationOf(ctx, consultationId);
  const participant = ctx.app.consultations.participant(consultation, ctx.user.userId);
  if (!participant) throw new DomainError(`${ctx.user.userId} is not a participant of consultation ${consultation.id}`, 'forbidden');
  return { consultation, participant };
}

/** Connection quality from what the client measured. */
export function qualityOf(input: { packetLoss?: number; latency?: number; jitter?: number; quality?: string }): 'good' | 'fair' | 'poor' {
  if (input.quality === 'good' || input.quality === 'fair' || input.quality === 'poor') return input.quality;
  const loss = input.packetLoss ?? 0;
  const latency = input.latency ?? 0;
  const jitter = input.jitter ?? 0;
  if (loss > 10 || latency > 800 || jitter > 100) return 'poor';
  if (loss > 3 || latency > 300 || jitter > 30) return 'fair';
  return 'good';
}

const GUIDANCE: Record<string, { guidanceType: string; message: string; actions: string[] }> = {
  NotAllowedError: {
    guidanceType: 'permission_denied',
    message: 'Camera or microphone access was blocked. Allow it in the browser settings, then reload.',
    actions: ['open_browser_settings', 'reload'],
  },
  NotFoundError: {
    guidanceType: 'device_not_found',
    message: 'No camera or microphone was found. Plug one in or continue with audio or chat only.',
    actions: ['check_devices', 'continue_without_video'],
  },
  NotReadableError: {
    guidanceType: 'device_in_use',
    message: 'The camera or microphone is used by another application. Close it and retry.',
    actions: ['close_other_apps', 'retry'],
  },
};

/** Media session, devices, permissions, quality and stats (non-mediasoup signalling). */
export const mediaHandlers: HandlerTable = {
  async initialize_media_session(ctx, { consultationId, initiatorUserId, initiatorRole }) {
    requireSelf(ctx, initiatorUserId, 'initiatorUserId');
    if (initiatorRole !== ctx.user.role) throw new DomainError(`initiatorRole ${initiatorRole} does not match your role ${ctx.user.role}`, 'forbidden');
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

  update_media_device_status(ctx, { consultationId, userId, ...status }) {
    const { consultation, participant } = participantOf(ctx, consultationId, userId);
    Object.assign(participant.deviceStatus, status);
    ctx.app.hub.toConsultation(consultation.id, 'media_device_status_updated', {
      userId: ctx.user.userId,
      deviceStatus: participant.deviceStatus,
      consultationId: consultation.id,
    });
    ctx.app.hub.toConsultation(consultation.id, 'participant_media_status', {
      participantId: ctx.user.userId,
      mediaStatus: { ...participant.deviceStatus, ...participant.mediaStatus },
    });
  },

  toggle_video(ctx, { consultationId, userId, videoEnabled }) {
    const { consultation, participant } = participantOf(ctx, consultationId, userId);
    participant.mediaStatus.videoEnabled = videoEnabled;
    ctx.app.hub.toConsultation(consultation.id, 'participant_video_toggled', {
      userId: ctx.user.userId,
      videoEnabled,
      consultationId: consultation.id,
      timestamp: nowIso(),
    });
  },

  toggle_audio(ctx, { consultationId, userId, audioEnabled }) {
    const { consultation, participant } = participantOf(ctx, consultationId, userId);
    participant.mediaStatus.audioEnabled = audioEnabled;
    ctx.app.hub.toConsultation(consultation.id, 'participant_audio_toggled', {
      userId: ctx.user.userId,
      audioEnabled,
      consultationId: consultation.id,
      timestamp: nowIso(),
    });
  },

  share_screen_request(ctx, { consultationId, userId }) {
    const { consultation } = participantOf(ctx, consultationId, userId);
    if (consultation.status !== 'ACTIVE') {
      throw new DomainError(`Screen sharing needs a live consultation (status ${consultation.status})`, 'conflict');
    }
    if (consultation.screenSharer && consultation.screenSharer !== ctx.user.userId) {
      throw new DomainError(`${nameOf(ctx.app, consultation.screenSharer)} is already sharing their screen`, 'conflict');
    }
    consultation.screenSharer = ctx.user.userId;
    ctx.app.hub.toConsultation(consultation.id, 'screen_share_started', {
      consultationId: consultation.id,
      userId: ctx.user.userId,
      userName: nameOf(ctx.app, ctx.user.userId, ctx.user.role),
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
        producers: producers.filter((producer) => producer.userId === p.userId).map(({ producerId, kind, paused }) => ({ producerId, kind, paused })),
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

  media_permission_status(ctx, { consultationId, userId, camera, microphone }) {
    const { consultation, participant } = participantOf(ctx, consultationId, userId);
    participant.permissions = { camera, microphone };
    ctx.app.hub.toConsultation(consultation.id, 'media_permission_status_update', {
      userId: ctx.user.userId,
      role: ctx.user.role,
      camera,
      microphone,
      timestamp: nowIso(),
      consultationId: consultation.id,
    });
  },

  media_permission_denied(ctx, { consultationId, userId, camera, microphone }) {
    const { consultation, participant } = participantOf(ctx, consultationId, userId);
    participant.permissions = { camera, microphone };
    ctx.app.hub.toConsultation(consultation.id, 'media_permission_denied_notification', {
      userId: ctx.user.userId,
      role: ctx.user.role,
      camera,
      microphone,
      timestamp: nowIso(),
      message: `${nameOf(ctx.app, ctx.user.userId, ctx.user.role)} has denied access to ${deniedDevices(camera, microphone)}`,
      consultationId: consultation.id,
    });
  },

  media_permission_error(ctx, { consultationId, userId, errorType, errorMessage }) {
    const { consultation } = participantOf(ctx, consultationId, userId);
    ctx.app.hub.toConsultation(consultation.id, 'media_permission_error_occurred', {
      userId: ctx.user.userId,
      errorType,
      errorMessage,
      consultationId: consultation.id,
    });
  },

  media_permission_error_enhanced(ctx, { consultationId, userId, errorType, errorDetails }) {
    const { consultation } = participantOf(ctx, consultationId, userId);
    const guidance = GUIDANCE[errorType] ?? {
      guidanceType: 'generic',
      message: 'Media could not start. Check your devices and browser permissions, then retry.',
      actions: ['retry'],
    };
    ctx.reply('media_permission_guidance', { consultationId: consultation.id, userId: ctx.user.userId, ...guidance });
    ctx.app.hub.toConsultation(
      consultation.id,
      'media_permission_error_occurred',
      {
        userId: ctx.user.userId,
        errorType,
        errorMessage: typeof errorDetails === 'string' ? errorDetails : JSON.stringify(errorDetails ?? null),
        consultationId: consultation.id,
      },
      { exceptUserId: ctx.user.userId },
    );
  },

  collect_stats(ctx, { consultationId, stats }) {
    const { consultation, participant } = participantOf(ctx, consultationId);
    participant.quality = { level: participant.quality?.level ?? 'good', stats, at: nowIso() };
    ctx.app.hub.toConsultation(
      consultation.id,
      'connection_quality_update',
      { type: stats.type, id: stats.id, stats: stats.stats, userId: ctx.user.userId, timestamp: nowIso() },
      { exceptUserId: ctx.user.userId },
    );
    return { success: true };
  },

  update_connection_quality(ctx, { consultationId, ...measured }) {
    const { consultation, participant } = participantOf(ctx, consultationId);
    const level = qualityOf(measured);
    const stats = { ...measured } as Record<string, unknown>;
    participant.quality = { level, stats, at: nowIso() };
    const userId = ctx.user.userId;
    const timestamp = nowIso();
    const { hub } = ctx.app;
    hub.toConsultation(consultation.id, 'connection_quality_updated', { consultationId: consultation.id, userId, quality: level, timestamp });
    hub.toConsultation(consultation.id, 'participant_connection_quality', { userId, quality: level, stats, timestamp }, { exceptUserId: userId });
    if (level === 'good') return;
    const message = level === 'poor' ? 'Your connection is poor: video may freeze' : 'Your connection is unstable';
    const guidance = level === 'poor' ? 'Turn off your camera or move closer to your Wi-Fi router' : 'Close other applications using the network';
    hub.toMember(consultation.id, userId, 'connection_quality_warning', { consultationId: consultation.id, userId, qualityLevel: level, message, guidance });
    hub.toMember(consultation.id, userId, 'connection_guidance', { qualityLevel: level, message, guidance, timestamp });
    if (level === 'poor') {
      hub.toConsultation(
        consultation.id,
        'poor_connection_detected',
        {
          affectedUserId: userId,
          connectionData: stats,
          consultationId: consultation.id,
          message: `${nameOf(ctx.app, userId, ctx.user.role)} has a poor connection`,
        },
        { exceptUserId: userId },
      );
    }
  },

  client_error(ctx, input) {
    requireSelf(ctx, input.userId);
    ctx.app.reports.push({ event: 'client_error', userId: ctx.user.userId, payload: input, at: nowIso() });
    ctx.app.options.logger.warn(`client error from ${ctx.user.userId}: ${input.errorMessage}`);
  },

  client_reconnect(ctx, { consultationId, userId }) {
    const { consultation } = participantOf(ctx, consultationId, userId);
    ctx.app.hub.toConsultation(
      consultation.id,
      'user_reconnected',
      { userId: ctx.user.userId, timestamp: nowIso(), message: `${nameOf(ctx.app, ctx.user.userId, ctx.user.role)} reconnected` },
      { exceptUserId: ctx.user.userId },
    );
    return { success: true };
  },

  mediaAction(ctx, input) {
    // Legacy event with a free payload: recorded (visible to tests), nothing else.
    ctx.app.reports.push({ event: 'mediaAction', userId: ctx.user.userId, payload: input, at: nowIso() });
  },
};

function deniedDevices(camera: boolean | string, microphone: boolean | string): string {
  const denied = (value: boolean | string) => value === false || value === 'denied';
  const list = [denied(camera) && 'the camera', denied(microphone) && 'the microphone'].filter(Boolean);
  return list.length ? list.join(' and ') : 'media devices';
}
