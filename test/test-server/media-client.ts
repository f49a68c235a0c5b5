import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { Device, FakeHandler, testFakeParameters, type types } from 'mediasoup-client';
import type { Socket } from 'socket.io-client';
import { expect, vi } from 'vitest';
import { next, request, scenario } from './helpers.js';

type TransportAnswer = { id: string; iceParameters: object; iceCandidates: { ip?: string; address?: string }[]; dtlsParameters: object };

/** A mediasoup-client Device (FakeHandler) signalling over /mediasoup exactly like an app would. */
export async function mediaClient(socket: Socket, consultationId: number) {
  const device = new Device({ handlerFactory: FakeHandler.createFactory(testFakeParameters) });
  const { rtpCapabilities } = await request(socket, 'getRouterCapabilities', { consultationId });
  await device.load({ routerRtpCapabilities: rtpCapabilities });
  const options = (answer: TransportAnswer) =>
    ({
      ...answer,
      iceCandidates: answer.iceCandidates.map((c) => ({ ...c, address: c.address ?? c.ip })),
    }) as unknown as types.TransportOptions;
  const wire = (transport: types.Transport) =>
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      void request(socket, 'connectTransport', { transportId: transport.id, dtlsParameters }).then((answer) =>
        answer.connected ? callback() : errback(new Error(answer.error)),
      );
    });
  const send = device.createSendTransport(options(await request(socket, 'createTransport', { consultationId, type: 'producer' })));
  wire(send);
  send.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
    void request(socket, 'produce', { consultationId, transportId: send.id, kind, rtpParameters, appData }).then((answer) =>
      answer.id ? callback({ id: answer.id }) : errback(new Error(answer.error)),
    );
  });
  const recv = device.createRecvTransport(options(await request(socket, 'createTransport', { consultationId, type: 'consumer' })));
  wire(recv);
  return {
    device,
    send,
    recv,
    produce: (kind: 'audio' | 'video', appData: Record<string, unknown> = {}, encodings?: types.RtpEncodingParameters[]) =>
      send.produce({ track: new FakeMediaStreamTrack({ kind }), appData, ...(encodings ? { encodings } : {}) }),
    async consume(producerId: string) {
      const answer = await request(socket, 'consume', {
        consultationId,
        transportId: recv.id,
        producerId,
        rtpCapabilities: device.rtpCapabilities,
      });
      if (answer.error) throw new Error(answer.error);
      return recv.consume({ id: answer.id, producerId: answer.producerId, kind: answer.kind, rtpParameters: answer.rtpParameters });
    },
  };
}

/** A consultation whose media session is open (the patient admitted); both users on /consultation and /mediasoup. */
export async function admittedWithMedia() {
  const s = await scenario();
  const doctor = await s.practitioner(['/consultation', '/mediasoup']);
  const patient = await s.patient(['/consultation', '/mediasoup']);
  const live = next(patient.socket('/consultation'), 'media_session_live');
  await request(doctor.socket('/consultation'), 'admit_patient', { consultationId: s.consultationId });
  expect((await live).mediasoupReady).toBe(true);
  return { s, doctor, patient };
}

/**
 * Records the ids of the server's consumers asked for a keyframe (mediasoup's own Consumer class,
 * from the installed package: the server's consumers are its instances). Restore with `spy.mockRestore()`.
 */
export async function spyOnKeyFrames() {
  const { Consumer } = (await import('mediasoup/node/lib/Consumer.js')) as {
    Consumer: { prototype: { requestKeyFrame(): Promise<void>; id: string } };
  };
  const asked: string[] = [];
  const spy = vi.spyOn(Consumer.prototype, 'requestKeyFrame').mockImplementation(function (this: { id: string }) {
    asked.push(this.id);
    return Promise.resolve();
  });
  return { asked, spy };
}
