/**
 * The audit's fixed server (docs/upstream/related-systems/namespace-mismatch-audit.md) on the
 * generic test server: one root namespace; every event that goes both ways is relayed to the other
 * members of its room, `from` added. Which events, which namespace and which room come from the
 * contract: there is no name here to get wrong.
 */
import { clientEventNames, serverEventNames } from '../../../src/contract/index.js';
import { rootPrefixedContract } from '../../../src/contracts/root-prefixed.js';
import { startContractServer, type ContractServer, type NamespaceHandlers } from '../server.js';

type Contract = typeof rootPrefixedContract;
const spec = rootPrefixedContract.root;

/** The room an event belongs to: `chat:*` in the chat room, `webrtc:*` in the consultation's. */
const roomOf = (event: string) => (event.startsWith('chat:') ? 'chat' : 'consultation');

/** Relays of every event the contract sends both ways. */
const relayed = clientEventNames(spec).filter((event) => serverEventNames(spec).includes(event));
const relays = Object.fromEntries(
  relayed.map((event) => [
    event,
    (payload: { roomId: string }, { broadcast, user }: Parameters<NonNullable<NamespaceHandlers<Contract, 'root'>['connection']>>[0]) =>
      broadcast(event as never, { ...payload, from: user } as never, { room: roomOf(event), params: { roomId: payload.roomId } } as never),
  ]),
) as NamespaceHandlers<Contract, 'root'>['events'];

export const startRootPrefixedServer = (): Promise<ContractServer<Contract>> =>
  startContractServer(rootPrefixedContract, { handlers: { root: { events: relays } } });

/** The events the server relays (both ways in the contract). */
export const relayedEvents = relayed;
