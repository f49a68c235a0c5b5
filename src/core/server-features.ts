import { BehaviorSubject, type Observable } from 'rxjs';
import type { ServerFeature } from '../contract/index.js';

/**
 * What the server announced it adds to the reference backend (`server_features`, sent by servers
 * that have extensions as the first event of a namespace connection). Empty until then, and for
 * good on a server that announces nothing: the SDK then assumes the baseline.
 */
export class ServerFeatures {
  private readonly subject = new BehaviorSubject<ReadonlySet<string>>(new Set());
  /** The announced features, starting with the current set. */
  readonly features$: Observable<ReadonlySet<string>> = this.subject.asObservable();

  /** Whether the server announced `feature`. */
  has(feature: ServerFeature): boolean {
    return this.subject.value.has(feature);
  }

  /** @internal Records an announcement (the union over namespaces: any of them speaks for the server). */
  announce(features: readonly string[]): void {
    const current = this.subject.value;
    if (features.every((feature) => current.has(feature))) return;
    this.subject.next(new Set([...current, ...features]));
  }

  /** @internal */
  dispose(): void {
    this.subject.complete();
  }
}
