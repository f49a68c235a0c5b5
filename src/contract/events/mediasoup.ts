import * as z from 'zod/mini';
import { emit, receive } from '../define.js';
import { iceCandidate } from '../entities.js';
import { id, looseRecord, outgoing } from '../fields.js';

const transportType = z.enum(['producer', 'consumer']);
const mediaKind = z.enum(['audio', 'video']);
const producerInfo = z.looseObject({
  producerId: z.string(),
  userId: id,
  kind: mediaKind,
  paused: z.nullish(z.boolean()),
  appData: z.nullish(looseRecord),
});
export type ProducerInfo = z.output<typeof producerInfo>;

const DISCOVERY = 'Producer discovery: the reference backend cannot tell a client what to consume; the test server announces producers.';

/** Mediasoup signalling, answered by ack exactly as the reference backend (reference-backend.md). */
const mediasoupEventsDefinitions = {
  getRouterCapabilities: emit(outgoing(['consultationId']), {
    ack: z.looseObject({ rtpCapabilities: looseRecord }),
  }),
  createTransport: emit(outgoing(['consultationId'], { type: transportType }), {
    ack: z.looseObject({
      id: z.string(),
      iceParameters: looseRecord,
      iceCandidates: z.array(iceCandidate),
      dtlsParameters: looseRecord,
    }),
  }),
  connectTransport: emit(outgoing(['transportId', 'dtlsParameters']), {
    ack: z.looseObject({ connected: z.literal(true) }),
  }),
  produce: emit(outgoing(['consultationId', 'transportId', 'kind', 'rtpParameters', 'appData?']), {
    ack: z.looseObject({ id: z.string() }),
    note: 'The table lists `appData` without `?`; mediasoup treats it as optional, so does the contract.',
  }),
  consume: emit(outgoing(['consultationId', 'transportId', 'producerId', 'rtpCapabilities']), {
    ack: z.looseObject({
      id: z.string(),
      producerId: z.string(),
      kind: mediaKind,
      rtpParameters: looseRecord,
      type: z.nullish(z.string()),
    }),
  }),
  closeTransport: emit(outgoing(['transportId']), { ack: z.looseObject({ closed: z.literal(true) }) }),

  // ---- Extensions of the test server (documented in docs/events.md) ----
  getProducers: emit(outgoing(['consultationId']), {
    ack: z.looseObject({ producers: z.array(producerInfo) }),
    extension: `${DISCOVERY} Lists the producers of the consultation (other users' only).`,
  }),
  newProducer: receive(z.extend(producerInfo, { consultationId: id }), {
    requires: ['producerId', 'userId', 'paused'],
    extension: `${DISCOVERY} Sent to the other participants when a producer is created.`,
  }),
  producerClosed: receive(z.looseObject({ producerId: z.string(), consultationId: id, userId: z.nullish(id) }), {
    requires: ['producerId'],
    extension: `${DISCOVERY} Sent when a producer closes (its consumers are closed with it).`,
  }),
  producerPaused: receive(z.looseObject({ producerId: z.string(), consultationId: id, paused: z.boolean() }), {
    requires: ['producerId', 'paused'],
    extension: 'Sent to the other participants when a producer is paused or resumed.',
  }),
  pauseProducer: emit(z.looseObject({ producerId: z.string() }), {
    ack: z.looseObject({ paused: z.literal(true) }),
    extension: 'Pause a producer server-side (mute) so no bandwidth is spent.',
  }),
  resumeProducer: emit(z.looseObject({ producerId: z.string() }), {
    ack: z.looseObject({ paused: z.literal(false) }),
    extension: 'Resume a paused producer (unmute).',
  }),
  closeProducer: emit(z.looseObject({ producerId: z.string() }), {
    ack: z.looseObject({ closed: z.literal(true) }),
    extension: 'Close one producer (stop camera or screen share) without closing its transport.',
  }),
  restartIce: emit(outgoing(['transportId']), {
    ack: z.looseObject({ iceParameters: looseRecord }),
    extension: 'ICE restart for a transport whose connection failed; returns fresh ICE parameters.',
  }),
};
type MediasoupEventsDefinitions = typeof mediasoupEventsDefinitions;
/** Named so that declarations refer to this group instead of spelling every event out again. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MediasoupEvents extends MediasoupEventsDefinitions {}
export const mediasoupEvents: MediasoupEvents = mediasoupEventsDefinitions;
