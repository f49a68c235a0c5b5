/**
 * examples/angular: type-checked against the real @angular/core and @angular/common (tsc with the
 * example's own tsconfig), then the service run with Angular's real injector (JIT) and the
 * example's `provideHcwRealtime` against the test server: created outside the zone and emitting
 * inside it, nothing connected on the server platform (SSR), everything closed by ngOnDestroy.
 */
import { resolve } from 'node:path';
import '@angular/compiler'; // JIT: Angular's packages are partially compiled
import { Injector, NgZone, PLATFORM_ID } from '@angular/core';
import { firstValueFrom, type Observable } from 'rxjs';
import { afterEach, expect, test } from 'vitest';
import { HcwRealtimeService, provideHcwRealtime, type HcwRealtimeConfig } from '../../examples/angular/hcw-realtime.service.js';
import { startTestServer, type TestServer } from '../../test-server/index.js';
import { sleep, waitFor } from '../support/observe.js';
import { ROOT, typecheck } from './support.js';

/**
 * A stand-in for NgZone (zone.js is not installed): it records whether code runs inside or outside
 * Angular, which is all the service relies on.
 */
class RecordingZone {
  inside = true;
  outsideCalls = 0;
  runOutsideAngular<T>(fn: () => T): T {
    this.outsideCalls++;
    const was = this.inside;
    this.inside = false;
    try {
      return fn();
    } finally {
      this.inside = was;
    }
  }
  run<T>(fn: () => T): T {
    const was = this.inside;
    this.inside = true;
    try {
      return fn();
    } finally {
      this.inside = was;
    }
  }
}

/** What a component would get: the service from an injector, as `provideHcwRealtime` sets it up. */
function createService(config: HcwRealtimeConfig, platform: 'browser' | 'server') {
  const zone = new RecordingZone();
  // Outside any zone.run: like a socket callback, the injector is created "outside Angular".
  zone.inside = false;
  const injector = Injector.create({
    providers: [provideHcwRealtime(config), { provide: PLATFORM_ID, useValue: platform }, { provide: NgZone, useValue: zone }],
  });
  return { service: injector.get(HcwRealtimeService), zone, destroy: () => injector.destroy() };
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('tsc -p examples/angular/tsconfig.json: no errors, against @angular/core, @angular/common and dist/ types', async () => {
  const result = await typecheck('examples/angular/tsconfig.json');
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);
  for (const file of ['examples/angular/hcw-realtime.service.ts', 'examples/angular/consultation.component.ts', 'dist/index.d.ts']) {
    expect(result.files, file).toContain(resolve(ROOT, file));
  }
  for (const angular of ['@angular/core/', '@angular/common/']) {
    expect(
      result.files.some((file) => file.includes(`node_modules/${angular}`)),
      angular,
    ).toBe(true);
  }
}, 60_000);

test('browser platform: admission and chat through two services; emissions delivered inside the zone; ngOnDestroy closes all', async () => {
  server = await startTestServer({ port: 0, media: false });
  const consultationId = server.createConsultation({ practitionerId: 'dr-1', patientId: 'patient-1' });
  const config = (userId: string, role: 'PATIENT' | 'PRACTITIONER'): HcwRealtimeConfig => ({
    url: server!.url,
    consultationId,
    userId,
    role,
    token: () => server!.createToken(userId, role),
    watchNetwork: false,
  });
  const doctor = createService(config('dr-1', 'PRACTITIONER'), 'browser');
  const patient = createService(config('patient-1', 'PATIENT'), 'browser');
  expect(patient.zone.outsideCalls).toBeGreaterThan(0); // the client was created outside the zone

  // Every value a template would render arrives inside the zone, though sockets deliver outside it.
  const zoneOfEmissions: boolean[] = [];
  const watch = <T>(zone: RecordingZone, source: Observable<T>) => source.subscribe(() => zoneOfEmissions.push(zone.inside));
  const subscriptions = [
    watch(patient.zone, patient.service.connectionState$),
    watch(patient.zone, patient.service.waitingRoom$),
    watch(patient.zone, patient.service.messages$),
    watch(doctor.zone, doctor.service.waitingList$),
    watch(doctor.zone, doctor.service.messages$),
  ];

  await doctor.service.openWaitingList();
  expect(['waiting', 'admitted']).toContain((await patient.service.enterWaitingRoom())?.phase);
  await waitFor(doctor.service.waitingList$, (list) => list.patients.some((p) => p.patientId === 'patient-1'));
  await doctor.service.admit('patient-1');
  await waitFor(patient.service.waitingRoom$, (room) => room.phase === 'admitted');

  expect((await patient.service.send('Hello from Angular'))?.status).toBe('sent');
  await waitFor(doctor.service.messages$, (messages) => messages.some((entry) => entry.message.content === 'Hello from Angular'));
  expect((await firstValueFrom(patient.service.connectionState$)).status).toBe('connected');
  expect(zoneOfEmissions.length).toBeGreaterThan(5);
  expect(zoneOfEmissions.every(Boolean)).toBe(true);
  for (const subscription of subscriptions) subscription.unsubscribe();

  // Destroying the injector (the component that provided the service) runs ngOnDestroy.
  patient.destroy();
  doctor.destroy();
  const deadline = Date.now() + 5000;
  while (server.faults.engineConnectionCount() > 0 && Date.now() < deadline) await sleep(20);
  expect(server.faults.engineConnectionCount()).toBe(0);
});

test('server platform (SSR): no connection, initial values, methods do nothing', async () => {
  server = await startTestServer({ port: 0, media: false });
  const consultationId = server.createConsultation({ practitionerId: 'dr-1', patientId: 'patient-1' });
  let tokensAsked = 0;
  const { service, destroy } = createService(
    {
      url: server.url,
      consultationId,
      userId: 'patient-1',
      role: 'PATIENT',
      token: () => {
        tokensAsked++;
        return server!.createToken('patient-1', 'PATIENT');
      },
    },
    'server',
  );
  expect(service.isBrowser).toBe(false);
  expect(await firstValueFrom(service.connectionState$)).toEqual({ status: 'idle' });
  expect(await firstValueFrom(service.messages$)).toEqual([]);
  expect(await firstValueFrom(service.waitingRoom$)).toEqual({ phase: 'idle' });
  expect(await service.enterWaitingRoom()).toBeUndefined();
  expect(await service.send('never sent')).toBeUndefined();
  await sleep(200);
  expect(tokensAsked).toBe(0);
  expect(server.faults.connectionAttempts('patient-1')).toBe(0);
  expect(server.faults.engineConnectionCount()).toBe(0);
  destroy();
});
