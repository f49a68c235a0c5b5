import type { MediaDevicesLike } from '../types.js';

/** Options of a {@link PeerMediaManager}. */
export interface PeerMediaManagerOptions {
  /** Default: `navigator.mediaDevices`. */
  readonly mediaDevices?: MediaDevicesLike;
  /** Of every peer connection (STUN/TURN servers...). Default: no ICE server (host candidates only). */
  readonly rtcConfiguration?: RTCConfiguration;
  /** Stop the old track before opening the new one when switching devices (mobile cameras cannot be open twice). Default false. */
  readonly stopTrackBeforeSwitch?: boolean;
  /** Stats period feeding `quality$`. Default 5000 ms; 0 disables. */
  readonly statsIntervalMs?: number;
  /** An offer unanswered this long is sent again (a relay has no acks: it may have been lost). Default 4000 ms. */
  readonly offerRetryMs?: number;
  /**
   * How long the polite side's first offer to a peer waits for the peer's own (the side whose id
   * sorts first is polite): both sides of a call started at once then rarely collide on the first
   * offer. Default 1000 ms; 0: no wait.
   */
  readonly firstOfferDelayMs?: number;
  /** How long a connection may stay `disconnected` before an ICE restart. Default 3000 ms. */
  readonly iceDisconnectedMs?: number;
  /** How long an ICE restart may take to connect before the next one (backing off up to four times). Default 5000 ms. */
  readonly iceRestartRetryMs?: number;
}

/** An ICE restart this side started, and why. */
export interface IceRestartNotice {
  readonly peerId: string;
  /** `failed`/`disconnected`: the connection broke; `signalling`: a fresh negotiation after a signalling reconnection. */
  readonly reason: string;
}
