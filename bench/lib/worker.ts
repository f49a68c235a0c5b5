import { parentPort, Worker } from 'node:worker_threads';

/**
 * A server in a worker thread of the benchmark's process: same process, same loopback, but its own
 * V8 heap and its own core, so client-side costs are not diluted by server work on the same thread
 * and client heap measurements do not include the server. Calls are RPCs by method name.
 */
export interface WorkerServer<M extends Methods> {
  call<K extends keyof M & string>(method: K, ...args: Parameters<M[K]>): Promise<Awaited<ReturnType<M[K]>>>;
  /** Messages the worker pushes on its own (`notify`). */
  onNotice(listener: (notice: unknown) => void): void;
  close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Methods = Record<string, (...args: any[]) => unknown>;

type Request = { id: number; method: string; args: unknown[] };
type Reply = { id: number; result?: unknown; error?: string } | { notice: unknown };

/** Starts `moduleUrl` (a TypeScript module calling {@link serve}) in a worker thread. */
export async function startWorker<M extends Methods>(moduleUrl: URL): Promise<WorkerServer<M>> {
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(moduleUrl.href)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(code, { eval: true });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const noticeListeners: ((notice: unknown) => void)[] = [];
  let nextId = 1;
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  worker.on('message', (message: Reply | 'ready') => {
    if (message === 'ready') return ready();
    if ('notice' in message) {
      for (const listener of noticeListeners) listener(message.notice);
      return;
    }
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) call?.reject(new Error(message.error));
    else call?.resolve(message.result);
  });
  worker.on('error', (error) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  });
  await started;
  return {
    call(method, ...args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.postMessage({ id, method, args } satisfies Request);
      });
    },
    onNotice(listener) {
      noticeListeners.push(listener);
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** Worker side: answers RPCs with `methods`. */
export function serve(methods: Methods): void {
  const port = parentPort;
  if (!port) throw new Error('serve() must run in a worker thread');
  const answer = async ({ id, method, args }: Request) => {
    try {
      const fn = methods[method];
      if (!fn) throw new Error(`no method ${method}`);
      port.postMessage({ id, result: await fn(...args) } satisfies Reply);
    } catch (error) {
      port.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Reply);
    }
  };
  port.on('message', (request: Request) => void answer(request));
  port.postMessage('ready');
}

/** Worker side: pushes a notice to the main thread (timestamps of completion, ...). */
export function notify(notice: unknown): void {
  parentPort?.postMessage({ notice } satisfies Reply);
}
