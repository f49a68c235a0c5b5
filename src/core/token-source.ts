import type { TokenProvider } from './options.js';

/**
 * Hands out the auth token. One fetch serves every namespace of a (re)connection: the cached
 * promise is dropped when the connection closes or the server says the token expired, so the
 * provider runs again on every reconnect.
 */
export class TokenSource {
  private pending: Promise<string> | undefined;

  constructor(private readonly provider: TokenProvider) {}

  get(): Promise<string> {
    this.pending ??= this.fetch();
    return this.pending;
  }

  /** Forget the cached token; the next `get()` calls the provider. */
  invalidate(): void {
    this.pending = undefined;
  }

  private async fetch(): Promise<string> {
    try {
      const token = typeof this.provider === 'function' ? await this.provider() : this.provider;
      if (typeof token !== 'string' || token.length === 0) throw new Error('token provider returned no token');
      return token;
    } catch (error) {
      this.pending = undefined; // a failed fetch must not stick
      throw error;
    }
  }
}
