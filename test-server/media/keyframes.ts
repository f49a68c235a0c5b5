import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';

/**
 * A sender serves one keyframe request per this interval and silently drops the others
 * (libwebrtc's minimum keyframe send interval is 300 ms), while mediasoup's worker asks again only
 * after a second: a request that lands inside the window costs a second of black video.
 */
const SENDER_KEYFRAME_INTERVAL_MS = 320;
/** The longest a new consumer is held for the sender to be able to serve it. */
const MAX_HOLD_MS = 600;
/** How often a consumer stuck on a layer that stopped is asked for a keyframe while another layer lives. */
const DEAD_LAYER_KEYFRAME_MS = 500;

/**
 * When each video producer's sender was last asked for, or sent, a keyframe (mediasoup's trace
 * events: `pli`/`fir` out, `keyframe` in), so that a new consumer's first request is one the
 * sender will serve.
 */
export class KeyframeClock {
  private readonly lastAt = new WeakMap<ms.Producer, number>();

  watch(producer: ms.Producer): void {
    if (producer.kind !== 'video') return;
    void producer.enableTraceEvent(['keyframe', 'pli', 'fir']).catch(() => undefined);
    producer.on('trace', ({ type }) => {
      if (type === 'keyframe' || type === 'pli' || type === 'fir') this.lastAt.set(producer, Date.now());
    });
  }

  /** How long until a keyframe request to `producer`'s sender would be served (0: now). */
  waitMs(producer: ms.Producer): number {
    const at = this.lastAt.get(producer);
    return at === undefined ? 0 : Math.max(0, at + SENDER_KEYFRAME_INTERVAL_MS - Date.now());
  }
}

/** `transport.consume()` options for a new consumer that {@link startConsumer} then starts. */
export function heldConsumeOptions(producer: ms.Producer): Pick<ms.ConsumerOptions, 'paused' | 'preferredLayers'> {
  if (producer.kind !== 'video') return { paused: false };
  // A sender drops its highest simulcast layers first (bandwidth, CPU) and a stopped layer keeps
  // its score for seconds: the lowest one is the one that surely comes, the others follow.
  return producer.type === 'simulcast' ? { paused: true, preferredLayers: { spatialLayer: 0 } } : { paused: true };
}

/**
 * Starts a video consumer created with {@link heldConsumeOptions} so that its first frame comes at
 * once: resumed when its transport is connected and the sender can serve the keyframe request
 * that resuming makes (at most {@link MAX_HOLD_MS} later), lifted to every layer after its first
 * frame, and asked for keyframes again while the layer it forwards is dead.
 */
export function startConsumer(consumer: ms.Consumer, producer: ms.Producer, transport: ms.WebRtcTransport, clock: KeyframeClock): void {
  if (consumer.kind !== 'video') return;
  keyFramesWhileLayerDead(consumer);
  whenConnected(transport, () => whenServable(consumer, producer, clock, () => void consumer.resume().catch(() => undefined)));
  if (consumer.type === 'simulcast') liftAfterFirstFrame(consumer, producer, clock);
}

/**
 * The path of `consumer` came back (a new ICE tuple, an ICE restart, its signalling recovered):
 * its receiver needs a keyframe. A simulcast one restarts from its lowest layer, the one the sender
 * surely still sends (after an outage a sender asked for a higher layer's keyframe was seen to
 * answer on the lowest only, for seconds), and is lifted again after its first frame.
 */
export function refreshConsumer(consumer: ms.Consumer, producer: ms.Producer, clock: KeyframeClock): void {
  if (consumer.closed || consumer.kind !== 'video') return;
  void consumer.requestKeyFrame().catch(() => undefined);
  if (consumer.type !== 'simulcast' || lifting.has(consumer)) return;
  lifting.add(consumer);
  consumer.setPreferredLayers({ spatialLayer: 0 }).then(
    () => {
      // Already on the lowest layer: no layer change will come to lift it.
      if (consumer.currentLayers?.spatialLayer === 0) lift(consumer, producer, clock);
      else liftAfterFirstFrame(consumer, producer, clock);
    },
    () => lifting.delete(consumer),
  );
}

/** Simulcast consumers on their lowest layer until their first frame, lifted after it. */
const lifting = new WeakSet<ms.Consumer>();

function liftAfterFirstFrame(consumer: ms.Consumer, producer: ms.Producer, clock: KeyframeClock): void {
  lifting.add(consumer);
  const onLayers = (layers?: ms.ConsumerLayers) => {
    if (!layers) return;
    consumer.off('layerschange', onLayers);
    lift(consumer, producer, clock);
  };
  consumer.on('layerschange', onLayers);
}

function lift(consumer: ms.Consumer, producer: ms.Producer, clock: KeyframeClock): void {
  const { spatialLayers, temporalLayers } = mediasoup.parseScalabilityMode(consumer.rtpParameters.encodings?.[0]?.scalabilityMode);
  whenServable(consumer, producer, clock, () => {
    lifting.delete(consumer);
    void consumer.setPreferredLayers({ spatialLayer: spatialLayers - 1, temporalLayer: temporalLayers - 1 }).catch(() => undefined);
  });
}

/** Runs `action` once a keyframe request to `producer`'s sender would be served, or after {@link MAX_HOLD_MS}. */
function whenServable(consumer: ms.Consumer, producer: ms.Producer, clock: KeyframeClock, action: () => void): void {
  const deadline = Date.now() + MAX_HOLD_MS;
  const attempt = () => {
    if (consumer.closed) return;
    const waitMs = Math.min(clock.waitMs(producer), deadline - Date.now());
    if (waitMs > 0) setTimeout(attempt, waitMs).unref();
    else action();
  };
  attempt();
}

function whenConnected(transport: ms.WebRtcTransport, action: () => void): void {
  if (transport.dtlsState === 'connected') return action();
  const onState = (state: ms.DtlsState) => {
    if (state !== 'connected') return;
    transport.off('dtlsstatechange', onState);
    action();
  };
  transport.on('dtlsstatechange', onState);
  transport.observer.once('close', () => transport.off('dtlsstatechange', onState));
}

/**
 * A simulcast sender drops a layer (its bandwidth estimate falls after an outage, its CPU is
 * short): the consumer forwarding that layer must move to a living one, which it does only on a
 * keyframe of that layer. One request can be lost while the sender reconfigures, and the video
 * then stays frozen: ask again while the current layer is dead and another is alive.
 */
function keyFramesWhileLayerDead(consumer: ms.Consumer): void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  consumer.on('score', ({ producerScore, producerScores }) => {
    const stuck = producerScore === 0 && producerScores.some((score) => score > 0);
    if (!stuck) return stop();
    if (timer) return;
    const ask = () => void consumer.requestKeyFrame().catch(() => undefined);
    ask();
    timer = setInterval(() => (consumer.closed ? stop() : ask()), DEAD_LAYER_KEYFRAME_MS);
    timer.unref();
  });
  consumer.on('layerschange', stop);
  consumer.observer.once('close', stop);
}
