/**
 * Peer-to-peer calls between Chromium pages, shared by test/browser/p2p*.test.ts and the p2p
 * benchmarks: the page of test/support/p2p-page/ bundled with esbuild and served on loopback (or
 * a veth's address), a page per participant in its own browser context, and probes polled from
 * Node on what each page really receives from each peer. Nothing here asserts.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sleep } from './observe.js';

const PAGE_DIR = fileURLToPath(new URL('./p2p-page/', import.meta.url));

export type Probe = Awaited<ReturnType<Window['p2p']['probe']>>;

/** The page's HTTP server. */
export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Bundles the page and serves it on `host` (default 127.0.0.1), on a free port. */
export async function servePages(host = '127.0.0.1'): Promise<PageServer> {
  const bundle = await build({
    entryPoints: [`${PAGE_DIR}main.ts`],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, [string, string]> = {
    '/': [readFileSync(`${PAGE_DIR}index.html`, 'utf8'), 'text/html'],
    '/p2p-page.js': [bundle.outputFiles[0]!.text, 'text/javascript'],
  };
  const server = createServer((request, response) => {
    const file = files[request.url ?? '/'];
    response.writeHead(file ? 200 : 404, { 'content-type': file?.[1] ?? 'text/plain' }).end(file?.[0] ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** One participant's page. */
export interface Side {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly user: string;
  /** The peer probed by default (the other one of a pair). */
  readonly peer: string;
  probe(peer?: string): Promise<Probe>;
}

export interface OpenOptions {
  readonly pageUrl: string;
  readonly signallingUrl: string;
  readonly roomId: string;
  readonly user: string;
  readonly peer: string;
  /** Calls from the server's presence (default true). */
  readonly presence?: boolean;
  readonly iceRestartRetryMs?: number;
  /** Where uncaught page errors go. */
  readonly problems?: string[];
  /** Start camera and microphone once in the room (default true). */
  readonly media?: boolean;
  /** Camera and microphone started with the join, in the page, not once in the room (as an app does). */
  readonly together?: boolean;
}

/** A page in a new context of `browser`, in the room, camera and microphone sending. */
export async function openSide(browser: Browser, options: OpenOptions): Promise<Side> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const { user, peer } = options;
  page.on('pageerror', (error) => options.problems?.push(`[${user}] uncaught: ${error.message}`));
  await page.goto(options.pageUrl);
  const start = {
    url: options.signallingUrl,
    userId: user,
    roomId: options.roomId,
    presence: options.presence ?? true,
    ...(options.iceRestartRetryMs === undefined ? {} : { iceRestartRetryMs: options.iceRestartRetryMs }),
  };
  if (options.together) await page.evaluate((init) => window.p2p.join(init), start);
  else await page.evaluate((init) => window.p2p.start(init), start);
  await page.waitForFunction(() => window.p2p.ready(), undefined, { timeout: 10_000 });
  if ((options.media ?? true) && !options.together) await page.evaluate(() => window.p2p.startMedia());
  return { page, context, user, peer, probe: (other = peer) => page.evaluate((id) => window.p2p.probe(id), other) };
}

const describeProbe = (probe: Probe) =>
  `${probe.signalingState}, ${probe.connectionState}; ${probe.events.map(({ at, what }) => `${Math.round(at)} ${what}`).join('; ')}; errors: ${probe.errors.join('; ')}`;

/** Polls the page's probe of `peer` until `check` holds (the predicate runs here, on the probe's copy). */
export async function probeUntil(
  side: Side,
  check: (probe: Probe) => boolean,
  label: string,
  timeout = 15_000,
  peer = side.peer,
): Promise<Probe> {
  const end = Date.now() + timeout;
  for (;;) {
    const probe = await side.probe(peer);
    if (check(probe)) return probe;
    if (Date.now() > end) throw new Error(`${side.user} (from ${peer}): ${label} (${describeProbe(probe)})`);
    await sleep(20);
  }
}

/** Resolves once the side paints and decodes video from `peer`; the wall time from `since` to its first painted frame. */
export async function firstFrame(side: Side, since: number, peer = side.peer, timeout = 15_000): Promise<number> {
  const probe = await probeUntil(side, (p) => p.firstFrameWall !== undefined && p.framesDecoded > 0, 'no remote frame', timeout, peer);
  return probe.firstFrameWall! - since;
}

/** Frames from `peer` painted and decoded during `ms`. */
export async function framesDuring(
  side: Side,
  ms = 1000,
  peer = side.peer,
): Promise<{ painted: number; decoded: number; before: Probe; after: Probe }> {
  const before = await side.probe(peer);
  await sleep(ms);
  const after = await side.probe(peer);
  return { painted: after.frames - before.frames, decoded: after.framesDecoded - before.framesDecoded, before, after };
}

/** Waits until video from `peer` advances (both counters, over 0.5 s). */
export async function videoFlowing(side: Side, timeout = 15_000, peer = side.peer): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    const { painted, decoded } = await framesDuring(side, 500, peer);
    if (painted > 3 && decoded > 3) return;
    if (Date.now() > end) throw new Error(`${side.user}: video from ${peer} not advancing (painted ${painted}, decoded ${decoded})`);
  }
}

/** The longest gap between painted frames from `peer` within [from, to] (wall ms), the edges counted. */
export async function longestFrameGap(side: Side, from: number, to: number, peer = side.peer): Promise<number> {
  const times = (await side.page.evaluate(([id, since]) => window.p2p.frameTimes(id, since), [peer, from] as const)).filter((t) => t <= to);
  let longest = 0;
  let last = from;
  for (const time of [...times, to]) {
    longest = Math.max(longest, time - last);
    last = time;
  }
  return longest;
}
