import { BehaviorSubject, distinctUntilChanged, filter, map, merge, pairwise, Subscription, type Observable } from 'rxjs';
import type { RootPrefixedContract } from '../../contracts/root-prefixed.js';
import type { HcwError } from '../../core/errors.js';
import type { Scheduler } from '../../core/scheduler.js';
import type { RealtimeClient } from '../../realtime-client.js';
import type { PeerMediaManagerOptions } from './options.js';
import { PeerMediaManager } from './peer-media-manager.js';
import type { PeerDeparture, PeerMessage, PeerMessageData, PeerMessageKind, PeerSignalling } from './peer-signalling.js';
import { RoomPresence } from './room-presence.js';

/** Where the peers meet on a root-prefixed server. */
export interface RootPrefixedPeerOptions {
  /** The consultation's signalling room (`webrtc:join_room { roomId }`). */
  readonly roomId: string;
  /** This participant's user id as the server writes it in `from` (the token's subject). */
  readonly userId: string;
}

/** A root-prefixed client: any services object, as long as it has the contract's root namespace. */
type RootPrefixedClient = Pick<RealtimeClient<RootPrefixedContract>, 'services' | 'connection'>;

/**
 * {@link PeerSignalling} over the root-prefixed contract: `webrtc:offer`, `webrtc:answer` and
 * `webrtc:ice_candidate` in the room joined by `webrtc:join_room`, relayed by the server to the
 * room's other members with `from` added. The only peer-to-peer file that knows the client.
 *
 * Presence and addressing are the contract's: `webrtc:peers` after each join (the peers present),
 * `webrtc:peer_joined`/`webrtc:peer_left` (with `left` or `disconnected`), and `to` on every
 * message sent to one peer (which is all of them: each goes to one peer connection). A server
 * without presence still works: `peerJoined$`/`peerLeft$` then never fire (the app names its
 * peers with `connect()`, or they appear with their first offer), and receivers drop what is
 * addressed to another peer where such a server broadcasts it. `close()` leaves the room
 * (`webrtc:leave_room`: the others end the call at once).
 *
 * `connected` means connected and in the room: after a reconnection the server did not recover,
 * only once the room is joined again.
 */
export class RootPrefixedPeerSignalling implements PeerSignalling {
  readonly userId: string;
  /** `webrtc:peers` after every join (none from a server without presence: then no peer events at all). */
  readonly presence = 'list' as const;
  readonly connected$: Observable<boolean>;
  readonly reconnected$: Observable<void>;
  readonly messages$: Observable<PeerMessage>;
  readonly peerJoined$: Observable<string>;
  readonly peerLeft$: Observable<PeerDeparture>;
  private readonly ready = new BehaviorSubject(false);
  private readonly inRoom: RoomPresence;
  private readonly subscription = new Subscription();

  constructor(
    private readonly client: RootPrefixedClient,
    private readonly options: RootPrefixedPeerOptions,
  ) {
    const root = client.services.root;
    const { roomId } = options;
    this.userId = options.userId;
    this.inRoom = new RoomPresence(options.userId);
    this.peerJoined$ = this.inRoom.joined$;
    this.peerLeft$ = this.inRoom.left$;
    // Listened to before the join is sent: the list follows it.
    const here = <P extends { roomId: string }>(source: Observable<P>) => source.pipe(filter((payload) => payload.roomId === roomId));
    this.subscription.add(here(root.on('webrtc:peers')).subscribe(({ peers }) => this.inRoom.snapshot(peers)));
    this.subscription.add(here(root.on('webrtc:peer_joined')).subscribe(({ userId }) => this.inRoom.join(userId)));
    this.subscription.add(
      here(root.on('webrtc:peer_left')).subscribe(({ userId, reason }) =>
        this.inRoom.leave(userId, reason === 'left' ? 'left' : 'disconnected'),
      ),
    );
    this.connected$ = this.ready.pipe(distinctUntilChanged());
    this.reconnected$ = this.connected$.pipe(
      pairwise(),
      filter(([before, now]) => !before && now),
      map(() => undefined),
    );
    // Only the state ends readiness; a recovered session kept its rooms, a new one waits for the join.
    this.subscription.add(
      root.state$.subscribe((state) => {
        if (state.status !== 'connected') this.ready.next(false);
        else if (state.recovered) this.ready.next(true);
      }),
    );
    this.subscription.add(
      root.room('consultation', { roomId: options.roomId }).subscribe({
        next: () => this.ready.next(root.connected),
        error: (error: unknown) => this.report(error as HcwError),
      }),
    );
    const mine = (payload: { roomId: string; from?: string; to?: unknown }) =>
      payload.roomId === roomId &&
      payload.from !== undefined &&
      payload.from !== this.userId &&
      (payload.to ?? this.userId) === this.userId;
    const message = <K extends PeerMessageKind>(kind: K, payload: { from?: string; to?: unknown }, data: PeerMessageData[K]) =>
      ({ kind, from: payload.from!, ...(typeof payload.to === 'string' ? { to: payload.to } : {}), data }) as PeerMessage;
    this.messages$ = merge(
      root.on('webrtc:offer').pipe(
        filter((p) => mine(p)),
        map((p) => message('offer', p, { type: 'offer', sdp: p.description.sdp })),
      ),
      root.on('webrtc:answer').pipe(
        filter((p) => mine(p)),
        map((p) => message('answer', p, { type: 'answer', sdp: p.description.sdp })),
      ),
      root.on('webrtc:ice_candidate').pipe(
        filter((p) => mine(p)),
        map((p) => message('candidate', p, p.candidate)),
      ),
    );
  }

  get scheduler(): Scheduler {
    return this.client.connection.options.scheduler;
  }

  get connected(): boolean {
    return this.ready.value;
  }

  async send<K extends PeerMessageKind>(kind: K, to: string | undefined, data: PeerMessageData[K]): Promise<void> {
    const root = this.client.services.root;
    const addressed = { roomId: this.options.roomId, ...(to === undefined ? {} : { to }) };
    if (kind === 'candidate') {
      const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = data as PeerMessageData['candidate'];
      await root.emit('webrtc:ice_candidate', { ...addressed, candidate: { candidate, sdpMid, sdpMLineIndex, usernameFragment } });
    } else if (kind === 'offer') await root.emit('webrtc:offer', { ...addressed, description: data as PeerMessageData['offer'] });
    else await root.emit('webrtc:answer', { ...addressed, description: data as PeerMessageData['answer'] });
  }

  report(error: HcwError): void {
    this.client.connection.report(error);
  }

  /** The peers in the room now, as the server last told (empty on a server without presence). */
  get peers(): readonly string[] {
    return this.inRoom.peers;
  }

  /** Leaves the room (`webrtc:leave_room` while connected; the client itself stays the app's). */
  close(): void {
    this.subscription.unsubscribe();
    this.inRoom.close();
    this.ready.next(false);
    this.ready.complete();
  }
}

/** Peer-to-peer media over a root-prefixed client: `createRootPrefixedPeerMedia(client, { roomId, userId })`. */
export function createRootPrefixedPeerMedia(
  client: RootPrefixedClient,
  options: RootPrefixedPeerOptions & PeerMediaManagerOptions,
): PeerMediaManager {
  return new PeerMediaManager(new RootPrefixedPeerSignalling(client, options), options);
}
