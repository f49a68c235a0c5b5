// @vitest-environment happy-dom
import { expect, test } from 'vitest';
import { useHarness } from '../support/harness.js';
import { waitFor } from '../support/observe.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const start = useHarness();

test("browser 'online' event: retry at once instead of waiting out a long backoff", async () => {
  const harness = await start();
  const proxy = await startTcpProxy(harness.server.port);
  try {
    const client = harness.client({ url: proxy.url, reconnection: { delayMs: 60_000, maxDelayMs: 60_000, jitter: 0 } });
    await waitFor(client.chat.state$, (s) => s.status === 'connected');
    proxy.refuse(true); // network gone: the next retry is a minute away
    await waitFor(client.chat.state$, (s) => s.status === 'reconnecting');
    proxy.refuse(false);
    const started = Date.now();
    window.dispatchEvent(new Event('online'));
    await waitFor(client.chat.state$, (s) => s.status === 'connected', 5000);
    expect(Date.now() - started).toBeLessThan(5000);
  } finally {
    await proxy.close();
  }
});
