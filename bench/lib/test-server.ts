import { handshakeQuery, namespaces, type NamespaceSpec, type Role } from '../../src/contract/index.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../../test-server/index.js';

export const PATIENT = 'patient-1';
export const PRACTITIONER = 'dr-1';

/** The test server with one consultation (PATIENT and PRACTITIONER), media off, in this thread. */
export async function benchServer(options: TestServerOptions = {}) {
  const server: TestServer = await startTestServer({ port: 0, media: false, ...options });
  const consultationId = server.createConsultation({ practitionerId: PRACTITIONER, patientId: PATIENT });
  return { server, consultationId };
}

/** The handshake a reference frontend sends on its own `io()` for one namespace: its query keys, the token in `auth`. */
export function rawHandshake(spec: NamespaceSpec, identity: { consultationId: number; userId: string; role: Role }, token: string) {
  return { query: handshakeQuery(identity, [spec]), auth: { token } };
}

export { namespaces };

/** Waits until the server has no Engine.IO connection left (rounds do not overlap). */
export async function drained(server: TestServer, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (server.faults.engineConnectionCount() > 0) {
    if (Date.now() - start > timeoutMs) throw new Error('connections still open on the server');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
