import { Subscription } from 'rxjs';
import type { PatientWaitingRoom } from '../../../src/state/index.js';
import type { HcwClient } from '../../../src/index.js';
import { describeError, h, setText, show } from './dom.js';
import { featureNotice, offers } from './features.js';

/**
 * The patient's waiting room: enters it, shows position and estimated wait, and calls
 * `onAdmitted` once the practitioner admits the patient. Position and wait come from waiting-room
 * sessions (a test-server extension): on a server without them (the reference HCW@Home backend)
 * the page says so instead of showing empty fields.
 */
export function createPatientView(
  client: HcwClient,
  room: PatientWaitingRoom,
  onAdmitted: () => void,
): { element: HTMLElement; subscription: Subscription; enter(): Promise<void> } {
  const subscription = new Subscription();
  const phase = h('p', { 'data-testid': 'waiting-phase', class: 'phase' }, 'Entering the waiting room…');
  const position = h('span', { 'data-testid': 'waiting-position' }, '–');
  const estimate = h('span', { 'data-testid': 'waiting-estimate' }, '–');
  const error = h('div', { 'data-testid': 'waiting-error', class: 'error', hidden: true });
  const retry = h('button', { type: 'button', 'data-testid': 'waiting-retry', hidden: true }, 'Try again');
  const queue = h(
    'dl',
    { 'data-testid': 'waiting-queue' },
    h('dt', {}, 'Your position'),
    h('dd', {}, position),
    h('dt', {}, 'Estimated wait'),
    h('dd', {}, estimate),
  );
  const noQueue = featureNotice('waiting_room_sessions');
  const element = h(
    'section',
    { 'data-testid': 'waiting-room', class: 'panel waiting' },
    h('h2', {}, 'Waiting room'),
    phase,
    queue,
    noQueue.element,
    error,
    retry,
  );

  let admitted = false;
  subscription.add(
    room.state$.subscribe((state) => {
      element.dataset.phase = state.phase;
      const text: Record<typeof state.phase, string> = {
        idle: 'Not in the waiting room yet.',
        entering: 'Entering the waiting room…',
        waiting: 'Please wait, the practitioner will admit you shortly.',
        admitted: 'Admitted — joining the consultation…',
        ended: 'The consultation is over.',
      };
      // Decided once waiting: the server has spoken on /consultation after announcing what it offers.
      const sessions = state.phase !== 'waiting' || offers(client, 'waiting_room_sessions');
      show(queue, sessions);
      noQueue.show(!sessions);
      setText(phase, text[state.phase]);
      setText(position, state.position === undefined ? '–' : String(state.position));
      setText(estimate, state.estimatedWaitTime === undefined ? '–' : formatWait(state.estimatedWaitTime));
      if (state.phase === 'admitted' && !admitted) {
        admitted = true;
        onAdmitted();
      }
    }),
  );

  async function enter(): Promise<void> {
    show(error, false);
    show(retry, false);
    try {
      await room.enter('plain');
    } catch (e) {
      setText(error, `Could not enter the waiting room: ${describeError(e)}`);
      show(error, true);
      show(retry, true);
    }
  }
  retry.addEventListener('click', () => void enter());
  return { element, subscription, enter };
}

function formatWait(seconds: number): string {
  if (seconds < 60) return seconds === 0 ? 'you are next' : `${Math.round(seconds)} s`;
  return `about ${Math.round(seconds / 60)} min`;
}
