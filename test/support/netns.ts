/**
 * A real network outage for one side of a call: a network namespace joined to the root namespace
 * by a veth pair in a private /30 (root side `.1`, namespace side `.2`). What runs inside (a
 * Chromium launched through {@link NetNs.launchChromium}'s wrapper) reaches the root namespace
 * only over the veth, so taking the namespace side down, or dropping its packets with nftables,
 * cuts it off while the root namespace (the test server, the other browser) keeps its address.
 *
 * Linux, root and `ip netns` needed; `silentDrop` also needs `nft` (Debian package `nftables`,
 * installed by scripts/install-system-deps.sh). Without them {@link createNetNs} throws and says
 * why: a test that needs a real outage must not pass by doing nothing.
 *
 * Every namespace is removed by `remove()` (idempotent), on process exit, and — after a crash —
 * by the sweep the next run does (`hcw-<pid>-<n>` of pids that are gone).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NetNs {
  /** Namespace name, `hcw-<pid>-<n>`. */
  readonly name: string;
  /** Root-side address: bind the servers here (reachable from both namespaces). */
  readonly rootIp: string;
  /** Address of the namespace side. */
  readonly nsIp: string;
  /** Interface names: root side, namespace side. */
  readonly rootDev: string;
  readonly nsDev: string;
  /** Takes the namespace side of the veth down (`ip link set DEV down` inside): no route out. */
  linkDown(): void;
  /** Brings it back up; resolves when the namespace reaches the root side again. */
  linkUp(): Promise<void>;
  /**
   * Drops every packet in and out on the namespace's veth (nftables, netdev ingress + egress
   * hooks: senders see no error, nothing is closed), or stops dropping.
   */
  silentDrop(on: boolean): void;
  /** A command run inside the namespace (synchronously); its stdout. */
  exec(command: string, args: string[]): string;
  /**
   * An executable that runs `executable` inside the namespace (`exec ip netns exec NS ...`), for
   * playwright-core's `executablePath`. Removed with the namespace.
   */
  wrapper(executable: string): string;
  /** Removes the nft table, the namespace and the veth pair. Idempotent; never throws. */
  remove(): void;
}

const PREFIX = 'hcw-';
const TABLE = 'hcw_outage';
let counter = 0;
const live = new Set<NetNs>();
let exitHook = false;

function run(command: string, args: string[], input?: string): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input === undefined ? {} : { input }) });
}

function quiet(command: string, args: string[]): void {
  try {
    run(command, args);
  } catch {
    // already gone
  }
}

const errorText = (error: unknown) =>
  String((error as { stderr?: unknown }).stderr ?? (error instanceof Error ? error.message : error)).trim();

/** Throws, saying why, where network namespaces cannot be used. */
export function netnsProblem(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return `network namespaces need root (uid ${process.getuid()}); run the outage test as root, e.g. in the CI container`;
  }
  try {
    run('ip', ['netns', 'list']);
  } catch (error) {
    return `\`ip netns\` does not work here (${errorText(error)}); install iproute2`;
  }
  return undefined;
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes namespaces (and stray root-side veths) left by runs that crashed: `hcw-<pid>-<n>` whose
 * pid is gone. Returns their names.
 */
export function sweepStaleNamespaces(): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = run('ip', ['netns', 'list'])
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0] ?? '')
      .filter((name) => name.startsWith(PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = /^hcw-(\d+)-\d+$/.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    quiet('ip', ['netns', 'del', name]);
    removed.push(name);
  }
  // A veth whose namespace side never moved (a run that died half-way) stays in the root namespace.
  try {
    for (const line of run('ip', ['-o', 'link', 'show']).split('\n')) {
      const dev = /^\d+:\s+(h[rn](\d+)x\d+)[@:]/.exec(line);
      if (!dev) continue;
      const pid = Number(dev[2]);
      if (pid === process.pid || pidAlive(pid)) continue;
      quiet('ip', ['link', 'del', dev[1]!]);
      removed.push(dev[1]!);
    }
  } catch {
    // no links to sweep
  }
  return removed;
}

/** IPv4 addresses on this host's root namespace, to pick a /30 nobody uses. */
function usedAddresses(): Set<string> {
  const used = new Set<string>();
  for (const match of run('ip', ['-o', '-4', 'addr', 'show']).matchAll(/inet (\d+\.\d+\.\d+)\.(\d+)\//g)) {
    used.add(`${match[1]}.${Number(match[2]) & ~3}`);
  }
  return used;
}

/** A free 10.213.a.b/30 network address (b a multiple of 4), derived from the pid and a counter. */
function pickSubnet(n: number): [string, string] {
  const used = usedAddresses();
  for (let attempt = 0; attempt < 16384; attempt++) {
    const index = (process.pid * 7 + n + attempt) % 16384;
    const third = index >> 6;
    const fourth = (index & 63) * 4;
    if (!used.has(`10.213.${third}.${fourth}`)) return [`10.213.${third}.${fourth + 1}`, `10.213.${third}.${fourth + 2}`];
  }
  throw new Error('no free /30 in 10.213.0.0/16');
}

function hasNft(): boolean {
  try {
    run('sh', ['-c', 'command -v nft']);
    return true;
  } catch {
    return false;
  }
}

function removeAllOnExit(): void {
  for (const ns of [...live]) ns.remove();
}

/** Creates a namespace joined by a veth; throws (saying why) where it cannot. */
export async function createNetNs(): Promise<NetNs> {
  const problem = netnsProblem();
  if (problem) throw new Error(`Cannot create a network namespace: ${problem}.`);
  sweepStaleNamespaces();
  if (!exitHook) {
    exitHook = true;
    process.once('exit', removeAllOnExit);
  }
  const n = counter++;
  const name = `${PREFIX}${process.pid}-${n}`;
  const rootDev = `hr${process.pid}x${n}`;
  const nsDev = `hn${process.pid}x${n}`;
  const [rootIp, nsIp] = pickSubnet(n);
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  let removed = false;

  const exec = (command: string, args: string[]) => run('ip', ['netns', 'exec', name, command, ...args]);
  const ns: NetNs = {
    name,
    rootIp,
    nsIp,
    rootDev,
    nsDev,
    exec,
    linkDown() {
      exec('ip', ['link', 'set', nsDev, 'down']);
    },
    async linkUp() {
      exec('ip', ['link', 'set', nsDev, 'up']);
      await reachable(50, 5000);
    },
    silentDrop(on) {
      quiet('ip', ['netns', 'exec', name, 'nft', 'delete', 'table', 'netdev', TABLE]);
      quiet('ip', ['netns', 'exec', name, 'nft', 'delete', 'table', 'inet', TABLE]);
      if (!on) return;
      if (!hasNft()) {
        throw new Error('silentDrop needs nft: install the Debian package nftables (sudo bash scripts/install-system-deps.sh browser)');
      }
      try {
        run(
          'ip',
          ['netns', 'exec', name, 'nft', '-f', '-'],
          `table netdev ${TABLE} {
  chain in { type filter hook ingress device "${nsDev}" priority -500; policy drop; }
  chain out { type filter hook egress device "${nsDev}" priority -500; policy drop; }
}
`,
        );
      } catch {
        // Kernels before 5.16 have no netdev egress hook: input/output hooks (a local sender may see EPERM).
        run(
          'ip',
          ['netns', 'exec', name, 'nft', '-f', '-'],
          `table inet ${TABLE} {
  chain in { type filter hook input priority -300; policy accept; iifname "${nsDev}" drop; }
  chain out { type filter hook output priority -300; policy accept; oifname "${nsDev}" drop; }
}
`,
        );
      }
    },
    wrapper(executable) {
      const path = join(dir, 'in-netns.sh');
      writeFileSync(path, `#!/bin/sh\nexec ip netns exec '${name}' '${executable}' "$@"\n`);
      chmodSync(path, 0o755);
      return path;
    },
    remove() {
      if (removed) return;
      removed = true;
      live.delete(ns);
      quiet('ip', ['netns', 'exec', name, 'nft', 'delete', 'table', 'netdev', TABLE]);
      quiet('ip', ['netns', 'exec', name, 'nft', 'delete', 'table', 'inet', TABLE]);
      quiet('ip', ['netns', 'del', name]);
      quiet('ip', ['link', 'del', rootDev]); // gone with the namespace, unless it never moved there
      rmSync(dir, { recursive: true, force: true });
    },
  };
  live.add(ns);

  /** Waits until the namespace side can reach the root side (the ARP/route settled). */
  async function reachable(step: number, timeoutMs: number): Promise<void> {
    const start = Date.now();
    for (;;) {
      try {
        const route = exec('ip', ['-4', 'route', 'get', rootIp]);
        if (route.includes(nsDev)) return;
      } catch {
        // no route yet
      }
      if (Date.now() - start > timeoutMs) throw new Error(`${name}: no route to ${rootIp} ${timeoutMs} ms after link up`);
      await new Promise((resolve) => setTimeout(resolve, step));
    }
  }

  try {
    run('ip', ['netns', 'add', name]);
    run('ip', ['link', 'add', rootDev, 'type', 'veth', 'peer', 'name', nsDev]);
    run('ip', ['link', 'set', nsDev, 'netns', name]);
    run('ip', ['addr', 'add', `${rootIp}/30`, 'dev', rootDev]);
    run('ip', ['link', 'set', rootDev, 'up']);
    exec('ip', ['addr', 'add', `${nsIp}/30`, 'dev', nsDev]);
    exec('ip', ['link', 'set', 'lo', 'up']);
    exec('ip', ['link', 'set', nsDev, 'up']);
    await reachable(20, 5000);
  } catch (error) {
    ns.remove();
    throw new Error(`Cannot set up network namespace ${name}: ${errorText(error)}`, { cause: error });
  }
  return ns;
}

/**
 * Whether the root namespace still reaches `ip` (a local address): the route the kernel picks.
 * The root side of the veth keeps its address while the namespace side is down.
 */
export function rootReaches(ip: string): boolean {
  try {
    return /\blocal\b/.test(run('ip', ['-4', 'route', 'get', ip]));
  } catch {
    return false;
  }
}
