/**
 * The web demo in a real browser: headless Chromium (Debian's, through playwright-core) with fake
 * camera and microphone, two pages (patient and practitioner) against the test server.
 * Admission, chat both ways with typing and read receipts, remote video really playing on both
 * sides (and bytes counted by the server's mediasoup), mute and camera switch, then a server
 * restart: the reconnecting banner shows and the pages recover (chat and video); a reload rejoins,
 * the end releases the media. Screenshots go to test-results/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-server/index.js';
import { until } from '../support/observe.js';
import { CHROMIUM, MEDIA_ARGS } from '../support/chromium.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEMO_DIR = fileURLToPath(new URL('../../examples/web-demo/', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const LAUNCH_ARGS = MEDIA_ARGS;
const PATIENT = 'patient-e2e';
const PRACTITIONER = 'dr-e2e';

let server: TestServer | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.close().catch(() => undefined);
});

/** Server-side mediasoup producers and consumers, seen through mediasoup's observer API. */
function watchServerMedia() {
  const producers = new Set<ms.Producer>();
  const consumers = new Set<ms.Consumer>();
  const onWorker = (worker: ms.Worker) =>
    worker.observer.on('newrouter', (router: ms.Router) =>
      router.observer.on('newtransport', (transport: ms.Transport) => {
        transport.observer.on('newproducer', (producer: ms.Producer) => producers.add(producer));
        transport.observer.on('newconsumer', (consumer: ms.Consumer) => consumers.add(consumer));
      }),
    );
  mediasoup.observer.on('newworker', onWorker);
  const bytes = async (entries: Iterable<ms.Producer | ms.Consumer>, kind: 'audio' | 'video') => {
    const result: number[] = [];
    for (const entry of entries) {
      if (entry.closed || entry.kind !== kind) continue;
      const stats = (await entry.getStats()) as { type: string; byteCount?: number }[];
      result.push(stats.filter((s) => s.type === 'inbound-rtp' || s.type === 'outbound-rtp').reduce((sum, s) => sum + (s.byteCount ?? 0), 0));
    }
    return result;
  };
  return {
    /** Bytes received per live producer and sent per live consumer, of one kind. */
    async bytes(kind: 'audio' | 'video') {
      return { producers: await bytes(producers, kind), consumers: await bytes(consumers, kind) };
    },
    stop: () => mediasoup.observer.off('newworker', onWorker),
  };
}

/** A page with its console errors and uncaught exceptions collected for the failure message. */
async function openPage(role: 'patient' | 'practitioner', url: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser!.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`[${role}] uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`[${role}] console.error: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}

const visible = (page: Page, testId: string, timeout = 10_000) => page.getByTestId(testId).first().waitFor({ state: 'visible', timeout });
const hidden = (page: Page, testId: string, timeout = 10_000) => page.getByTestId(testId).first().waitFor({ state: 'hidden', timeout });

/** Waits until the page's remote video decodes frames: a size, and a clock that advances. */
async function remoteVideoPlaying(page: Page, timeout = 15_000): Promise<{ width: number; height: number }> {
  await page.waitForFunction(
    () => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
      return video !== null && video.videoWidth > 0 && video.currentTime > 0;
    },
    undefined,
    { timeout },
  );
  const start = await page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]')!.currentTime);
  await page.waitForFunction(
    (t0) => (document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]')?.currentTime ?? 0) > t0 + 0.3,
    start,
    { timeout: 5000 },
  );
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]')!;
    return { width: video.videoWidth, height: video.videoHeight };
  });
}

async function chatMessage(page: Page, content: string) {
  const item = page.getByTestId('chat-message').filter({ hasText: content });
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  return item;
}

test('web demo in Chromium: wait → admit → chat (typing, read receipts) → video both ways → server restart → recovery → reload → end', async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install it with \`sudo bash scripts/install-system-deps.sh\` ` +
        '(Debian package `chromium`; `npm test` runs it) or point CHROMIUM_PATH at a Chromium/Chrome binary.',
    );
  }
  if (!existsSync(`${DEMO_DIR}dist/demo.js`)) {
    // `npm test` builds it; a bare `vitest run` gets it built here.
    execFileSync('npm', ['run', '--silent', 'build:demo'], { cwd: ROOT, stdio: 'inherit' });
  }
  const started = Date.now();
  const timings: string[] = [];
  const mark = (label: string) => timings.push(`${label} ${((Date.now() - started) / 1000).toFixed(1)}s`);
  const media = watchServerMedia();

  server = await startTestServer({ port: 0, staticDir: DEMO_DIR });
  const consultationId = await server.createConsultation({ practitionerId: PRACTITIONER, patientId: PATIENT });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  mark('server+browser');

  const url = (role: string, userId: string) => `${server!.url}/index.html?role=${role}&consultationId=${consultationId}&userId=${userId}`;
  const doctor = await openPage('practitioner', url('practitioner', PRACTITIONER));
  const patient = await openPage('patient', url('patient', PATIENT));
  const pages = { patient: patient.page, doctor: doctor.page };
  const problems = () => [...patient.problems, ...doctor.problems];
  const screenshots = async (suffix: string) => {
    mkdirSync(RESULTS, { recursive: true });
    await Promise.all([
      pages.patient.screenshot({ path: `${RESULTS}demo-patient${suffix}.png`, fullPage: true }).catch(() => undefined),
      pages.doctor.screenshot({ path: `${RESULTS}demo-practitioner${suffix}.png`, fullPage: true }).catch(() => undefined),
    ]);
  };

  try {
    // ---- Waiting room → admission.
    await pages.patient.waitForSelector('[data-testid="waiting-room"][data-phase="waiting"]', { timeout: 10_000 });
    await pages.patient.getByTestId('waiting-position').filter({ hasText: '1' }).waitFor({ timeout: 5000 });
    await visible(pages.doctor, 'connection-status');
    const admit = pages.doctor.locator(`[data-testid="admit-button"][data-patient-id="${PATIENT}"]`);
    await admit.waitFor({ state: 'visible', timeout: 10_000 });
    mark('patient waiting, listed');
    await admit.click();
    await pages.patient.waitForSelector('body[data-phase="consultation"]', { timeout: 10_000 });
    await visible(pages.patient, 'chat-panel');
    await visible(pages.doctor, 'chat-panel');
    await hidden(pages.patient, 'waiting-room');
    await pages.doctor.locator(`[data-testid="admit-button"][data-patient-id="${PATIENT}"]`).waitFor({ state: 'detached', timeout: 5000 });
    mark('admitted');

    // ---- Chat: typing indicator, messages both ways, read receipts.
    await pages.patient.getByTestId('chat-input').fill('Hello doctor');
    await pages.doctor.getByTestId('typing-indicator').filter({ hasText: /typing/ }).waitFor({ timeout: 5000 });
    await pages.patient.getByTestId('chat-input').press('Enter');
    await chatMessage(pages.doctor, 'Hello doctor');
    await hidden(pages.doctor, 'typing-indicator', 5000);
    const patientOwn = await chatMessage(pages.patient, 'Hello doctor');
    await patientOwn.locator('[data-testid="read-receipt"]', { hasText: 'Read' }).waitFor({ timeout: 5000 });

    await pages.doctor.getByTestId('chat-input').fill('Good morning, how can I help?');
    await pages.patient.getByTestId('typing-indicator').filter({ hasText: /typing/ }).waitFor({ timeout: 5000 });
    await pages.doctor.getByTestId('chat-send').click();
    await chatMessage(pages.patient, 'Good morning, how can I help?');
    const doctorOwn = await chatMessage(pages.doctor, 'Good morning, how can I help?');
    await doctorOwn.locator('[data-testid="read-receipt"]', { hasText: 'Read' }).waitFor({ timeout: 5000 });
    mark('chat');

    // ---- Video: remote video decoding on both pages, bytes through the server's mediasoup.
    const [seenByDoctor, seenByPatient] = await Promise.all([remoteVideoPlaying(pages.doctor), remoteVideoPlaying(pages.patient)]);
    expect(seenByDoctor.width).toBeGreaterThan(0);
    expect(seenByPatient.width).toBeGreaterThan(0);
    await pages.patient.waitForSelector('[data-testid="remote-audio"]', { state: 'attached', timeout: 5000 });
    await pages.doctor.waitForSelector('[data-testid="remote-audio"]', { state: 'attached', timeout: 5000 });
    const video = await media.bytes('video');
    expect(video.producers.filter((b) => b > 0).length, `server video producers with bytes: ${video.producers}`).toBeGreaterThanOrEqual(2);
    expect(video.consumers.filter((b) => b > 0).length, `server video consumers with bytes: ${video.consumers}`).toBeGreaterThanOrEqual(2);
    const audio = await media.bytes('audio');
    expect(audio.producers.filter((b) => b > 0).length, `server audio producers with bytes: ${audio.producers}`).toBeGreaterThanOrEqual(2);
    expect(server.domain.media.stats()).toMatchObject({ routers: 1, transports: 4, producers: 4, consumers: 4 });
    mark('video both ways');

    // ---- Mute: the practitioner's copy of the patient's audio is paused, then resumed.
    await pages.patient.getByTestId('mute-button').click();
    await pages.doctor.waitForSelector('[data-testid="remote-audio"][data-paused="true"]', { state: 'attached', timeout: 5000 });
    await pages.patient.getByTestId('mute-button').click();
    await pages.doctor.waitForSelector('[data-testid="remote-audio"][data-paused="false"]', { state: 'attached', timeout: 5000 });

    // ---- Camera switch: a new local track, and the practitioner still receives moving video.
    const trackBefore = await pages.patient.getByTestId('local-video').getAttribute('data-track-id');
    await pages.patient.getByTestId('switch-camera-button').click();
    await pages.patient.waitForFunction(
      (before) => {
        const id = document.querySelector<HTMLVideoElement>('[data-testid="local-video"]')?.dataset.trackId;
        return id !== undefined && id !== '' && id !== before;
      },
      trackBefore,
      { timeout: 5000 },
    );
    await remoteVideoPlaying(pages.doctor);
    mark('mute + camera switch');

    // ---- Quality from the media stats (every 2 s in the demo).
    for (const page of [pages.patient, pages.doctor]) {
      await page.waitForSelector('[data-testid="quality"]:is([data-level="good"], [data-level="fair"], [data-level="poor"])', { timeout: 8000 });
    }
    mark('quality shown');

    // ---- Server restart: the banner shows on both pages, then everything comes back. New
    // handshakes are held for a moment (as while a real server boots) so the banner is surely up
    // long enough to be seen and photographed.
    server.faults.silence(true);
    await server.restart();
    for (const page of [pages.patient, pages.doctor]) await visible(page, 'reconnecting-banner', 10_000);
    expect(await pages.patient.getByTestId('connection-status').getAttribute('data-status')).toMatch(/reconnecting|connecting/);
    await screenshots('-reconnecting');
    server.faults.silence(false);
    for (const page of [pages.patient, pages.doctor]) {
      await page.waitForSelector('[data-testid="connection-status"][data-status="connected"]', { timeout: 15_000 });
      await hidden(page, 'reconnecting-banner', 5000);
    }
    mark('reconnected');

    // Media is rebuilt on the restarted server (its transports were lost): video flows again.
    await Promise.all([remoteVideoPlaying(pages.doctor), remoteVideoPlaying(pages.patient)]);
    for (const page of [pages.patient, pages.doctor]) {
      const remote = await page.evaluate(() =>
        (window as unknown as { hcwDemo: { media: { remoteTracks: { kind: string; producerId: string }[] } } }).hcwDemo.media.remoteTracks.map(
          (track) => `${track.kind}:${track.producerId}`,
        ),
      );
      expect(await page.getByTestId('remote-video').count(), `remote tracks on ${page.url()}: ${remote.join(', ')}`).toBe(1);
      expect(new Set(remote).size, 'one consumer per remote producer').toBe(remote.length);
    }
    // Exactly one send and one receive transport per page, two producers and two consumers each.
    await until(() => server!.domain.media.stats().consumers === 4, 5000, 'four consumers after the restart');
    expect(server.domain.media.stats()).toMatchObject({ routers: 1, transports: 4, producers: 4, consumers: 4 });
    mark('video after restart');

    await pages.patient.getByTestId('chat-input').fill('Still there after the restart?');
    await pages.patient.getByTestId('chat-input').press('Enter');
    await chatMessage(pages.doctor, 'Still there after the restart?');
    await pages.doctor.getByTestId('chat-input').fill('Yes, all good');
    await pages.doctor.getByTestId('chat-input').press('Enter');
    await chatMessage(pages.patient, 'Yes, all good');
    // History is intact on both pages (no duplicates, nothing lost).
    for (const page of [pages.patient, pages.doctor]) {
      const contents = await page.getByTestId('chat-message-content').allTextContents();
      expect(contents).toEqual(['Hello doctor', 'Good morning, how can I help?', 'Still there after the restart?', 'Yes, all good']);
    }
    mark('chat after restart');
    await screenshots('');

    // ---- A reload during the consultation goes straight back into it, video included.
    await pages.doctor.reload();
    await pages.doctor.waitForSelector('body[data-phase="consultation"]', { timeout: 10_000 });
    await Promise.all([remoteVideoPlaying(pages.doctor), remoteVideoPlaying(pages.patient)]);
    await chatMessage(pages.doctor, 'Yes, all good');
    mark('practitioner reload');

    // ---- The practitioner ends the consultation: both pages say so, the server releases the media.
    await pages.doctor.getByTestId('end-button').click();
    for (const page of [pages.patient, pages.doctor]) await visible(page, 'ended-notice', 5000);
    await until(() => server!.domain.media.stats().transports === 0, 5000, 'media released after the end');
    mark('ended');

    expect(problems().filter((p) => p.includes('uncaught'))).toEqual([]);
    expect(server.contractViolations).toEqual([]);
  } catch (error) {
    const log = problems();
    if (log.length > 0) console.error(`Browser console while failing:\n${log.join('\n')}`);
    await screenshots('-failure');
    throw error;
  } finally {
    media.stop();
    console.log(`demo e2e timings: ${timings.join(', ')}`);
  }
}, 90_000);
