import { Subject, type Observable } from 'rxjs';
import type { HcwError } from './errors.js';
import type { Logger } from './options.js';

/** A connection's error stream: every report logged and published; schema drift once per event and fields. */
export class ErrorReports {
  private readonly subject = new Subject<HcwError>();
  /** Drift already reported (event and field paths): a server that always sends it is reported once. */
  private readonly driftSeen = new Set<string>();
  readonly errors$: Observable<HcwError> = this.subject.asObservable();

  constructor(private readonly logger: Logger) {}

  report(error: HcwError): void {
    this.logger.warn(error.message, { reason: error.reason, namespace: error.namespace, event: error.event });
    this.subject.next(error);
  }

  reportDrift(error: HcwError): void {
    const key = `${error.namespace} ${error.event} ${(error.issues ?? []).map((issue) => issue.path).join(',')}`;
    if (this.driftSeen.has(key)) return;
    this.driftSeen.add(key);
    this.report(error);
  }

  complete(): void {
    this.subject.complete();
  }
}
