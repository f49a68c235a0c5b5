import { BehaviorSubject, Subscription, type Observable } from 'rxjs';
import type { HcwClient } from '../client.js';
import type { ConsultationStatus } from '../contract/index.js';
import type { TimerHandle } from '../core/scheduler.js';
import { refreshAfterResync } from './refresh-after-resync.js';

/**
 * `idle` until the server said where the consultation stands; `waiting` for the practitioner;
 * `admitted` once the consultation is live for this patient; `ended` when it is over.
 */
export type WaitingPhase = 'idle' | 'entering' | 'waiting' | 'admitted' | 'ended';

/** How the patient enters: the plain flow, the enhanced one, or the smart join that decides. */
export type WaitingRoomVariant = 'plain' | 'enhanced' | 'smart';

export interface PatientWaitingState {
  readonly phase: WaitingPhase;
  readonly sessionId?: string;
  readonly position?: number;
  /** Estimated wait in seconds, when the server gives one. */
  readonly estimatedWaitTime?: number;
  /** Where to go once admitted (URL or route the server suggests). */
  readonly navigationTarget?: string;
  /** The consultation's status as the server last told this patient. */
  readonly consultationStatus?: ConsultationStatus;
  /** The practitioner's name, when the server gives it. */
  readonly doctorName?: string;
}

export interface PatientWaitingRoomOptions {
  /** `waiting_room_heartbeat` period while waiting. Default 15 000 ms. */
  heartbeatIntervalMs?: number;
}

// eslint-disable-next-line @typescript-eslint/no-base-to-string -- an id field of a loose payload, whatever the server sent
const idOf = (value: unknown) => (value === undefined || value === null ? undefined : String(value));
const ENDED: readonly ConsultationStatus[] = ['COMPLETED', 'CANCELLED', 'TERMINATED_OPEN'];

/**
 * The patient's side of the waiting room: enter (plain, enhanced or smart join), position and
 * estimated wait, a heartbeat while waiting, admission with the navigation target.
 *
 * The reference backend has no waiting-room request: a patient connected to `/consultation` while
 * the consultation is not live is waiting, and the server says so on connect
 * (`consultation_status_patient`, `system_message` `waiting_for_participant`). The phase follows
 * those events; a server that announces `waiting_room_sessions` is also asked for a waiting
 * session (position, estimated wait, heartbeat).
 */
export class PatientWaitingRoom {
  private readonly subject = new BehaviorSubject<PatientWaitingState>({ phase: 'idle' });
  private readonly subscriptions = new Subscription();
  private heartbeat: TimerHandle | undefined;
  private variant: WaitingRoomVariant = 'plain';
  /** A re-entry after a resync that has not succeeded yet. */
  private reentryOwed = false;
  private readonly heartbeatIntervalMs: number;
  readonly state$: Observable<PatientWaitingState> = this.subject.asObservable();

  constructor(
    private readonly client: HcwClient,
    options: PatientWaitingRoomOptions = {},
  ) {
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 15_000;
    const me = String(client.identity.userId);
    const { consultation } = client;
    const add = <T>(source: Observable<T>, handler: (value: T) => void) => this.subscriptions.add(source.subscribe(handler));
    add(consultation.on('position-update'), (e) => {
      if (String(e.patientId) === me)
        this.patch({
          position: e.position,
          ...(typeof e.estimatedWaitTime === 'number' ? { estimatedWaitTime: e.estimatedWaitTime } : {}),
        });
    });
    add(consultation.on('patient_admitted'), (e) => this.admitted(navigationOf(e.navigation) ?? navigationOf(e.urls)));
    add(consultation.on('navigate_to_consultation_room'), (e) => this.admitted(e.url));
    add(consultation.on('admitted_to_live_consultation'), () => this.admitted(undefined));
    add(consultation.on('consultation_status'), (e) => {
      if (e.status === 'ACTIVE' && this.state.phase === 'waiting') this.admitted(undefined);
      else if (ENDED.includes(e.status)) this.ended(e.status);
    });
    add(consultation.on('consultation_status_patient'), (e) => this.onStatus(e.status, e.canJoin, e.doctorName));
    add(consultation.on('consultation_ended'), (e) => this.ended(e.status));
    // The reference backend ends the consultation this way when the practitioner disconnects.
    add(consultation.on('consultation_terminated'), () => this.ended('TERMINATED_OPEN'));
    add(consultation.on('system_message'), (e) => {
      if (e.type === 'waiting_for_participant' && idOf(e.userId) === me && this.state.phase !== 'admitted')
        this.patch({ phase: 'waiting' });
    });
    // A resync re-enters: the server may have lost the waiting session (restart).
    this.subscriptions.add(
      refreshAfterResync(consultation, async () => {
        if (this.state.phase !== 'waiting' && !this.reentryOwed) return;
        // The baseline re-sends the status on connect by itself: only a waiting session is asked for again.
        if (this.variant === 'plain' && !this.client.features.has('waiting_room_sessions')) return;
        // A failed re-entry leaves the phase at `entering`: it is still owed.
        this.reentryOwed = true;
        await this.enter(this.variant);
        this.reentryOwed = false;
      }),
    );
  }

  get state(): PatientWaitingState {
    return this.subject.value;
  }

  /**
   * Enters the waiting room and starts the heartbeat. Resolves once the server confirmed, or as
   * soon as the patient is admitted: a practitioner (or a bot) may admit the patient the server
   * queued on connection before this request is answered, and the server then refuses it.
   */
  async enter(variant: WaitingRoomVariant = 'plain'): Promise<PatientWaitingState> {
    this.variant = variant;
    const { phase, navigationTarget } = this.state;
    if (phase === 'ended') return this.state;
    if (phase === 'admitted') {
      if (variant === 'plain' || navigationTarget !== undefined) return this.state;
      // Admitted by the status alone: the enhanced or smart answer says where to go.
      (await this.request(variant))();
      return this.state;
    }
    if (this.state.phase === 'idle') this.patch({ phase: 'entering' });
    const request = this.request(variant);
    let watch: Subscription | undefined;
    const admitted = new Promise<'admitted'>((resolve) => {
      watch = this.subject.subscribe((state) => state.phase === 'admitted' && resolve('admitted'));
    });
    try {
      const first = await Promise.race([request, admitted]);
      if (first !== 'admitted') first();
      // Admitted without a destination (by the status alone): the enhanced or smart answer may have one.
      else if (variant !== 'plain' && this.state.navigationTarget === undefined) (await request.catch(() => () => undefined))();
      else request.catch(() => undefined);
    } finally {
      watch?.unsubscribe();
    }
    return this.state;
  }

  /** After admission: joins the live consultation (enhanced flow). */
  joinLive() {
    const { consultationId, userId, role } = this.client.identity;
    return this.client.enhanced.request('join_live_consultation_enhanced', { consultationId, userId, role });
  }

  dispose(): void {
    this.stopHeartbeat();
    this.subscriptions.unsubscribe();
    this.subject.complete();
  }

  /** Sends the entering request; resolves with what to apply once answered. */
  private async request(variant: WaitingRoomVariant): Promise<() => void> {
    const { consultationId, userId } = this.client.identity;
    if (variant === 'plain') {
      // The status tells whether there is a waiting room to enter at all. The server sends it on
      // connect; a store made after that asks for it.
      if (this.state.phase === 'entering') await Promise.race([this.statusKnown(), this.askStatus()]);
      if (this.state.phase !== 'waiting' || !this.client.features.has('waiting_room_sessions')) return () => undefined;
      const answer = await this.client.consultation.request('enter_waiting_room', { consultationId, userId });
      return () => this.waiting(answer.session);
    }
    if (variant === 'enhanced') {
      const answer = await this.client.enhanced.request('join_waiting_room_enhanced', { consultationId, userId });
      return () => this.waiting(answer.waitingRoomSession);
    }
    const answer = await this.client.enhanced.request('smart_patient_join', { consultationId, patientId: userId, joinType: 'smart' });
    const { redirectTo } = answer;
    if (redirectTo && /consultation/i.test(redirectTo) && !/waiting/i.test(redirectTo)) return () => this.admitted(redirectTo);
    return () => this.waiting(answer);
  }

  /** Resolves once the server said where the consultation stands for this patient (sent on connect). */
  private statusKnown(): Promise<void> {
    return new Promise((resolve) => {
      const watch = this.subject.subscribe((state) => {
        if (state.phase === 'entering' || state.phase === 'idle') return;
        resolve();
        queueMicrotask(() => watch.unsubscribe());
      });
    });
  }

  /** `request_consultation_state` (both the reference backend and the test server answer it). */
  private async askStatus(): Promise<void> {
    try {
      const { status } = await this.client.consultation.request('request_consultation_state', {
        consultationId: this.client.identity.consultationId,
      });
      if (this.state.phase === 'entering') this.onStatus(status, undefined, undefined);
    } catch {
      await this.statusKnown(); // the status pushed on connect still tells
    }
  }

  /** `consultation_status_patient`: where the consultation stands for this patient. */
  private onStatus(status: ConsultationStatus, canJoin: boolean | null | undefined, doctorName: string | null | undefined): void {
    this.patch({ consultationStatus: status, ...(doctorName ? { doctorName } : {}) });
    if (ENDED.includes(status)) return this.ended(status);
    if (canJoin === true || status === 'ACTIVE') return this.admitted(undefined);
    if (this.state.phase !== 'admitted') this.patch({ phase: 'waiting' });
  }

  private ended(status: ConsultationStatus): void {
    this.stopHeartbeat();
    this.patch({ phase: 'ended', consultationStatus: status });
  }

  private waiting(session: Record<string, unknown>): void {
    // Admitted already (the admission overtook the answer): never back to waiting.
    if (this.state.phase === 'admitted' || this.state.phase === 'ended') return;
    const sessionId = idOf(session.id ?? session.sessionId ?? session.waitingRoomSessionId);
    const position = typeof session.position === 'number' ? session.position : undefined;
    const wait = typeof session.estimatedWaitTime === 'number' ? session.estimatedWaitTime : undefined;
    this.patch({
      phase: 'waiting',
      ...(sessionId === undefined ? {} : { sessionId }),
      ...(position === undefined ? {} : { position }),
      ...(wait === undefined ? {} : { estimatedWaitTime: wait }),
    });
    this.startHeartbeat();
  }

  private admitted(target: string | undefined): void {
    this.stopHeartbeat();
    this.patch({ phase: 'admitted', ...(target === undefined ? {} : { navigationTarget: target }) });
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    const beat = () => {
      const { sessionId } = this.state;
      if (sessionId === undefined) return;
      const payload = { waitingRoomSessionId: sessionId, patientId: this.client.identity.userId };
      const sent =
        this.variant === 'plain'
          ? this.client.consultation.emit('waiting_room_heartbeat', payload)
          : this.client.enhanced.emit('waiting_room_heartbeat', payload);
      sent.catch(() => undefined);
    };
    this.heartbeat = this.client.connection.options.scheduler.setInterval(beat, this.heartbeatIntervalMs, { background: true });
  }

  private stopHeartbeat(): void {
    this.client.connection.options.scheduler.clear(this.heartbeat);
    this.heartbeat = undefined;
  }

  private patch(change: Partial<PatientWaitingState>): void {
    this.subject.next({ ...this.subject.value, ...change });
  }
}

function navigationOf(value: Record<string, unknown> | undefined): string | undefined {
  if (!value) return undefined;
  for (const key of ['url', 'patientUrl', 'consultationUrl', 'redirectUrl', 'target']) {
    if (typeof value[key] === 'string') return value[key];
  }
  return undefined;
}
