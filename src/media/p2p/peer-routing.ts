import { Subscription } from 'rxjs';
import type { PeerCalls } from './peer-calls.js';
import { fingerprintOf } from './peer-link.js';
import type { PeerDeparture, PeerMessage, PeerSignalling } from './peer-signalling.js';

/** What the routing may do to the calls. */
export interface PeerRoutingActions {
  /** Starts a call with a peer; with its offer, applied before anything is sent. */
  call(peerId: string, offer?: PeerMessage): void;
  /** Ends a call (its connection closed, its tracks gone). */
  hangUp(peerId: string): void;
}

/**
 * Who gets a call, from what the signalling says: a peer present or joining gets one; one that
 * leaves is hung up; one whose signalling is lost is `away` (kept while its media flows); an offer
 * from a peer with no call starts one, and an offer from a new connection of a known peer (another
 * DTLS fingerprint: it reloaded) replaces its call. Returns the subscription to the signalling.
 */
export function routePeerSignalling(signalling: PeerSignalling, calls: PeerCalls, actions: PeerRoutingActions): Subscription {
  const onSignallingBack = () => {
    for (const link of calls.all()) {
      // No list after a reconnection: a peer whose call is down may have left unseen meanwhile.
      if (signalling.presence === 'arrivals' && link.pc.connectionState !== 'connected') link.away();
      link.signallingBack();
    }
  };
  const onPeerJoined = (peerId: string) => {
    if (peerId === signalling.userId) return;
    const link = calls.get(peerId);
    if (link) link.back();
    else actions.call(peerId);
  };
  const onPeerLeft = ({ peerId, reason }: PeerDeparture) => {
    if (reason === 'left') actions.hangUp(peerId);
    else calls.get(peerId)?.away();
  };
  const onMessage = (message: PeerMessage) => {
    if (message.from === signalling.userId) return;
    let link = calls.get(message.from);
    if (link && message.kind === 'offer') {
      const was = link.remoteFingerprint;
      const now = fingerprintOf(message.data.sdp);
      if (was !== undefined && now !== undefined && was !== now) {
        actions.hangUp(message.from); // the peer's connection is a new one: so is ours
        link = undefined;
      }
    }
    // A peer appears with its first offer (not with leftovers of a call ended here).
    if (link) void link.receive(message);
    else if (message.kind === 'offer') actions.call(message.from, message);
  };
  const subscriptions = new Subscription();
  subscriptions.add(signalling.messages$.subscribe(onMessage));
  subscriptions.add(signalling.peerJoined$.subscribe(onPeerJoined));
  subscriptions.add(signalling.peerLeft$.subscribe(onPeerLeft));
  subscriptions.add(signalling.reconnected$.subscribe(onSignallingBack));
  return subscriptions;
}
