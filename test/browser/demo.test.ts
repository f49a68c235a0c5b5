/**
 * The web demo in a real browser: headless Chromium (Debian's, through playwright-core) with fake
 * camera and microphone, two pages (patient and practitioner) against the test server, in both
 * profiles.
 *
 * - full: admission, chat both ways with typing and read receipts, remote video really playing on
 *   both sides (and bytes counted by the server's mediasoup), mute and camera switch, then a server
 *   restart: the reconnecting banner shows and the pages recover (chat and video); a reload
 *   rejoins, the end releases the media. No notice about missing features.
 * - reference (like the real HCW@Home backend): the patient waits, the practitioner sees them —
 *   live when already there, from the REST waiting list when opening the page after the patient —
 *   admits; chat both ways; local camera and microphone published; the notices for what this
 *   server lacks (remote video, queue position, latency) are shown; no malformed_event or
 *   schema_drift on the pages.
 *
 * Screenshots go to test-results/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestServer } from '../../test-server/index.js';
import { until } from '../support/observe.js';
import { CHROMIUM, MEDIA_ARGS } from '../support/chromium.js';
import { PROFILES, startHarness, type Harness, type ProfileName } from '../support/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEMO_DIR = fileURLToPath(new URL('../../examples/web-demo/', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const LAUNCH_ARGS = MEDIA_ARGS;

let browser: Browser | undefined;
beforeAll(async () => {
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
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
});

/** A test server of one profile serving the demo (and its REST waiting list), with one consultation. */
function startDemoServer(profile: ProfileName): Promise<Harness> {
  return startHarness({ profile, staticDir: DEMO_DIR });
}

const demoUrl = (server: TestServer, role: string, consultationId: string | number, userId: string) =>
  `${server.url}/index.html?role=${role}&consultationId=${consultationId}&userId=${userId}`;

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
      result.push(
        stats.filter((s) => s.type === 'inbound-rtp' || s.type === 'outbound-rtp').reduce((sum, s) => sum + (s.byteCount ?? 0), 0),
      );
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

const contexts: BrowserContext[] = [];
/** Closes the pages a test opened. */
async function closePages(): Promise<void> {
  await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => undefined)));
}

/** A page with its console errors and uncaught exceptions collected for the failure message. */
async function openPage(
  role: 'patient' | 'practitioner',
  url: string,
  beforeLoad?: (page: Page) => void,
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser!.newContext({ viewport: { width: 1100, height: 760 } });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`[${role}] uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`[${role}] console.error: ${message.text()}`);
  });
  beforeLoad?.(page);
  await page.goto(url);
  return { page, problems };
}

/** Every error reason the page's log has seen (the list on the page keeps only the last five). */
const errorReasons = async (page: Page) =>
  ((await page.getByTestId('error-log').getAttribute('data-reasons')) ?? '').split(' ').filter(Boolean);

/** The feature notices visible on a page (their `data-feature`). */
const visibleNotices = (page: Page) =>
  page
    .locator('[data-testid="feature-notice"]:visible')
    .evaluateAll((notices) => notices.map((n) => (n as HTMLElement).dataset.feature ?? ''));

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

async function fullJourney(): Promise<void> {
  const started = Date.now();
  const timings: string[] = [];
  const mark = (label: string) => timings.push(`${label} ${((Date.now() - started) / 1000).toFixed(1)}s`);
  const media = watchServerMedia();

  const harness = await startDemoServer('full');
  const { server, consultationId, patientId: PATIENT, practitionerId: PRACTITIONER } = harness;
  mark('server');

  const url = (role: string, userId: string) => demoUrl(server, role, consultationId, userId);
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
    await pages.doctor
      .getByTestId('typing-indicator')
      .filter({ hasText: /typing/ })
      .waitFor({ timeout: 5000 });
    await pages.patient.getByTestId('chat-input').press('Enter');
    await chatMessage(pages.doctor, 'Hello doctor');
    await hidden(pages.doctor, 'typing-indicator', 5000);
    const patientOwn = await chatMessage(pages.patient, 'Hello doctor');
    await patientOwn.locator('[data-testid="read-receipt"]', { hasText: 'Read' }).waitFor({ timeout: 5000 });

    await pages.doctor.getByTestId('chat-input').fill('Good morning, how can I help?');
    await pages.patient
      .getByTestId('typing-indicator')
      .filter({ hasText: /typing/ })
      .waitFor({ timeout: 5000 });
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
    expect(
      video.producers.filter((b) => b > 0).length,
      `server video producers with bytes: ${video.producers.join(',')}`,
    ).toBeGreaterThanOrEqual(2);
    expect(
      video.consumers.filter((b) => b > 0).length,
      `server video consumers with bytes: ${video.consumers.join(',')}`,
    ).toBeGreaterThanOrEqual(2);
    const audio = await media.bytes('audio');
    expect(
      audio.producers.filter((b) => b > 0).length,
      `server audio producers with bytes: ${audio.producers.join(',')}`,
    ).toBeGreaterThanOrEqual(2);
    expect(server.domain.media.stats()).toMatchObject({ routers: 1, transports: 4, producers: 4, consumers: 4 });
    mark('video both ways');
    // This server has everything: no notice about missing features.
    for (const page of [pages.patient, pages.doctor]) expect(await visibleNotices(page)).toEqual([]);

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
      await page.waitForSelector('[data-testid="quality"]:is([data-level="good"], [data-level="fair"], [data-level="poor"])', {
        timeout: 8000,
      });
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
        (
          window as unknown as { hcwDemo: { media: { remoteTracks: { kind: string; producerId: string }[] } } }
        ).hcwDemo.media.remoteTracks.map((track) => `${track.kind}:${track.producerId}`),
      );
      expect(await page.getByTestId('remote-video').count(), `remote tracks on ${page.url()}: ${remote.join(', ')}`).toBe(1);
      expect(new Set(remote).size, 'one consumer per remote producer').toBe(remote.length);
    }
    // Exactly one send and one receive transport per page, two producers and two consumers each.
    await until(() => server.domain.media.stats().consumers === 4, 5000, 'four consumers after the restart');
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
    await until(() => server.domain.media.stats().transports === 0, 5000, 'media released after the end');
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
    await closePages();
    await harness.close().catch(() => undefined);
    console.log(`demo e2e timings (full): ${timings.join(', ')}`);
  }
}

/**
 * The reference profile: what the page does against a server like the real HCW@Home backend.
 * `order` says who opens the page first: with the practitioner first the live events list the
 * patient; with the patient first nothing on the sockets does (the reference tells a late
 * practitioner nothing), the REST waiting list does.
 */
async function referenceJourney(order: 'practitioner first' | 'patient first'): Promise<void> {
  const started = Date.now();
  const timings: string[] = [];
  const mark = (label: string) => timings.push(`${label} ${((Date.now() - started) / 1000).toFixed(1)}s`);
  const harness = await startDemoServer('reference');
  const { server, consultationId, patientId, practitionerId } = harness;
  // Numeric ids in the URL: the page sends them as numbers (the server compares them strictly).
  expect(patientId).toMatch(/^\d+$/);
  const url = (role: string, userId: string) => demoUrl(server, role, consultationId, userId);
  const opened: { page: Page; problems: string[] }[] = [];
  const open = async (role: 'patient' | 'practitioner', beforeLoad?: (page: Page) => void) => {
    const entry = await openPage(role, url(role, role === 'patient' ? patientId : practitionerId), beforeLoad);
    opened.push(entry);
    return entry.page;
  };
  /** What the practitioner page's REST waiting list answered, in order. */
  const waitingAnswers: unknown[] = [];
  const openDoctor = () =>
    open('practitioner', (page) =>
      page.on('response', (response) => {
        if (new URL(response.url()).pathname !== `/dev/consultations/${consultationId}/waiting`) return;
        void response.json().then(
          (body: unknown) => waitingAnswers.push(body),
          () => undefined,
        );
      }),
    );
  const waitPatient = async (page: Page) => {
    await page.waitForSelector('[data-testid="waiting-room"][data-phase="waiting"]', { timeout: 10_000 });
    // No waiting-room sessions there: no position or estimate, a notice instead.
    await visible(page, 'waiting-room');
    expect(await visibleNotices(page)).toEqual(expect.arrayContaining(['waiting_room_sessions']));
    expect(await page.getByTestId('waiting-queue').isHidden()).toBe(true);
  };
  let patient: Page | undefined;
  let doctor: Page | undefined;
  const screenshots = async (suffix: string) => {
    mkdirSync(RESULTS, { recursive: true });
    const name = order === 'patient first' ? 'late-practitioner' : 'live';
    await Promise.all([
      patient?.screenshot({ path: `${RESULTS}demo-reference-${name}-patient${suffix}.png`, fullPage: true }).catch(() => undefined),
      doctor?.screenshot({ path: `${RESULTS}demo-reference-${name}-practitioner${suffix}.png`, fullPage: true }).catch(() => undefined),
    ]);
  };

  try {
    // ---- Waiting room: the practitioner sees the patient, live or from the REST list.
    if (order === 'practitioner first') {
      doctor = await openDoctor();
      await doctor.waitForSelector('[data-testid="connection-status"][data-status="connected"]', { timeout: 10_000 });
      await doctor.waitForFunction(() => document.querySelector('[data-testid="waiting-empty"]')?.checkVisibility() === true);
      patient = await open('patient');
      await waitPatient(patient);
    } else {
      patient = await open('patient');
      await waitPatient(patient);
      doctor = await openDoctor();
    }
    const admit = doctor.locator(`[data-testid="admit-button"][data-patient-id="${patientId}"]`);
    await admit.waitFor({ state: 'visible', timeout: 10_000 });
    await until(() => waitingAnswers.length > 0, 5000, 'the REST waiting list was asked');
    if (order === 'patient first') {
      expect(waitingAnswers[0]).toEqual([
        { patientId: Number(patientId), consultationId, firstName: expect.any(String), joinedAt: expect.any(String) },
      ]);
    } else {
      expect(waitingAnswers[0], 'nobody was waiting when the practitioner opened the page').toEqual([]);
    }
    // Listed once, whatever told the page (the REST list, the live events, the consultation state).
    expect(await doctor.getByTestId('waiting-patient').count()).toBe(1);
    await doctor.getByTestId('waiting-count').filter({ hasText: '1' }).waitFor({ timeout: 1000 });
    mark('patient waiting, listed');
    for (const page of [patient, doctor]) {
      // No /enhanced-consultation there: the client is still connected, the latency says why it is missing.
      await page.waitForSelector('[data-testid="connection-status"][data-status="connected"]', { timeout: 5000 });
      await page.waitForSelector('[data-testid="latency"][data-available="false"]', { timeout: 5000 });
      expect(await visibleNotices(page)).toEqual(expect.arrayContaining(['latency']));
    }

    // ---- Admission.
    await admit.click();
    await patient.waitForSelector('body[data-phase="consultation"]', { timeout: 10_000 });
    await doctor.waitForSelector('body[data-phase="consultation"]', { timeout: 10_000 });
    await visible(patient, 'chat-panel');
    await visible(doctor, 'chat-panel');
    await hidden(patient, 'waiting-room');
    await admit.waitFor({ state: 'detached', timeout: 5000 });
    mark('admitted');

    // ---- Chat both ways, typing and read receipts.
    await patient.getByTestId('chat-input').fill('Hello doctor');
    await doctor
      .getByTestId('typing-indicator')
      .filter({ hasText: /typing/ })
      .waitFor({ timeout: 5000 });
    await patient.getByTestId('chat-input').press('Enter');
    await chatMessage(doctor, 'Hello doctor');
    const patientOwn = await chatMessage(patient, 'Hello doctor');
    await patientOwn.locator('[data-testid="read-receipt"]', { hasText: 'Read' }).waitFor({ timeout: 5000 });
    await doctor.getByTestId('chat-input').fill('Good morning, how can I help?');
    await doctor.getByTestId('chat-send').click();
    await chatMessage(patient, 'Good morning, how can I help?');
    const doctorOwn = await chatMessage(doctor, 'Good morning, how can I help?');
    await doctorOwn.locator('[data-testid="read-receipt"]', { hasText: 'Read' }).waitFor({ timeout: 5000 });
    for (const page of [patient, doctor]) {
      expect(await page.getByTestId('chat-message-content').allTextContents()).toEqual(['Hello doctor', 'Good morning, how can I help?']);
    }
    mark('chat');

    // ---- Video: local camera and microphone published; the other side's video is explained, not awaited.
    for (const page of [patient, doctor]) {
      await page.waitForSelector('[data-testid="video-panel"][data-remote-video="unavailable"]', { timeout: 10_000 });
      await visible(page, 'local-video');
      await page.waitForFunction(
        () => (document.querySelector<HTMLVideoElement>('[data-testid="local-video"]')?.dataset.trackId ?? '') !== '',
        undefined,
        { timeout: 10_000 },
      );
      await page.waitForSelector('[data-testid="mute-button"]:not([disabled])', { timeout: 10_000 });
      expect(await page.getByTestId('remote-placeholder').isHidden()).toBe(true);
      expect(await page.getByTestId('media-error').isHidden()).toBe(true);
      const notices = await visibleNotices(page);
      expect(notices).toEqual(expect.arrayContaining(['producer_discovery', 'latency']));
      expect(await page.locator('[data-feature="producer_discovery"]:visible').textContent()).toContain(
        'video of the other side is not available',
      );
    }
    // Two producers per page reach the server's mediasoup; nothing told either page what to consume.
    await until(() => server.domain.media.stats().producers === 4, 10_000, 'four producers');
    expect(server.domain.media.stats()).toMatchObject({ producers: 4, consumers: 0 });
    // Mute still works locally.
    await patient.getByTestId('mute-button').click();
    await patient.waitForSelector('[data-testid="mute-button"][data-muted="true"]', { timeout: 5000 });
    mark('local media, notices');
    await screenshots('');

    // ---- The practitioner ends the consultation: both pages say so.
    await doctor.getByTestId('end-button').click();
    for (const page of [patient, doctor]) await visible(page, 'ended-notice', 5000);
    mark('ended');

    for (const page of [patient, doctor]) {
      const reasons = await errorReasons(page);
      expect(reasons, `error log of ${page.url()}: ${await page.getByTestId('error-log').textContent()}`).not.toContain('malformed_event');
      expect(reasons).not.toContain('schema_drift');
    }
    const problems = opened.flatMap((entry) => entry.problems);
    expect(problems.filter((p) => p.includes('uncaught'))).toEqual([]);
    expect(server.contractViolations).toEqual([]);
  } catch (error) {
    const log = opened.flatMap((entry) => entry.problems);
    if (log.length > 0) console.error(`Browser console while failing:\n${log.join('\n')}`);
    await screenshots('-failure');
    throw error;
  } finally {
    await closePages();
    await harness.close().catch(() => undefined);
    console.log(`demo e2e timings (reference, ${order}): ${timings.join(', ')}`);
  }
}

describe.each(PROFILES)('web demo in Chromium, %s profile', (profile) => {
  if (profile === 'full') {
    test('wait → admit → chat (typing, read receipts) → video both ways → server restart → recovery → reload → end', fullJourney, 90_000);
  } else {
    test(
      'practitioner first: the live events list the patient → admit → chat both ways → local media, notices for what the server lacks → end',
      () => referenceJourney('practitioner first'),
      60_000,
    );
    test(
      'patient first: the REST waiting list shows the patient to the late practitioner → admit → chat → notices → end',
      () => referenceJourney('patient first'),
      60_000,
    );
  }
});
