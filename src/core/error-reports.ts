import { Subject, type Observable } from 'rxjs';
import type { HcwError } from './errors.js';
import type { Logger } from './options.js';

/**
 * What a connection reports to the app: every error on `errors$` (and the log), drift once per
 * event and set of field paths (a server that always sends it is reported once, not per payload).
 */
export class ErrorReports {
  private readonly subject = new Subject<HcwError>();
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
