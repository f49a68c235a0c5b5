import { DomainError, nowIso, type Id } from '../domain/errors.js';
import type { HandlerContext } from '../transport/context.js';
import { nameOf, participantOf } from './common.js';
import type { HandlerTable } from './types.js';

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

/** Devices, mute toggles, screen sharing and permissions: stored on the participant, told to the room. */
export const deviceHandlers: HandlerTable = {
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
    announceToggle(ctx, consultationId, userId, 'video', videoEnabled);
  },

  toggle_audio(ctx, { consultationId, userId, audioEnabled }) {
    announceToggle(ctx, consultationId, userId, 'audio', audioEnabled);
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
};

function deniedDevices(camera: boolean | string, microphone: boolean | string): string {
  const denied = (value: boolean | string) => value === false || value === 'denied';
  const list = [denied(camera) && 'the camera', denied(microphone) && 'the microphone'].filter(Boolean);
  return list.length ? list.join(' and ') : 'media devices';
}

/** `toggle_audio` / `toggle_video`: remember it and tell the room (`participant_*_toggled`). */
function announceToggle(ctx: HandlerContext, consultationId: Id, userId: Id, kind: 'audio' | 'video', enabled: boolean): void {
  const { consultation, participant } = participantOf(ctx, consultationId, userId);
  const common = { userId: ctx.user.userId, consultationId: consultation.id, timestamp: nowIso() };
  if (kind === 'audio') {
    participant.mediaStatus.audioEnabled = enabled;
    ctx.app.hub.toConsultation(consultation.id, 'participant_audio_toggled', { ...common, audioEnabled: enabled });
  } else {
    participant.mediaStatus.videoEnabled = enabled;
    ctx.app.hub.toConsultation(consultation.id, 'participant_video_toggled', { ...common, videoEnabled: enabled });
  }
}
