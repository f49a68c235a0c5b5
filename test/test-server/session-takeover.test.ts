/**
 * A client back with its session while the server still holds the session's old, dead connection
 * (a silent drop: the server would notice at its ping timeout, 45 s with Socket.IO's defaults):
 * the test server closes the old connection and restores the session (test-server/transport/
 * session-takeover.ts), so the client comes back recovered instead of as a new session that must
 * rebuild everything (media included).
 */
import { expect, test } from 'vitest';
import { useHarness } from '../support/harness.js';
import { sleep, until, waitFor } from '../support/observe.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const start = useHarness();

test('back after a silent drop the server did not notice: the same session, recovered; the old connection closed', async () => {
  const harness = await start();
  const proxy = await startTcpProxy(harness.server.port);
  try {
    // Attempts made while the packets vanish time out fast (they would hang otherwise).
    const patient = harness.client({ url: proxy.url, connectTimeoutMs: 300, heartbeat: { probeAfterMs: 200, deadLinkTimeoutMs: 600 } });
    const doctor = harness.client({ role: 'PRACTITIONER' });
    await waitFor(patient.chat.state$, (s) => s.status === 'connected');
    await waitFor(doctor.chat.state$, (s) => s.status === 'connected');
    await doctor.chat.sendMessage('before'); // a broadcast: the patient has an offset to recover from
    await until(() => harness.server.faults.engineConnectionCount() === 2, 3000, 'two connections');

    // Packets vanish both ways, TCP stays open: the client's dead-link watch notices, the server does not.
    proxy.blackhole(true);
    await waitFor(patient.chat.state$, (s) => s.status === 'reconnecting');
    await sleep(400); // the client has closed its end by now: nothing of that reached the server
    expect(harness.server.faults.engineConnectionCount()).toBe(2); // the old connection still held
    proxy.blackhole(false);
    const back = await waitFor(patient.chat.state$, (s) => s.status === 'connected' && s.reconnected);
    expect(back).toMatchObject({ recovered: true });
    await until(() => harness.server.faults.engineConnectionCount() === 2, 3000, 'the old connection closed');
  } finally {
    await proxy.close();
  }
});
