/**
 * A server in a child process of the benchmark: same machine, same loopback, but its own process,
 * so `process.cpuUsage()` in the benchmark counts the client's CPU time alone (a worker thread's
 * would be counted too). CPU time, unlike event-loop active time, does not grow while the thread
 * waits for a core on a loaded machine. Calls are RPCs by method name, as with `startWorker`.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Methods, WorkerServer } from './worker.js';

type Request = { id: number; method: string; args: unknown[] };
type Reply = { id: number; result?: unknown; error?: string };

/** Starts `moduleUrl` (a TypeScript module calling {@link serveChild}) in a child process. */
export async function startChild<M extends Methods>(moduleUrl: URL): Promise<Omit<WorkerServer<M>, 'onNotice'>> {
  const child = fork(fileURLToPath(moduleUrl), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    child.once('message', (message) => (message === 'ready' ? resolve() : reject(new Error(`unexpected ${JSON.stringify(message)}`))));
    child.once('exit', (code) => reject(new Error(`the server process exited with ${code}`)));
  });
  child.on('message', (message: Reply) => {
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) call?.reject(new Error(message.error));
    else call?.resolve(message.result);
  });
  return {
    call(method, ...args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, method, args } satisfies Request);
      });
    },
    async close() {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      });
    },
  };
}

/** Child side: answers RPCs with `methods`. */
export function serveChild(methods: Methods): void {
  const send = (message: unknown) => process.send?.(message);
  if (!process.send) throw new Error('serveChild() must run in a child process started by startChild()');
  process.on('message', (request: Request) => {
    void (async () => {
      try {
        const fn = methods[request.method];
        if (!fn) throw new Error(`no method ${request.method}`);
        send({ id: request.id, result: await fn(...request.args) } satisfies Reply);
      } catch (error) {
        send({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Reply);
      }
    })();
  });
  send('ready');
}
