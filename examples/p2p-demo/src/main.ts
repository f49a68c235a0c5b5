/**
 * Peer-to-peer call over the plain-WebSocket contract: two people open this page in the same room
 * (`?room=demo&user=alice`, `?room=demo&user=bob`) and have a video call with chat. The signalling
 * (`video.offer`, `video.answer`, `video.ice-candidate`) and the chat go through the room's plain
 * WebSocket (`/ws/comms/chat-rooms/:room`); the media goes browser to browser (`RTCPeerConnection`).
 * Served by the plain-ws test server of `npm start` (scripts/p2p-demo.ts), from which it also gets
 * its development tokens.
 */
import { Subscription } from 'rxjs';
import { createRealtimeClient, type HcwError } from '../../../src/index.js';
import { plainWsContract, plainWsEnvelope } from '../../../src/contracts/plain-ws.js';
import { createPlainWsPeerMedia } from '../../../src/media/p2p/index.js';
import { webSocketTransport } from '../../../src/websocket.js';
import { h } from '../../web-demo/src/dom.js';
import { createCallView } from './call-view.js';
import { createChatView } from './chat-view.js';
import { fetchDevToken, readConfig } from './config.js';
import { createStatusView } from './status-view.js';

const config = readConfig(location.search, location.origin);
const client = createRealtimeClient(plainWsContract, {
  url: config.serverUrl, // ws://<this origin>/ws/comms/chat-rooms/<room>
  token: () => fetchDevToken(config), // on every connection attempt; browsers send it as a subprotocol, never in the URL
  handshake: { room: config.room },
  transport: webSocketTransport({ envelope: plainWsEnvelope }),
  reconnection: { delayMs: 250, maxDelayMs: 3000 },
});
const room = client.services.room;
const media = createPlainWsPeerMedia(client, { userId: config.user, statsIntervalMs: 2000 });
const subscriptions = new Subscription();

const status = createStatusView(room.state$, media.quality$, () => client.reconnect());
const call = createCallView(media, config.room);
const chat = createChatView(room, config.user);
const errorLog = h('ul', { 'data-testid': 'error-log', class: 'error-log' });
for (const view of [status, call, chat]) subscriptions.add(view.subscription);
subscriptions.add(
  client.errors$.subscribe((error: HcwError) => {
    errorLog.append(h('li', { 'data-reason': error.reason }, `${error.reason}: ${error.message}`));
    while (errorLog.children.length > 5) errorLog.firstElementChild?.remove();
  }),
);

const app = document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));
const header = h(
  'header',
  {},
  h('h1', {}, 'Peer-to-peer call · ', h('span', { 'data-testid': 'user-id' }, config.user)),
  h('p', {}, 'Room ', h('strong', {}, config.room), ' over plain WebSocket — open the same room as another user in a second window.'),
);
app.replaceChildren(status.element, header, h('div', { class: 'layout' }, call.element, chat.element), errorLog);
document.title = `${config.user} · peer-to-peer call`;
void call.start();

window.addEventListener('pagehide', () => {
  subscriptions.unsubscribe();
  void media.dispose();
  client.dispose();
});

// For the browser test and for poking around in the devtools console.
Object.assign(window, { p2pDemo: { client, media, config } });
