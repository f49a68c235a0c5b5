import { DomainError } from '../domain/errors.js';
import type { HandlerContext } from '../transport/context.js';
import { peerIdOf } from '../transport/rooms.js';
import { consultationOf } from './common.js';
import { routerFor } from './media-session.js';
import type { HandlerTable } from './types.js';

/** The consultation of a media request, if the caller takes part in it. */
function mediaConsultation(ctx: HandlerContext, consultationId: string | number) {
  const consultation = consultationOf(ctx, consultationId);
  if (!ctx.app.media.enabled) throw new DomainError('Media is disabled on this server');
  return consultation;
}

/** Sockets are media peers: a transport belongs to the socket that created it. */
const peerId = (ctx: HandlerContext) => peerIdOf(ctx.spec, ctx.socket);

/** The consultation id as the domain has it (a number) from a media room key. */
const idOf = (ctx: HandlerContext, roomKey: string) => ctx.app.consultations.get(roomKey)?.id ?? roomKey;

/** Mediasoup signalling by ack (reference backend) plus the discovery and control extensions. */
export const mediasoupHandlers: HandlerTable = {
  async getRouterCapabilities(ctx, { consultationId }) {
    const router = await routerFor(ctx.app, mediaConsultation(ctx, consultationId));
    return { rtpCapabilities: router.rtpCapabilities as unknown as Record<string, unknown> };
  },

  async createTransport(ctx, { consultationId, type }) {
    const consultation = mediaConsultation(ctx, consultationId);
    await routerFor(ctx.app, consultation);
    const participant = ctx.app.consultations.participant(consultation, ctx.user.userId);
    if (participant) participant.inMedia = true;
    return ctx.app.media.createTransport(peerId(ctx), ctx.user.userId, consultation.id, type);
  },

  async connectTransport(ctx, { transportId, dtlsParameters }) {
    await ctx.app.media.connectTransport(peerId(ctx), transportId, dtlsParameters);
    return { connected: true as const };
  },

  async produce(ctx, { consultationId, transportId, kind, rtpParameters, appData }) {
    const consultation = mediaConsultation(ctx, consultationId);
    const producer = await ctx.app.media.produce(peerId(ctx), {
      consultationId: consultation.id,
      transportId,
      kind,
      rtpParameters,
      ...(appData ? { appData } : {}),
    });
    ctx.app.hub.toConsultation(
      consultation.id,
      'newProducer',
      { ...producer, consultationId: consultation.id },
      { exceptUserId: ctx.user.userId },
    );
    return { id: producer.producerId };
  },

  async consume(ctx, { consultationId, transportId, producerId, rtpCapabilities }) {
    const consultation = mediaConsultation(ctx, consultationId);
    return ctx.app.media.consume(peerId(ctx), { consultationId: consultation.id, transportId, producerId, rtpCapabilities });
  },

  closeTransport(ctx, { transportId }) {
    ctx.app.media.closeTransport(peerId(ctx), transportId);
    return { closed: true as const };
  },

  async getProducers(ctx, { consultationId }) {
    const consultation = mediaConsultation(ctx, consultationId);
    return { producers: await ctx.app.media.producers(consultation.id, ctx.user.userId) };
  },

  async pauseProducer(ctx, { producerId }) {
    const consultationId = idOf(ctx, await ctx.app.media.setPaused(peerId(ctx), producerId, true));
    ctx.app.hub.toConsultation(
      consultationId,
      'producerPaused',
      { producerId, consultationId, paused: true },
      { exceptUserId: ctx.user.userId },
    );
    return { paused: true as const };
  },

  async resumeProducer(ctx, { producerId }) {
    const consultationId = idOf(ctx, await ctx.app.media.setPaused(peerId(ctx), producerId, false));
    ctx.app.hub.toConsultation(
      consultationId,
      'producerPaused',
      { producerId, consultationId, paused: false },
      { exceptUserId: ctx.user.userId },
    );
    return { paused: false as const };
  },

  closeProducer(ctx, { producerId }) {
    // producerClosed reaches the others through the media rooms' close observer.
    ctx.app.media.closeProducer(peerId(ctx), producerId);
    return { closed: true as const };
  },

  async restartIce(ctx, { transportId }) {
    return { iceParameters: await ctx.app.media.restartIce(peerId(ctx), transportId) };
  },
};
