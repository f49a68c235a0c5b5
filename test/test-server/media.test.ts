import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, next, record, request, scenario, sleep, until } from './helpers.js';
import { admittedWithMedia, mediaClient, spyOnKeyFrames } from './media-client.js';

afterEach(cleanup);

async function liveConsultation() {
  const { s, doctor, patient } = await admittedWithMedia();
  return { s, doctor: doctor.socket('/mediasoup'), patient: patient.socket('/mediasoup'), doctorRoom: doctor.socket('/consultation') };
}

describe('media with mediasoup-client FakeHandler against the real router', () => {
  test('capabilities, both transports, audio+video produced, the other side discovers and consumes', async () => {
    const { s, doctor, patient } = await liveConsultation();
    const announced = record(doctor, 'newProducer');
    const patientMedia = await mediaClient(patient, s.consultationId);
    expect(patientMedia.device.loaded).toBe(true);
    expect(patientMedia.device.canProduce('audio') && patientMedia.device.canProduce('video')).toBe(true);
    const audio = await patientMedia.produce('audio');
    const video = await patientMedia.produce('video', { source: 'camera' });
    expect(audio.id).not.toBe(video.id);

    await until(() => announced.length === 2, 3000, 'newProducer x2');
    expect(announced.map((a) => a.kind).sort()).toEqual(['audio', 'video']);
    expect(announced[1]).toMatchObject({
      producerId: video.id,
      userId: s.patientId,
      consultationId: s.consultationId,
      appData: { source: 'camera' },
    });

    const doctorMedia = await mediaClient(doctor, s.consultationId);
    const { producers } = await request(doctor, 'getProducers', { consultationId: s.consultationId });
    expect(producers.map((p: { producerId: string }) => p.producerId).sort()).toEqual([audio.id, video.id].sort());
    expect((await request(patient, 'getProducers', { consultationId: s.consultationId })).producers).toEqual([]);

    const consumers = await Promise.all(producers.map((p: { producerId: string }) => doctorMedia.consume(p.producerId)));
    expect(consumers.map((c) => c.kind).sort()).toEqual(['audio', 'video']);
    expect(consumers.every((c) => !c.paused && c.track.kind === c.kind)).toBe(true);
    expect(s.server.domain.media.stats()).toMatchObject({ routers: 1, transports: 4, producers: 2, consumers: 2 });
    expect(s.server.contractViolations).toEqual([]);
  });

  test('pause/resume/close a producer: the others are told; restartIce returns fresh ICE parameters', async () => {
    const { s, doctor, patient } = await liveConsultation();
    const patientMedia = await mediaClient(patient, s.consultationId);
    const video = await patientMedia.produce('video');
    const paused = next(doctor, 'producerPaused', (e) => e.paused);
    expect(await request(patient, 'pauseProducer', { producerId: video.id })).toEqual({ paused: true });
    expect(await paused).toMatchObject({ producerId: video.id, consultationId: s.consultationId });
    const resumed = next(doctor, 'producerPaused', (e) => !e.paused);
    expect(await request(patient, 'resumeProducer', { producerId: video.id })).toEqual({ paused: false });
    await resumed;
    expect(await request(doctor, 'pauseProducer', { producerId: video.id })).toEqual({
      error: expect.stringContaining('not found'),
      code: 'not_found',
    });

    const before = patientMedia.send.id;
    const restarted = await request(patient, 'restartIce', { transportId: before });
    expect(restarted.iceParameters).toMatchObject({ usernameFragment: expect.any(String), password: expect.any(String) });

    const closed = next(doctor, 'producerClosed');
    expect(await request(patient, 'closeProducer', { producerId: video.id })).toEqual({ closed: true });
    expect(await closed).toMatchObject({ producerId: video.id, userId: s.patientId });
    expect(s.server.domain.media.stats().producers).toBe(0);
  });

  test('after an ICE restart the video through that transport is asked for keyframes while the path comes back', async () => {
    const { asked, spy } = await spyOnKeyFrames();
    try {
      const { s, doctor, patient } = await liveConsultation();
      const patientMedia = await mediaClient(patient, s.consultationId);
      const doctorMedia = await mediaClient(doctor, s.consultationId);
      const patientVideo = await doctorMedia.consume((await patientMedia.produce('video')).id); // the doctor receives the patient
      const doctorVideo = await patientMedia.consume((await doctorMedia.produce('video')).id); // the patient receives the doctor
      asked.length = 0;
      // The patient's send transport restarts: the doctor's consumer of the patient's video is refreshed.
      await request(patient, 'restartIce', { transportId: patientMedia.send.id });
      await until(() => asked.filter((id) => id === patientVideo.id).length >= 3, 3000, 'keyframes while the path comes back');
      expect(asked).not.toContain(doctorVideo.id);
      asked.length = 0;
      // The patient's receive transport restarts: what it receives is refreshed.
      await request(patient, 'restartIce', { transportId: patientMedia.recv.id });
      await until(() => asked.includes(doctorVideo.id), 3000, 'keyframe for the receiving side');
      expect(asked).not.toContain(patientVideo.id);
    } finally {
      spy.mockRestore();
    }
  });

  test('a new video consumer starts once its transport is connected and the sender can serve a keyframe request, on its lowest simulcast layer, lifted after its first frame; again when its path comes back', async () => {
    const { s, doctor, patient } = await liveConsultation();
    const media = s.server.domain.media;
    const patientMedia = await mediaClient(patient, s.consultationId);
    const doctorMedia = await mediaClient(doctor, s.consultationId);
    const produced = await patientMedia.produce('video', {}, [{ rid: 'r0' }, { rid: 'r1' }, { rid: 'r2' }]);
    const producer = media.producerById(produced.id)!;
    expect(producer.type).toBe('simulcast');
    const video = await doctorMedia.consume(produced.id);
    const consumer = media.consumerById(video.id)!;
    const transport = media.transportById(consumer.appData.transportId as string)!;
    const resumedAt: number[] = [];
    const resume = consumer.resume.bind(consumer);
    consumer.resume = () => (resumedAt.push(Date.now()), resume());
    expect(consumer.paused).toBe(true);
    expect(consumer.preferredLayers).toEqual({ spatialLayer: 0, temporalLayer: 0 });

    // What mediasoup reports: the transport is not connected yet, so nothing is asked.
    await sleep(400);
    expect(resumedAt).toEqual([]);
    // The sender just sent a keyframe (another receiver's), then the transport connects: a request now would be dropped.
    const keyframeAt = Date.now();
    producer.emit('trace', { type: 'keyframe', timestamp: 0, direction: 'in', info: {} });
    transport.emit('dtlsstatechange', 'connected');
    await until(() => !consumer.paused, 3000, 'the consumer resumed');
    expect(resumedAt).toHaveLength(1);
    expect(resumedAt[0]! - keyframeAt).toBeGreaterThanOrEqual(300);

    // Its first frame, on the lowest layer, right after a keyframe: lifted to every layer once a request can be served.
    const firstFrameAt = Date.now();
    producer.emit('trace', { type: 'keyframe', timestamp: 0, direction: 'in', info: {} });
    consumer.emit('layerschange', { spatialLayer: 0, temporalLayer: 0 });
    await until(() => consumer.preferredLayers?.spatialLayer === 2, 3000, 'lifted to the highest layer');
    expect(Date.now() - firstFrameAt).toBeGreaterThanOrEqual(300);

    // Its path comes back (the doctor restarts ICE on the receiving transport): from the lowest layer again, lifted after a frame.
    await request(doctor, 'restartIce', { transportId: doctorMedia.recv.id });
    await until(() => consumer.preferredLayers?.spatialLayer === 0, 3000, 'back on the lowest layer');
    consumer.emit('layerschange', { spatialLayer: 0, temporalLayer: 0 });
    await until(() => consumer.preferredLayers?.spatialLayer === 2, 3000, 'lifted again');
  });

  test('an audio consumer is never held', async () => {
    const { s, doctor, patient } = await liveConsultation();
    const patientMedia = await mediaClient(patient, s.consultationId);
    const doctorMedia = await mediaClient(doctor, s.consultationId);
    const audio = await doctorMedia.consume((await patientMedia.produce('audio')).id);
    expect(s.server.domain.media.consumerById(audio.id)!.paused).toBe(false);
  });

  test('a consumer left on a simulcast layer that stopped is asked for keyframes until it moves to a living one', async () => {
    const { asked, spy } = await spyOnKeyFrames();
    try {
      const { s, doctor, patient } = await liveConsultation();
      const patientMedia = await mediaClient(patient, s.consultationId);
      const doctorMedia = await mediaClient(doctor, s.consultationId);
      const video = await doctorMedia.consume((await patientMedia.produce('video')).id);
      const consumer = s.server.domain.media.consumerById(video.id) as unknown as { emit(event: string, value: unknown): void };
      await sleep(300);
      asked.length = 0;
      // What mediasoup reports when the sender drops the layer being forwarded: current layer's score 0, another alive.
      consumer.emit('score', { score: 10, producerScore: 0, producerScores: [10, 0] });
      await until(() => asked.filter((id) => id === video.id).length >= 3, 3000, 'keyframes while stuck');
      consumer.emit('layerschange', { spatialLayer: 0, temporalLayer: 0 });
      const after = asked.length;
      await sleep(1200);
      expect(asked.length).toBe(after); // moved: no more requests
    } finally {
      spy.mockRestore();
    }
  });

  test("a socket's disconnect closes its transports; the others get producerClosed", async () => {
    const { s, doctor, patient } = await liveConsultation();
    const patientMedia = await mediaClient(patient, s.consultationId);
    const audio = await patientMedia.produce('audio');
    const doctorMedia = await mediaClient(doctor, s.consultationId);
    await doctorMedia.consume(audio.id);
    expect(s.server.domain.media.stats()).toMatchObject({ transports: 4, producers: 1, consumers: 1 });
    const closed = next(doctor, 'producerClosed');
    patient.disconnect();
    expect(await closed).toMatchObject({ producerId: audio.id });
    // The consumer closes when the worker reports its producer gone (asynchronously).
    await until(() => s.server.domain.media.stats().transports === 2 && s.server.domain.media.stats().consumers === 0);
    expect(s.server.domain.media.stats()).toMatchObject({ producers: 0, consumers: 0 });
  });

  test('a transport blip keeps the media of the recovered socket; a server restart loses it (the router reopens for an ACTIVE consultation)', async () => {
    const { s, doctor, patient } = await liveConsultation();
    const patientMedia = await mediaClient(patient, s.consultationId);
    const audio = await patientMedia.produce('audio');
    const closed = record(doctor, 'producerClosed');
    const back = new Promise<void>((resolve) => patient.io.once('reconnect', () => resolve()));
    s.server.faults.dropTransport(s.patientId);
    await back;
    await until(() => patient.connected);
    expect(patient.recovered).toBe(true);
    expect(s.server.domain.media.stats()).toMatchObject({ transports: 2, producers: 1 });
    // The same transport still works: the client resumes without rebuilding anything.
    const video = await patientMedia.produce('video');
    expect(
      (await request(doctor, 'getProducers', { consultationId: s.consultationId })).producers
        .map((p: { producerId: string }) => p.producerId)
        .sort(),
    ).toEqual([audio.id, video.id].sort());
    expect(closed).toEqual([]);

    const lost = next(patient, 'disconnect');
    await s.server.restart();
    await lost;
    expect(s.server.domain.media.stats()).toMatchObject({ routers: 0, transports: 0, producers: 0 });
    await until(() => patient.connected, 5000);
    expect((await request(patient, 'getRouterCapabilities', { consultationId: s.consultationId })).rtpCapabilities).toBeDefined();
    expect(s.server.domain.media.stats().routers).toBe(1);
  });

  test('closeTransport answers { closed: true } and the router closes when the consultation ends', async () => {
    const { s, doctor, patient, doctorRoom } = await liveConsultation();
    const patientMedia = await mediaClient(patient, s.consultationId);
    await patientMedia.produce('audio');
    expect(await request(patient, 'closeTransport', { transportId: patientMedia.recv.id })).toEqual({ closed: true });
    expect(s.server.domain.media.stats()).toMatchObject({ routers: 1, transports: 1, producers: 1 });
    const closedForPatient = next(patient, 'media_session_closed');
    doctorRoom.emit('end_consultation', { consultationId: s.consultationId, action: 'close' });
    expect(await closedForPatient).toEqual({ consultationId: s.consultationId, mediasoupCleaned: true });
    expect(s.server.domain.media.stats()).toMatchObject({ routers: 0, transports: 0, producers: 0 });
    const refused = await request(doctor, 'getRouterCapabilities', { consultationId: s.consultationId });
    expect(refused.error).toContain('No media session');
  });

  test('before admission there is no router; initialize_media_session opens one', async () => {
    const s = await scenario();
    const doctor = await s.practitioner(['/consultation', '/mediasoup']);
    const early = await request(doctor.socket('/mediasoup'), 'getRouterCapabilities', { consultationId: s.consultationId });
    expect(early.error).toContain('opens on admission');
    const initialized = next(doctor.socket('/consultation'), 'media_session_initialized');
    doctor.socket('/consultation').emit('initialize_media_session', {
      consultationId: s.consultationId,
      initiatorUserId: s.practitionerId,
      initiatorRole: 'PRACTITIONER',
    });
    const event = await initialized;
    expect(event).toMatchObject({ consultationId: s.consultationId, sessionInitialized: true, routerId: expect.any(String) });
    expect(event.rtpCapabilities.codecs.map((c: { mimeType: string }) => c.mimeType)).toEqual(
      expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']),
    );
    const { rtpCapabilities } = await request(doctor.socket('/mediasoup'), 'getRouterCapabilities', { consultationId: s.consultationId });
    expect(rtpCapabilities.codecs.length).toBe(event.rtpCapabilities.codecs.length);
  });

  test('parameters mediasoup refuses are client errors: ack { error }, nothing logged as a crash, nothing created', async () => {
    const errors: unknown[] = [];
    const s = await scenario({ status: 'ACTIVE', logger: { debug() {}, info() {}, warn() {}, error: (m) => errors.push(m) } });
    const patient = (await s.patient(['/mediasoup'])).socket('/mediasoup');
    const transport = await request(patient, 'createTransport', { consultationId: s.consultationId, type: 'producer' });
    const produce = await request(patient, 'produce', {
      consultationId: s.consultationId,
      transportId: transport.id,
      kind: 'video',
      rtpParameters: { codecs: 'nope' },
    });
    expect(produce.error).toContain('refused by mediasoup');
    const connect = await request(patient, 'connectTransport', { transportId: transport.id, dtlsParameters: { fingerprints: 7 } });
    expect(connect.error).toContain('refused by mediasoup');
    const consume = await request(patient, 'consume', {
      consultationId: s.consultationId,
      transportId: transport.id,
      producerId: 'x',
      rtpCapabilities: { codecs: 3 },
    });
    expect(consume.error).toContain('not found');
    expect(errors).toEqual([]);
    expect(s.server.domain.media.stats()).toMatchObject({ transports: 1, producers: 0, consumers: 0 });
  });

  test('the reference throttle: 10 createTransport/produce/consume per minute per socket', async () => {
    const { s, patient } = await liveConsultation();
    const answers = [];
    for (let i = 0; i < 11; i++)
      answers.push(await request(patient, 'createTransport', { consultationId: s.consultationId, type: 'consumer' }));
    expect(answers.slice(0, 10).every((a) => typeof a.id === 'string')).toBe(true);
    expect(answers[10]).toEqual({ error: expect.stringContaining('Too many'), code: 'rate_limited' });
    expect(s.server.domain.media.stats().transports).toBe(10);
  });

  test('media: false answers mediasoupReady false and refuses signalling', async () => {
    const s = await scenario({ media: false });
    const doctor = await s.practitioner(['/consultation', '/mediasoup']);
    await s.patient(['/consultation']);
    const live = next(doctor.socket('/consultation'), 'media_session_live');
    await request(doctor.socket('/consultation'), 'admit_patient', { consultationId: s.consultationId });
    expect((await live).mediasoupReady).toBe(false);
    expect((await request(doctor.socket('/mediasoup'), 'getRouterCapabilities', { consultationId: s.consultationId })).error).toContain(
      'disabled',
    );
    expect(s.server.domain.media.stats().workerStarted).toBe(false);
  });
});
