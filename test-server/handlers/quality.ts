import { nowIso } from '../domain/errors.js';
import { nameOf, participantOf, requireSelf } from './common.js';
import type { HandlerTable } from './types.js';

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

/** Connection quality, stats, reconnect notices and client reports. */
export const qualityHandlers: HandlerTable = {
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
    hub.toConsultation(consultation.id, 'connection_quality_updated', {
      consultationId: consultation.id,
      userId,
      quality: level,
      timestamp,
    });
    hub.toConsultation(
      consultation.id,
      'participant_connection_quality',
      { userId, quality: level, stats, timestamp },
      { exceptUserId: userId },
    );
    if (level === 'good') return;
    const message = level === 'poor' ? 'Your connection is poor: video may freeze' : 'Your connection is unstable';
    const guidance =
      level === 'poor' ? 'Turn off your camera or move closer to your Wi-Fi router' : 'Close other applications using the network';
    hub.toMember(consultation.id, userId, 'connection_quality_warning', {
      consultationId: consultation.id,
      userId,
      qualityLevel: level,
      message,
      guidance,
    });
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
