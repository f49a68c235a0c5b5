/**
 * Breaks only the media path of a page running in a network namespace (test/support/netns.ts):
 * nftables in the namespace drops the UDP of one local port (the ICE candidate a peer connection
 * uses now) and every TCP segment but the signalling server's, both ways, on the veth. The
 * signalling (TCP to one port) goes on; the connection's current candidate pair is dead for as long
 * as the block stays (a NAT that lost its mapping, a firewall that closed the pinhole), and nothing
 * but new candidates — an ICE restart gathers them on new ports — can carry the media again. TCP
 * is dropped too so that ICE-TCP candidates cannot take over without a restart.
 *
 * The table goes with the namespace (`NetNs.remove()`), or with `unblock()`.
 */
import { execFileSync } from 'node:child_process';
import type { NetNs } from './netns.js';

const TABLE = 'hcw_media_path';

export interface MediaPathBlock {
  /** Lifts the block (idempotent; never throws). */
  unblock(): void;
}

/** Drops UDP on `udpPort` and all TCP but to/from `signallingPort`, in and out of the namespace's veth. */
export function blockMediaPath(ns: NetNs, { udpPort, signallingPort }: { udpPort: number; signallingPort: number }): MediaPathBlock {
  const dev = ns.nsDev;
  const rules = `table inet ${TABLE} {
  chain in {
    type filter hook input priority -300; policy accept;
    iifname "${dev}" udp dport ${udpPort} drop
    iifname "${dev}" meta l4proto tcp tcp sport != ${signallingPort} drop
  }
  chain out {
    type filter hook output priority -300; policy accept;
    oifname "${dev}" udp sport ${udpPort} drop
    oifname "${dev}" meta l4proto tcp tcp dport != ${signallingPort} drop
  }
}
`;
  execFileSync('ip', ['netns', 'exec', ns.name, 'nft', '-f', '-'], { input: rules, stdio: ['pipe', 'pipe', 'pipe'] });
  let lifted = false;
  return {
    unblock() {
      if (lifted) return;
      lifted = true;
      try {
        execFileSync('ip', ['netns', 'exec', ns.name, 'nft', 'delete', 'table', 'inet', TABLE], { stdio: 'pipe' });
      } catch {
        // the namespace is gone already
      }
    },
  };
}
