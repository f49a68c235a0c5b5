import type { Scheduler, TimerHandle } from '../../core/scheduler.js';

/** The part of an `RTCPeerConnection` the watchdog reads and drives. */
export type WatchedConnection = Pick<RTCPeerConnection, 'connectionState' | 'restartIce' | 'addEventListener' | 'removeEventListener'>;

export interface IceWatchdogOptions {
  readonly scheduler: Scheduler;
  /** Whether the signalling is up (an ICE restart needs an offer to reach the peer). */
  readonly connected: () => boolean;
  /** How long `disconnected` may last before an ICE restart (it often heals by itself). */
  readonly disconnectedMs: number;
  /** How long a restart may take to connect before the next one (backing off up to four times). */
  readonly retryMs: number;
  /** Each restart, for the app's figures. */
  readonly onRestart?: (reason: 'failed' | 'disconnected' | 'signalling') => void;
}

/**
 * ICE recovery of one peer connection: `pc.restartIce()` (a new offer with new credentials, through
 * the perfect negotiation) when the connection fails, or stays disconnected for `disconnectedMs`,
 * while the signalling is up; owed until the signalling is back otherwise; retried until connected.
 */
export class IceWatchdog {
  private timer: TimerHandle | undefined;
  private owed = false;
  private attempts = 0;
  private closed = false;

  constructor(
    private readonly pc: WatchedConnection,
    private readonly options: IceWatchdogOptions,
  ) {
    pc.addEventListener('connectionstatechange', this.onState);
  }

  /** An ICE restart is waiting for the signalling to come back. */
  get restartOwed(): boolean {
    return this.owed;
  }

  /** The signalling is back after a drop: restart ICE (a fresh negotiation), owed or not. */
  signallingBack(): void {
    this.owed = false;
    this.restart('signalling');
  }

  close(): void {
    this.closed = true;
    this.clear();
    this.pc.removeEventListener('connectionstatechange', this.onState);
  }

  private readonly onState = () => {
    if (this.closed) return;
    const state = this.pc.connectionState;
    if (state === 'connected' || state === 'closed') {
      this.attempts = 0;
      this.owed = false;
      this.clear();
    } else if (state === 'failed') {
      this.clear();
      this.restart('failed');
    } else if (state === 'disconnected' && !this.timer) {
      this.timer = this.options.scheduler.setTimeout(() => {
        this.timer = undefined;
        if (this.pc.connectionState === 'disconnected' || this.pc.connectionState === 'failed') this.restart('disconnected');
      }, this.options.disconnectedMs);
    }
  };

  private restart(reason: 'failed' | 'disconnected' | 'signalling'): void {
    if (this.closed) return;
    if (!this.options.connected()) {
      this.owed = true; // the offer could not reach the peer: done when the signalling is back
      return;
    }
    this.options.onRestart?.(reason);
    this.pc.restartIce();
    this.clear();
    const delay = this.options.retryMs * Math.min(4, 2 ** this.attempts++);
    this.timer = this.options.scheduler.setTimeout(() => {
      this.timer = undefined;
      if (this.pc.connectionState !== 'connected' && this.pc.connectionState !== 'closed') this.restart(reason);
    }, delay);
  }

  private clear(): void {
    this.options.scheduler.clear(this.timer);
    this.timer = undefined;
  }
}
