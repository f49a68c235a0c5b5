import type { Server, Socket } from 'socket.io';
import { checkAck, checkPayload, namespaceByName, namespaces, serverEventNames, type NamespaceSpec } from '../../src/contract/index.js';
import type { Consultation } from '../domain/consultations.js';
import type { Id } from '../domain/errors.js';
import type { Out, ServerEvent } from '../events.js';
import type { TestServerLogger } from '../options.js';
import { numericIds, type Profile } from '../profile.js';
import { rooms } from './rooms.js';

export interface BroadcastTarget {
  rooms: readonly string[];
  /** Rooms left out (e.g. the sender's user room). */
  except?: readonly string[];
  /** Limit to these namespaces (default: every namespace that declares the event). */
  namespaces?: readonly string[];
}

type AckCallback = (value: unknown) => void;

/**
 * Every server→client message leaves through here: sent only in namespaces whose contract declares
 * the event, validated against the contract (a mismatch is recorded as a violation, so tests catch
 * a server that drifts from the contract), optionally delayed (fault injection).
 */
export class Hub {
  private io: Server | undefined;
  private readonly declared = new Map<string, Set<string>>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** Delay applied to every emit and ack (faults.delayEvents). */
  delayMs = 0;
  /** Outgoing payloads the contract rejected: should stay empty. */
  readonly violations: string[] = [];

  constructor(
    private readonly logger: TestServerLogger,
    private readonly profile: Profile,
  ) {
    // Only the profile's namespaces (`io.of()` would create a missing one) and the events it sends.
    for (const spec of this.specs()) this.declared.set(spec.name, new Set(serverEventNames(spec).filter((event) => profile.sends(event))));
  }

  /** The namespaces of the contract this server has. */
  private specs(): NamespaceSpec[] {
    return namespaces.filter((spec) => this.profile.namespaces.includes(spec.name));
  }

  /** A payload as it leaves this server (numeric ids in the reference profile). */
  private out<T>(payload: T): T {
    return this.profile.numericIds ? (numericIds(payload) as T) : payload;
  }

  attach(io: Server | undefined): void {
    this.io = io;
  }

  declares(namespace: string, event: string): boolean {
    return this.declared.get(namespace)?.has(event) ?? false;
  }

  private spec(namespace: string): NamespaceSpec {
    return namespaceByName(namespace)!;
  }

  private validate(namespace: string, event: string, payload: unknown): void {
    const check = checkPayload(this.spec(namespace), event, payload);
    if (check.ok) return;
    // The profile's documented deviations from the contract (reference backend) are not violations.
    const issues = check.issues.filter((issue) => !this.profile.tolerates(event, issue.path));
    if (issues.length > 0) this.violation(`${namespace} ${event}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }

  private violation(message: string): void {
    this.violations.push(message);
    this.logger.error(`contract violation in an outgoing message: ${message}`);
  }

  /** Runs `fn` now, or after the injected delay (order preserved). */
  deliver(fn: () => void): void {
    if (this.delayMs <= 0) return fn();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, this.delayMs);
    this.timers.add(timer);
  }

  /** Sends to one socket, in its namespace; false when that namespace does not declare the event. */
  send<E extends ServerEvent>(socket: Socket, event: E, payload: Out<E>): boolean {
    const namespace = socket.nsp.name;
    if (!this.declares(namespace, event)) return false;
    const sent = this.out(payload);
    this.validate(namespace, event, sent);
    this.deliver(() => socket.emit(event, sent));
    return true;
  }

  /** Sends to rooms in every namespace declaring the event (or the listed ones). */
  broadcast<E extends ServerEvent>(target: BroadcastTarget, event: E, payload: Out<E>): void {
    const io = this.io;
    if (!io) return;
    const sent = this.out(payload);
    for (const spec of this.specs()) {
      if (target.namespaces && !target.namespaces.includes(spec.name)) continue;
      if (!this.declares(spec.name, event)) continue;
      this.validate(spec.name, event, sent);
      this.deliver(() => {
        let operator = io.of(spec.name).to([...target.rooms]);
        if (target.except?.length) operator = operator.except([...target.except]);
        operator.emit(event, sent);
      });
    }
  }

  /** Everyone connected for the consultation (optionally not `exceptUserId`). */
  toConsultation<E extends ServerEvent>(
    consultationId: Id,
    event: E,
    payload: Out<E>,
    options: { exceptUserId?: Id; namespaces?: readonly string[] } = {},
  ): void {
    this.broadcast(
      {
        rooms: [rooms.consultation(consultationId)],
        ...(options.exceptUserId === undefined ? {} : { except: [rooms.user(options.exceptUserId)] }),
        ...(options.namespaces ? { namespaces: options.namespaces } : {}),
      },
      event,
      payload,
    );
  }

  /** One user's sockets for one consultation. */
  toMember<E extends ServerEvent>(consultationId: Id, userId: Id, event: E, payload: Out<E>): void {
    this.broadcast({ rooms: [rooms.member(consultationId, userId)] }, event, payload);
  }

  /** One user's sockets, whatever the consultation. */
  toUser<E extends ServerEvent>(userId: Id, event: E, payload: Out<E>): void {
    this.broadcast({ rooms: [rooms.user(userId)] }, event, payload);
  }

  /** The practitioner in charge (their dashboard), or every practitioner while unassigned. */
  toPractitioners<E extends ServerEvent>(consultation: Consultation, event: E, payload: Out<E>): void {
    const room = consultation.practitionerId ? rooms.practitioner(consultation.practitionerId) : rooms.practitioners;
    this.broadcast({ rooms: [room] }, event, payload);
  }

  /** Answers an ack with a success value, checked against the event's ack schema. */
  ack(namespace: string, event: string, callback: AckCallback, value: unknown): void {
    const sent = this.out(value);
    const check = checkAck(this.spec(namespace), event, sent);
    if (!check.ok) this.violation(check.message);
    this.deliver(() => callback(sent));
  }

  /** Answers an ack with a value the contract declares no schema for (`{ success: true }`). */
  ackAny(callback: AckCallback, value: unknown): void {
    const sent = this.out(value);
    this.deliver(() => callback(sent));
  }

  /**
   * Answers an ack with the failure form `{ error, code }`: `code` is the DomainError code
   * (`bad_request`, `forbidden`, `not_found`, `conflict`, `rate_limited`), `invalid_payload` for a
   * payload the contract rejects, `not_implemented`, or `internal_error` for a crash.
   */
  ackError(callback: AckCallback, message: string, code: string): void {
    this.deliver(() => callback({ error: message, code }));
  }

  /** Cancels delayed deliveries (server close). */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
