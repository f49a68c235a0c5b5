import { afterEach, describe, expect, test } from 'vitest';
import { clientEventNames, eventSpec, namespaces, samplePayload, serverEventNames, type NamespaceSpec } from '../../src/contract/index.js';
import { handlers } from '../../test-server/handlers/index.js';
import type { TestServerLogger } from '../../test-server/index.js';
import { cleanup, peer, request, server, sleep } from './helpers.js';

afterEach(cleanup);

describe('every client→server event of the contract has a handler', () => {
  for (const spec of namespaces) {
    test(`${spec.name}: ${clientEventNames(spec).length} events`, () => {
      const missing = clientEventNames(spec).filter((event) => typeof handlers[event as keyof typeof handlers] !== 'function');
      expect(missing).toEqual([]);
      expect(clientEventNames(spec).length).toBeGreaterThan(0);
    });
  }
});

/** A contract sample with the ids of a real consultation and of the caller. */
function sampleFor(spec: NamespaceSpec, event: string, ids: { consultationId: number; userId: string; patientId: string; role: string }) {
  const sample = samplePayload(eventSpec(spec, event)!.payload);
  if (sample === null || typeof sample !== 'object' || Array.isArray(sample)) return sample;
  const filled: Record<string, unknown> = { ...sample };
  const replace: Record<string, unknown> = {
    consultationId: ids.consultationId,
    userId: ids.userId,
    practitionerId: ids.userId,
    initiatorUserId: ids.userId,
    createdBy: ids.userId,
    patientId: ids.patientId,
    role: ids.role,
    userRole: ids.role,
    initiatorRole: ids.role,
  };
  for (const [field, value] of Object.entries(replace)) if (field in filled) filled[field] = value;
  return filled;
}

describe('every client event answers a contract sample (its response or its error) without crashing', () => {
  for (const spec of namespaces) {
    test(`${spec.name}`, async () => {
      const errors: unknown[] = [];
      const logger: TestServerLogger = { debug() {}, info() {}, warn() {}, error: (message, details) => errors.push([message, details]) };
      const srv = await server({ logger, mediaRateLimit: false, chatRateLimit: { max: 1000, windowMs: 1000 } });
      const consultationId = srv.createConsultation({ practitionerId: 'dr-1', patientId: 'patient-1', status: 'ACTIVE' });
      const doctor = await peer(srv, { userId: 'dr-1', role: 'PRACTITIONER', consultationId, namespaces: [spec.name] });
      const socket = doctor.socket(spec.name);
      const received: [string, unknown][] = [];
      socket.onAny((event: string, payload: unknown) => received.push([event, payload]));
      const notImplemented: string[] = [];
      const unanswered: string[] = [];
      const declared = new Set(serverEventNames(spec));
      for (const event of clientEventNames(spec)) {
        const entry = eventSpec(spec, event)!;
        const payload = sampleFor(spec, event, { consultationId, userId: 'dr-1', patientId: 'patient-1', role: 'PRACTITIONER' });
        if (entry.ack) {
          const answer = await request<{ error?: string }>(socket, event, payload);
          if (answer?.error?.includes('not implemented')) notImplemented.push(event);
          continue;
        }
        // An event the contract says is answered must get its response, its error event or `error`.
        const expected = [...(entry.responses ?? []), ...(entry.errors ?? []), 'error', 'exception'].filter((name) => declared.has(name));
        const answerable = (entry.responses ?? []).some((name) => declared.has(name)) || (entry.errors ?? []).length > 0;
        const from = received.length;
        socket.emit(event, payload);
        if (!answerable) {
          await sleep(5);
          continue;
        }
        const deadline = Date.now() + 1000;
        while (!received.slice(from).some(([name]) => expected.includes(name)) && Date.now() < deadline) await sleep(2);
        if (!received.slice(from).some(([name]) => expected.includes(name))) unanswered.push(event);
      }
      expect(unanswered).toEqual([]);
      await sleep(100);
      for (const [event, payload] of received) {
        if ((event === 'error' || event === 'exception') && String((payload as { message?: string }).message).includes('not implemented')) {
          notImplemented.push(String((payload as { event?: string }).event));
        }
      }
      expect(notImplemented).toEqual([]);
      expect(received.filter(([event]) => event === 'exception')).toEqual([]);
      expect(errors).toEqual([]);
      expect(srv.contractViolations).toEqual([]);
      expect(socket.connected).toBe(true);
    });
  }
});
