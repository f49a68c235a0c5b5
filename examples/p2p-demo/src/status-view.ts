import { combineLatest, startWith, type Observable, type Subscription } from 'rxjs';
import type { ConnectionState } from '../../../src/index.js';
import type { QualityLevel } from '../../../src/contract/index.js';
import { h, setText, show } from '../../web-demo/src/dom.js';

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

/**
 * The room connection's state (the signalling: the call's media keeps flowing while it is down)
 * and the call's quality, with a banner while reconnecting or after giving up (a retry button).
 */
export function createStatusView(
  state$: Observable<ConnectionState>,
  quality$: Observable<QualityLevel | undefined>,
  reconnect: () => void,
): { element: HTMLElement; subscription: Subscription } {
  const status = h('span', { 'data-testid': 'connection-status', class: 'status' }, LABELS.idle);
  const quality = h('span', { 'data-testid': 'quality', class: 'quality' }, 'Call quality: –');
  const text = h('span', { 'data-testid': 'banner-text' });
  const retry = h('button', { type: 'button', 'data-testid': 'reconnect-button', hidden: true, onclick: reconnect }, 'Retry now');
  const banner = h('div', { 'data-testid': 'reconnecting-banner', class: 'banner', role: 'alert', hidden: true }, text, ' ', retry);
  const element = h('div', { class: 'connection' }, banner, h('div', { class: 'status-bar' }, status, quality));
  let seenConnected = false;

  const subscription = combineLatest([state$, quality$.pipe(startWith(undefined))]).subscribe(([state, level]) => {
    setText(status, LABELS[state.status]);
    status.dataset.status = state.status;
    setText(quality, `Call quality: ${level ?? '–'}`);
    quality.dataset.level = level ?? '';
    if (state.status === 'connected') seenConnected = true;
    const gaveUp = state.status === 'failed' || state.status === 'unauthorized' || state.status === 'disconnected';
    const reconnecting = state.status === 'reconnecting' || (state.status === 'connecting' && seenConnected);
    if (reconnecting) setText(text, 'Signalling lost — reconnecting… (the call goes on meanwhile)');
    else if (gaveUp) setText(text, `${LABELS[state.status]}${'message' in state ? `: ${state.message}` : ''}.`);
    banner.dataset.status = state.status;
    show(banner, reconnecting || gaveUp);
    show(retry, gaveUp);
  });
  return { element, subscription };
}
