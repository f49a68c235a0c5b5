import { BehaviorSubject, Subscription, type Observable } from 'rxjs';
import type { HcwClient } from '../client.js';
import { refreshAfterResync } from './refresh-after-resync.js';

export type WaitingPhase = 'idle' | 'entering' | 'waiting' | 'admitted';

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
}

export interface PatientWaitingRoomOptions {
  /** `waiting_room_heartbeat` period while waiting. Default 15 000 ms. */
  heartbeatIntervalMs?: number;
}

const idOf = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

/**
 * The patient's side of the waiting room: enter (plain, enhanced or smart join), position and
 * estimated wait, a heartbeat while waiting, admission with the navigation target.
 */
export class PatientWaitingRoom {
  private readonly subject = new BehaviorSubject<PatientWaitingState>({ phase: 'idle' });
  private readonly subscriptions = new Subscription();
  private heartbeat: ReturnType<typeof setInterval> | undefined;
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
      if (String(e.patientId) === me) this.patch({ position: e.position, ...(e.estimatedWaitTime === undefined ? {} : { estimatedWaitTime: e.estimatedWaitTime }) });
    });
    add(consultation.on('patient_admitted'), (e) => this.admitted(navigationOf(e.navigation) ?? navigationOf(e.urls)));
    add(consultation.on('navigate_to_consultation_room'), (e) => this.admitted(e.url));
    add(consultation.on('admitted_to_live_consultation'), () => this.admitted(undefined));
    add(consultation.on('consultation_status'), (e) => {
      if (e.status === 'ACTIVE' && this.state.phase === 'waiting') this.admitted(undefined);
    });
    // A resync re-enters: the server may have lost the waiting session (restart).
    this.subscriptions.add(
      refreshAfterResync(consultation, async () => {
        // A failed re-entry leaves the phase at `entering`: it is still owed.
        if (this.state.phase !== 'waiting' && !this.reentryOwed) return;
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
    if (this.state.phase === 'admitted') return this.state;
    this.patch({ phase: 'entering' });
    const request = this.request(variant);
    let watch: Subscription | undefined;
    const admitted = new Promise<'admitted'>((resolve) => {
      watch = this.subject.subscribe((state) => state.phase === 'admitted' && resolve('admitted'));
    });
    try {
      const first = await Promise.race([request, admitted]);
      if (first === 'admitted') request.catch(() => undefined);
      else first();
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
      const answer = await this.client.consultation.request('enter_waiting_room', { consultationId, userId });
      return () => this.waiting(answer.session);
    }
    if (variant === 'enhanced') {
      const answer = await this.client.enhanced.request('join_waiting_room_enhanced', { consultationId, userId });
      return () => this.waiting(answer.waitingRoomSession);
    }
    const answer = await this.client.enhanced.request('smart_patient_join', { consultationId, patientId: userId, joinType: 'smart' });
    if (answer.redirectTo && /consultation/i.test(answer.redirectTo) && !/waiting/i.test(answer.redirectTo)) return () => this.admitted(answer.redirectTo);
    return () => this.waiting(answer as Record<string, unknown>);
  }

  private waiting(session: Record<string, unknown>): void {
    // Admitted already (the admission overtook the answer): never back to waiting.
    if (this.state.phase === 'admitted') return;
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
    this.heartbeat = setInterval(beat, this.heartbeatIntervalMs);
    (this.heartbeat as { unref?: () => void }).unref?.();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private patch(change: Partial<PatientWaitingState>): void {
    this.subject.next({ ...this.subject.value, ...change });
  }
}

function navigationOf(value: Record<string, unknown> | undefined): string | undefined {
  if (!value) return undefined;
  for (const key of ['url', 'patientUrl', 'consultationUrl', 'redirectUrl', 'target']) {
    if (typeof value[key] === 'string') return value[key] as string;
  }
  return undefined;
}
