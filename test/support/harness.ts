import { afterEach } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from '../../test-server/index.js';
import type { NamespaceSocket } from '../../src/core/socketio/namespace-socket.js';
import { createHcwClient, type HcwClient, type HcwClientOptions } from '../../src/index.js';
import { contract, type NamespaceName, type Role, type ServiceKey } from '../../src/contract/index.js';

/** A running test server with one seeded consultation, and a factory of SDK clients against it. */
export interface Harness {
  server: TestServer;
  consultationId: string | number;
  /** User ids as the stores show them (strings); numeric ones under the reference profile. */
  practitionerId: string;
  patientId: string;
  /** A user id as this server wants it in handshakes and payloads (a number under the reference profile). */
  wireId(userId: string): string | number;
  client(options?: Partial<HcwClientOptions> & { userId?: string | number; role?: Role }): HcwClient;
  close(): Promise<void>;
}

/** Both test-server profiles: the full one, and the one that behaves as the real HCW@Home backend. */
export const PROFILES = ['full', 'reference'] as const;
export type ProfileName = (typeof PROFILES)[number];

/** Test-friendly client defaults: fast, deterministic reconnection. */
export const fastReconnection = { delayMs: 20, maxDelayMs: 200, jitter: 0 } as const;

export async function startHarness(serverOptions: TestServerOptions = {}): Promise<Harness> {
  const server = await startTestServer({ port: 0, ...serverOptions });
  // The reference backend's ids are numbers, compared strictly: the SDK must send them as given.
  const numeric = server.profile.numericIds;
  const practitionerId = numeric ? '101' : 'dr-1';
  const patientId = numeric ? '201' : 'patient-1';
  const wireId = (userId: string | number) => (numeric && /^[1-9]\d*$/.test(String(userId)) ? Number(userId) : userId);
  const consultationId = server.createConsultation({ practitionerId: wireId(practitionerId), patientId: wireId(patientId) });
  const clients: HcwClient[] = [];
  return {
    server,
    consultationId,
    practitionerId,
    patientId,
    wireId,
    client(options = {}) {
      const role = options.role ?? 'PATIENT';
      const userId = wireId(options.userId ?? (role === 'PATIENT' ? patientId : practitionerId));
      const client = createHcwClient({
        url: server.url,
        consultationId,
        role,
        token: () => server.createToken(userId, role),
        reconnection: fastReconnection,
        ...options,
        userId,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.dispose();
      await server.close();
    },
  };
}

/**
 * Registers an `afterEach` that closes the harness (server and clients) a test started; returns
 * the function that starts one. Use at the top of a test file: `const start = useHarness();`.
 */
export function useHarness(): (options?: TestServerOptions) => Promise<Harness> {
  let current: Harness | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options) => (current = await startHarness(options));
}

/** The Socket.IO socket behind one of a client's namespaces (tests only: apps never reach it). */
export function socketOf(client: HcwClient, namespace: NamespaceName): NamespaceSocket {
  // Like any first use, naming the service opens its namespace.
  const key = (Object.keys(contract) as ServiceKey[]).find((candidate) => contract[candidate].name === namespace)!;
  void client[key];
  const channel = client.connection.openChannels.find((candidate) => candidate.name === namespace);
  if (!channel) throw new Error(`${namespace} is not open`);
  return channel.socket;
}
