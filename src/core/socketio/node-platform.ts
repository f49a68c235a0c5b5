import { request as plainRequest } from 'node:http';
import { request as tlsRequest } from 'node:https';
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../websocket/platform.js';
import type { HttpRequest, SocketIoPlatform } from './platform.js';

const request: HttpRequest = (url, { method = 'GET', body, signal }) =>
  new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-type': 'text/plain;charset=UTF-8' };
    const outgoing = (url.startsWith('https:') ? tlsRequest : plainRequest)(url, { method, headers, signal }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });

/** Node's platform for Socket.IO connections: `ws` and `node:http(s)`. */
export const nodePlatform: SocketIoPlatform = { WebSocket: WebSocket as unknown as WebSocketConstructor, request };
