import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { namespaces, type ConsultationStatus, type Role } from '../src/contract/index.js';
import type { App, Domain, InjectedFaults } from './app.js';
import { signToken } from './auth/jwt.js';
import { ChatStore } from './domain/chat.js';
import { ConsultationStore } from './domain/consultations.js';
import { key, nowIso, type Id } from './domain/errors.js';
import { InvitationStore } from './domain/invitations.js';
import { PresenceStore } from './domain/presence.js';
import { TypingStore } from './domain/typing.js';
import { WaitingRoomStore } from './domain/waiting-room.js';
import { Faults, type TestServerFaults } from './faults.js';
import { announceTyping } from './handlers/chat.js';
import { handlers } from './handlers/index.js';
import { sweepWaitingRoom } from './handlers/queue.js';
import { MEDIASOUP_VERSION, MediaRooms, mediaWorkerProblem } from './media/rooms.js';
import { resolveOptions, type ResolvedOptions, type TestServerOptions } from './options.js';
import { isNumericId, profileOf, type Profile } from './profile.js';
import { authMiddleware, type AuthState } from './transport/auth.js';
import { Connections, RECOVERY_WINDOW_MS } from './transport/connections.js';
import { registerEventHandlers } from './transport/dispatcher.js';
import { createRequestHandler, waitingPatientsOf } from './transport/http.js';
import { Hub } from './transport/hub.js';
import { Uploads } from './transport/uploads.js';

export type { TestServerOptions, TestServerLogger, SeedConsultation, RateLimit } from './options.js';
export type { TestServerFaults, MalformedPayload } from './faults.js';
export type { Domain } from './app.js';
export { PROFILES, announcedFeatures, type Profile, type ProfileName } from './profile.js';
export { signToken, verifyToken } from './auth/jwt.js';
export { UNAUTHORIZED, TOKEN_EXPIRED, type HandshakeRecord } from './transport/auth.js';

export interface CreateConsultationInput {
  /** The practitioner in charge; omit (or null) for an unassigned consultation (self-assignment pool). */
  practitionerId?: Id | null;
  patientId: Id;
  /** Default `SCHEDULED`. `ACTIVE` gives a consultation whose media router opens on first use. */
  status?: ConsultationStatus;
}

/** A running test server. */
export interface TestServer {
  /** `http://host:port` (Socket.IO on its default path, dev endpoints under `/dev`). */
  readonly url: string;
  readonly port: number;
  /** The current Socket.IO server (a new one after `restart()`). */
  readonly io: Server;
  readonly options: ResolvedOptions;
  /** What this server offers (`options.profile`: full or reference). */
  readonly profile: Profile;
  /** Stops everything (sockets, HTTP, mediasoup worker). */
  close(): Promise<void>;
  /** Like a process restart: every connection is lost, the domain (consultations, messages, ...) is kept, same port. */
  restart(): Promise<void>;
  /** Signs an HS256 JWT `{ sub: userId, role, iat, exp }` (default 1 h). */
  createToken(userId: Id, role: Role, ttlSeconds?: number): string;
  /** Creates a consultation; returns its id (a number, like the reference backend's). The reference profile wants numeric user ids. */
  createConsultation(input: CreateConsultationInput): number;
  /** The in-memory domain, for assertions. */
  readonly domain: Domain;
  readonly faults: TestServerFaults;
  /** Outgoing payloads that did not match the contract (should stay empty). */
  readonly contractViolations: readonly string[];
}

let mediaOffAnnounced = false;

/** Once per process, whatever the logger: a person running `npm start` must see why there is no video. */
function announceMediaOff(problem: string): void {
  if (mediaOffAnnounced) return;
  mediaOffAnnounced = true;
  console.warn(
    [
      `[test-server] Media is off: the mediasoup worker cannot run (${problem}).`,
      '  Everything but video works (chat, waiting room, admission); media calls answer mediasoupReady: false.',
      '  For video, build the worker (Debian 12, a few minutes), then restart:',
      '    sudo bash scripts/install-system-deps.sh worker && node scripts/ensure-mediasoup-worker.mjs',
      `  or set MEDIASOUP_WORKER_BIN to a mediasoup ${MEDIASOUP_VERSION} worker binary.`,
    ].join('\n'),
  );
}

/** Starts the HCW test server: the whole contract over Socket.IO, real mediasoup, dev HTTP endpoints. */
export async function startTestServer(input: TestServerOptions = {}): Promise<TestServer> {
  const options = resolveOptions(input);
  const { logger } = options;
  // Media by default (no `media` option, as `npm start` runs it), but not where the mediasoup worker
  // cannot run: then the server starts with media off and says why. `media: true` stays strict.
  if (input.media === undefined && options.media) {
    const problem = mediaWorkerProblem();
    if (problem !== undefined) {
      options.media = false;
      announceMediaOff(problem);
    }
  }
  const profile = profileOf(options.profile);
  const hub = new Hub(logger, profile);
  const consultations = new ConsultationStore();
  let app: App;
  const injected: InjectedFaults = { admissionFails: false };
  let io: Server | undefined;
  let httpServer: HttpServer | undefined;
  let port = options.port;

  const domain: Domain = {
    consultations,
    waitingRoom: new WaitingRoomStore(),
    chat: new ChatStore(options.chatRateLimit, { nullSenderRole: profile.nullSenderRole }),
    typing: new TypingStore(options.typingTimeoutMs, (cid, uid, name) =>
      announceTyping(app, consultations.get(cid)?.id ?? cid, uid, name, false),
    ),
    invitations: new InvitationStore(options.invitationTtlMs),
    presence: new PresenceStore(),
    media: new MediaRooms(
      {
        enabled: options.media,
        listenIp: options.listenIp,
        announcedIp: options.announcedIp,
        rtcMinPort: options.rtcMinPort,
        rtcMaxPort: options.rtcMaxPort,
        rateLimit: options.mediaRateLimit,
        logger,
      },
      {
        closed: (cid, producerId, userId) => {
          const consultationId = consultations.get(cid)?.id ?? cid;
          hub.toConsultation(consultationId, 'producerClosed', { producerId, consultationId, userId }, { exceptUserId: userId });
        },
      },
    ),
    reports: [],
  };
  app = {
    ...domain,
    options,
    profile,
    injected,
    hub,
    baseUrl: () => options.publicUrl ?? `http://${options.host}:${port}`,
    joinConsultationRooms: async (socket, consultationId) => connections.bind(socket, consultationId),
    disconnectMember: (consultationId, userId) => connections.disconnectMember(io, consultationId, userId),
  };
  const connections = new Connections(app);

  const auth: AuthState = { secret: options.tokenSecret, revoked: new Set(), attempts: new Map(), handshakes: new Map() };
  const faults = new Faults(() => io, hub, auth, profile.namespaces, injected);

  const createToken = (userId: Id, role: Role, ttlSeconds = 3600) => signToken(options.tokenSecret, key(userId), role, ttlSeconds);
  const createConsultation = (c: CreateConsultationInput) => {
    if (profile.numericIds) {
      for (const [field, value] of [
        ['patientId', c.patientId],
        ['practitionerId', c.practitionerId],
      ] as const) {
        if (value != null && !isNumericId(String(value)))
          throw new Error(`${field} must be a positive number in the reference profile (got ${String(value)})`);
      }
    }
    return consultations.create({
      patientId: c.patientId,
      practitionerId: c.practitionerId ?? null,
      ...(c.status ? { status: c.status } : {}),
    }).id;
  };
  for (const seed of options.seed) createConsultation(seed);

  const uploads = new Uploads(app, options.maxUploadBytes);
  const handleRequest = createRequestHandler(
    {
      createToken: (userId, role, ttl) => createToken(userId, role as Role, ttl),
      createConsultation,
      upload: (request, response, url) => uploads.upload(request, response, url),
      download: (response, fileId) => uploads.download(response, fileId),
      waitingPatients: (consultationId) => waitingPatientsOf(domain, consultationId, profile.numericIds),
    },
    { staticDir: options.staticDir, logger },
  );

  function createIo(server: HttpServer): Server {
    const created = new Server(server, {
      cors: { origin: true, credentials: true },
      pingInterval: options.pingInterval,
      pingTimeout: options.pingTimeout,
      maxHttpBufferSize: options.maxHttpBufferSize,
      allowRequest: faults.allowRequest,
      ...(options.connectionStateRecovery
        ? { connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false } }
        : {}),
    });
    faults.attachEngine(created);
    // Only the profile's namespaces exist: a client connecting to another gets "Invalid namespace".
    for (const spec of namespaces.filter((s) => profile.namespaces.includes(s.name))) {
      const nsp = created.of(spec.name);
      nsp.use(authMiddleware(auth, spec.name, profile.tokenNamespaces.includes(spec.name)));
      nsp.on('connection', (socket) => {
        try {
          if (connections.onConnection(created, spec, socket)) registerEventHandlers(app, spec, socket, handlers);
        } catch (error) {
          logger.error(`${spec.name} connection handler failed`, error);
          socket.disconnect();
        }
      });
    }
    return created;
  }

  async function listen(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const server = createServer((request, response) => void handleRequest(request, response));
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, options.host, () => resolve());
        });
      } catch (error) {
        // After a restart the port can take a moment to be free again.
        const restarting = httpServer !== undefined;
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && restarting && attempt < 50) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        throw error;
      }
      port = (server.address() as AddressInfo).port;
      httpServer = server;
      io = createIo(server);
      hub.attach(io);
      return;
    }
  }

  async function shutdown(): Promise<void> {
    const current = io;
    const server = httpServer;
    io = undefined;
    hub.attach(undefined);
    hub.clear();
    faults.releaseHandshakes(false);
    if (!current || !server) return;
    const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
    await current.close();
    server.closeAllConnections();
    await closed;
  }

  const heartbeat = setInterval(() => {
    if (!io || !profile.heartbeat) return;
    for (const name of ['/consultation', '/enhanced-consultation'].filter((n) => profile.namespaces.includes(n))) {
      for (const socket of io.of(name).sockets.values()) hub.send(socket, 'heartbeat', { timestamp: nowIso() });
    }
  }, options.heartbeatIntervalMs);
  heartbeat.unref();
  const timeout = options.waitingRoomTimeoutMs;
  // Waiting sessions without heartbeats expire (an extension: the reference has no waiting-room heartbeat).
  const sweep =
    timeout === false || !profile.features.has('waiting_room_sessions')
      ? undefined
      : setInterval(
          () => {
            try {
              sweepWaitingRoom(app, timeout);
            } catch (error) {
              logger.error('waiting room sweep failed', error);
            }
          },
          Math.max(20, Math.min(5000, timeout / 4)),
        );
  sweep?.unref();

  await listen();
  logger.info(`listening on http://${options.host}:${port}`);

  let closing: Promise<void> | undefined;
  return {
    get url() {
      return `http://${options.host}:${port}`;
    },
    get port() {
      return port;
    },
    get io() {
      if (!io) throw new Error('The test server is not running');
      return io;
    },
    options,
    profile,
    domain,
    faults,
    contractViolations: hub.violations,
    createToken,
    createConsultation,
    async restart() {
      await shutdown();
      domain.typing.clear();
      await domain.media.closeAllRouters();
      await listen();
      logger.info(`restarted on port ${port}`);
    },
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        if (sweep) clearInterval(sweep);
        connections.close();
        domain.typing.clear();
        await shutdown();
        await domain.media.close();
      })();
      return closing;
    },
  };
}
