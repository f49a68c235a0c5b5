type Listener = (...args: never[]) => void;

/**
 * The few emitter methods the SDK's sockets (Socket.IO namespaces, plain WebSocket endpoints) offer (`on`, `off`, `listeners`, `removeAllListeners`),
 * with `fire` for the owner. `emit` is left free: on a socket it sends to the server.
 */
export class Emitter {
  private readonly byEvent = new Map<string, Listener[]>();

  on(event: string, listener: (...args: never[]) => void): this {
    this.byEvent.set(event, [...this.listeners(event), listener]);
    return this;
  }

  once(event: string, listener: (...args: never[]) => void): this {
    const wrapper = (...args: never[]) => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  off(event: string, listener: (...args: never[]) => void): this {
    const rest = this.listeners(event).filter((candidate) => candidate !== listener);
    if (rest.length > 0) this.byEvent.set(event, rest);
    else this.byEvent.delete(event);
    return this;
  }

  listeners(event: string): readonly Listener[] {
    return this.byEvent.get(event) ?? [];
  }

  removeAllListeners(): this {
    this.byEvent.clear();
    return this;
  }

  /** Calls the listeners of `event` (those present when it starts: a listener removed meanwhile still runs). */
  protected fire(event: string, ...args: unknown[]): void {
    const list = this.byEvent.get(event);
    if (list) for (const listener of list) (listener as (...values: unknown[]) => void)(...args);
  }
}
