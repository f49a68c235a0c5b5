import { BehaviorSubject, type Observable } from 'rxjs';
import { toMediaAccessError } from './permissions.js';
import type { MediaSignalling } from './signalling-port.js';
import type { LocalSource, MediaDevicesLike, SourceOptions } from './types.js';

/** A local track and whether this part opened it (and so must release it on failure). */
export interface AcquiredTrack {
  readonly track: MediaStreamTrack;
  readonly opened: boolean;
}

const missing = (message: string) => Object.assign(new Error(message), { name: 'NotFoundError' });

/**
 * Cameras, microphones and the screen: opens tracks (typed errors with guidance, reported to the
 * server as the reference backend expects) and keeps the device list fresh.
 */
export class LocalMedia {
  private readonly devices = new BehaviorSubject<readonly MediaDeviceInfo[]>([]);
  private watching = false;
  readonly devices$: Observable<readonly MediaDeviceInfo[]> = this.devices.asObservable();

  constructor(
    private readonly signalling: Pick<MediaSignalling, 'reportPermission' | 'reportAccessError'>,
    private readonly mediaDevices: MediaDevicesLike | undefined,
  ) {}

  /** The app's own track, or one opened from a device; a failure is a `MediaAccessError`. */
  async acquire(source: LocalSource, options: SourceOptions): Promise<AcquiredTrack> {
    if (options.track) return { track: options.track, opened: false };
    try {
      const track = (await this.open(source, options.deviceId)).getTracks()[0];
      if (!track) throw missing('no track in the stream');
      if (source !== 'screen') this.signalling.reportPermission(source, true);
      return { track, opened: true };
    } catch (error) {
      const mapped = toMediaAccessError(error, source);
      this.signalling.reportAccessError(mapped);
      throw mapped;
    }
  }

  /** Refreshes `devices$`. */
  async refresh(): Promise<readonly MediaDeviceInfo[]> {
    const list = (await this.mediaDevices?.enumerateDevices?.()) ?? [];
    this.devices.next(list);
    return list;
  }

  /** Refreshes the list on every `devicechange` from now on. */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
  }

  close(): void {
    this.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    this.devices.complete();
  }

  private open(source: LocalSource, deviceId: string | undefined): Promise<MediaStream> {
    const devices = this.mediaDevices;
    if (!devices) throw missing('no media devices on this platform');
    if (source === 'screen') {
      if (!devices.getDisplayMedia) throw missing('screen capture unsupported');
      return devices.getDisplayMedia({ video: true });
    }
    const constraint = deviceId ? { deviceId: { exact: deviceId } } : true;
    return devices.getUserMedia(source === 'camera' ? { video: constraint } : { audio: constraint });
  }

  private readonly onDeviceChange = () => void this.refresh().catch(() => undefined);
}
