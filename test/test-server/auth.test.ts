import { Manager } from 'socket.io-client';
import { afterEach, describe, expect, test } from 'vitest';
import { signToken, verifyToken } from '../../test-server/index.js';
import { cleanup, connected, next, peer, scenario } from './helpers.js';

afterEach(cleanup);

async function rejection(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as (Error & { data?: { code: string } }) | undefined;
  expect(error, 'the handshake should have been rejected').toBeDefined();
  return error!;
}

describe('JWT', () => {
  test('sign/verify round trip; tampering, another secret and expiry are caught', () => {
    const token = signToken('s3cret', 'dr-1', 'PRACTITIONER', 60);
    const verified = verifyToken('s3cret', token);
    expect(verified).toMatchObject({ ok: true, claims: { sub: 'dr-1', role: 'PRACTITIONER' } });
    expect(verifyToken('other', token)).toEqual({ ok: false, reason: 'bad_signature' });
    const [h, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', role: 'ADMIN', iat: 0, exp: 9e9 })).toString('base64url');
    expect(verifyToken('s3cret', `${h}.${forged}.${sig}`)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyToken('s3cret', signToken('s3cret', 'u', 'PATIENT', 60, Date.now() - 120_000))).toEqual({ ok: false, reason: 'expired' });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${forged}.`;
    expect(verifyToken('s3cret', none).ok).toBe(false);
    expect(verifyToken('s3cret', 'garbage').ok).toBe(false);
  });
});

describe('handshake auth', () => {
  test('valid token: accepted on every namespace', async () => {
    const s = await scenario();
    const client = await s.patient(['/consultation', '/chat', '/mediasoup', '/enhanced-consultation']);
    expect(client.socket('/chat').connected).toBe(true);
    expect(s.server.faults.connectionAttempts(s.patientId)).toBe(4);
    expect(s.server.faults.connectionAttempts(s.patientId, '/chat')).toBe(1);
  });

  test('missing token → socket_error:unauthorized', async () => {
    const s = await scenario();
    const error = await rejection(s.patient(['/chat'], { token: null }));
    expect(error.message).toBe('unauthorized');
    expect(error.data?.code).toBe('socket_error:unauthorized');
  });

  test('bad signature → socket_error:unauthorized', async () => {
    const s = await scenario();
    const error = await rejection(s.patient(['/consultation'], { token: signToken('wrong-secret', s.patientId, 'PATIENT') }));
    expect(error.data?.code).toBe('socket_error:unauthorized');
  });

  test('expired token → socket_error:token_expired', async () => {
    const s = await scenario();
    const error = await rejection(s.patient(['/consultation'], { token: s.server.createToken(s.patientId, 'PATIENT', -5) }));
    expect(error.data?.code).toBe('socket_error:token_expired');
  });

  test("someone else's token, or another role than the token's → unauthorized", async () => {
    const s = await scenario();
    const stolen = await rejection(s.patient(['/consultation'], { token: s.server.createToken(s.practitionerId, 'PRACTITIONER') }));
    expect(stolen.data?.code).toBe('socket_error:unauthorized');
    const promoted = await rejection(
      s.join('PRACTITIONER', s.patientId, ['/consultation'], { token: s.server.createToken(s.patientId, 'PATIENT') }),
    );
    expect(promoted.data?.code).toBe('socket_error:unauthorized');
  });

  test('handshakes are remembered without the token: namespace, URL, query, outcome', async () => {
    const s = await scenario();
    const token = s.server.createToken(s.patientId, 'PATIENT');
    await s.patient(['/chat'], { token });
    await s.patient(['/chat'], { token: 'bad' }).catch(() => undefined);
    const seen = s.server.faults.handshakes(s.patientId);
    expect(seen.map((h) => [h.namespace, h.accepted, h.code])).toEqual([
      ['/chat', true, undefined],
      ['/chat', false, 'socket_error:unauthorized'],
    ]);
    expect(seen[0]?.query).toMatchObject({ userId: s.patientId, consultationId: String(s.consultationId) });
    expect(JSON.stringify(seen)).not.toContain(token);
  });

  test('a token in the query string is ignored', async () => {
    const s = await scenario();
    const manager = new Manager(s.server.url, {
      query: {
        consultationId: String(s.consultationId),
        userId: s.patientId,
        role: 'PATIENT',
        token: s.server.createToken(s.patientId, 'PATIENT'),
      },
      transports: ['websocket'],
      reconnection: false,
    });
    const socket = manager.socket('/consultation');
    const error = await rejection(connected(socket));
    expect(error.data?.code).toBe('socket_error:unauthorized');
    manager.engine?.close();
  });

  test('Authorization: Bearer header is accepted (Node / React Native)', async () => {
    const s = await scenario();
    const manager = new Manager(s.server.url, {
      query: { consultationId: String(s.consultationId), userId: s.patientId, role: 'PATIENT' },
      transports: ['websocket'],
      extraHeaders: { Authorization: `Bearer ${s.server.createToken(s.patientId, 'PATIENT')}` },
      reconnection: false,
    });
    const socket = manager.socket('/consultation');
    await connected(socket);
    expect(socket.connected).toBe(true);
    manager.engine?.close();
  });

  test('revoked user: open connections dropped, reconnection refused as unauthorized', async () => {
    const s = await scenario();
    const client = await s.patient(['/chat']);
    const socket = client.socket('/chat');
    const refused = new Promise<Error & { data?: { code: string } }>((resolve) => socket.once('connect_error', resolve));
    s.server.faults.revokeUser(s.patientId);
    expect((await refused).data?.code).toBe('socket_error:unauthorized');
    expect(socket.connected).toBe(false);
    s.server.faults.restoreUser(s.patientId);
    socket.connect();
    await connected(socket);
  });

  test('missing handshake keys: error { message } then disconnect (reference behaviour)', async () => {
    const s = await scenario();
    const manager = new Manager(s.server.url, {
      query: { userId: s.patientId, role: 'PATIENT' },
      transports: ['websocket'],
      reconnection: false,
    });
    const socket = manager.socket('/consultation', { auth: { token: s.server.createToken(s.patientId, 'PATIENT') } });
    const error = next(socket, 'error');
    const disconnected = next(socket, 'disconnect');
    expect((await error).message).toContain('consultationId');
    expect(await disconnected).toBe('io server disconnect');
    manager.engine?.close();
  });

  test('a patient cannot open a consultation that is not theirs', async () => {
    const s = await scenario();
    const error = next(
      (await peer(s.server, { userId: 'stranger', role: 'PATIENT', consultationId: s.consultationId, connect: false })).socket(
        '/consultation',
      ),
      'error',
    );
    expect((await error).message).toContain('not a participant');
  });
});
