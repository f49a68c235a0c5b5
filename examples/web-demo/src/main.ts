/**
 * HCW@Home realtime SDK — web demo. One page, two roles (`?role=patient` / `?role=practitioner`):
 * waiting room → admission → consultation with chat and video. Vanilla TypeScript on the SDK's
 * client, stores and media manager; served by the test server (`npm start`, either profile).
 *
 * Against a server like the reference HCW@Home backend (`--profile reference`) it works from what
 * that server sends: numeric ids, the waiting list loaded over REST (`loadWaitingPatients`), and
 * notices where something needs an extension the server did not announce (`client.features`) or
 * the `/enhanced-consultation` namespace it does not have.
 */
import { Subscription } from 'rxjs';
import { createHcwClient, type HcwError } from '../../../src/index.js';
import { ChatStore, ConsultationStore, PatientWaitingRoom, PractitionerWaitingRoom } from '../../../src/state/index.js';
import { createMediaManager } from '../../../src/media/index.js';
import { createChatPanel } from './chat-panel.js';
import { fetchDevToken, fetchWaitingPatients, readConfig } from './config.js';
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
// Opens /enhanced-consultation for the latency ping; `unavailable` (not an error) where the server lacks it.
const banner = createConnectionBanner({
  client,
  quality$: media.quality$,
  latency$: client.enhanced.latency$,
  latencyState$: client.enhanced.state$,
});
subscriptions.add(banner.subscription);
const consultationStatus = h('span', { 'data-testid': 'consultation-status' }, '–');
const endButton = h('button', { type: 'button', 'data-testid': 'end-button', hidden: true }, 'End consultation');
const errorLog = h('ul', { 'data-testid': 'error-log', class: 'error-log' });
const endedNotice = h('div', { 'data-testid': 'ended-notice', class: 'panel ended', hidden: true }, 'The consultation has ended.');
const header = h(
  'header',
  {},
  h(
    'h1',
    {},
    config.role === 'PATIENT' ? 'Patient' : 'Practitioner',
    ' · ',
    h('span', { 'data-testid': 'user-id' }, String(config.userId)),
  ),
  h('p', {}, 'Consultation ', String(config.consultationId), ' — ', consultationStatus, ' ', endButton),
);
const waitingArea = h('div', { class: 'waiting-area' });
const consultationArea = h('div', { 'data-testid': 'consultation', class: 'consultation', hidden: true });
app.replaceChildren(banner.element, header, endedNotice, waitingArea, consultationArea, errorLog);
document.body.dataset.role = config.role.toLowerCase();
document.title = `${config.role === 'PATIENT' ? 'Patient' : 'Practitioner'} · HCW@Home SDK demo`;

subscriptions.add(
  client.errors$.subscribe((error: HcwError) => {
    // Every reason seen stays listed on the log (the list itself keeps the last five entries).
    const reasons = new Set((errorLog.dataset.reasons ?? '').split(' ').filter(Boolean)).add(error.reason);
    errorLog.dataset.reasons = [...reasons].join(' ');
    errorLog.append(h('li', { 'data-reason': error.reason }, `${error.reason}: ${error.message}`));
    while (errorLog.children.length > 5) errorLog.firstElementChild?.remove();
  }),
);

// ---- The consultation (chat + video), shown once admitted ----------------------------------------
let started = false;
function startConsultation(): void {
  if (started) return;
  started = true;
  const chat = createChatPanel(client, new ChatStore(client.chat, client.identity));
  const video = createVideoPanel(client, media);
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
  const view = createPatientView(client, room, () => startConsultation());
  subscriptions.add(view.subscription);
  waitingArea.append(view.element);
  void view.enter();
} else {
  document.body.dataset.phase = 'waiting';
  // The list on open (and after a reconnection the server could not recover) comes from the app's
  // REST API — here the test server's dev endpoint: the reference backend tells a practitioner who
  // connects after the patient nothing over its sockets. Live events update it from then on.
  const room = new PractitionerWaitingRoom(client, { loadWaitingPatients: () => fetchWaitingPatients(config) });
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
