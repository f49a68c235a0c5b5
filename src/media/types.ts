import type { types as ms } from 'mediasoup-client';

/** A connection-quality warning from the server (`connection_quality_warning`, `poor_connection_detected`). */
export interface QualityWarning {
  readonly userId: string;
  readonly level: string;
  readonly message: string;
}

/** What the manager publishes, one per source. */
export type LocalSource = 'camera' | 'microphone' | 'screen';

/** A remote participant's track being received. */
export interface RemoteTrack {
  readonly consumerId: string;
  readonly producerId: string;
  readonly userId: string | undefined;
  readonly kind: 'audio' | 'video';
  readonly track: MediaStreamTrack;
  readonly paused: boolean;
}

/** The subset of `navigator.mediaDevices` the manager uses (injectable for tests and React Native). */
export interface MediaDevicesLike {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  getDisplayMedia?(constraints?: DisplayMediaStreamOptions): Promise<MediaStream>;
  enumerateDevices?(): Promise<MediaDeviceInfo[]>;
  addEventListener?(type: 'devicechange', listener: () => void): void;
  removeEventListener?(type: 'devicechange', listener: () => void): void;
}

/** Where a local track comes from: a device id, or a track the app already has. */
export interface SourceOptions {
  deviceId?: string;
  track?: MediaStreamTrack;
}

export interface MediaManagerOptions {
  /** mediasoup-client handler (tests: `FakeHandler.createFactory(...)`; default: detected from the platform). */
  handlerFactory?: ms.HandlerFactory;
  /** Force a builtin handler, e.g. `'ReactNative106'`. */
  handlerName?: ms.BuiltinHandlerName;
  /** Default: `navigator.mediaDevices`. */
  mediaDevices?: MediaDevicesLike;
  /** Camera simulcast (three VP8 layers). Default true. */
  simulcast?: boolean;
  /** Stop the old track before opening the new one when switching devices (mobile cameras cannot be open twice). Default false. */
  stopTrackBeforeSwitch?: boolean;
  /** Stats period feeding `quality$`, `collect_stats` and `update_connection_quality`. Default 5000 ms; 0 disables. */
  statsIntervalMs?: number;
  /** Timeout of calls to the test server's extensions (absent on the reference backend). Default 2000 ms. */
  extensionTimeoutMs?: number;
  /**
   * How long an ICE restart waits for its transport to connect before trying again (the first
   * retry; later ones back off up to four times this). Default 3000 ms.
   */
  iceRestartRetryMs?: number;
  /**
   * Before an ICE restart, how long to watch the transport for incoming bytes: a path that came
   * back by itself (a short outage on the same network) is kept rather than moved to a new pair,
   * which costs up to a second of video. Default 300 ms; 0 restarts at once.
   */
  pathProbeMs?: number;
}
