// Compile-time proof of the contract's derived types: `tsc --noEmit` (part of npm test) fails if they break.
import type { RequestResult, RequestEventName, ServerEventName, OutgoingPayload } from '../../src/contract/define.js';
import type { ChatNamespace, MediasoupNamespace } from '../../src/contract/index.js';
export type A = RequestResult<ChatNamespace, 'request_message_history'>;
export const a: A = null as any;
void a.messages[0]?.content;
export type B = RequestResult<MediasoupNamespace, 'createTransport'>;
export const b: B = null as any;
void b.iceCandidates;
export type C = RequestEventName<ChatNamespace>;
export const c: C = 'request_participants';
// @ts-expect-error not a request
export const d: C = 'start_typing';
export type S = ServerEventName<ChatNamespace>;
// @ts-expect-error reserved
export const e: S = 'connect';
export const f: OutgoingPayload<ChatNamespace, 'send_message'> = { consultationId: 1, userId: 2, content: 'x' };
