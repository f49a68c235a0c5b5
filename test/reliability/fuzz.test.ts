import fc from 'fast-check';
import type { Observable } from 'rxjs';
import { afterEach, expect, test } from 'vitest';
import {
  checkIncoming,
  checkPayload,
  clientEventNames,
  contract,
  eventSpec,
  payloadFields,
  samplePayload,
  serverEventNames,
  type HcwError,
  type NamespaceSpec,
  type ServiceKey,
} from '../../src/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { record, until, waitFor } from '../support/observe.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

let harness: Harness | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await harness?.close();
  harness = proxy = undefined;
});

const wrongValues = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.string(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** A payload of `event` that the contract rejects: a wrong-typed known field, or not an object at all. */
function malformedPayloads(spec: NamespaceSpec, event: string): fc.Arbitrary<unknown> {
  const schema = eventSpec(spec, event)!.payload;
  const base = samplePayload(schema) as Record<string, unknown>;
  const fields = payloadFields(schema).filter((field) => field.required);
  const corruptField =
    fields.length === 0
      ? fc.constant(undefined)
      : fc
          .tuple(fc.constantFrom(...fields), wrongValues)
          .filter(([field, value]) => !field.schema.safeParse(value).success)
          .map(([field, value]) => ({ ...base, [field.name]: value }));
  const notAnObject = fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.integer()));
  return fc.oneof(corruptField, notAnObject).filter((value) => value !== undefined && !checkPayload(spec, event, value).ok);
}

const SERVICES: ServiceKey[] = ['consultation', 'chat', 'mediasoup', 'enhanced'];

test('10k malformed server payloads across every server→client event: each refused one reported, each drifted one delivered, none breaks a stream', async () => {
  harness = await startHarness();
  const client = harness.client({ transports: ['websocket'] });
  const errors = record(client.errors$);
  const received = new Map<string, string[]>();
  for (const key of SERVICES) {
    const service = client[key];
    for (const event of serverEventNames(contract[key])) {
      const label = `${contract[key].name} ${event}`;
      (service.on as (e: string) => Observable<unknown>)(event).subscribe((payload) =>
        received.set(label, [...(received.get(label) ?? []), JSON.stringify(payload)]),
      );
    }
    await waitFor(service.state$, (s) => s.status === 'connected');
  }

  const events = SERVICES.flatMap((key) => serverEventNames(contract[key]).map((event) => ({ spec: contract[key], event })));
  const perEvent = Math.ceil(10_000 / events.length);
  let sent = 0;
  let refused = 0;
  let drifted = 0;
  for (const { spec, event } of events) {
    const payloads = fc.sample(malformedPayloads(spec, event), { numRuns: perEvent, seed: 42 });
    for (const payload of payloads) {
      // Broken where the SDK depends on it: refused and reported; broken elsewhere only: delivered.
      if (checkIncoming(spec, event, payload).ok) drifted++;
      else refused++;
      harness.server.faults.emitRaw(harness.patientId, spec.name, event, payload);
    }
    sent += payloads.length;
    // The next valid event of the same stream still arrives.
    harness.server.faults.emitRaw(harness.patientId, spec.name, event, samplePayload(eventSpec(spec, event)!.payload));
  }
  expect(sent).toBeGreaterThanOrEqual(10_000);
  // Both kinds are well represented, so both paths are exercised.
  expect(refused).toBeGreaterThan(3000);
  expect(drifted).toBeGreaterThan(1000);
  const malformed = () => errors.values.filter((error) => error.reason === 'malformed_event');
  await until(() => malformed().length >= refused, 30_000, 'every refused payload reported');
  // The valid sample sent after each event's malformed batch arrived (the server's own events may come too).
  const gotSample = ({ spec, event }: { spec: NamespaceSpec; event: string }) =>
    (received.get(`${spec.name} ${event}`) ?? []).includes(JSON.stringify(samplePayload(eventSpec(spec, event)!.payload)));
  await until(() => events.every(gotSample), 10_000, 'valid events').catch((error: Error) => {
    const missing = events.filter((entry) => !gotSample(entry)).map(({ spec, event }) => `${spec.name} ${event}`);
    throw new Error(`${error.message}: ${missing.join(', ')}`);
  });
  expect(malformed()).toHaveLength(refused);
  const delivered = [...received.values()].reduce((total, payloads) => total + payloads.length, 0);
  expect(delivered).toBeGreaterThanOrEqual(drifted + events.length);
  // Drift is a warning reported once per event and field set, never per payload.
  const drift = errors.values.filter((error) => error.reason === 'schema_drift');
  expect(drift.length).toBeGreaterThan(0);
  expect(drift.length).toBeLessThan(drifted);
  expect(new Set(drift.map((error) => `${error.namespace} ${error.event} ${error.issues?.map((i) => i.path).join(',')}`)).size).toBe(
    drift.length,
  );
  // `error` and `exception` events no request waits for are reported as what they are: the server's refusals.
  const unexpected = errors.values.filter(
    (error: HcwError) =>
      !['malformed_event', 'schema_drift', 'server_error'].includes(error.reason) ||
      (error.reason !== 'server_error' && error.event === undefined),
  );
  expect(unexpected.map((e) => `${e.reason} ${e.message}`)).toEqual([]);
  expect(client.state.status).toBe('connected');
}, 120_000);

test('1k random invalid app calls: each rejected with invalid_payload, nothing sent', async () => {
  harness = await startHarness();
  proxy = await startTcpProxy(harness.server.port);
  // No background traffic (latency pings, liveness probes): every byte counted would be a leak.
  const heartbeat = { latencyPingIntervalMs: 0, deadLinkTimeoutMs: 0 };
  const client = harness.client({ url: proxy.url, transports: ['websocket'], heartbeat });
  for (const key of SERVICES) await waitFor(client[key].state$, (s) => s.status === 'connected');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const bytes = proxy.bytesToServer;

  const calls = SERVICES.flatMap((key) => clientEventNames(contract[key]).map((event) => ({ key, event })));
  const arbitrary = fc
    .constantFrom(...calls)
    .chain(({ key, event }) => malformedPayloads(contract[key] as NamespaceSpec, event).map((payload) => ({ key, event, payload })));
  const samples = fc.sample(arbitrary, { numRuns: 1000, seed: 7 });
  let rejected = 0;
  for (const { key, event, payload } of samples) {
    const service = client[key] as unknown as { emit(event: string, payload: unknown): Promise<unknown> };
    const error = await service.emit(event, payload).then(
      () => undefined,
      (e: unknown) => e as HcwError,
    );
    expect(error?.reason, `${key} ${event}`).toBe('invalid_payload');
    rejected++;
  }
  expect(rejected).toBe(1000);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(proxy.bytesToServer).toBe(bytes);
}, 60_000);
