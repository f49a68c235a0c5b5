import type { ConsultationStatus } from '../src/contract/index.js';
import { profileOf, type ProfileName } from './profile.js';

/** Where the server writes what it does. Tokens are never passed to it. */
export interface TestServerLogger {
  debug(message: string, details?: unknown): void;
  info(message: string, details?: unknown): void;
  warn(message: string, details?: unknown): void;
  error(message: string, details?: unknown): void;
}

/** A consultation to create at start-up. */
export interface SeedConsultation {
  practitionerId?: string | number | null;
  patientId: string | number;
  status?: ConsultationStatus;
}

export interface RateLimit {
  max: number;
  windowMs: number;
}

/** Options of {@link startTestServer}; every field has a default. */
export interface TestServerOptions {
  /**
   * `full` (default): the whole contract with the test server's extensions, announced by
   * `server_features`. `reference`: behaves like the real HCW@Home backend (reference-backend.md):
   * see test-server/profile.ts.
   */
  profile?: ProfileName;
  /**
   * Reference profile: `patient_waiting` to a practitioner is sent at most once per this many ms per
   * consultation and practitioner (default 60000, as the reference backend).
   */
  patientWaitingDebounceMs?: number;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** HMAC secret for the JWTs (default: a fixed development secret). */
  tokenSecret?: string;
  /** Server `heartbeat { timestamp }` period on /consultation and /enhanced-consultation (default 30000). */
  heartbeatIntervalMs?: number;
  /** Engine.IO ping interval (default 25000). */
  pingInterval?: number;
  /** Engine.IO ping timeout (default 20000). */
  pingTimeout?: number;
  /** Socket.IO connection state recovery (default: true, 120 s, in the full profile; false in the reference profile). */
  connectionStateRecovery?: boolean;
  /** Largest accepted packet in bytes; a larger one closes the connection (default 1e6). */
  maxHttpBufferSize?: number;
  /** Chat rate limit per user and consultation (default 10 per 10 s, as the reference backend). */
  chatRateLimit?: RateLimit;
  /** Mediasoup createTransport/produce/consume limit per socket (default 10 per 60 s, as the reference); false disables it. */
  mediaRateLimit?: RateLimit | false;
  /** Typing indicators expire after this long without a refresh (default 5000). */
  typingTimeoutMs?: number;
  /** A waiting patient without connection or heartbeat for this long leaves the queue (default 120000; false: never). */
  waitingRoomTimeoutMs?: number | false;
  /** Largest file accepted by `POST /dev/upload` (default 10 MB). */
  maxUploadBytes?: number;
  /** Invitation validity (default 24 h). */
  invitationTtlMs?: number;
  /** Consultations created at start-up. */
  seed?: SeedConsultation[];
  /** Real mediasoup media (default true). When false, media events answer `mediasoupReady: false`. */
  media?: boolean;
  /** IP the WebRtcTransports listen on (default 127.0.0.1). */
  listenIp?: string;
  /** IP announced in ICE candidates (default: none, i.e. listenIp). */
  announcedIp?: string;
  /** RTC port range of the mediasoup worker (default 40000–49999). */
  rtcMinPort?: number;
  rtcMaxPort?: number;
  /** Directory served as static files (the demo page); none by default. */
  staticDir?: string;
  /** Public base URL used in navigation payloads (default: the server's own URL). */
  publicUrl?: string;
  /**
   * Reference behaviour: a practitioner's disconnect ends an ACTIVE consultation (TERMINATED_OPEN)
   * unless the practitioner is back within this many ms. `false` (default) keeps the consultation.
   */
  practitionerLeaveGraceMs?: number | false;
  logger?: TestServerLogger;
}

export type ResolvedOptions = Required<
  Omit<
    TestServerOptions,
    'announcedIp' | 'staticDir' | 'publicUrl' | 'logger' | 'mediaRateLimit' | 'practitionerLeaveGraceMs' | 'waitingRoomTimeoutMs'
  >
> & {
  waitingRoomTimeoutMs: number | false;
  announcedIp: string | undefined;
  staticDir: string | undefined;
  publicUrl: string | undefined;
  logger: TestServerLogger;
  mediaRateLimit: RateLimit | false;
  practitionerLeaveGraceMs: number | false;
};

/** Prints warnings and errors only: tests stay quiet, real problems show. */
export const quietLogger: TestServerLogger = {
  debug() {},
  info() {},
  warn() {},
  error: (message, details) => console.error(`[test-server] ${message}`, details ?? ''),
};

/** Logs everything to the console (the CLI). */
export const consoleLogger: TestServerLogger = {
  debug() {},
  info: (message, details) => console.log(`[test-server] ${message}`, details ?? ''),
  warn: (message, details) => console.warn(`[test-server] ${message}`, details ?? ''),
  error: (message, details) => console.error(`[test-server] ${message}`, details ?? ''),
};

export const DEV_SECRET = 'hcw-test-server-development-secret';

export function resolveOptions(options: TestServerOptions = {}): ResolvedOptions {
  const profile = profileOf(options.profile);
  return {
    profile: profile.name,
    patientWaitingDebounceMs: options.patientWaitingDebounceMs ?? 60_000,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    tokenSecret: options.tokenSecret ?? DEV_SECRET,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    pingInterval: options.pingInterval ?? 25_000,
    pingTimeout: options.pingTimeout ?? 20_000,
    connectionStateRecovery: options.connectionStateRecovery ?? profile.recovery,
    maxHttpBufferSize: options.maxHttpBufferSize ?? 1e6,
    chatRateLimit: options.chatRateLimit ?? { max: 10, windowMs: 10_000 },
    mediaRateLimit: options.mediaRateLimit ?? { max: 10, windowMs: 60_000 },
    typingTimeoutMs: options.typingTimeoutMs ?? 5000,
    invitationTtlMs: options.invitationTtlMs ?? 24 * 3600 * 1000,
    maxUploadBytes: options.maxUploadBytes ?? 10 * 1024 * 1024,
    waitingRoomTimeoutMs: options.waitingRoomTimeoutMs ?? 120_000,
    seed: options.seed ?? [],
    media: options.media ?? true,
    listenIp: options.listenIp ?? '127.0.0.1',
    announcedIp: options.announcedIp,
    rtcMinPort: options.rtcMinPort ?? 40_000,
    rtcMaxPort: options.rtcMaxPort ?? 49_999,
    staticDir: options.staticDir,
    publicUrl: options.publicUrl,
    practitionerLeaveGraceMs: options.practitionerLeaveGraceMs ?? false,
    logger: options.logger ?? quietLogger,
  };
}
