import type { types as ms } from 'mediasoup-client';
import type { MediasoupService } from '../namespaces/mediasoup.js';

type TransportDirection = 'producer' | 'consumer';

/**
 * Asks the server for a WebRtcTransport and returns mediasoup-client's transport options. The
 * server's answer is validated by the contract; ICE candidates from mediasoup < 3.14 carry `ip`
 * where mediasoup-client reads `address`, mapped here instead of cast.
 */
export async function requestTransportOptions(
  signalling: MediasoupService,
  consultationId: string | number,
  direction: TransportDirection,
): Promise<ms.TransportOptions> {
  const answer = await signalling.request('createTransport', { consultationId, type: direction });
  return {
    id: answer.id,
    iceParameters: answer.iceParameters as unknown as ms.IceParameters,
    iceCandidates: answer.iceCandidates.map((candidate) => ({
      ...candidate,
      address: candidate.address ?? candidate.ip ?? '',
    })) as unknown as ms.IceCandidate[],
    dtlsParameters: answer.dtlsParameters as unknown as ms.DtlsParameters,
  };
}

/** Wires a transport's `connect` (and, for send transports, `produce`) events to the signalling. */
export function wireTransport(transport: ms.Transport, signalling: MediasoupService, consultationId: string | number): void {
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    signalling.request('connectTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
  });
  if (transport.direction === 'send') {
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      signalling
        .request('produce', {
          consultationId,
          transportId: transport.id,
          kind,
          rtpParameters,
          appData,
        })
        .then(({ id }) => callback({ id }), errback);
    });
  }
}
