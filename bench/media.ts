import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestServer } from '../test-server/index.js';
import { CHROMIUM, MEDIA_ARGS } from '../test/support/chromium.js';
import { list, median, ms, percentile, type Benchmark } from './lib/result.js';

const RUNS = 7;

/**
 * The page: the UMD bundle (`HcwRealtime`, media included) and a few lines of app code. The
 * practitioner publishes a camera; a patient page measures `join()` → first decoded remote frame.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><script src="/hcw-realtime.umd.js"></script><script>
const q = new URLSearchParams(location.search);
const role = q.get('role'), userId = q.get('user'), consultationId = Number(q.get('c'));
const token = async () => (await (await fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ userId, role }) })).json()).token;
const client = HcwRealtime.createHcwClient({ url: location.origin, consultationId, userId, role, token });
const media = HcwRealtime.createMediaManager(client, { statsIntervalMs: 0 });
window.result = (async () => {
  if (role === 'PRACTITIONER') { await media.join(); await media.startCamera(); return 0; }
  const start = performance.now();
  await media.join();
  const track = await new Promise((resolve) => media.remoteTracks$.subscribe((tracks) => {
    const video = tracks.find((t) => t.kind === 'video'); if (video) resolve(video.track); }));
  const video = Object.assign(document.createElement('video'), { muted: true, autoplay: true, playsInline: true });
  document.body.append(video);
  video.srcObject = new MediaStream([track]);
  await new Promise((resolve) => video.requestVideoFrameCallback(resolve));
  return performance.now() - start;
})();
</script>`;

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Join → first remote video frame in real Chromium, against the test server's real mediasoup. */
const media: Benchmark = {
  name: 'media',
  title: 'Media: join → first remote frame in Chromium',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'hcw-media-bench-'));
    writeFileSync(join(dir, 'index.html'), PAGE);
    copyFileSync(join(ROOT, 'dist/hcw-realtime.umd.js'), join(dir, 'hcw-realtime.umd.js'));
    const server = await startTestServer({ port: 0, staticDir: dir, mediaRateLimit: false });
    const consultationId = server.createConsultation({ practitionerId: 'dr-bench', patientId: 'patient-bench', status: 'ACTIVE' });
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: MEDIA_ARGS });
      const open = async (role: string, user: string): Promise<[Page, number]> => {
        const page = await browser!.newPage();
        await page.goto(`${server.url}/index.html?role=${role}&user=${user}&c=${consultationId}`);
        return [page, await page.evaluate(() => (window as unknown as { result: Promise<number> }).result)];
      };
      const [publisher] = await open('PRACTITIONER', 'dr-bench');
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const [page, elapsed] = await open('PATIENT', 'patient-bench');
        times.push(elapsed);
        await page.close();
      }
      await publisher.close();
      const mid = median(times);
      return {
        target: 'none set: reported (median of several runs)',
        value: `median ${ms(mid)}`,
        pass: null,
        context: [
          `join → first decoded remote frame: median ${ms(mid)}, p90 ${ms(percentile(times, 90))}, ${RUNS} runs (ms): ${list(times)}`,
          `the practitioner's camera (Chromium fake device, VP8 simulcast) is live before each run; each run is a fresh page: getRouterCapabilities, device load, producer discovery, receive transport, consume, ICE + DTLS, first frame`,
        ],
        method:
          'Headless Debian Chromium (playwright-core, fake devices) loads a page using the UMD bundle; a practitioner page publishes its camera, then a patient page is opened ' +
          `${RUNS} times and times \`media.join()\` → \`requestVideoFrameCallback\` of the first remote frame, against the test server's mediasoup on 127.0.0.1.`,
      };
    } finally {
      await browser?.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default media;
