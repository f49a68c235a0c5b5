/**
 * Worker-thread module: the test server, driven by RPC. Used where the server must not share the
 * client's heap (memory) or its core (scale).
 */
import type { Role } from '../../src/contract/index.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../../test-server/index.js';
import { serve } from './worker.js';

let server: TestServer | undefined;
const running = () => {
  if (!server) throw new Error('test server not started');
  return server;
};

export const methods = {
  /** Starts the server (media off unless asked) and creates the consultations; returns their ids. */
  async start(options: TestServerOptions, consultations: { practitionerId: string; patientId: string }[]) {
    server = await startTestServer({ port: 0, media: false, ...options });
    const ids = consultations.map((c) => running().createConsultation({ ...c, status: 'ACTIVE' }));
    return { url: running().url, port: running().port, ids };
  },
  createToken: (userId: string, role: Role) => running().createToken(userId, role),
  /** Tokens for many users at once (one round trip). */
  createTokens: (users: { userId: string; role: Role }[]) => users.map((u) => running().createToken(u.userId, u.role)),
  dropTransport: (userId: string) => running().faults.dropTransport(userId),
  engineConnectionCount: () => running().faults.engineConnectionCount(),
  contractViolations: () => [...running().contractViolations],
  heapUsed: () => process.memoryUsage().heapUsed,
  close: async () => {
    await server?.close();
    server = undefined;
  },
};
export type TestServerMethods = typeof methods;

serve(methods);
