// Exactly-once accounting from the simulator's records. Every run works on a database of its own,
// so the simulator's effects (backups created, restores applied) and requests (by path) belong to a
// run through the database id. Seed: the run creates its backup and restores it, and the
// Idempotency-Keys it sent are checked against its workflow id. Prisma: the run restores the backup
// the lane named (the newest completed of several), and no key is sent (Prisma's API takes none):
// after a request whose outcome is unknown the run reads the target back and sends again only once
// its hold window passed with no sign of the restore, which its result says (resentAfterHoldWindow).
// With real data, what the run's database held once the run ended is judged too. Negative controls
// (runs set up to duplicate their restore) are counted apart: each must show its duplicate.
import type { ApiProfile } from '../src/shared/input';
import { RESTORE_OPERATION } from './fault-mix';
import type { RunVerdict } from './outcome';
import { describeMismatch, type ContentCheck } from './trial-content';

export interface RunFacts {
  workflowId: string;
  databaseId: string;
  /** Default seed. */
  profile?: ApiProfile;
  /** Prisma: the backup the run must restore. */
  expectedBackupId?: string;
  outcome: RunVerdict;
  /** With real data: what the run's database held once the run ended (absent when not checked). */
  content?: ContentCheck;
  /** A negative control: set up to duplicate its restore (see summarizeControls), not counted with the others. */
  control?: true;
}

/** The parts of the simulator's records the accounting reads. */
export interface SimFacts {
  backupsCreated: readonly { id: string; databaseId: string }[];
  restoresApplied: readonly { databaseId: string; sourceDatabaseId: string; backupId: string; backupStatusAtRestore: string }[];
  requests: readonly {
    operation?: string;
    path: string;
    status?: number;
    fault?: string;
    headers: Record<string, string | string[] | undefined>;
  }[];
}

export interface RunTally {
  workflowId: string;
  databaseId: string;
  outcome: RunVerdict['kind'];
  backupsCreated: number;
  restoresApplied: number;
  /** Restores applied from a backup that was not completed, plus restores the simulator refused for that reason (seed 409, prisma 422). */
  restoresFromUnfinished: number;
  /** Restores applied from a backup other than the run's (seed: one it did not create; prisma: not the one the lane named). */
  wrongBackupRestores: number;
  /** Reported completed (restored) while no restore was applied. */
  completedWithoutRestore: boolean;
  /** Prisma: restore requests that reached the API after the first did (a later one can only be refused, or duplicate). */
  restoresSentAgain: number;
  /** Prisma: the run's result says it sent the restore again after its hold window passed with no sign of it. */
  resentAfterHoldWindow: boolean;
  /** With real data: whether the content was checked, and whether it was wrong. */
  contentChecked: boolean;
  contentWrong: boolean;
  /** What is wrong with this run's effects besides duplicates, one sentence each. */
  problems: string[];
}

// Prisma reads the database itself at /v1/databases/{id}, so the id may end the path.
const databaseOfPath = (path: string) => /^\/v1\/databases\/([^/]+)(?:\/|$)/.exec(path)?.[1];

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** Faults that turn a request away before the operation sees it; any other request reached the API. */
const TURNED_AWAY = new Set(['status', 'reset-before']);

export function tallyRun(run: RunFacts, sim: SimFacts): RunTally {
  const profile = run.profile ?? 'seed';
  const backups = sim.backupsCreated.filter((b) => b.databaseId === run.databaseId);
  const restores = sim.restoresApplied.filter((r) => r.databaseId === run.databaseId);
  // Database ids are letters, digits and _ (the workflow's input rule), so paths carry them as they are.
  const requests = sim.requests.filter((r) => databaseOfPath(r.path) === run.databaseId);
  const problems: string[] = [];
  const ours = (r: (typeof restores)[number]) =>
    r.sourceDatabaseId === run.databaseId &&
    (profile === 'prisma' ? r.backupId === run.expectedBackupId : backups.some((b) => b.id === r.backupId));
  const wrong = restores.filter((r) => !ours(r));
  for (const restore of wrong) {
    problems.push(
      profile === 'prisma'
        ? `restore applied from ${restore.backupId} of ${restore.sourceDatabaseId}, not from ${run.expectedBackupId}, the newest completed backup`
        : `restore applied from ${restore.backupId}, which this run did not create`,
    );
  }

  const restoreRequests = requests.filter((r) => r.operation === RESTORE_OPERATION[profile]);
  // Seed: 409 is its refusal of an unfinished backup; prisma says 422 (its 409 is a busy target).
  const refusedUnfinished = restoreRequests.filter((r) => r.status === (profile === 'prisma' ? 422 : 409)).length;
  const restoresFromUnfinished = restores.filter((r) => r.backupStatusAtRestore !== 'completed').length + refusedUnfinished;
  const restoresSentAgain =
    profile === 'prisma' ? Math.max(0, restoreRequests.filter((r) => !TURNED_AWAY.has(r.fault ?? '')).length - 1) : 0;

  if (profile === 'seed') problems.push(...keyProblems(run, requests));
  const completed = run.outcome.kind === 'completed';
  if (run.outcome.kind === 'completed') {
    const { result } = run.outcome;
    if (profile === 'seed' && (backups.length !== 1 || restores.length !== 1)) {
      problems.push(`completed with ${backups.length} backup(s) created and ${restores.length} restore(s) applied`);
    }
    if (profile === 'seed' && backups.length >= 1 && result.backupId !== backups[0].id)
      problems.push(`result names ${result.backupId}, the API created ${backups[0].id}`);
    if (profile === 'prisma') {
      if (restores.length !== 1) problems.push(`completed with ${restores.length} restore(s) applied`);
      if (result.backupId !== run.expectedBackupId)
        problems.push(`result names ${result.backupId}, the run had to restore ${run.expectedBackupId}`);
      if (result.targetDatabaseId !== run.databaseId) problems.push(`result names target ${result.targetDatabaseId}`);
      if (result.restoreStatus !== 'ready') problems.push(`completed with restore status ${result.restoreStatus}, not ready`);
    }
    if (restores.length >= 1 && restores[0].backupId !== result.backupId)
      problems.push(`restored ${restores[0].backupId}, result names ${result.backupId}`);
  }

  const contentWrong = run.content !== undefined && run.content.found !== run.content.expected;
  if (contentWrong) problems.push(describeMismatch(run.content!));

  return {
    workflowId: run.workflowId,
    databaseId: run.databaseId,
    outcome: run.outcome.kind,
    backupsCreated: backups.length,
    restoresApplied: restores.length,
    restoresFromUnfinished,
    wrongBackupRestores: wrong.length,
    completedWithoutRestore: completed && restores.length === 0,
    restoresSentAgain,
    resentAfterHoldWindow: run.outcome.kind === 'completed' && run.outcome.result.resentAfterHoldWindow === true,
    contentChecked: run.content !== undefined,
    contentWrong,
    problems,
  };
}

/** Seed: one key per step, and it must name this run's workflow (so a retry can only replay this run's answer). */
function keyProblems(run: RunFacts, requests: SimFacts['requests']): string[] {
  const problems: string[] = [];
  for (const operation of ['createDatabaseBackup', RESTORE_OPERATION.seed]) {
    const keys = new Set(requests.filter((r) => r.operation === operation).map((r) => header(r.headers['idempotency-key'])));
    if (keys.has(undefined)) problems.push(`a ${operation} request carried no Idempotency-Key`);
    const defined = [...keys].filter((k): k is string => k !== undefined);
    if (defined.length > 1) problems.push(`${defined.length} different Idempotency-Keys for ${operation}`);
    for (const key of defined) {
      if (!key.startsWith(`${encodeURIComponent(run.workflowId)}/`))
        problems.push(`${operation} Idempotency-Key ${key} does not name the run`);
    }
  }
  return problems;
}

/** Effects on databases no tracked run owns: each is a problem (something acted that should not have). */
export function strayEffects(runs: readonly RunFacts[], sim: SimFacts): string[] {
  const owned = new Set(runs.map((r) => r.databaseId));
  return [
    ...sim.backupsCreated
      .filter((b) => !owned.has(b.databaseId))
      .map((b) => `backup ${b.id} created on ${b.databaseId}, which no run owns`),
    ...sim.restoresApplied.filter((r) => !owned.has(r.databaseId)).map((r) => `restore applied on ${r.databaseId}, which no run owns`),
  ];
}

export interface RunFigures {
  runs: number;
  completed: number;
  failedTyped: number;
  /** Failure type → count. */
  failureTypes: Record<string, number>;
  failedUntyped: number;
  lost: number;
  duplicateBackups: number;
  duplicateRestores: number;
  restoresFromUnfinished: number;
  /** Runs whose effects are wrong in another way (see RunTally.problems), plus stray effects. */
  effectMismatches: number;
  /** Failed runs whose restore was applied anyway: the caller hears "failed" while the database is being restored. */
  failedButRestored: number;
  /** Restores applied from a backup other than the run's. */
  wrongBackupRestores: number;
  /** Runs reported completed (restored) with no restore applied. */
  completedWithoutRestore: number;
  /** Prisma: restore requests that reached the API after the run's first had (each refused or a duplicate). */
  restoresSentAgain: number;
  /** Prisma: runs that sent the restore again after their hold window passed with no sign of it. */
  resentAfterHoldWindow: number;
  /** With real data: runs whose database was read back once they ended. */
  contentChecked: number;
  /** With real data: runs whose database held other rows than it had to (another backup's, the changed ones...). */
  contentWrong: number;
}

export function summarizeRuns(runs: readonly RunFacts[], tallies: readonly RunTally[], stray: readonly string[] = []): RunFigures {
  const failureTypes: Record<string, number> = {};
  for (const run of runs) {
    if (run.outcome.kind === 'failed-typed') failureTypes[run.outcome.type] = (failureTypes[run.outcome.type] ?? 0) + 1;
  }
  const count = (kind: RunVerdict['kind']) => runs.filter((r) => r.outcome.kind === kind).length;
  const sum = (f: (t: RunTally) => number) => tallies.reduce((n, t) => n + f(t), 0);
  return {
    runs: runs.length,
    completed: count('completed'),
    failedTyped: count('failed-typed'),
    failureTypes,
    failedUntyped: count('failed-untyped'),
    lost: count('lost'),
    duplicateBackups: sum((t) => Math.max(0, t.backupsCreated - 1)),
    duplicateRestores: sum((t) => Math.max(0, t.restoresApplied - 1)),
    restoresFromUnfinished: sum((t) => t.restoresFromUnfinished),
    effectMismatches: tallies.filter((t) => t.problems.length > 0).length + stray.length,
    failedButRestored: tallies.filter((t) => t.outcome.startsWith('failed') && t.restoresApplied > 0).length,
    wrongBackupRestores: sum((t) => t.wrongBackupRestores),
    completedWithoutRestore: tallies.filter((t) => t.completedWithoutRestore).length,
    restoresSentAgain: sum((t) => t.restoresSentAgain),
    resentAfterHoldWindow: tallies.filter((t) => t.resentAfterHoldWindow).length,
    contentChecked: tallies.filter((t) => t.contentChecked).length,
    contentWrong: tallies.filter((t) => t.contentWrong).length,
  };
}

/** What the negative controls showed: each was set up to have its restore applied twice. */
export interface ControlFigures {
  runs: number;
  /** Controls whose database got two restores or more: the count sees a duplicate when there is one. */
  duplicatesSeen: number;
  /** Controls whose result says they sent the restore again after the hold window. */
  resentAfterHoldWindow: number;
}

export function summarizeControls(tallies: readonly RunTally[]): ControlFigures {
  return {
    runs: tallies.length,
    duplicatesSeen: tallies.filter((t) => t.restoresApplied >= 2).length,
    resentAfterHoldWindow: tallies.filter((t) => t.resentAfterHoldWindow).length,
  };
}
