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

test("browser 'online' event: an attempt hanging since the outage is abandoned for a fresh one, not waited out", async () => {
  const harness = await start();
  const proxy = await startTcpProxy(harness.server.port);
  try {
    const client = harness.client({ url: proxy.url, connectTimeoutMs: 20_000 });
    await waitFor(client.chat.state$, (s) => s.status === 'connected');
    proxy.blackhole(true); // a dead link: what is sent now is lost, the next attempt hangs
    proxy.dropAll();
    await waitFor(client.chat.state$, (s) => s.status === 'connecting' || s.status === 'reconnecting');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the attempt under way is hanging
    proxy.blackhole(false);
    const started = Date.now();
    window.dispatchEvent(new Event('online'));
    await waitFor(client.chat.state$, (s) => s.status === 'connected', 10_000);
    expect(Date.now() - started).toBeLessThan(3000);
  } finally {
    await proxy.close();
  }
});
