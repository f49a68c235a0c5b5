import type { Subscription } from 'rxjs';
import type { PeerMediaManager } from '../../../src/media/p2p/index.js';
import { h } from '../../web-demo/src/dom.js';

/** The peers in a call with this page, each with its connection's state (`new`, `connecting`, `connected`, `disconnected`...). */
export function createPeerList(media: PeerMediaManager): { element: HTMLElement; subscription: Subscription } {
  const list = h('ul', { 'data-testid': 'peers', class: 'peers' });
  const element = h('div', { class: 'peer-list' }, h('span', {}, 'In the call: '), list);
  const watched = new WeakSet<RTCPeerConnection>();
  let peers: readonly string[] = [];

  const render = () => {
    const items = peers.map((peerId) => {
      const pc = media.connection(peerId);
      if (pc && !watched.has(pc)) {
        watched.add(pc); // a new connection after a peer's reload too
        pc.addEventListener('connectionstatechange', render);
      }
      const state = pc?.connectionState ?? 'new';
      return h('li', { 'data-peer': peerId, 'data-state': state }, peerId, ' ', h('span', { class: 'peer-state' }, `(${state})`));
    });
    list.replaceChildren(...(items.length ? items : [h('li', { class: 'nobody' }, 'nobody yet')]));
  };
  const subscription = media.peers$.subscribe((now) => {
    peers = now;
    render();
  });
  return { element, subscription };
}
