// The faults the fault and load suites arm in the simulator: a mix of every kind, each with a
// rate chosen so that about `share` of all requests get one of them.
import type { FaultSpec, OperationId } from '../simulator';
import type { ApiProfile } from '../src/shared/input';

/** Retryable faults only (the load suite: every run must complete), or every kind (the fault suite). */
export type FaultMixKind = 'retryable' | 'all';

/**
 * The FaultBook checks armed faults in order and gives a request the first whose rate draw hits,
 * so n faults at rate r fault 1 - (1 - r)^n of the requests: r is solved from that.
 */
export function ratePerFault(share: number, faults: number): number {
  if (!(share >= 0 && share < 1)) throw new RangeError(`share must be in [0, 1), got ${share}`);
  if (!(Number.isInteger(faults) && faults >= 1)) throw new RangeError(`faults must be a positive integer, got ${faults}`);
  return 1 - (1 - share) ** (1 / faults);
}

/** The operations a run calls, by profile (prisma: list the backups, read the database, restore it). */
export const RUN_OPERATIONS: Record<ApiProfile, readonly OperationId[]> = {
  seed: ['createDatabaseBackup', 'listDatabaseBackups', 'restoreDatabaseBackup'],
  prisma: ['getV1DatabasesByDatabaseIdBackups', 'getV1DatabasesByDatabaseId', 'postV1DatabasesByTargetDatabaseIdRestore'],
};

/** The restore request of each profile, whose faults the suites report apart. */
export const RESTORE_OPERATION: Record<ApiProfile, OperationId> = {
  seed: 'restoreDatabaseBackup',
  prisma: 'postV1DatabasesByTargetDatabaseIdRestore',
};

/**
 * 429 and 503 with Retry-After, 500, resets before and after the request is applied, a delay past the
 * client's request timeout; with `all`, also malformed JSON and a body that breaks the description.
 * Retry-After is 1 s so runs stay quick; the code path is the same as for a longer one.
 *
 * First each kind once on each operation (the earliest requests get them), so every kind is seen
 * on every operation however few requests a small run makes; then the whole mix at a rate.
 */
export function faultMix(kind: FaultMixKind, share: number, requestTimeoutMs: number, profile: ApiProfile): FaultSpec[] {
  const kinds = faultKinds(kind, requestTimeoutMs);
  const once = RUN_OPERATIONS[profile].flatMap((operation) => kinds.map((fault): FaultSpec => ({ ...fault, operation, times: 1 })));
  const rate = ratePerFault(share, kinds.length);
  return [...once, ...kinds.map((fault): FaultSpec => ({ ...fault, rate }))];
}

function faultKinds(kind: FaultMixKind, requestTimeoutMs: number): FaultSpec[] {
  const faults: FaultSpec[] = [
    { kind: 'status', status: 429, retryAfterSeconds: 1 },
    { kind: 'status', status: 500 },
    { kind: 'status', status: 503, retryAfterSeconds: 1 },
    { kind: 'reset-before' },
    { kind: 'reset-after' },
    // A timeout: the client gives up at requestTimeoutMs; the simulator still applies the request.
    { kind: 'delay', ms: requestTimeoutMs + 500 },
  ];
  if (kind === 'all') faults.push({ kind: 'malformed-json' }, { kind: 'invalid-body' });
  return faults;
}

/** Injected faults as the simulator recorded them: by kind, status faults by status (`HTTP 429`). */
export function faultsSeen(requests: readonly { fault?: string; status?: number }[]): Record<string, number> {
  const seen: Record<string, number> = {};
  for (const { fault, status } of requests) {
    if (!fault) continue;
    const label = fault === 'status' ? `HTTP ${status}` : fault;
    seen[label] = (seen[label] ?? 0) + 1;
  }
  return seen;
}
