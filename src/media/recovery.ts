import type { types as ms } from 'mediasoup-client';
import { asMediaError } from './media-error.js';
import type { MediaSignalling, SignallingReconnected } from './signalling-port.js';

/** What recovery drives in the manager. */
export interface RecoveryActions {
  /** Whether the media session was joined (nothing to recover before). */
  readonly joined: () => boolean;
  readonly transports: () => ms.Transport[];
  readonly restartIce: (transport: ms.Transport, options?: { force?: boolean }) => void;
  /** Closes this session's media here and builds it again; rejects when it could not. */
  readonly rebuild: (closeOnServer: boolean) => Promise<void>;
  /** The link is down: quality reads "lost". */
  readonly lost: () => void;
  readonly disposed: () => boolean;
}

/**
 * Decides how media comes back, by case: a transport's ICE broke → restart it; the signalling came
 * back with its session → restart ICE on each transport; as a new session (the server
 * dropped this one's media) → rebuild. One rebuild at a time; asked again meanwhile, it runs once
 * more; one that failed (the signalling dropped meanwhile) is owed to the next reconnection.
 */
export class MediaRecovery {
  private rebuilding: Promise<void> | undefined;
  private again = false;
  private owed = false;

  constructor(
    private readonly signalling: Pick<MediaSignalling, 'report'>,
    private readonly actions: RecoveryActions,
  ) {}

  onReconnected({ recovered }: SignallingReconnected): void {
    if (!this.actions.joined()) return;
    if (!recovered || this.owed) {
      void this.rebuild(false);
      return;
    }
    // The transports are kept, but their path may have died with the signalling's without ICE
    // noticing yet (it takes seconds): each one's path is checked now, and restarted unless it
    // carries packets again (see IceRestarter's probe).
    for (const transport of this.actions.transports()) this.actions.restartIce(transport, { force: true });
  }

  onTransportState(transport: ms.Transport, state: ms.ConnectionState): void {
    if (state !== 'disconnected' && state !== 'failed') return;
    this.actions.lost();
    this.actions.restartIce(transport);
  }

  rebuild(closeOnServer: boolean): Promise<void> {
    if (this.rebuilding) {
      this.again = true;
      return this.rebuilding;
    }
    this.rebuilding = (async () => {
      do {
        this.again = false;
        await this.rebuildOnce(closeOnServer);
      } while (this.again && !this.actions.disposed());
    })().finally(() => (this.rebuilding = undefined));
    return this.rebuilding;
  }

  private async rebuildOnce(closeOnServer: boolean): Promise<void> {
    if (this.actions.disposed() || !this.actions.joined()) return;
    try {
      await this.actions.rebuild(closeOnServer);
      this.owed = false;
    } catch (error) {
      if (this.actions.disposed()) return;
      this.owed = true;
      this.signalling.report(asMediaError('media rebuild failed', error));
    }
  }
}
