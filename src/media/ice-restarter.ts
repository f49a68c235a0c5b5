import type { types as ms } from 'mediasoup-client';
import { filter, firstValueFrom, map, merge, Subject, take } from 'rxjs';
import { asMediaError } from './media-error.js';
import type { PathProbe } from './path-probe.js';
import type { MediaSignalling } from './signalling-port.js';

/** What the restarter asks of its owner when ICE cannot be restarted. */
export interface IceRestartOptions {
  /** The first wait for a restarted transport to connect; later ones double, up to four times this. */
  readonly retryMs: number;
  /** The server cannot restart ICE (no such extension) or refused: only a rebuild brings media back. */
  readonly onUnrecoverable: (transport: ms.Transport) => void;
  /** Tells a path that came back by itself from a dead one; without it, every restart is sent. */
  readonly probe?: PathProbe;
}

/** Probes in a row that found the path alive while ICE still did not read `connected`: then restart anyway. */
const MAX_ALIVE_WAITS = 2;

/**
 * Restarts ICE on a transport until it connects again, it closes, or `stopAll()`: one loop per
 * transport however often it is asked. Each attempt waits for the signalling to be connected
 * (never sent offline), asks the server for new ICE parameters, hands them to the transport, then
 * waits for it to connect, backing off. A failed attempt is reported, never swallowed, and retried.
 */
export class IceRestarter {
  private readonly running = new Map<ms.Transport, Promise<void>>();
  private readonly stopped = new Subject<void>();
  private generation = 0;

  constructor(
    private readonly signalling: MediaSignalling,
    private readonly options: IceRestartOptions,
  ) {}

  /**
   * Restarts ICE on `transport` (joins the loop already running for it). `force`: at least once,
   * even if it reads `connected` (after a network change its path may be dead without it knowing yet).
   */
  restart(transport: ms.Transport, options: { force?: boolean } = {}): Promise<void> {
    const existing = this.running.get(transport);
    if (existing) return existing;
    const loop = this.loop(transport, this.generation, options.force === true).finally(() => this.running.delete(transport));
    this.running.set(transport, loop);
    return loop;
  }

  /** Ends every loop (the session is being rebuilt or closed). */
  stopAll(): void {
    this.generation += 1;
    this.stopped.next();
    this.running.clear();
  }

  private async loop(transport: ms.Transport, generation: number, forced: boolean): Promise<void> {
    let force = forced;
    const live = () => generation === this.generation && !transport.closed;
    let aliveWaits = 0;
    for (let attempt = 0; live() && (transport.connectionState !== 'connected' || (force && attempt === 0)); attempt += 1) {
      if (!(await this.signallingConnected()) || !live()) return;
      // The old path may have come back by itself (a short outage, the same network): a restart
      // would only move the media to a new pair. Wait for ICE to see it instead.
      if (aliveWaits < MAX_ALIVE_WAITS && this.options.probe && (await this.options.probe(transport))) {
        if (!live()) return;
        aliveWaits += 1;
        force = false;
        if (transport.connectionState !== 'connected') await this.connectedOrTimeout(transport, this.options.retryMs);
        continue;
      }
      aliveWaits = 0;
      try {
        const iceParameters = await this.signalling.restartIce(transport.id);
        if (!live()) return;
        if (iceParameters === undefined) return this.options.onUnrecoverable(transport);
        await transport.restartIce({ iceParameters });
      } catch (error) {
        if (!live()) return;
        this.signalling.report(asMediaError(`ICE restart of transport ${transport.id} failed`, error));
        // The server answered and said no (it lost the transport): retrying cannot help.
        if (isRefusal(error)) return this.options.onUnrecoverable(transport);
      }
      await this.connectedOrTimeout(transport, this.options.retryMs * Math.min(2 ** attempt, 4));
    }
  }

  /** Resolves true once the signalling is connected, false if stopped first. */
  private signallingConnected(): Promise<boolean> {
    if (this.signalling.connected) return Promise.resolve(true);
    const connected = this.signalling.connected$.pipe(filter(Boolean));
    return firstValueFrom(merge(connected, this.stopped.pipe(map(() => false))).pipe(take(1)), { defaultValue: false });
  }

  private connectedOrTimeout(transport: ms.Transport, waitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        transport.off('connectionstatechange', onState);
        subscription.unsubscribe();
        this.signalling.scheduler.clear(timer);
        resolve();
      };
      const onState = (state: ms.ConnectionState) => {
        if (state === 'connected' || state === 'closed') done();
      };
      transport.on('connectionstatechange', onState);
      const subscription = this.stopped.subscribe(done);
      const timer = this.signalling.scheduler.setTimeout(done, waitMs, { background: true });
    });
  }
}

/** The server's own refusal (an error answer), as opposed to a timeout or a dropped connection. */
function isRefusal(error: unknown): boolean {
  return (error as { reason?: unknown } | null)?.reason === 'server_error';
}
