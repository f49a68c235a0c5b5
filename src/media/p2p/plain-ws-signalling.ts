import { BehaviorSubject, distinctUntilChanged, filter, map, pairwise, Subscription, type Observable } from 'rxjs';
import { videoSignals, type PlainWsRoomNamespace, type VideoSignal } from '../../contracts/plain-ws.js';
import type { HcwError } from '../../core/errors.js';
import type { Scheduler } from '../../core/scheduler.js';
import type { RealtimeClient } from '../../realtime-client.js';
import type { PeerMediaManagerOptions } from './options.js';
import { PeerMediaManager } from './peer-media-manager.js';
import type { PeerDeparture, PeerMessage, PeerMessageData, PeerMessageKind, PeerSignalling } from './peer-signalling.js';
import { RoomPresence } from './room-presence.js';

/** Who this participant is on a plain-WebSocket room. */
export interface PlainWsPeerOptions {
  /** This participant's user id as the server writes it in `from` (the token's subject). */
  readonly userId: string;
}

/** A client with the plain-ws contract's room namespace (`plainWsContract`, or `{ room: plainWsRoomNamespace }`). */
type PlainWsClient = Pick<RealtimeClient<{ readonly room: PlainWsRoomNamespace }>, 'services' | 'connection'>;

const EVENT = { offer: 'video.offer', answer: 'video.answer', candidate: 'video.ice-candidate' } as const;

/**
 * {@link PeerSignalling} over the plain-WebSocket contract's room
 * (`/ws/comms/chat-rooms/:room`): `video.offer`, `video.answer` and `video.ice-candidate` sent
 * as the `RTCSessionDescriptionInit`/`RTCIceCandidateInit` itself, relayed by the server to the
 * room's other participants as `{ type, from, data }`; presence from `user.joined`/`user.left`.
 *
 * What the contract lacks, and how this adapter copes:
 * - No addressee: a message for one peer carries `to` inside its data (the contract's schemas
 *   are loose), and receivers drop what is addressed to another peer. Every message still reaches
 *   everyone in the room: a mesh of n costs n − 1 copies of each.
 * - No list of who is there on joining (only the others hear `user.joined`): a joiner's calls
 *   start with the others' offers (`presence: 'arrivals'`).
 * - `user.left` does not say why: a departure is `disconnected`, so a call ends once its media is
 *   down too, not while it still flows (the peer may only have lost its signalling).
 *
 * `connected` is the room connection's state (a plain WebSocket is the room: no join). Every
 * reconnection is a new session; `reconnected$` then renegotiates every call.
 */
export class PlainWsPeerSignalling implements PeerSignalling {
  readonly userId: string;
  readonly presence = 'arrivals' as const;
  readonly connected$: Observable<boolean>;
  readonly reconnected$: Observable<void>;
  readonly messages$: Observable<PeerMessage>;
  readonly peerJoined$: Observable<string>;
  readonly peerLeft$: Observable<PeerDeparture>;
  private readonly up = new BehaviorSubject(false);
  private readonly room: RoomPresence;
  private readonly subscription = new Subscription();

  constructor(
    private readonly client: PlainWsClient,
    options: PlainWsPeerOptions,
  ) {
    const room = client.services.room;
    this.userId = options.userId;
    this.room = new RoomPresence(options.userId);
    this.peerJoined$ = this.room.joined$;
    this.peerLeft$ = this.room.left$;
    this.subscription.add(room.on('user.joined').subscribe(({ userId }) => this.room.join(userId)));
    this.subscription.add(room.on('user.left').subscribe(({ userId }) => this.room.leave(userId, 'disconnected')));
    this.subscription.add(room.state$.subscribe((state) => this.up.next(state.status === 'connected')));
    this.connected$ = this.up.pipe(distinctUntilChanged());
    this.reconnected$ = this.connected$.pipe(
      pairwise(),
      filter(([before, now]) => !before && now),
      map(() => undefined),
    );
    const addressee = (data: object) => {
      const to = (data as { to?: unknown }).to;
      return typeof to === 'string' ? to : undefined;
    };
    this.messages$ = videoSignals(room).pipe(
      filter((signal) => signal.from !== this.userId && (addressee(signal.data) ?? this.userId) === this.userId),
      map((signal) => toMessage(signal, addressee(signal.data))),
    );
  }

  get scheduler(): Scheduler {
    return this.client.connection.options.scheduler;
  }

  get connected(): boolean {
    return this.up.value;
  }

  async send<K extends PeerMessageKind>(kind: K, to: string | undefined, data: PeerMessageData[K]): Promise<void> {
    const room = this.client.services.room;
    const addressee = to === undefined ? {} : { to };
    if (kind === 'candidate') {
      const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = data as PeerMessageData['candidate'];
      await room.emit(EVENT.candidate, { candidate, sdpMid, sdpMLineIndex, usernameFragment, ...addressee });
    } else if (kind === 'offer') await room.emit(EVENT.offer, { ...(data as PeerMessageData['offer']), ...addressee });
    else await room.emit(EVENT.answer, { ...(data as PeerMessageData['answer']), ...addressee });
  }

  report(error: HcwError): void {
    this.client.connection.report(error);
  }

  /** Stops listening (the client, and its room connection, stay the app's). */
  close(): void {
    this.subscription.unsubscribe();
    this.room.close();
    this.up.next(false);
    this.up.complete();
  }
}

function toMessage(signal: VideoSignal, to: string | undefined): PeerMessage {
  const addressed = to === undefined ? {} : { to };
  if (signal.kind === 'offer') return { kind: 'offer', from: signal.from, ...addressed, data: { type: 'offer', sdp: signal.data.sdp } };
  if (signal.kind === 'answer') return { kind: 'answer', from: signal.from, ...addressed, data: { type: 'answer', sdp: signal.data.sdp } };
  const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = signal.data;
  return { kind: 'candidate', from: signal.from, ...addressed, data: { candidate, sdpMid, sdpMLineIndex, usernameFragment } };
}

/** Peer-to-peer media over a plain-WebSocket client: `createPlainWsPeerMedia(client, { userId })` (the room is the client's `handshake.room`). */
export function createPlainWsPeerMedia(client: PlainWsClient, options: PlainWsPeerOptions & PeerMediaManagerOptions): PeerMediaManager {
  return new PeerMediaManager(new PlainWsPeerSignalling(client, options), options);
}
