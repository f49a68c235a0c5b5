/**
 * The peer-to-peer page of `npm start` (examples/p2p-demo/) in headless Chromium with fake camera
 * and microphone. The servers are what `npm start` starts, by the code it runs
 * (`startDemoServers` of scripts/demo-servers.ts), on free ports; the pages are the two p2p URLs
 * it prints (alice and bob in room `demo`), driven through their buttons.
 *
 * Asserted: remote video decoded and painted both ways (each remote <video>'s
 * requestVideoFrameCallback, inbound-rtp framesDecoded); camera off stops the frames at the other
 * page (nothing sent: the sender's track is null) and on brings them back; the microphone's mute
 * stops the audio bytes at the other page; chat both ways; a signalling restart shows the
 * reconnecting banner while the video goes on, then connected again; tokens went in the
 * subprotocol offer only, never in a URL; no error on the pages but the token fetches that failed
 * while the server (which also serves the token endpoint) was down.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PeerMediaManager } from '../../src/media/p2p/index.js';
import { startDemoServers, type DemoServers } from '../../scripts/demo-servers.js';
import { P2P_DEMO_DIR } from '../../scripts/p2p-demo.js';
import { CHROMIUM, MEDIA_ARGS } from '../support/chromium.js';
import { sleep } from '../support/observe.js';

declare global {
  interface Window {
    p2pDemo: { media: PeerMediaManager };
    /** Frames painted per peer in the page's remote <video> elements (installed by this test). */
    remoteFrames: Record<string, number>;
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let browser: Browser | undefined;
let servers: DemoServers | undefined;
const problems: string[] = [];
beforeAll(async () => {
  // `npm test` and `npm start` build it; a bare `vitest run` gets it built here.
  if (!existsSync(`${P2P_DEMO_DIR}dist/p2p-demo.js`))
    execFileSync('npm', ['run', '--silent', 'build:demo'], { cwd: ROOT, stdio: 'inherit' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: MEDIA_ARGS });
  servers = await startDemoServers({ profile: 'full', port: 0, host: '127.0.0.1' });
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await servers?.close();
});

/** Counts the frames painted in every remote <video>, per peer, from the page's start. */
function countRemoteFrames(): void {
  const counts: Record<string, number> = {};
  const seen = new WeakSet<HTMLVideoElement>();
  window.remoteFrames = counts;
  setInterval(() => {
    document.querySelectorAll<HTMLVideoElement>('video[data-testid="remote-video"]').forEach((video) => {
      if (seen.has(video)) return;
      seen.add(video);
      const peer = video.dataset.peer ?? '';
      const next = () =>
        video.requestVideoFrameCallback(() => {
          counts[peer] = (counts[peer] ?? 0) + 1;
          next();
        });
      next();
    });
  }, 50);
}

async function open(url: string, user: string): Promise<Page> {
  const context = await browser!.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`[${user}] uncaught: ${error.message}`));
  await page.addInitScript(countRemoteFrames);
  await page.goto(url);
  return page;
}

/** What a page receives from `peer` and sends to it now. */
const probe = (page: Page, peer: string) =>
  page.evaluate(async (peer) => {
    const pc = window.p2pDemo.media.connection(peer);
    let decoded = 0;
    let audioBytes = 0;
    (await pc?.getStats())?.forEach((stat: { type?: string; kind?: string; framesDecoded?: number; bytesReceived?: number }) => {
      if (stat.type !== 'inbound-rtp') return;
      if (stat.kind === 'video') decoded += stat.framesDecoded ?? 0;
      else audioBytes += stat.bytesReceived ?? 0;
    });
    const senders = (kind: string) =>
      pc
        ?.getTransceivers()
        .filter((t) => t.receiver.track.kind === kind && /send/.test(t.direction))
        .map((t) => t.sender.track?.id ?? null) ?? [];
    return { painted: window.remoteFrames[peer] ?? 0, decoded, audioBytes, videoSenders: senders('video'), audioSenders: senders('audio') };
  }, peer);

/** Frames (painted, decoded) and audio bytes from `peer` during `ms`. */
async function during(page: Page, peer: string, ms: number) {
  const before = await probe(page, peer);
  await sleep(ms);
  const after = await probe(page, peer);
  return {
    painted: after.painted - before.painted,
    decoded: after.decoded - before.decoded,
    audioBytes: after.audioBytes - before.audioBytes,
  };
}

/** Waits until the video from `peer` advances (painted and decoded, over 0.5 s). */
async function videoFlowing(page: Page, peer: string, timeout = 20_000): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    const { painted, decoded } = await during(page, peer, 500);
    if (painted > 3 && decoded > 3) return;
    if (Date.now() > end) throw new Error(`video from ${peer} not advancing (painted ${painted}, decoded ${decoded})`);
  }
}

const status = (page: Page) => page.getAttribute('[data-testid="connection-status"]', 'data-status');

describe('the peer-to-peer page of npm start', () => {
  test('alice and bob from the printed URLs: video both ways, camera off and mute, chat, a signalling restart', async () => {
    const { p2p, banner } = servers!;
    const urls = { alice: p2p.pageUrl('alice'), bob: p2p.pageUrl('bob') };
    for (const url of Object.values(urls)) expect(banner).toContain(url); // what npm start prints
    const alice = await open(urls.alice, 'alice');
    const bob = await open(urls.bob, 'bob');
    for (const page of [alice, bob]) await page.waitForSelector('[data-testid="connection-status"][data-status="connected"]');

    // Video both ways, decoded and painted.
    await Promise.all([videoFlowing(alice, 'bob'), videoFlowing(bob, 'alice')]);
    await alice.waitForSelector('[data-testid="peers"] li[data-peer="bob"][data-state="connected"]');
    await bob.waitForSelector('[data-testid="peers"] li[data-peer="alice"][data-state="connected"]');
    expect(await alice.isHidden('[data-testid="remote-placeholder"]')).toBe(true);
    // Switch camera only with more than one camera (Chromium's fake device is one).
    const cameras = await alice.evaluate(
      async () => (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput').length,
    );
    expect(await alice.isVisible('[data-testid="switch-camera-button"]')).toBe(cameras > 1);

    // Camera off: alice sends nothing, bob's frames from her stop; on again: back.
    await alice.click('[data-testid="camera-button"]');
    await expect.poll(async () => (await probe(alice, 'bob')).videoSenders).toEqual([null]);
    await sleep(500);
    const off = await during(bob, 'alice', 1500);
    expect(off).toMatchObject({ painted: 0, decoded: 0 });
    expect(off.audioBytes).toBeGreaterThan(0); // the microphone still goes
    await alice.click('[data-testid="camera-button"]');
    await videoFlowing(bob, 'alice', 5000);

    // Mute: no audio from alice at bob; unmute: back.
    await alice.click('[data-testid="mic-button"]');
    await expect.poll(async () => (await probe(alice, 'bob')).audioSenders).toEqual([null]);
    await sleep(500);
    expect((await during(bob, 'alice', 1000)).audioBytes).toBe(0);
    await alice.click('[data-testid="mic-button"]');
    await expect.poll(async () => (await during(bob, 'alice', 300)).audioBytes, { timeout: 5000 }).toBeGreaterThan(0);

    // Chat both ways.
    await alice.fill('[data-testid="chat-input"]', 'Hello Bob');
    await alice.click('[data-testid="chat-send"]');
    await bob.waitForSelector('li[data-sender="alice"] >> text=Hello Bob');

    const errorLog = (page: Page) => page.locator('[data-testid="error-log"] li').allTextContents();
    expect([...(await errorLog(alice)), ...(await errorLog(bob))]).toEqual([]);

    // The signalling restarts: the banner while it is down, the video going on; connected again after.
    const restart = p2p.server.faults.restart(1500);
    await Promise.all(
      [alice, bob].map((page) => page.waitForSelector('[data-testid="reconnecting-banner"]:not([hidden])', { timeout: 3000 })),
    );
    expect(await status(bob)).toMatch(/reconnecting|connecting/);
    expect((await during(bob, 'alice', 500)).painted).toBeGreaterThan(3);
    await restart;
    for (const page of [alice, bob]) {
      await page.waitForSelector('[data-testid="connection-status"][data-status="connected"]', { timeout: 10_000 });
      await page.waitForSelector('[data-testid="reconnecting-banner"]', { state: 'hidden' });
    }
    await Promise.all([videoFlowing(alice, 'bob'), videoFlowing(bob, 'alice')]);
    await bob.fill('[data-testid="chat-input"]', 'Hi Alice, still here');
    await bob.click('[data-testid="chat-send"]');
    await alice.waitForSelector('li[data-sender="bob"] >> text=Hi Alice, still here');

    // Tokens: in the subprotocol offer, never in a URL.
    const handshakes = p2p.server.handshakes;
    expect(handshakes.length).toBeGreaterThanOrEqual(4); // two each, before and after the restart
    for (const handshake of handshakes) {
      expect(handshake).toMatchObject({ url: '/ws/comms/chat-rooms/demo', via: 'protocol', authorization: undefined, outcome: 'accepted' });
    }
    expect(alice.url()).toBe(urls.alice);
    expect(p2p.server.problems).toEqual([]);
    // The token endpoint is on the server that restarted: attempts made while it was down failed there.
    for (const entry of [...(await errorLog(alice)), ...(await errorLog(bob))]) expect(entry).toMatch(/^token_provider_failed: /);
    expect(problems).toEqual([]);
  }, 120_000);
});
