import { io, type Socket } from 'socket.io-client';
import { createHcwClient, type HcwClient, type HcwClientOptions } from '../../src/index.node.js';

/** An SDK client with default options except those given. */
export function sdkClient(options: Partial<HcwClientOptions> & Pick<HcwClientOptions, 'url'>): HcwClient {
  return createHcwClient({ consultationId: 42, userId: 'patient-1', role: 'PATIENT', token: 'bench-token', ...options });
}

/** A plain socket.io-client socket on its own connection, as the reference frontends open one per namespace. */
export function rawSocket(url: string, namespace: string, options: Parameters<typeof io>[1] = {}): Socket {
  return io(`${url}${namespace}`, { forceNew: true, ...options });
}

/** Resolves when the socket is connected. */
export function connected(socket: Socket, timeoutMs = 10_000): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${socket.io.opts.path ?? 'socket'}: not connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Resolves when every opened service of the SDK client is connected. */
export function sdkConnected(client: HcwClient, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`SDK client not connected after ${timeoutMs} ms (state ${client.state.status})`));
    }, timeoutMs);
    const subscription = client.state$.subscribe((state) => {
      if (state.status !== 'connected') return;
      clearTimeout(timer);
      queueMicrotask(() => subscription.unsubscribe());
      resolve();
    });
  });
}

/** A counter that resolves `reached` when it hits `target`. */
export function counter() {
  let count = 0;
  let target = Infinity;
  let done: (() => void) | undefined;
  return {
    hit() {
      if (++count === target) done?.();
    },
    /** Resets to 0 and returns a promise for `n` hits. */
    expect(n: number): Promise<void> {
      count = 0;
      target = n;
      return new Promise((resolve) => (done = resolve));
    },
    get count() {
      return count;
    },
  };
}
