/**
 * A real network outage during a video consultation in the web demo, shared by
 * test/browser/outage.test.ts (assertions) and bench/outage.ts (medians).
 *
 * The practitioner's Chromium runs in the root namespace; the patient's Chromium runs inside a
 * network namespace (test/support/netns.ts) and reaches the test server over a veth; the server
 * (HTTP, Socket.IO and mediasoup's ICE) listens on the veth's root-side address, which stays up
 * whatever happens to the namespace side. A case takes the patient's link down (or drops its
 * packets silently), sends a chat message from the patient during the outage, restores the link
 * and measures what comes back and when. Nothing here asserts: it returns figures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, MEDIA_ARGS } from './chromium.js';
import { startHarness, type Harness } from './harness.js';
import { createNetNs, type NetNs } from './netns.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEMO_DIR = fileURLToPath(new URL('../../examples/web-demo/', import.meta.url));

export interface OutageCase {
  name: string;
  /** `link`: the namespace side of the veth down, then up. `drop`: every packet dropped (nftables), nothing closed. */
  kind: 'link' | 'drop';
  durationMs: number;
}

export const CASES: readonly OutageCase[] = [
  { name: 'link down 5 s', kind: 'link', durationMs: 5000 },
  { name: 'link down 25 s', kind: 'link', durationMs: 25_000 },
  // Long enough for the SDK's dead-link detection (no inbound traffic for 9 s: the banner at ~8–9 s).
  { name: 'silent drop 12 s', kind: 'drop', durationMs: 12_000 },
];

/**
 * Page-side probe (an init script), with Date.now() stamps: connection states, banner visibility,
 * remote video frames, and what the status bar says (banner text, quality level, navigator.onLine)
 * each time it changes.
 */
const PROBE = `(() => {
  const probe = (window.__outageProbe = { states: [], banner: [], frames: [], online: [], ui: [] });
  const seen = new WeakSet();
  let lastBanner, lastUi, subscribed = false;
  addEventListener('offline', () => probe.online.push([Date.now(), false]));
  addEventListener('online', () => probe.online.push([Date.now(), true]));
  setInterval(() => {
    const demo = window.hcwDemo;
    if (demo && !subscribed) {
      subscribed = true;
      demo.client.state$.subscribe((state) => probe.states.push([Date.now(), state.status]));
    }
    for (const video of document.querySelectorAll('[data-testid="remote-videos"] video')) {
      if (seen.has(video)) continue;
      seen.add(video);
      const user = video.dataset.userId || '';
      const loop = (_now, meta) => {
        probe.frames.push([Date.now(), user, meta.presentedFrames]);
        if (probe.frames.length > 20000) probe.frames.splice(0, 10000);
        if (video.isConnected) video.requestVideoFrameCallback(loop);
      };
      video.requestVideoFrameCallback(loop);
    }
    const banner = document.querySelector('[data-testid="reconnecting-banner"]');
    const visible = banner ? !banner.hidden : false;
    if (visible !== lastBanner) {
      lastBanner = visible;
      probe.banner.push([Date.now(), visible]);
    }
    const text = visible ? document.querySelector('[data-testid="reconnecting-text"]')?.textContent ?? '' : '';
    const level = document.querySelector('[data-testid="quality"]')?.dataset.level ?? '';
    const ui = JSON.stringify([text, level, navigator.onLine]);
    if (ui !== lastUi) {
      lastUi = ui;
      probe.ui.push([Date.now(), text, level, navigator.onLine]);
    }
  }, 20);
})();`;

interface Probe {
  states: [number, string][];
  banner: [number, boolean][];
  frames: [number, string, number][];
  online: [number, boolean][];
  ui: [number, string, string, boolean][];
}

const probeOf = (page: Page) => page.evaluate(() => (window as unknown as { __outageProbe: Probe }).__outageProbe);

/** The two browsers, the namespace and the server; `close()` always removes the namespace. */
export interface OutageRig {
  ns: NetNs;
  harness: Harness;
  doctorBrowser: Browser;
  patientBrowser: Browser;
  close(): Promise<void>;
}

export async function startOutageRig(): Promise<OutageRig> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install it with \`sudo bash scripts/install-system-deps.sh browser\` or point CHROMIUM_PATH at one.`,
    );
  }
  if (!existsSync(`${DEMO_DIR}dist/demo.js`)) execFileSync('npm', ['run', '--silent', 'build:demo'], { cwd: ROOT, stdio: 'inherit' });
  const ns = await createNetNs();
  let harness: Harness | undefined;
  let doctorBrowser: Browser | undefined;
  let patientBrowser: Browser | undefined;
  const close = async () => {
    try {
      await Promise.all([doctorBrowser?.close().catch(() => undefined), patientBrowser?.close().catch(() => undefined)]);
      await harness?.close().catch(() => undefined);
    } finally {
      ns.remove();
    }
  };
  try {
    // HTTP/Socket.IO and mediasoup's ICE on the root side of the veth: reachable from both namespaces.
    harness = await startHarness({ profile: 'full', staticDir: DEMO_DIR, host: ns.rootIp, listenIp: ns.rootIp });
    // http://10.213.x.1 is not a secure context as 127.0.0.1 is: no getUserMedia, no
    // navigator.userAgentData (mediasoup-client then finds no handler: "device not supported").
    const args = [...MEDIA_ARGS, `--unsafely-treat-insecure-origin-as-secure=${harness.server.url}`];
    doctorBrowser = await chromium.launch({ executablePath: CHROMIUM, args });
    patientBrowser = await chromium.launch({ executablePath: ns.wrapper(CHROMIUM), args });
  } catch (error) {
    await close();
    throw error;
  }
  return { ns, harness, doctorBrowser, patientBrowser, close };
}

/** Both pages in the consultation with video both ways. */
export interface Call {
  doctor: Page;
  patient: Page;
  /** Console errors and uncaught exceptions of both pages. */
  problems: string[];
  close(): Promise<void>;
}

const demoUrl = (rig: OutageRig, role: 'patient' | 'practitioner') => {
  const { server, consultationId, patientId, practitionerId } = rig.harness;
  return `${server.url}/index.html?role=${role}&consultationId=${consultationId}&userId=${role === 'patient' ? patientId : practitionerId}`;
};

/**
 * Opens fresh pages (new contexts) for both; admits the patient the first time (later, the
 * consultation being ACTIVE, the pages go straight into it); waits for moving video both ways.
 */
export async function openCall(rig: OutageRig): Promise<Call> {
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const open = async (browser: Browser, role: 'patient' | 'practitioner') => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    contexts.push(context);
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`[${role}] uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`[${role}] console.error: ${message.text()}`);
    });
    await page.goto(demoUrl(rig, role));
    return page;
  };
  const close = async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
  };
  try {
    const { server, consultationId, patientId } = rig.harness;
    const active = server.domain.consultations.get(consultationId)?.status === 'ACTIVE';
    const doctor = await open(rig.doctorBrowser, 'practitioner');
    const patient = await open(rig.patientBrowser, 'patient');
    if (!active) {
      const admit = doctor.locator(`[data-testid="admit-button"][data-patient-id="${patientId}"]`);
      await admit.waitFor({ state: 'visible', timeout: 15_000 });
      await admit.click();
    }
    for (const page of [doctor, patient]) {
      await page.waitForSelector('body[data-phase="consultation"]', { timeout: 15_000 });
      await page.waitForSelector('[data-testid="connection-status"][data-status="connected"]', { timeout: 15_000 });
    }
    const since = Date.now();
    const [d, p] = await Promise.all([newFrames(doctor, since, 20_000), newFrames(patient, since, 20_000)]);
    if (d === undefined || p === undefined) {
      throw new Error(`no video both ways before the outage (practitioner page: ${d ?? 'none'}, patient page: ${p ?? 'none'})`);
    }
    return { doctor, patient, problems, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * When the page presented its first remote video frame after `since` (Date.now() stamp), once
 * `count` frames after `since` were seen; undefined if not within `timeoutMs`.
 */
export async function newFrames(page: Page, since: number, timeoutMs: number, count = 10): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = await probeOf(page).catch(() => undefined);
    const after = (probe?.frames ?? []).filter(([at]) => at > since);
    if (after.length >= count) return after[0]![0];
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What one case measured (times in ms; undefined: did not happen within the timeout). */
export interface CaseResult {
  name: string;
  /** Link back → the patient page's client `connected` again (0: it never left `connected`). */
  connectedAfterUp: number | undefined;
  /** Link back → first new remote video frame on the patient page, and on the practitioner page. */
  patientFrameAfterUp: number | undefined;
  doctorFrameAfterUp: number | undefined;
  /** Outage start → the patient page's reconnecting banner visible; undefined: not shown before the link came back. */
  bannerDuringOutage: number | undefined;
  /** Whether the banner was shown at all (also after the link came back). */
  bannerEver: boolean;
  /** The patient's client states from the outage start, with times relative to it. */
  patientStates: string[];
  /** The chat message sent by the patient during the outage: copies on the practitioner page and on the server. */
  chatOnDoctor: number;
  chatOnServer: number;
  /** Remote video tiles per remote user id on each page, after things settled. */
  patientTiles: Record<string, number>;
  doctorTiles: Record<string, number>;
  /**
   * Remote frames presented from 1 s into the outage until the link came back, per page: 0 when
   * the outage is real (a check of the rig, not of the SDK).
   */
  patientFramesDuringOutage: number;
  doctorFramesDuringOutage: number;
  /** The patient's own copy of that message: how many, and their state (sent, pending, failed). */
  chatOnPatient: string[];
  /** Frames still advancing at the end (frames in the last second). */
  patientFramesLastSecond: number;
  doctorFramesLastSecond: number;
  consultationStatus: { server: string | undefined; patientPage: string | undefined; doctorPage: string | undefined };
  /** The root side (the server's address) answered HTTP from the root namespace during the outage. */
  rootReachableDuringOutage: boolean;
  /** The practitioner's client stayed `connected` throughout. */
  doctorStayedConnected: boolean;
  /**
   * The patient's /mediasoup sockets on the server after things settled: whether each was a
   * connection state recovery (more than one: an old session still connected).
   */
  patientMediaSockets: boolean[];
  /** Live producers on the server after things settled (2 per page: no ghosts). */
  serverProducers: number;
  /** Error reasons on each page's log. */
  errorReasons: { patient: string[]; doctor: string[] };
  /** Outage start → the patient page's quality label reads "lost"; undefined: not before the link came back. */
  qualityLostDuringOutage: number | undefined;
  /** What the patient page's banner said during the outage, each change once: `[ms into the outage, text, browser online]`. */
  bannerTexts: [number, string, boolean][];
}

async function tiles(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const counts: Record<string, number> = {};
    document.querySelectorAll<HTMLVideoElement>('[data-testid="remote-videos"] video').forEach((video) => {
      const user = video.dataset.userId || '?';
      counts[user] = (counts[user] ?? 0) + 1;
    });
    return counts;
  });
}

const reasons = async (page: Page) =>
  (
    (await page
      .getByTestId('error-log')
      .getAttribute('data-reasons')
      .catch(() => '')) ?? ''
  )
    .split(' ')
    .filter(Boolean);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunOptions {
  /** How long to wait for each thing to come back after the link does (default 15 s). */
  backTimeoutMs?: number;
  /** Quiet time after everything came back, before counting tiles and messages (default 2 s). */
  settleMs?: number;
  log?: (line: string) => void;
}

/** Runs one outage on an open call and measures; always restores the link. */
export async function runCase(rig: OutageRig, call: Call, outage: OutageCase, options: RunOptions = {}): Promise<CaseResult> {
  const { backTimeoutMs = 15_000, settleMs = 2000, log = () => undefined } = options;
  const { ns, harness } = rig;
  const { server, consultationId } = harness;
  const content = `during ${outage.name} #${Date.now() % 100_000}`;
  let restored = false;
  const restore = async () => {
    if (restored) return;
    restored = true;
    if (outage.kind === 'link') await ns.linkUp();
    else ns.silentDrop(false);
  };

  const down = Date.now();
  if (outage.kind === 'link') ns.linkDown();
  else ns.silentDrop(true);
  let up: number;
  let rootReachableDuringOutage: boolean | undefined;
  try {
    log(`${outage.name}: down`);
    await sleep(1000);
    // The root side stays reachable from the root namespace (where the practitioner and the server are).
    rootReachableDuringOutage = await fetch(`${server.url}/dev/token`, {
      method: 'POST',
      body: JSON.stringify({ userId: 'probe', role: 'PATIENT' }),
      signal: AbortSignal.timeout(2000),
    }).then(
      (response) => response.ok,
      () => false,
    );
    await sleep(1000);
    await call.patient.getByTestId('chat-input').fill(content);
    await call.patient.getByTestId('chat-input').press('Enter');
    log(`${outage.name}: chat sent during the outage`);
    await sleep(Math.max(0, down + outage.durationMs - Date.now()));
  } finally {
    up = Date.now();
    await restore();
  }
  log(`${outage.name}: up after ${up - down} ms`);

  // ---- What comes back, and when.
  const connectedAt = async (): Promise<number | undefined> => {
    const deadline = Date.now() + backTimeoutMs;
    for (;;) {
      const { states } = await probeOf(call.patient);
      const before = states.filter(([at]) => at <= up).at(-1);
      const left = states.some(([at, status]) => at >= down && status !== 'connected');
      if (!left && before?.[1] === 'connected' && Date.now() > up + 3000) return up; // never noticed
      const back = states.find(([at, status]) => at > up && status === 'connected');
      if (back) return back[0];
      if (Date.now() > deadline) return undefined;
      await sleep(50);
    }
  };
  const chatArrived = async () => {
    const deadline = Date.now() + backTimeoutMs;
    while (Date.now() < deadline) {
      if ((await call.doctor.getByTestId('chat-message').filter({ hasText: content }).count()) > 0) return;
      await sleep(100);
    }
  };
  const [connected, patientFrame, doctorFrame] = await Promise.all([
    connectedAt(),
    newFrames(call.patient, up, backTimeoutMs),
    newFrames(call.doctor, up, backTimeoutMs),
    chatArrived(),
  ]);
  await sleep(settleMs);

  const [patientProbe, doctorProbe] = await Promise.all([probeOf(call.patient), probeOf(call.doctor)]);
  const bannerShown = patientProbe.banner.find(([at, visible]) => visible && at >= down);
  const qualityLost = patientProbe.ui.find(([at, , level]) => level === 'lost' && at >= down && at <= up);
  const during = (probe: Probe) => probe.frames.filter(([at]) => at > down + 1000 && at <= up).length;
  const lastSecond = (probe: Probe) => probe.frames.filter(([at]) => at > Date.now() - 1000).length;
  const status = (page: Page) =>
    page
      .getByTestId('consultation-status')
      .getAttribute('data-status')
      .then((s) => s ?? undefined);
  const result: CaseResult = {
    name: outage.name,
    connectedAfterUp: connected === undefined ? undefined : connected - up,
    patientFrameAfterUp: patientFrame === undefined ? undefined : patientFrame - up,
    doctorFrameAfterUp: doctorFrame === undefined ? undefined : doctorFrame - up,
    bannerDuringOutage: bannerShown && bannerShown[0] <= up ? bannerShown[0] - down : undefined,
    bannerEver: bannerShown !== undefined,
    patientStates: patientProbe.states.filter(([at]) => at >= down).map(([at, s]) => `${s}@${at - down}`),
    chatOnDoctor: await call.doctor.getByTestId('chat-message').filter({ hasText: content }).count(),
    chatOnServer: server.domain.chat.all(consultationId).filter((message) => message.content === content).length,
    patientTiles: await tiles(call.patient),
    doctorTiles: await tiles(call.doctor),
    patientFramesDuringOutage: during(patientProbe),
    doctorFramesDuringOutage: during(doctorProbe),
    chatOnPatient: await call.patient
      .getByTestId('chat-message')
      .filter({ hasText: content })
      .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.status ?? '?')),
    patientFramesLastSecond: lastSecond(patientProbe),
    doctorFramesLastSecond: lastSecond(doctorProbe),
    consultationStatus: {
      server: server.domain.consultations.get(consultationId)?.status,
      patientPage: await status(call.patient),
      doctorPage: await status(call.doctor),
    },
    rootReachableDuringOutage: rootReachableDuringOutage === true,
    doctorStayedConnected: doctorProbe.states.filter(([at]) => at >= down).every(([, s]) => s === 'connected'),
    serverProducers: server.domain.media.stats().producers,
    patientMediaSockets: [...server.io.of('/mediasoup').sockets.values()]
      .filter((socket) => String((socket.data as { user?: { userId?: unknown } }).user?.userId) === String(harness.patientId))
      .map((socket) => socket.recovered),
    errorReasons: { patient: await reasons(call.patient), doctor: await reasons(call.doctor) },
    qualityLostDuringOutage: qualityLost === undefined ? undefined : qualityLost[0] - down,
    bannerTexts: patientProbe.ui
      .filter(([at, text]) => at >= down && at <= up && text !== '')
      .map(([at, text, , online]): [number, string, boolean] => [at - down, text, online]),
  };
  return result;
}

/** The banner's "next in N ms" values ("trying now": 0), one list per reconnection attempt, in the order shown. */
export function countdownsByAttempt(texts: string[]): number[][] {
  const byAttempt = new Map<string, number[]>();
  for (const text of texts) {
    const match = /attempt (\d+), (?:next in (\d+) ms|trying now)/.exec(text);
    if (!match) continue;
    const values = byAttempt.get(match[1]!) ?? [];
    values.push(Number(match[2] ?? 0));
    byAttempt.set(match[1]!, values);
  }
  return [...byAttempt.values()];
}

/** The banner's texts during an outage, reduced to what a reader needs: "waiting for network" shown, and each attempt's countdown. */
function bannerSummary(texts: [number, string, boolean][]): string {
  const offline = texts.filter(([, text]) => text.includes('waiting for network')).length;
  return `${offline} "waiting for network", countdowns ${JSON.stringify(countdownsByAttempt(texts.map(([, text]) => text)))}`;
}

const fmt = (value: number | undefined) => (value === undefined ? 'never' : `${(value / 1000).toFixed(2)} s`);

/** One line per figure, for the test's and the benchmark's output. */
export function describeResult(result: CaseResult): string {
  return [
    `[outage] ${result.name}:`,
    `link back → patient connected ${fmt(result.connectedAfterUp)};`,
    `link back → first new remote frame: patient page ${fmt(result.patientFrameAfterUp)}, practitioner page ${fmt(result.doctorFrameAfterUp)};`,
    `banner ${result.bannerDuringOutage === undefined ? (result.bannerEver ? 'only after the link came back' : 'never shown') : `at ${fmt(result.bannerDuringOutage)} into the outage`};`,
    `chat copies ${result.chatOnDoctor} on the practitioner page, ${result.chatOnServer} on the server, patient's own [${result.chatOnPatient.join(',')}];`,
    `frames during the outage ${result.patientFramesDuringOutage}/${result.doctorFramesDuringOutage};`,
    `tiles patient ${JSON.stringify(result.patientTiles)}, practitioner ${JSON.stringify(result.doctorTiles)};`,
    `frames in the last second ${result.patientFramesLastSecond}/${result.doctorFramesLastSecond};`,
    `status ${JSON.stringify(result.consultationStatus)}; server producers ${result.serverProducers}, patient /mediasoup sockets (recovered?) [${result.patientMediaSockets.join(',')}];`,
    `root reachable ${result.rootReachableDuringOutage}, practitioner stayed connected ${result.doctorStayedConnected};`,
    `patient states ${result.patientStates.join(' ')};`,
    `quality "lost" ${result.qualityLostDuringOutage === undefined ? 'not shown during the outage' : `at ${fmt(result.qualityLostDuringOutage)}`};`,
    `banner texts ${result.bannerTexts.length} (${bannerSummary(result.bannerTexts)});`,
    `errors ${JSON.stringify(result.errorReasons)}`,
  ].join(' ');
}
