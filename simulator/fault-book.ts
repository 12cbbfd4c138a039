// Faults armed by tests, consumed one per request in the order they were added.
import { ALL_OPERATIONS, NO_CONTENT_OPERATIONS, type OperationId } from './operation-ids';

export const FAULT_KINDS = ['status', 'delay', 'reset-before', 'reset-after', 'malformed-json', 'invalid-body'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults that replace the success body; an operation answering 204 has none, so they pass it by. */
const BODY_FAULTS: readonly FaultKind[] = ['malformed-json', 'invalid-body'];

interface FaultTarget {
  /** Only requests to this operation; every operation when absent. */
  operation?: OperationId;
  /** How many requests get the fault. Default 1, or Infinity when `rate` is set. */
  times?: number;
  /** Probability (0–1) that a matching request gets the fault. */
  rate?: number;
}

/**
 * - status: answer `status` in the error envelope (with Retry-After when given); nothing is applied.
 * - delay: wait `ms`, then handle the request normally (the effect applies even if the client gave up).
 * - reset-before: destroy the socket without applying anything.
 * - reset-after: apply the request (and store its answer for its Idempotency-Key), then destroy the socket.
 * - malformed-json / invalid-body: apply the request, then answer the operation's success status with
 *   a body that is not JSON / JSON that breaks the description. The idempotency cache keeps the real answer.
 *   They never land on an operation that answers 204 (deleteV1DatabasesByDatabaseId).
 */
export type FaultSpec = FaultTarget &
  (
    | { kind: 'status'; status: number; retryAfterSeconds?: number }
    | { kind: 'delay'; ms: number }
    | { kind: 'reset-before' | 'reset-after' | 'malformed-json' | 'invalid-body' }
  );

/** What the simulator handle exposes: tests arm and clear faults; only the server takes them. */
export type FaultControl = Pick<FaultBook, 'add' | 'clear' | 'pending'>;

interface ArmedFault {
  spec: FaultSpec;
  remaining: number;
}

export class FaultBook {
  private armed: ArmedFault[] = [];

  /** `operations`: those of the simulator's profile, so a fault aimed at the other profile's operation is refused. */
  constructor(
    private readonly random: () => number = Math.random,
    private readonly operations: readonly OperationId[] = ALL_OPERATIONS,
  ) {}

  /** Throws on a spec that could never behave as meant, so a typo fails the test that wrote it. */
  add(spec: FaultSpec): void {
    checkSpec(spec, this.operations);
    const remaining = spec.times ?? (spec.rate === undefined ? 1 : Infinity);
    this.armed.push({ spec: { ...spec }, remaining });
  }

  clear(): void {
    this.armed = [];
  }

  /** Faults still armed. */
  get pending(): number {
    return this.armed.length;
  }

  /** The fault for one request to `operation`, if any; uses up one of its times. */
  take(operation: OperationId): FaultSpec | undefined {
    const hit = this.armed.find(
      ({ spec }) =>
        (spec.operation === undefined || spec.operation === operation) &&
        !(BODY_FAULTS.includes(spec.kind) && NO_CONTENT_OPERATIONS.includes(operation)) &&
        (spec.rate === undefined || this.random() < spec.rate),
    );
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.armed = this.armed.filter((f) => f !== hit);
    return hit.spec;
  }
}

function checkSpec(spec: FaultSpec, operations: readonly OperationId[]): void {
  if (!FAULT_KINDS.includes(spec.kind)) throw new RangeError(`Unknown fault kind: ${String(spec.kind)}`);
  if (spec.operation !== undefined && !operations.includes(spec.operation)) {
    throw new RangeError(`Unknown operation for this simulator: ${String(spec.operation)} (it serves ${operations.join(', ')})`);
  }
  if (spec.operation !== undefined && BODY_FAULTS.includes(spec.kind) && NO_CONTENT_OPERATIONS.includes(spec.operation)) {
    throw new RangeError(`${spec.operation} answers 204 without a body, so a ${spec.kind} fault cannot apply to it`);
  }
  if (spec.times !== undefined && !(spec.times === Infinity || (Number.isInteger(spec.times) && spec.times >= 1))) {
    throw new RangeError(`times must be a positive integer or Infinity, got ${spec.times}`);
  }
  if (spec.rate !== undefined && !(spec.rate >= 0 && spec.rate <= 1)) {
    throw new RangeError(`rate must be between 0 and 1, got ${spec.rate}`);
  }
  if (spec.kind === 'status') {
    if (!(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)) {
      throw new RangeError(`A status fault needs a 4xx or 5xx status, got ${spec.status}`);
    }
    if (spec.retryAfterSeconds !== undefined && !(Number.isInteger(spec.retryAfterSeconds) && spec.retryAfterSeconds >= 0)) {
      throw new RangeError(`retryAfterSeconds must be a non-negative integer, got ${spec.retryAfterSeconds}`);
    }
  }
  if (spec.kind === 'delay' && !(Number.isFinite(spec.ms) && spec.ms >= 0)) {
    throw new RangeError(`A delay fault needs a finite ms >= 0, got ${spec.ms}`);
  }
}
