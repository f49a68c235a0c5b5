/**
 * A participant's new /mediasoup session replaces the old one at once (issue 15): when a socket
 * that is not a recovery of the old one arrives, the media of the same user in the same
 * consultation is closed — whether the old socket is parked for connection state recovery or
 * still connected (after a link outage the server often has not noticed it is dead yet) — and the
 * others get `producerClosed`, so no frozen duplicate of the same person stays on their screen.
 * A recovered socket is the same session: it keeps its media.
 */
import { afterEach, describe, expect, onTestFinished, test } from 'vitest';
import { cleanup, next, record, request, sleep, until } from './helpers.js';
import { admittedWithMedia, mediaClient, spyOnKeyFrames } from './media-client.js';

afterEach(cleanup);

/**
 * An admitted consultation: the patient (A) publishes video on its first /mediasoup socket, the
 * practitioner (B) publishes audio and consumes A's video.
 */
async function call() {
  const { s, doctor, patient } = await admittedWithMedia();
  const patientMedia = await mediaClient(patient.socket('/mediasoup'), s.consultationId);
  const patientVideo = await patientMedia.produce('video');
  const doctorMedia = await mediaClient(doctor.socket('/mediasoup'), s.consultationId);
  const doctorAudio = await doctorMedia.produce('audio');
  const doctorConsumer = await doctorMedia.consume(patientVideo.id);
  expect(s.server.domain.media.stats()).toMatchObject({ transports: 4, producers: 2, consumers: 1 });
  const producerIds = async () =>
    (
      (await request(doctor.socket('/mediasoup'), 'getProducers', { consultationId: s.consultationId })).producers as {
        producerId: string;
      }[]
    ).map((p) => p.producerId);
  return { s, doctor, patient, patientVideo, doctorAudio, producerIds, doctorConsumer };
}

describe('a new /mediasoup session of the same participant closes the old one’s media at once', () => {
  test('the old socket still connected: its producer closes now, the other side gets producerClosed, its own media stays', async () => {
    const { s, doctor, patient, patientVideo, doctorAudio, producerIds } = await call();
    const closedForDoctor = record(doctor.socket('/mediasoup'), 'producerClosed');
    const closedForPatient = record(patient.socket('/mediasoup'), 'producerClosed');
    expect(await producerIds()).toEqual([patientVideo.id]);

    // The patient's new session (a page after a link outage, a reload): a fresh, not recovered socket.
    const replacement = await s.patient(['/mediasoup']);
    expect(replacement.socket('/mediasoup').recovered).toBe(false);
    expect(patient.socket('/mediasoup').connected, 'the old socket is still connected').toBe(true);

    await until(() => closedForDoctor.length === 1, 2000, 'producerClosed for the practitioner');
    expect(closedForDoctor[0]).toMatchObject({ producerId: patientVideo.id, userId: s.patientId, consultationId: s.consultationId });
    expect(await producerIds()).toEqual([]);
    // The old session's two transports are gone (the practitioner's consumer of it with them); the
    // practitioner's own media is untouched.
    await until(() => s.server.domain.media.stats().consumers === 0, 2000, 'the consumer of the closed producer closed');
    expect(s.server.domain.media.stats()).toMatchObject({ transports: 2, producers: 1, consumers: 0 });
    const { producers: seenByPatient } = await request(replacement.socket('/mediasoup'), 'getProducers', {
      consultationId: s.consultationId,
    });
    expect(seenByPatient.map((p: { producerId: string }) => p.producerId)).toEqual([doctorAudio.id]);
    expect(closedForPatient).toEqual([]);

    // The new session publishes normally; the practitioner sees one producer of the patient, the new one.
    const fresh = await mediaClient(replacement.socket('/mediasoup'), s.consultationId);
    const announced = next(doctor.socket('/mediasoup'), 'newProducer');
    const video = await fresh.produce('video');
    expect(await announced).toMatchObject({ producerId: video.id, userId: s.patientId });
    expect(await producerIds()).toEqual([video.id]);
    expect(s.server.contractViolations).toEqual([]);
  });

  test('the old socket parked for recovery: its media closes when the new session arrives, not at the end of the recovery window', async () => {
    const { s, doctor, patient, patientVideo, producerIds } = await call();
    const closedForDoctor = record(doctor.socket('/mediasoup'), 'producerClosed');
    // The patient's connection dies without a goodbye and does not come back by itself: the server
    // sees "transport close" and parks the media for the 120 s recovery window.
    patient.manager.reconnection(false);
    const gone = next(patient.socket('/mediasoup'), 'disconnect');
    patient.manager.engine.close();
    await gone;
    await until(() => s.server.io.of('/mediasoup').sockets.size === 1, 2000, 'the server saw the patient go');
    await sleep(200);
    expect(closedForDoctor, 'parked, not closed').toEqual([]);
    expect(await producerIds()).toEqual([patientVideo.id]);

    const replacement = await s.patient(['/mediasoup']);
    expect(replacement.socket('/mediasoup').recovered).toBe(false);
    await until(() => closedForDoctor.length === 1, 2000, 'producerClosed for the practitioner');
    expect(closedForDoctor[0]).toMatchObject({ producerId: patientVideo.id, userId: s.patientId });
    expect(await producerIds()).toEqual([]);
    await until(() => s.server.domain.media.stats().transports === 2, 2000, 'the parked transports closed');
  });

  test('a recovered socket keeps its media (the same session): nothing closed, the producer still consumed, its video refreshed by keyframes', async () => {
    const { asked, spy } = await spyOnKeyFrames();
    onTestFinished(() => spy.mockRestore());
    const { s, doctor, patient, patientVideo, producerIds, doctorConsumer } = await call();
    const closedForDoctor = record(doctor.socket('/mediasoup'), 'producerClosed');
    const socket = patient.socket('/mediasoup');
    const back = new Promise<void>((resolve) => patient.manager.once('reconnect', () => resolve()));
    s.server.faults.dropTransport(s.patientId);
    await back;
    await until(() => socket.connected, 3000, 'the patient back');
    expect(socket.recovered).toBe(true);
    await sleep(300);
    expect(closedForDoctor).toEqual([]);
    expect(await producerIds()).toEqual([patientVideo.id]);
    expect(s.server.domain.media.stats()).toMatchObject({ transports: 4, producers: 2, consumers: 1 });
    // Its path was down as long as its signalling and comes back on the same ICE pair (no restart,
    // no new tuple): what the others receive from it restarts from keyframes.
    await until(() => asked.filter((id) => id === doctorConsumer.id).length >= 3, 3000, 'keyframes for its video');
  });

  test('another participant’s new session, or the same user in another consultation, closes nothing of theirs', async () => {
    const { s, doctor, patientVideo, doctorAudio, producerIds } = await call();
    const closedForDoctor = record(doctor.socket('/mediasoup'), 'producerClosed');
    // The same patient in a second consultation.
    const other = s.server.createConsultation({ practitionerId: s.practitionerId, patientId: s.patientId });
    await s.join('PATIENT', s.patientId, ['/mediasoup'], { consultationId: other });
    await sleep(200);
    expect(await producerIds()).toEqual([patientVideo.id]);
    // The practitioner's own new session closes the practitioner's media only.
    const doctorAgain = await s.practitioner(['/mediasoup']);
    await until(() => s.server.domain.media.stats().producers === 1, 2000, 'the practitioner’s old producer closed');
    expect(closedForDoctor).toEqual([]);
    const { producers } = await request(doctorAgain.socket('/mediasoup'), 'getProducers', { consultationId: s.consultationId });
    expect(producers.map((p: { producerId: string }) => p.producerId)).toEqual([patientVideo.id]);
    expect(producers.map((p: { producerId: string }) => p.producerId)).not.toContain(doctorAudio.id);
  });
});
