import { afterEach } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from '../../test-server/index.js';
import { createHcwClient, type HcwClient, type HcwClientOptions } from '../../src/index.js';
import type { Role } from '../../src/contract/index.js';

/** A running test server with one seeded consultation, and a factory of SDK clients against it. */
export interface Harness {
  server: TestServer;
  consultationId: string | number;
  practitionerId: string;
  patientId: string;
  client(options?: Partial<HcwClientOptions> & { userId?: string; role?: Role }): HcwClient;
  close(): Promise<void>;
}

/** Test-friendly client defaults: fast, deterministic reconnection. */
export const fastReconnection = { delayMs: 20, maxDelayMs: 200, jitter: 0 } as const;

export async function startHarness(serverOptions: TestServerOptions = {}): Promise<Harness> {
  const server = await startTestServer({ port: 0, ...serverOptions });
  const practitionerId = 'dr-1';
  const patientId = 'patient-1';
  const consultationId = await server.createConsultation({ practitionerId, patientId });
  const clients: HcwClient[] = [];
  return {
    server,
    consultationId,
    practitionerId,
    patientId,
    client(options = {}) {
      const role = options.role ?? 'PATIENT';
      const userId = options.userId ?? (role === 'PATIENT' ? patientId : practitionerId);
      const client = createHcwClient({
        url: server.url,
        consultationId,
        userId,
        role,
        token: () => server.createToken(userId, role),
        reconnection: fastReconnection,
        ...options,
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
