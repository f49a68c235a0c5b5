import { Subscription } from 'rxjs';
import type { PractitionerWaitingRoom, WaitingPatient } from '../../../src/state/index.js';
import { describeError, h, setText, show } from './dom.js';

/** The practitioner's live waiting list with an Admit button per patient. */
export function createPractitionerView(
  room: PractitionerWaitingRoom,
  onAdmitted: (patient: WaitingPatient) => void,
): { element: HTMLElement; subscription: Subscription; open(): Promise<void> } {
  const subscription = new Subscription();
  const count = h('span', { 'data-testid': 'waiting-count' }, '0');
  const list = h('ul', { 'data-testid': 'waiting-list', class: 'waiting-list' });
  const empty = h('p', { 'data-testid': 'waiting-empty', class: 'placeholder' }, 'No patient is waiting.');
  const error = h('div', { 'data-testid': 'admit-error', class: 'error', hidden: true });
  const element = h(
    'section',
    { 'data-testid': 'practitioner-waiting-room', class: 'panel waiting' },
    h('h2', {}, 'Waiting patients (', count, ')'),
    empty,
    list,
    error,
  );

  const admit = (patient: WaitingPatient, button: HTMLButtonElement) => {
    button.disabled = true;
    setText(button, 'Admitting…');
    show(error, false);
    room.admit(patient.patientId).then(
      () => onAdmitted(patient),
      (e: unknown) => {
        button.disabled = false;
        setText(button, 'Admit');
        setText(error, `Could not admit ${patient.patientId}: ${describeError(e)}`);
        show(error, true);
      },
    );
  };

  subscription.add(
    room.state$.subscribe((state) => {
      setText(count, String(state.waitingCount));
      show(empty, state.patients.length === 0);
      list.replaceChildren(
        ...state.patients.map((patient) => {
          const button = h('button', { type: 'button', 'data-testid': 'admit-button', 'data-patient-id': patient.patientId }, 'Admit');
          button.addEventListener('click', () => admit(patient, button));
          const since = patient.joinedAt === undefined ? '' : ` — waiting since ${new Date(patient.joinedAt).toLocaleTimeString()}`;
          return h(
            'li',
            { 'data-testid': 'waiting-patient', 'data-patient-id': patient.patientId },
            h('strong', {}, patient.firstName ?? patient.patientId),
            patient.position === undefined ? '' : ` (#${patient.position})`,
            since,
            ' ',
            button,
          );
        }),
      );
    }),
  );

  async function open(): Promise<void> {
    try {
      await room.open();
    } catch (e) {
      setText(error, `Could not load the waiting list: ${describeError(e)}`);
      show(error, true);
    }
  }
  return { element, subscription, open };
}
