/**
 * hcw-realtime-sdk: a typed realtime client for HCW@Home.
 * @packageDocumentation
 */
export * from './contract/index.js';
