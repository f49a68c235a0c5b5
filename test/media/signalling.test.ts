import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { FakeHandler, testFakeParameters } from 'mediasoup-client';
import { afterEach, expect, test } from 'vitest';
import type { HcwClient } from '../../src/index.js';
import { ConsultationStore } from '../../src/state/index.js';
import {
  MediaAccessError,
  createMediaManager,
  type MediaDevicesLike,
  type MediaManager,
  type SignallingReconnected,
} from '../../src/media/index.js';
import { HcwMediaSignalling } from '../../src/media/hcw-signalling.js';
import { startHarness, type Harness } from '../support/harness.js';
import { until, waitFor } from '../support/observe.js';

let harness: Harness | undefined;
const managers: MediaManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.dispose()));
  await harness?.close();
  harness = undefined;
});

const track = (kind: 'audio' | 'video') => new FakeMediaStreamTrack({ kind }) as unknown as MediaStreamTrack;

function media(client: HcwClient, mediaDevices?: MediaDevicesLike): MediaManager {
  const manager = createMediaManager(client, {
    handlerFactory: FakeHandler.createFactory(testFakeParameters),
    statsIntervalMs: 0,
    ...(mediaDevices ? { mediaDevices } : {}),
  });
  managers.push(manager);
  return manager;
}

/** Patient waits, practitioner admits: the router exists from admission on (reference behaviour). */
async function admitted(h: Harness) {
  const patient = h.client();
  const doctor = h.client({ role: 'PRACTITIONER' });
  await patient.consultation.request('enter_waiting_room', { consultationId: h.consultationId, userId: h.patientId });
  await doctor.consultation.admitPatient(h.patientId);
  return { patient, doctor };
}

test('publish, discover, consume, pause/resume, close, device switch; dispose leaves nothing on the server', async () => {
  harness = await startHarness();
  const { patient, doctor } = await admitted(harness);
  const patientMedia = media(patient);
  const doctorMedia = media(doctor);
  const doctorView = new ConsultationStore(doctor);

  await patientMedia.join();
  await patientMedia.startCamera({ track: track('video') });
  const microphone = track('audio');
  await patientMedia.startMicrophone({ track: microphone });

  // The practitioner joins later: existing producers are discovered (getProducers) and consumed.
  await doctorMedia.join();
  await until(() => doctorMedia.remoteTracks.length === 2, 5000, 'two remote tracks');
  expect(doctorMedia.remoteTracks.map((t) => t.kind).sort()).toEqual(['audio', 'video']);
  expect(doctorMedia.remoteTracks.every((t) => t.userId === harness!.patientId)).toBe(true);

  // New producers are announced live (newProducer).
  await doctorMedia.startCamera({ track: track('video') });
  await until(() => patientMedia.remoteTracks.length === 1, 5000, 'patient sees the doctor');
  expect(patientMedia.remoteTracks[0]).toMatchObject({ kind: 'video', userId: harness.practitionerId });

  // Mute: producer paused on both sides, and the others see toggle_audio.
  await patientMedia.setMicrophoneEnabled(false);
  await until(() => doctorMedia.remoteTracks.find((t) => t.kind === 'audio')?.paused === true, 5000, 'audio paused');
  await waitFor(doctorView.state$, (s) => s.participants.some((p) => p.userId === harness!.patientId && p.audioEnabled === false));
  await patientMedia.setMicrophoneEnabled(true);
  await until(() => doctorMedia.remoteTracks.find((t) => t.kind === 'audio')?.paused === false, 5000, 'audio resumed');

  // Device switch without renegotiation: the producer keeps its id, the old track is stopped.
  const producerId = doctorMedia.remoteTracks.find((t) => t.kind === 'audio')!.producerId;
  const newMicrophone = track('audio');
  await patientMedia.switchDevice('microphone', { track: newMicrophone });
  expect(microphone.readyState).toBe('ended');
  expect(doctorMedia.remoteTracks.find((t) => t.kind === 'audio')!.producerId).toBe(producerId);

  // Close: the consumer disappears on the other side.
  await patientMedia.stop('camera');
  await until(() => doctorMedia.remoteTracks.every((t) => t.kind !== 'video'), 5000, 'video consumer closed');

  const before = harness.server.domain.media.stats();
  expect(before.transports).toBe(4);
  await patientMedia.dispose();
  await doctorMedia.dispose();
  await until(() => harness!.server.domain.media.stats().transports === 0, 5000, 'transports closed');
  expect(harness.server.domain.media.stats()).toMatchObject({ transports: 0, producers: 0, consumers: 0 });
});

test('permission errors are typed, carry guidance and are reported through the contract', async () => {
  harness = await startHarness();
  const { patient, doctor } = await admitted(harness);
  const denied: MediaDevicesLike = {
    getUserMedia: () => Promise.reject(Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' })),
  };
  const busy: MediaDevicesLike = {
    getUserMedia: () => Promise.reject(Object.assign(new Error('Could not start video source'), { name: 'NotReadableError' })),
  };
  const notifications = waitFor(doctor.mediasoup.on('media_permission_denied_notification'), () => true);
  const patientMedia = media(patient, denied);
  const error = await patientMedia.startCamera().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MediaAccessError);
  expect(error).toMatchObject({ kind: 'denied', device: 'camera' });
  expect((error as MediaAccessError).guidance).toMatch(/Allow the camera/);
  expect(await notifications).toMatchObject({ userId: harness.patientId, camera: false });

  const busyMedia = media(doctor, busy);
  await expect(busyMedia.startMicrophone()).rejects.toMatchObject({ kind: 'in_use', device: 'microphone' });
});

test('reference backend: every signalling call by ack, failures at once, no extension waited for', async () => {
  harness = await startHarness({ profile: 'reference' });
  const patient = harness.client();
  const doctor = harness.client({ role: 'PRACTITIONER' });
  const patientMedia = media(patient);
  await waitFor(patient.mediasoup.state$, (s) => s.status === 'connected');
  // Before admission there is no router: `error` + `exception`, no ack. The join fails at once.
  const started = Date.now();
  await expect(patientMedia.join()).rejects.toMatchObject({ reason: 'server_error', event: 'getRouterCapabilities' });
  expect(Date.now() - started).toBeLessThan(1000);

  await waitFor(doctor.consultation.state$, (s) => s.status === 'connected');
  await waitFor(patient.consultation.state$, (s) => s.status === 'connected');
  await doctor.consultation.admitPatient(harness.wireId(harness.patientId));
  const doctorMedia = media(doctor);
  const timed = async <T>(work: () => Promise<T>) => {
    const at = Date.now();
    const result = await work();
    expect(Date.now() - at).toBeLessThan(1000); // nothing waits on an extension's timeout
    return result;
  };
  await timed(() => patientMedia.join());
  const camera = await timed(() => patientMedia.startCamera({ track: track('video') }));
  await timed(() => patientMedia.startMicrophone({ track: track('audio') }));
  await timed(() => doctorMedia.join());
  // No discovery there: the app passes the producer id (its own signalling), the SDK consumes it.
  expect(doctorMedia.remoteTracks).toHaveLength(0);
  const remote = await timed(() => doctorMedia.consume(camera.id, harness!.patientId));
  expect(remote).toMatchObject({ kind: 'video', userId: harness.patientId });
  await timed(() => patientMedia.setCameraEnabled(false)); // local pause only: no pauseProducer there
  await timed(() => patientMedia.stop('camera'));
  expect(harness.server.contractViolations).toEqual([]);
});

test('not now vs never: a second camera or switching an unpublished one is invalid_state, a refused camera is media_access', async () => {
  harness = await startHarness();
  const { patient } = await admitted(harness);
  const manager = media(patient, {
    getUserMedia: () => Promise.reject(Object.assign(new Error('denied'), { name: 'NotAllowedError' })),
    enumerateDevices: () => Promise.resolve([]),
  });
  await expect(manager.switchDevice('camera', { track: track('video') })).rejects.toMatchObject({ reason: 'invalid_state' });
  await expect(manager.startCamera()).rejects.toMatchObject({ reason: 'media_access', kind: 'denied' });
  await manager.startCamera({ track: track('video') });
  await expect(manager.startCamera({ track: track('video') })).rejects.toMatchObject({ reason: 'invalid_state' });
});

test('the adapter reports reconnections as they happen, not the state it finds on subscribing', async () => {
  harness = await startHarness({ profile: 'reference' });
  const patient = harness.client();
  await waitFor(patient.mediasoup.state$, (s) => s.status === 'connected');
  expect(harness.server.faults.dropTransport(harness.patientId)).toBeGreaterThan(0);
  await waitFor(patient.mediasoup.state$, (s) => s.status === 'connected' && s.reconnected);
  const seen: SignallingReconnected[] = [];
  const subscription = new HcwMediaSignalling(patient, { extensionTimeoutMs: 2000 }).reconnected$.subscribe((event) => seen.push(event));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(seen).toEqual([]); // a manager joining now must not rebuild what it has just built
  harness.server.faults.dropTransport(harness.patientId);
  await until(() => seen.length === 1, 5000, 'the next reconnection');
  expect(seen).toEqual([{ recovered: false }]); // the reference backend never recovers a session
  subscription.unsubscribe();
});
