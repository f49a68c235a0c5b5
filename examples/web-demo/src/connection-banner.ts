import { combineLatest, map, startWith, type Observable, type Subscription } from 'rxjs';
import type { ConnectionState, HcwClient, QualityLevel } from '../../../src/index.js';
import { h, setText, show } from './dom.js';
import { featureNotice } from './features.js';

/** What the connection bar shows: client state, media quality and round-trip time. */
export interface ConnectionBannerSources {
  client: HcwClient;
  /** Media quality (undefined until the first stats period of a call). */
  quality$: Observable<QualityLevel | undefined>;
  /** Round-trip time of the `/enhanced-consultation` ping, in ms. */
  latency$: Observable<number | undefined>;
  /** State of `/enhanced-consultation` (where the ping runs); `unavailable` on a server without it. */
  latencyState$: Observable<ConnectionState>;
}

const LABELS: Record<ConnectionState['status'], string> = {
  idle: 'Not connected yet',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  disconnected: 'Disconnected',
  unauthorized: 'Not authorized',
  failed: 'Connection failed',
  unavailable: 'Not offered by this server',
};

/** How often the banner's countdown to the next attempt is redrawn. */
const TICK_MS = 100;

/** `navigator.onLine`, where there is one: false only when the browser knows it has no network. */
const isOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false;

/**
 * The status bar (connection state, quality, latency) and a full-width banner that is visible
 * exactly while the client is reconnecting (or gave up, with a retry button). While reconnecting it
 * counts down to the next attempt (from the state's `nextDelayMs` and when that state arrived) and
 * says "waiting for network" while the browser is offline (`data-network="offline"` on the banner).
 * Where the server has no `/enhanced-consultation` (the reference HCW@Home backend) the latency
 * says "n/a" and a notice explains why.
 */
export function createConnectionBanner({ client, quality$, latency$, latencyState$ }: ConnectionBannerSources): {
  element: HTMLElement;
  subscription: Subscription;
} {
  const status = h('span', { 'data-testid': 'connection-status', class: 'status' }, 'Not connected yet');
  const quality = h('span', { 'data-testid': 'quality', class: 'quality' }, 'Quality: –');
  const latency = h('span', { 'data-testid': 'latency', class: 'latency' }, 'RTT: –');
  const bannerText = h('span', { 'data-testid': 'reconnecting-text' });
  const retry = h(
    'button',
    { type: 'button', 'data-testid': 'reconnect-button', hidden: true, onclick: () => client.reconnect() },
    'Retry now',
  );
  const banner = h('div', { 'data-testid': 'reconnecting-banner', class: 'banner', role: 'alert', hidden: true }, bannerText, ' ', retry);
  const bar = h('div', { class: 'status-bar' }, status, quality, latency);
  const noLatency = featureNotice('latency');
  const element = h('div', { class: 'connection' }, banner, bar, noLatency.element);

  /** The last state, and when it arrived (the countdown's origin). */
  let current: ConnectionState = { status: 'idle' };
  let arrivedAt = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;

  const renderBanner = () => {
    const state = current;
    const online = isOnline();
    banner.dataset.network = online ? 'online' : 'offline';
    const reconnecting = state.status === 'reconnecting' || (state.status === 'connecting' && banner.dataset.seenConnected === 'true');
    const gaveUp = state.status === 'failed' || state.status === 'unauthorized' || state.status === 'disconnected';
    if (reconnecting && !online) {
      setText(bannerText, 'Connection lost — waiting for network…');
    } else if (state.status === 'reconnecting') {
      const leftMs = Math.max(0, state.nextDelayMs - (Date.now() - arrivedAt));
      const next = leftMs > 0 ? `next in ${Math.ceil(leftMs / TICK_MS) * TICK_MS} ms` : 'trying now';
      setText(bannerText, `Connection lost — reconnecting (attempt ${state.attempt}, ${next}, ${state.cause}).`);
    } else if (reconnecting) {
      setText(bannerText, 'Connection lost — reconnecting…');
    } else if (gaveUp) {
      setText(bannerText, `${LABELS[state.status]}${'message' in state ? `: ${state.message}` : ''}.`);
    }
    // The countdown runs only while a reconnecting banner shows one.
    const counting = reconnecting && online && state.status === 'reconnecting';
    if (counting && ticker === undefined) ticker = setInterval(renderBanner, TICK_MS);
    if (!counting && ticker !== undefined) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };

  const subscription = combineLatest([
    client.state$,
    quality$.pipe(startWith(undefined)),
    latency$.pipe(startWith(undefined)),
    latencyState$.pipe(map((state) => state.status === 'unavailable')),
  ]).subscribe(([state, level, rtt, noPing]) => {
    setText(status, LABELS[state.status]);
    status.dataset.status = state.status;
    setText(quality, `Quality: ${level ?? '–'}`);
    quality.dataset.level = level ?? '';
    setText(latency, `RTT: ${noPing ? 'n/a' : rtt === undefined ? '–' : `${rtt} ms`}`);
    latency.dataset.available = String(!noPing);
    noLatency.show(noPing);

    if (state !== current) {
      current = state;
      arrivedAt = Date.now();
    }
    const reconnecting = state.status === 'reconnecting' || (state.status === 'connecting' && banner.dataset.seenConnected === 'true');
    const gaveUp = state.status === 'failed' || state.status === 'unauthorized' || state.status === 'disconnected';
    if (state.status === 'connected') banner.dataset.seenConnected = 'true';
    show(banner, reconnecting || (gaveUp && banner.dataset.seenConnected === 'true'));
    show(retry, gaveUp);
    banner.dataset.status = state.status;
    renderBanner();
  });
  // The browser's own view of the network: "waiting for network" while it says offline.
  window.addEventListener('online', renderBanner);
  window.addEventListener('offline', renderBanner);
  subscription.add(() => {
    clearInterval(ticker);
    window.removeEventListener('online', renderBanner);
    window.removeEventListener('offline', renderBanner);
  });
  return { element, subscription };
}
