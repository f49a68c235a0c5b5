import type { HcwClient } from '../../../src/index.js';
import { h } from './dom.js';

/**
 * What the page cannot show on a server that lacks something, and how it says so. The reference
 * HCW@Home backend announces no extension (`client.features` stays empty) and has no
 * `/enhanced-consultation`; our test server's full profile has everything.
 */
export const NOTICES = {
  /** No event announces the other side's producers (`newProducer`, `getProducers` are extensions). */
  producer_discovery: 'This server does not announce remote cameras: video of the other side is not available.',
  /** Queue position and estimated wait come from waiting-room sessions (an extension). */
  waiting_room_sessions: 'This server gives no queue position or estimated wait.',
  /** The round-trip time is measured with `/enhanced-consultation`'s ping. */
  latency: 'This server has no /enhanced-consultation: the round-trip time is not measured.',
} as const;

export type NoticeName = keyof typeof NOTICES;

/** A notice element (hidden until switched on): `data-testid="feature-notice"`, `data-feature`. */
export function featureNotice(name: NoticeName): { element: HTMLElement; show(visible: boolean): void } {
  const element = h(
    'p',
    { 'data-testid': 'feature-notice', 'data-feature': name, class: 'notice', role: 'note', hidden: true },
    NOTICES[name],
  );
  return { element, show: (visible) => (element.hidden = !visible) };
}

/**
 * Whether the server offers an extension. `client.features` is filled by the first event of a
 * namespace connection (`server_features`); call this only after the server answered something
 * on that connection (an ack, an event), when an empty set means "not offered" and not "not yet".
 */
export function offers(client: HcwClient, feature: Exclude<NoticeName, 'latency'>): boolean {
  return client.features.has(feature);
}
