/**
 * An Angular service over the SDK: one client per consultation page, its observables ready for
 * `async` pipes or `toSignal`.
 *
 * - The client and its stores are created OUTSIDE Angular's zone: Socket.IO's heartbeats, the
 *   SDK's timers and every incoming packet would otherwise each run change detection. Values that
 *   components render re-enter the zone (`enterZone`), once per emission.
 * - During server-side rendering (`isPlatformBrowser(PLATFORM_ID)` false) nothing connects: the
 *   observables hold their initial value and the methods do nothing.
 * - `ngOnDestroy` disposes everything. Provide the service in the consultation page component
 *   (`providers: [provideHcwRealtime(...)]`) so leaving the page closes the connection.
 * - Zoneless apps (`provideZonelessChangeDetection()`, the default of new Angular 21 apps): `NgZone`
 *   is a no-op there and `async`/`toSignal` schedule rendering themselves; the service works as is.
 */
import { isPlatformBrowser } from '@angular/common';
import { Injectable, InjectionToken, NgZone, PLATFORM_ID, inject, type OnDestroy, type Provider } from '@angular/core';
import { NEVER, Observable, of, type MonoTypeOperatorFunction } from 'rxjs';
import { createHcwClient, type ConnectionState, type HcwClient, type HcwClientOptions, type HcwError } from 'hcw-realtime-sdk';
import {
  ChatStore,
  PatientWaitingRoom,
  PractitionerWaitingRoom,
  type ChatEntry,
  type PatientWaitingState,
  type PractitionerWaitingState,
  type TypingUser,
} from 'hcw-realtime-sdk/state';

/** The client's options (url, consultation, user, role, token provider, ...). */
export type HcwRealtimeConfig = HcwClientOptions;

export const HCW_REALTIME_CONFIG = new InjectionToken<HcwRealtimeConfig>('HCW_REALTIME_CONFIG');

/**
 * Providers of one realtime session: put them in the `providers` of the component that owns the
 * consultation (its destruction disposes the client). `config` may be a factory using `inject()`,
 * e.g. to read the route's consultation id or an auth service's token.
 */
export function provideHcwRealtime(config: HcwRealtimeConfig | (() => HcwRealtimeConfig)): Provider[] {
  return [
    typeof config === 'function'
      ? { provide: HCW_REALTIME_CONFIG, useFactory: config }
      : { provide: HCW_REALTIME_CONFIG, useValue: config },
    HcwRealtimeService,
  ];
}

/** Delivers every notification inside Angular's zone (the source keeps running outside). */
export function enterZone<T>(zone: NgZone): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) =>
      source.subscribe({
        next: (value) => zone.run(() => subscriber.next(value)),
        error: (error: unknown) => zone.run(() => subscriber.error(error)),
        complete: () => zone.run(() => subscriber.complete()),
      }),
    );
}

@Injectable()
export class HcwRealtimeService implements OnDestroy {
  private readonly zone = inject(NgZone);
  private readonly config = inject(HCW_REALTIME_CONFIG);
  /** False during server-side rendering: nothing connects there. */
  readonly isBrowser = isPlatformBrowser(inject(PLATFORM_ID));

  private readonly client: HcwClient | undefined;
  private readonly chat: ChatStore | undefined;
  private readonly patientRoom: PatientWaitingRoom | undefined;
  private readonly practitionerRoom: PractitionerWaitingRoom | undefined;

  /** `idle`, `connecting`, `connected`, `reconnecting` (show a banner), `unauthorized`, ... */
  readonly connectionState$: Observable<ConnectionState>;
  /** Every SDK error (auth, timeouts, malformed server payloads). */
  readonly errors$: Observable<HcwError>;
  /** Chat messages, oldest first, with delivery status and read receipts. */
  readonly messages$: Observable<readonly ChatEntry[]>;
  readonly unreadCount$: Observable<number>;
  readonly typingUsers$: Observable<readonly TypingUser[]>;
  /** Patient: phase (`waiting` → `admitted`), position and estimated wait. */
  readonly waitingRoom$: Observable<PatientWaitingState>;
  /** Practitioner: the live waiting list. */
  readonly waitingList$: Observable<PractitionerWaitingState>;

  constructor() {
    const idle = <T>(value: T) => of(value);
    if (!this.isBrowser) {
      this.connectionState$ = idle<ConnectionState>({ status: 'idle' });
      this.errors$ = NEVER;
      this.messages$ = idle<readonly ChatEntry[]>([]);
      this.unreadCount$ = idle(0);
      this.typingUsers$ = idle<readonly TypingUser[]>([]);
      this.waitingRoom$ = idle<PatientWaitingState>({ phase: 'idle' });
      this.waitingList$ = idle<PractitionerWaitingState>({ patients: [], waitingCount: 0 });
      return;
    }
    const { client, chat, patientRoom, practitionerRoom } = this.zone.runOutsideAngular(() => {
      const client = createHcwClient(this.config);
      const isPatient = this.config.role === 'PATIENT';
      return {
        client,
        chat: new ChatStore(client.chat, client.identity),
        patientRoom: isPatient ? new PatientWaitingRoom(client) : undefined,
        practitionerRoom: isPatient ? undefined : new PractitionerWaitingRoom(client),
      };
    });
    this.client = client;
    this.chat = chat;
    this.patientRoom = patientRoom;
    this.practitionerRoom = practitionerRoom;
    const inZone = <T>(source: Observable<T>) => source.pipe(enterZone<T>(this.zone));
    this.connectionState$ = inZone(client.state$);
    this.errors$ = inZone(client.errors$);
    this.messages$ = inZone(chat.messages$);
    this.unreadCount$ = inZone(chat.unreadCount$);
    this.typingUsers$ = inZone(chat.typingUsers$);
    this.waitingRoom$ = patientRoom ? inZone(patientRoom.state$) : idle<PatientWaitingState>({ phase: 'idle' });
    this.waitingList$ = practitionerRoom
      ? inZone(practitionerRoom.state$)
      : idle<PractitionerWaitingState>({ patients: [], waitingCount: 0 });
  }

  /** Patient: enters the waiting room (resolves waiting, or admitted). */
  async enterWaitingRoom(): Promise<PatientWaitingState | undefined> {
    const room = this.patientRoom;
    return room ? this.outside(() => room.enter('plain')) : undefined;
  }

  /** Practitioner: joins the practitioner room and loads the waiting list. */
  async openWaitingList(): Promise<PractitionerWaitingState | undefined> {
    const room = this.practitionerRoom;
    return room ? this.outside(() => room.open()) : undefined;
  }

  /** Practitioner: admits a waiting patient. */
  async admit(patientId: string): Promise<void> {
    const room = this.practitionerRoom;
    if (room) await this.outside(() => room.admit(patientId));
  }

  /** Sends a message (shown at once as pending); resolves with the final entry. */
  async send(content: string): Promise<ChatEntry | undefined> {
    const chat = this.chat;
    return chat ? this.outside(() => chat.send(content)) : undefined;
  }

  async setTyping(isTyping: boolean): Promise<void> {
    const client = this.client;
    if (client) await this.outside(() => client.chat.setTyping(isTyping));
  }

  async markAllRead(): Promise<void> {
    const chat = this.chat;
    if (chat) await this.outside(() => chat.markAllRead());
  }

  /** After `unauthorized` (fix the token first) or `failed`. */
  reconnect(): void {
    this.client?.reconnect();
  }

  ngOnDestroy(): void {
    this.patientRoom?.dispose();
    this.practitionerRoom?.dispose();
    this.chat?.dispose();
    this.client?.dispose();
  }

  /** SDK work (timers, retries, socket writes) stays outside the zone; awaiting callers resume inside. */
  private outside<T>(work: () => Promise<T>): Promise<T> {
    return this.zone.runOutsideAngular(work);
  }
}
