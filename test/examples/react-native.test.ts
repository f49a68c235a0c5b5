// The example's ambient declarations (react-native's APIs), which no import can bring in.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../examples/react-native/types/react-native-apis.d.ts" />
/**
 * examples/react-native: type-checked as a React Native app would (tsc with its own tsconfig,
 * against the built package's types), and its wiring run in Node with react-native and
 * react-native-webrtc replaced by mocks: globals registered, WebSocket-only transport, AppState
 * background → pause (the socket closes, sends wait) and active → resume (they are delivered).
 */
import { resolve } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../test-server/index.js';
import { waitFor } from '../support/observe.js';
import { ROOT, typecheck } from './support.js';

/** The AppState mock: `change` listeners the test drives. */
const appState = vi.hoisted(() => {
  const listeners = new Set<(state: string) => void>();
  return {
    currentState: 'active',
    isAvailable: true,
    listeners,
    addEventListener(type: string, listener: (state: string) => void) {
      if (type === 'change') listeners.add(listener);
      return { remove: () => listeners.delete(listener) };
    },
    set(state: string) {
      appState.currentState = state;
      for (const listener of listeners) listener(state);
    },
  };
});
const registerGlobals = vi.hoisted(() => vi.fn());
vi.mock('react-native', () => ({ AppState: appState }));
vi.mock('react-native-webrtc', () => ({ registerGlobals }));

const { startConsultationSession } = await import('../../examples/react-native/consultation-session.js');

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('tsc -p examples/react-native/tsconfig.json: no errors, against dist/ types and the React Native API declarations', async () => {
  const result = await typecheck('examples/react-native/tsconfig.json');
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);
  for (const file of [
    'examples/react-native/consultation-session.ts',
    'examples/react-native/types/react-native-apis.d.ts',
    'dist/index.d.ts',
    'dist/media.d.ts',
  ]) {
    expect(result.files, file).toContain(resolve(ROOT, file));
  }
  // No DOM library, like a React Native app.
  expect(result.files.some((file) => file.endsWith('lib.dom.d.ts'))).toBe(false);
}, 60_000);

test('the session: registerGlobals, WebSocket only, background pauses (sends wait), active resumes (sends delivered)', async () => {
  server = await startTestServer({ port: 0, media: false });
  const consultationId = server.createConsultation({ practitionerId: 'dr-1', patientId: 'patient-1' });
  const session = startConsultationSession({
    url: server.url,
    consultationId,
    userId: 'patient-1',
    role: 'PATIENT',
    token: () => server!.createToken('patient-1', 'PATIENT'),
  });
  try {
    expect(registerGlobals).toHaveBeenCalledTimes(1);
    expect(session.media).toBeDefined();
    await waitFor(session.client.chat.state$, (state) => state.status === 'connected');
    // Engine.IO went straight to WebSocket (no long-polling handshake).
    const handshakes = server.faults.handshakes('patient-1');
    expect(handshakes.length).toBeGreaterThan(0);
    for (const handshake of handshakes) expect(JSON.stringify(handshake)).toContain('transport=websocket');
    expect(JSON.stringify(handshakes)).not.toContain('transport=polling');

    appState.set('inactive'); // iOS: control center, incoming call — not a reason to disconnect
    expect(session.client.chat.connected).toBe(true);
    appState.set('background');
    await waitFor(session.client.chat.state$, (state) => state.status === 'disconnected');
    const pending = session.chat.send('written in the background');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(session.chat.messages.find((entry) => entry.message.content === 'written in the background')?.status).toBe('pending');
    expect(server.domain.chat.all(consultationId).map((message) => message.content)).not.toContain('written in the background');

    appState.set('active');
    expect((await pending).status).toBe('sent');
    expect(session.client.chat.connected).toBe(true);
  } finally {
    await session.stop();
  }
  expect(appState.listeners.size).toBe(0);
});
