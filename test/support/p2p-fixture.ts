/**
 * The shared setup of the P2P browser test files: the pages server and one Chromium for the file,
 * a root-prefixed signalling server per test (started by the test), and the pages each test opened,
 * closed after it. Apart from test/support/p2p-call.ts, which the benchmarks use outside vitest.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { rootPrefixedContract } from '../../src/contracts/root-prefixed.js';
import type { ContractServer } from '../../test-server/generic/server.js';
import { CHROMIUM, MEDIA_ARGS } from './chromium.js';
import { openSide, servePages, type OpenOptions, type PageServer, type Side } from './p2p-call.js';

export interface P2pFixture {
  /** The signalling server of the running test (the test starts it). */
  server: ContractServer<typeof rootPrefixedContract> | undefined;
  /** Problems the pages reported (console errors, page errors) during the running test. */
  readonly problems: string[];
  /** Opens a page on the running test's server, closed after the test. */
  open(options: Omit<OpenOptions, 'pageUrl' | 'signallingUrl' | 'problems'>): Promise<Side>;
}

export function useP2pBrowser(): P2pFixture {
  let browser: Browser | undefined;
  let pages: PageServer | undefined;
  const sides: Side[] = [];
  const fixture: P2pFixture = {
    server: undefined,
    problems: [],
    async open(options) {
      const side = await openSide(browser!, {
        ...options,
        pageUrl: pages!.url,
        signallingUrl: fixture.server!.url,
        problems: fixture.problems,
      });
      sides.push(side);
      return side;
    },
  };
  beforeAll(async () => {
    pages = await servePages();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: MEDIA_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await pages?.close();
  });
  afterEach(async () => {
    await Promise.all(sides.splice(0).map((side) => side.context.close().catch(() => undefined)));
    await fixture.server?.close();
    fixture.server = undefined;
    fixture.problems.length = 0;
  });
  return fixture;
}
