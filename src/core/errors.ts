import type { PayloadIssue } from '../contract/index.js';

/** Why an SDK operation failed (LiveKit-style reason codes, stable for apps to switch on). */
export type HcwErrorReason =
  /** The app's payload does not match the contract; nothing was sent. */
  | 'invalid_payload'
  /** The server sent a payload that lacks what the SDK needs (see the contract's `requires`); it was dropped. */
  | 'malformed_event'
  /**
   * A warning: the server sent a payload that breaks the contract only in fields nothing depends
   * on; it was delivered. `issues` names the fields. Reported once per event and field set.
   */
  | 'schema_drift'
  /** The payload is larger than the server accepts (`maxPayloadBytes`); nothing was sent. */
  | 'payload_too_large'
  /** No ack or response arrived in time. */
  | 'timeout'
  /** The connection dropped after the request was sent, before its answer: the server may or may not have handled it. */
  | 'disconnected'
  /** The server answered with an error (failure ack or an error event). */
  | 'server_error'
  /** The offline send queue is full; the emit was refused. */
  | 'queue_full'
  /** The server rejected the credentials (`socket_error:unauthorized`). */
  | 'unauthorized'
  /** The token provider threw or returned nothing. */
  | 'token_provider_failed'
  /** Reconnection attempts are exhausted, or the server refused the connection. */
  | 'connection_failed'
  /** The server does not have this namespace; nothing was sent. */
  | 'unavailable'
  /** Not now: the operation does not fit the current state (a namespace closed by a server kick, a camera not published); nothing was done. */
  | 'invalid_state'
  /** The client was disposed while the operation was pending. */
  | 'disposed'
  /** The camera, microphone or screen could not be opened (`MediaAccessError.kind` says why). */
  | 'media_access'
  /** A local media operation failed (a WebRTC transport, producer or consumer of mediasoup-client); `cause` has the original. */
  | 'media_failed'
  /** The contract, or the options given for it, do not hold together (found when the client or namespace is created). */
  | 'invalid_contract'
  /** Never possible: the contract has no such event for this use (e.g. `request()` on an event the server never answers). */
  | 'unsupported';

export interface HcwErrorDetails {
  namespace?: string;
  event?: string;
  issues?: PayloadIssue[];
  /** The server's own error code, when its answer carries one (`{ error, code }`). */
  code?: string;
  cause?: unknown;
}

/** Every error the SDK reports or rejects with. */
export class HcwError extends Error {
  override readonly name = 'HcwError';
  readonly reason: HcwErrorReason;
  readonly namespace?: string;
  readonly event?: string;
  readonly issues?: PayloadIssue[];
  /** The server's own error code, when its answer carried one. */
  readonly code?: string;

  constructor(reason: HcwErrorReason, message: string, details: HcwErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    this.namespace = details.namespace;
    this.event = details.event;
    this.issues = details.issues;
    this.code = details.code;
  }
}

/** True when `error` is an {@link HcwError}, optionally with the given reason. */
export function isHcwError(error: unknown, reason?: HcwErrorReason): error is HcwError {
  return error instanceof HcwError && (reason === undefined || error.reason === reason);
}
