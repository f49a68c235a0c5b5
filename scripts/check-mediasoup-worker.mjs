#!/usr/bin/env node
// Smoke test for the mediasoup worker provided by scripts/ensure-mediasoup-worker.mjs:
// creates a Worker, a Router (opus + VP8) and a WebRtcTransport on 127.0.0.1,
// prints the router id and the transport's ICE candidates, closes everything.
// Exit code 0 on success, 1 on failure.
import mediasoup from 'mediasoup';

const TAG = '[check-mediasoup-worker]';

const mediaCodecs = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
];

async function main() {
  const timer = setTimeout(() => {
    console.error(`${TAG} ERROR: timed out after 20s`);
    process.exit(1);
  }, 20_000);

  console.log(`${TAG} mediasoup ${mediasoup.version}, worker binary: ${mediasoup.workerBin}`);
  const worker = await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 40000, rtcMaxPort: 49999 });
  worker.on('died', (err) => {
    console.error(`${TAG} ERROR: worker died: ${err?.message ?? err}`);
    process.exit(1);
  });
  console.log(`${TAG} worker pid ${worker.pid}`);
  try {
    const router = await worker.createRouter({ mediaCodecs });
    console.log(`${TAG} router id: ${router.id}`);
    console.log(`${TAG} router codecs: ${router.rtpCapabilities.codecs.map((c) => c.mimeType).join(', ')}`);

    // mediasoup 3.12 accepts listenIps only (newer versions also listenInfos).
    const transport = await router.createWebRtcTransport({
      listenIps: [{ ip: '127.0.0.1' }],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
    });
    console.log(`${TAG} transport id: ${transport.id}`);
    console.log(`${TAG} ICE candidates:`);
    for (const c of transport.iceCandidates) {
      console.log(`${TAG}   ${JSON.stringify(c)}`);
    }
    if (transport.iceCandidates.length === 0) throw new Error('transport has no ICE candidates');
    const dump = await transport.dump();
    console.log(`${TAG} transport iceState=${dump.iceState} dtlsState=${dump.dtlsState}`);

    transport.close();
    router.close();
  } finally {
    worker.close();
    clearTimeout(timer);
  }
  console.log(`${TAG} OK`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`${TAG} ERROR: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
