import type { HcwError } from './errors.js';

/** A request waiting for its answer. */
interface PendingRequest {
  readonly event: string;
  readonly fail: (error: HcwError) => void;
}

/**
 * The requests of one namespace still waiting for an answer, in the order they were written, so
 * a refusal the server reports outside the answer ends the right one at once instead of at its
 * timeout:
 * - `error { event, message }` names the event: it ends the oldest request of that event;
 * - `exception` (and `error` without `event`) names nothing: it ends the only request waiting, if
 *   that request was also the last thing written; otherwise it cannot be attributed and the caller
 *   reports it. The reference mediasoup gateway sends `error { event }` then `exception` for the
 *   same failure: an `exception` right after an attributed `error` is taken as its pair.
 */
export class PendingRequests {
  private readonly entries: PendingRequest[] = [];
  /** The last packet written: a pending request, or `other` for an emit nothing waits on. */
  private lastWrite: PendingRequest | 'other' | undefined;
  /** Attributed `error { event }` refusals whose paired `exception` has not arrived yet. */
  private unpairedErrors = 0;

  /** Tracks a request; returns the function that stops tracking it (answered, timed out). */
  add(event: string, fail: (error: HcwError) => void): () => void {
    const entry: PendingRequest = { event, fail };
    this.entries.push(entry);
    this.lastWrite = entry;
    return () => {
      const index = this.entries.indexOf(entry);
      if (index >= 0) this.entries.splice(index, 1);
    };
  }

  /** An emit no request waits on was written (it may be what a later `exception` is about). */
  noteOtherWrite(): void {
    this.lastWrite = 'other';
  }

  /** `error { event }`: ends the oldest request of `event`. Returns whether one was waiting. */
  failByEvent(event: string, error: HcwError): boolean {
    const entry = this.entries.find((candidate) => candidate.event === event);
    if (!entry) return false;
    this.settle(entry, error);
    this.unpairedErrors++;
    return true;
  }

  /**
   * A refusal that names no event. Returns whether it was attributed (to a request, or as the pair
   * of an attributed `error`).
   */
  failUnattributed(errorFor: (event: string) => HcwError): boolean {
    if (this.unpairedErrors > 0) {
      this.unpairedErrors--;
      return true;
    }
    const [only] = this.entries;
    if (this.entries.length !== 1 || only !== this.lastWrite || only === undefined) return false;
    this.settle(only, errorFor(only.event));
    return true;
  }

  /** Ends every request (the namespace reached a state it will not leave by itself). */
  failAll(error: HcwError): void {
    for (const entry of this.entries.splice(0)) entry.fail(error);
  }

  /** The connection dropped: answers and refusals of the old connection will not come. */
  reset(): void {
    this.lastWrite = undefined;
    this.unpairedErrors = 0;
  }

  get size(): number {
    return this.entries.length;
  }

  private settle(entry: PendingRequest, error: HcwError): void {
    this.entries.splice(this.entries.indexOf(entry), 1);
    entry.fail(error);
  }
}
