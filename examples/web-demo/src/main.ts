/**
 * HCW@Home realtime SDK — web demo. One page, two roles (`?role=patient` / `?role=practitioner`):
 * waiting room → admission → consultation with chat and video. Vanilla TypeScript on the SDK's
 * client, stores and media manager; served by the test server (`npm start`).
 */
import { Subscription } from 'rxjs';
import { createHcwClient, type HcwError } from '../../../src/index.js';
import { ChatStore, ConsultationStore, PatientWaitingRoom, PractitionerWaitingRoom } from '../../../src/state/index.js';
import { createMediaManager } from '../../../src/media/index.js';
import { createChatPanel } from './chat-panel.js';
import { fetchDevToken, readConfig } from './config.js';
import { createConnectionBanner } from './connection-banner.js';
import { describeError, h, setText, show } from './dom.js';
import { createPatientView } from './patient-view.js';
import { createPractitionerView } from './practitioner-view.js';
import { createVideoPanel } from './video-panel.js';

const config = readConfig(location.search, location.origin);
const client = createHcwClient({
  url: config.serverUrl,
  consultationId: config.consultationId,
  userId: config.userId,
  role: config.role,
  token: () => fetchDevToken(config),
  // A quick first retry: a short network blip is survived before anyone notices.
  reconnection: { delayMs: 250, maxDelayMs: 3000 },
});
// Quality refreshed every 2 s (default 5 s) so the demo reacts visibly to network changes.
const media = createMediaManager(client, { statsIntervalMs: 2000 });
const consultation = new ConsultationStore(client);
const subscriptions = new Subscription();

// ---- Page skeleton -------------------------------------------------------------------------------
const app = document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));
const banner = createConnectionBanner({ client, quality$: media.quality$, latency$: client.enhanced.latency$ });
subscriptions.add(banner.subscription);
const consultationStatus = h('span', { 'data-testid': 'consultation-status' }, '–');
const endButton = h('button', { type: 'button', 'data-testid': 'end-button', hidden: true }, 'End consultation');
const errorLog = h('ul', { 'data-testid': 'error-log', class: 'error-log' });
const endedNotice = h('div', { 'data-testid': 'ended-notice', class: 'panel ended', hidden: true }, 'The consultation has ended.');
const header = h(
  'header',
  {},
  h('h1', {}, config.role === 'PATIENT' ? 'Patient' : 'Practitioner', ' · ', h('span', { 'data-testid': 'user-id' }, config.userId)),
  h('p', {}, 'Consultation ', String(config.consultationId), ' — ', consultationStatus, ' ', endButton),
);
const waitingArea = h('div', { class: 'waiting-area' });
const consultationArea = h('div', { 'data-testid': 'consultation', class: 'consultation', hidden: true });
app.replaceChildren(banner.element, header, endedNotice, waitingArea, consultationArea, errorLog);
document.body.dataset.role = config.role.toLowerCase();
document.title = `${config.role === 'PATIENT' ? 'Patient' : 'Practitioner'} · HCW@Home SDK demo`;

subscriptions.add(
  client.errors$.subscribe((error: HcwError) => {
    errorLog.append(h('li', {}, `${error.reason}: ${error.message}`));
    while (errorLog.children.length > 5) errorLog.firstElementChild?.remove();
  }),
);

// ---- The consultation (chat + video), shown once admitted ----------------------------------------
let started = false;
function startConsultation(): void {
  if (started) return;
  started = true;
  const chat = createChatPanel(client, new ChatStore(client.chat, client.identity));
  const video = createVideoPanel(media);
  subscriptions.add(chat.subscription);
  subscriptions.add(video.subscription);
  consultationArea.replaceChildren(video.element, chat.element);
  show(consultationArea, true);
  if (config.role === 'PATIENT') show(waitingArea, false);
  show(endButton, config.role === 'PRACTITIONER');
  document.body.dataset.phase = 'consultation';
  void video.start();
}

subscriptions.add(
  consultation.state$.subscribe((state) => {
    setText(consultationStatus, state.status ?? 'unknown');
    consultationStatus.dataset.status = state.status ?? '';
    // Reloading the page during a consultation goes straight back into it.
    if (state.status === 'ACTIVE') startConsultation();
    if (state.ended || state.status === 'COMPLETED' || state.status === 'TERMINATED_OPEN') {
      document.body.dataset.phase = 'ended';
      show(endButton, false);
      show(endedNotice, true);
      void media.dispose();
    }
  }),
);
// The current status (and participants), on load and after a reconnection the server could not
// recover: a page reloaded during a consultation must know it is ACTIVE.
const loadConsultationState = () =>
  client.consultation.request('request_consultation_state', { consultationId: config.consultationId }).catch(() => undefined);
void loadConsultationState();
subscriptions.add(client.consultation.resync$.subscribe(() => void loadConsultationState()));

endButton.addEventListener('click', () => {
  endButton.disabled = true;
  client.consultation.endConsultation('close').catch((e: unknown) => {
    endButton.disabled = false;
    errorLog.append(h('li', {}, describeError(e)));
  });
});

// ---- Role-specific start ---------------------------------------------------------------------------
if (config.role === 'PATIENT') {
  document.body.dataset.phase = 'waiting';
  const room = new PatientWaitingRoom(client);
  const view = createPatientView(room, () => startConsultation());
  subscriptions.add(view.subscription);
  waitingArea.append(view.element);
  void view.enter();
} else {
  document.body.dataset.phase = 'waiting';
  const room = new PractitionerWaitingRoom(client);
  const view = createPractitionerView(room, () => startConsultation());
  subscriptions.add(view.subscription);
  waitingArea.append(view.element);
  void client.consultation.setOnline(true).catch(() => undefined);
  void view.open();
}

window.addEventListener('pagehide', () => {
  subscriptions.unsubscribe();
  void media.dispose();
  client.dispose();
});

// For the browser tests and for poking around in the devtools console.
Object.assign(window, { hcwDemo: { client, media, consultation, config } });
