import { afterEach } from 'vitest';
import { createHcwClient, type HcwClient, type HcwClientOptions } from '../../src/index.js';
import type { Role } from '../../src/contract/index.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../../test-server/index.js';
import { fastReconnection } from './harness.js';

/**
 * Like `harness.ts`, against the test server's `reference` profile (the real HCW@Home backend's
 * behaviour, test-server/profile.ts): its users are numeric, so the seeded consultation is
 * practitioner 1 and patient 2, and clients use numbers.
 */
export interface ReferenceHarness {
  server: TestServer;
  consultationId: number;
  practitionerId: number;
  patientId: number;
  client(options?: Partial<HcwClientOptions> & { userId?: number; role?: Role }): HcwClient;
  close(): Promise<void>;
}

export async function startReferenceHarness(serverOptions: TestServerOptions = {}): Promise<ReferenceHarness> {
  const server = await startTestServer({ port: 0, ...serverOptions, profile: 'reference' });
  const practitionerId = 1;
  const patientId = 2;
  const consultationId = server.createConsultation({ practitionerId, patientId });
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

/** `afterEach` closes what the returned function started (see `useHarness`). */
export function useReferenceHarness(): (options?: TestServerOptions) => Promise<ReferenceHarness> {
  let current: ReferenceHarness | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options) => (current = await startReferenceHarness(options));
}
