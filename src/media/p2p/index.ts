/**
 * Peer-to-peer media for 1:1 calls and small meshes: `RTCPeerConnection`s negotiated with the
 * perfect negotiation pattern over a signalling port; no mediasoup-client.
 * @packageDocumentation
 * @module hcw-realtime-sdk/media/p2p
 */
export { PeerMediaManager } from './peer-media-manager.js';
export type { IceRestartNotice, PeerMediaManagerOptions } from './options.js';
export type { PeerDeparture, PeerMessage, PeerMessageData, PeerMessageKind, PeerSignalling } from './peer-signalling.js';
export { decide, isPolite, type DescriptionDecision, type NegotiationState } from './perfect-negotiation.js';
export { createRootPrefixedPeerMedia, RootPrefixedPeerSignalling, type RootPrefixedPeerOptions } from './root-prefixed-signalling.js';
export { createPlainWsPeerMedia, PlainWsPeerSignalling, type PlainWsPeerOptions } from './plain-ws-signalling.js';
