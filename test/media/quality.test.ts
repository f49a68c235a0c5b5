import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { FakeHandler, testFakeParameters } from 'mediasoup-client';
import { expect, test } from 'vitest';
import { createMediaManager, qualityLevelOf, readCounters, sampleBetween } from '../../src/media/index.js';
import { useHarness } from '../support/harness.js';
import { until, waitFor } from '../support/observe.js';

const start = useHarness();

test('quality levels from loss, RTT, jitter and flow', () => {
  expect(qualityLevelOf({ packetLoss: 0, rttMs: 40, jitterMs: 5, flowing: true })).toBe('good');
  expect(qualityLevelOf({ packetLoss: 0.03, rttMs: 40, flowing: true })).toBe('fair');
  expect(qualityLevelOf({ packetLoss: 0, rttMs: 200, flowing: true })).toBe('fair');
  expect(qualityLevelOf({ packetLoss: 0.1, flowing: true })).toBe('poor');
  expect(qualityLevelOf({ packetLoss: 0, rttMs: 450, flowing: true })).toBe('poor');
  expect(qualityLevelOf({ packetLoss: 0, flowing: false })).toBe('lost');
});

test('a period is the difference of two cumulative stats readings', () => {
  const report = (entries: object[]) => new Map(entries.map((entry, i) => [String(i), entry]));
  const first = readCounters([report([{ type: 'inbound-rtp', packetsReceived: 100, packetsLost: 0, bytesReceived: 1000, jitter: 0.004 }])]);
  const second = readCounters([
    report([
      { type: 'inbound-rtp', packetsReceived: 190, packetsLost: 10, bytesReceived: 2000, jitter: 0.01 },
      { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.12 },
    ]),
  ]);
  const sample = sampleBetween(first, second);
  expect(sample.packetLoss).toBeCloseTo(10 / 100);
  expect(sample.rttMs).toBeCloseTo(120);
  expect(sample.jitterMs).toBeCloseTo(10);
  expect(sample.flowing).toBe(true);
  expect(sampleBetween(second, second).flowing).toBe(false);
});

test("the server's poor-quality warning caps the camera's simulcast layers; others are told", async () => {
  const harness = await start();
  const patient = harness.client();
  const doctor = harness.client({ role: 'PRACTITIONER' });
  await patient.consultation.request('enter_waiting_room', { consultationId: harness.consultationId, userId: harness.patientId });
  await doctor.consultation.admitPatient(harness.patientId);
  const options = { handlerFactory: FakeHandler.createFactory(testFakeParameters), statsIntervalMs: 0 };
  const patientMedia = createMediaManager(patient, options);
  const doctorMedia = createMediaManager(doctor, options);
  try {
    await doctorMedia.join();
    const camera = await patientMedia.startCamera({ track: new FakeMediaStreamTrack({ kind: 'video' }) as unknown as MediaStreamTrack });
    expect(camera.rtpParameters.encodings?.length).toBe(3); // simulcast by default
    const told = waitFor(doctorMedia.qualityWarnings$, (w) => w.userId === harness.patientId && w.level === 'poor');
    // The patient reports a bad link; the server answers with a warning to the patient, a notice to the others.
    await patient.consultation.emit('update_connection_quality', { consultationId: harness.consultationId, packetLoss: 20, latency: 900 });
    await until(() => camera.maxSpatialLayer === 0, 3000, 'lowest layer only');
    await told;
  } finally {
    await patientMedia.dispose();
    await doctorMedia.dispose();
  }
});
