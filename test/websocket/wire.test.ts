/**
 * The plain WebSocket transport's wire decisions, part by part: the envelope (sent `{ type, data }`,
 * both shapes read), the token as a subprotocol (and the test server's reading of it), the endpoint
 * URLs, what a close means.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { plainWsRoomNamespace, plainWsUserNamespace } from '../../src/contracts/plain-ws.js';
import { credentials, protocolToken } from '../../src/core/websocket/auth.js';
import { endingOf, upgradeStatus } from '../../src/core/websocket/close-reason.js';
import { endpointUrl } from '../../src/core/websocket/endpoint-url.js';
import { decodeEnvelope, eventPayloadEnvelope, typeDataEnvelope } from '../../src/core/websocket/envelope.js';
import { presentedToken } from '../../test-server/plain-ws/auth.js';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('envelope', () => {
  test('sends { type, data } (data left out when undefined), or { event, payload } when asked', () => {
    expect(typeDataEnvelope.encode('chat.message', { text: 'Hello!' })).toBe('{"type":"chat.message","data":{"text":"Hello!"}}');
    expect(typeDataEnvelope.encode('ping', undefined)).toBe('{"type":"ping"}');
    expect(eventPayloadEnvelope.encode('chat.typing', { isTyping: true })).toBe('{"event":"chat.typing","payload":{"isTyping":true}}');
  });

  test('reads both shapes; `event` wins over a payload that has a `type` of its own', () => {
    expect(decodeEnvelope('{"event":"pong","payload":{"timestamp":"2024-01-01"}}')).toEqual({
      event: 'pong',
      payload: { timestamp: '2024-01-01' },
    });
    expect(decodeEnvelope('{"type":"pong","data":{"timestamp":"t"}}')).toEqual({ event: 'pong', payload: { timestamp: 't' } });
    expect(decodeEnvelope('{"event":"connected"}')).toEqual({ event: 'connected', payload: undefined });
    const relayed = { type: 'video.offer', from: 'u-1', data: { type: 'offer', sdp: 'v=0' } };
    expect(decodeEnvelope(JSON.stringify({ event: 'video.offer', payload: relayed }))).toEqual({ event: 'video.offer', payload: relayed });
    for (const text of ['not json', '[]', 'null', '"pong"', '{"payload":{}}', '{"event":""}', '{"event":3}'])
      expect(decodeEnvelope(text), text).toBeUndefined();
  });
});

describe('auth', () => {
  test('header where headers can be sent, a `bearer` subprotocol offer otherwise', () => {
    expect(credentials('header', 'abc.def.ghi')).toEqual({ headers: { Authorization: 'Bearer abc.def.ghi' } });
    expect(credentials('protocol', 'abc.def.ghi')).toEqual({ protocols: ['bearer', 'abc.def.ghi'] });
  });

  test('a token that is not a valid subprotocol value is sent base64url-encoded; the server reads every form back', () => {
    for (const token of [
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig-_',
      'opaque/token+with=padding==',
      'with space, comma',
      'é€😀',
      'base64url.looks-encoded',
      'a',
      'ab',
      'abc',
    ]) {
      const offered = protocolToken(token);
      expect(offered, token).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
      expect(presentedToken(request({ 'sec-websocket-protocol': `bearer, ${offered}` })), token).toEqual({ via: 'protocol', token });
    }
    expect(protocolToken('abc.def.ghi')).toBe('abc.def.ghi'); // a JWT goes as it is
    expect(protocolToken('a b')).toBe(`base64url.${Buffer.from('a b').toString('base64url')}`);
    expect(presentedToken(request({ authorization: 'Bearer t-1' }))).toEqual({ via: 'header', token: 't-1' });
    expect(presentedToken(request({ 'sec-websocket-protocol': 'graphql-ws' }))).toEqual({ via: undefined, token: undefined });
  });
});

describe('endpoint URLs', () => {
  test('http(s) becomes ws(s), a base path is a prefix, :params are filled (encoded), never a token', () => {
    expect(endpointUrl('https://api.example.com', plainWsUserNamespace, {})).toBe('wss://api.example.com/ws/user');
    expect(endpointUrl('http://127.0.0.1:4000/api/', plainWsRoomNamespace, { room: 'a b/c' })).toBe(
      'ws://127.0.0.1:4000/api/ws/comms/chat-rooms/a%20b%2Fc',
    );
    expect(endpointUrl('wss://h', plainWsRoomNamespace, { room: 'r1', other: 'x' })).toBe('wss://h/ws/comms/chat-rooms/r1');
    const spec = { name: '/ws/things/:id', handshake: ['id', 'userId'], events: {} };
    expect(endpointUrl('https://h', spec, { id: '7', userId: 'u 1' })).toBe('wss://h/ws/things/7?userId=u+1');
    expect(() => endpointUrl('https://h', { ...spec, handshake: [] }, {})).toThrow(/:id must be one of the namespace's handshake keys/);
  });
});

describe('what a close means', () => {
  test('refusals, the server ending it, a lost link', () => {
    expect(endingOf(1006, '', 401, false)).toMatchObject({ kind: 'refused', code: 'unauthorized' });
    expect(endingOf(1006, '', 403, false)).toMatchObject({ kind: 'refused', code: 'forbidden' });
    expect(endingOf(1006, '', 404, false)).toMatchObject({ kind: 'refused', code: 'not_found' });
    expect(endingOf(4401, 'unauthorized', undefined, true)).toMatchObject({ kind: 'refused', code: 'unauthorized' });
    expect(endingOf(4403, '', undefined, true)).toMatchObject({ kind: 'refused', code: 'forbidden' });
    expect(endingOf(1008, '', undefined, true)).toMatchObject({ kind: 'refused', code: 'forbidden' });
    expect(endingOf(1000, '', undefined, true)).toEqual({ kind: 'ended' });
    for (const code of [1001, 1006, 1009, 1011, 1012, 1013]) expect(endingOf(code, '', undefined, true).kind, String(code)).toBe('lost');
    expect(endingOf(1006, 'connect ECONNREFUSED 127.0.0.1:40134', undefined, false)).toEqual({
      kind: 'lost',
      cause: 'connection failed (1006 connect ECONNREFUSED 127.0.0.1:40134)',
    });
  });

  test('the refused upgrade status, from what ws and React Native say', () => {
    expect(upgradeStatus('Unexpected server response: 401')).toBe(401);
    expect(upgradeStatus("Expected HTTP 101 response but was '403 Forbidden'")).toBe(403);
    expect(upgradeStatus('Received bad response code from server 404.')).toBe(404);
    expect(upgradeStatus('connect ECONNREFUSED 127.0.0.1:40134')).toBeUndefined();
    expect(upgradeStatus('Unexpected server response: 500')).toBeUndefined();
    expect(upgradeStatus(undefined)).toBeUndefined();
  });
});
