// Exactly-once accounting from the seed simulator's records. Every run works on a database of its
// own, so the simulator's effects (backups created, restores applied) and requests (by path) belong
// to a run through the database id: a run creates one backup and restores it once, from that backup
// once completed, and every Idempotency-Key it sent names its workflow.
import type { Effects, RequestRecord, RestoreApplied } from '../simulator';
import type { Lane, RunVerdict, TrackedRun } from './lane';

/** The parts of the simulator's records the accounting reads. */
export interface SimFacts {
  backupsCreated: readonly Pick<Effects['backupsCreated'][number], 'id' | 'databaseId'>[];
  restoresApplied: readonly Pick<RestoreApplied, 'databaseId' | 'sourceDatabaseId' | 'backupId' | 'backupStatusAtRestore'>[];
  requests: readonly Pick<RequestRecord, 'operation' | 'path' | 'status' | 'headers'>[];
}

export interface RunFacts {
  workflowId: string;
  databaseId: string;
  outcome: RunVerdict;
}

export interface RunTally {
  workflowId: string;
  outcome: RunVerdict['kind'];
  backupsCreated: number;
  restoresApplied: number;
  /** Restores applied from a backup that was not completed, plus restores refused for that reason (409). */
  restoresFromUnfinished: number;
  /** Restores applied from a backup the run did not create. */
  wrongBackupRestores: number;
  /** Reported completed (restored) while no restore was applied. */
  completedWithoutRestore: boolean;
  /** What is wrong with this run's effects besides duplicates, one sentence each. */
  problems: string[];
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
  /** Failed runs whose restore was applied anyway. */
  failedButRestored: number;
  wrongBackupRestores: number;
  completedWithoutRestore: number;
}

export const laneFacts = (lane: Lane): RunFacts[] =>
  lane.runs.map((r: TrackedRun) => ({
    workflowId: r.workflowId,
    databaseId: r.databaseId,
    outcome: r.outcome ?? { kind: 'lost', description: 'not settled' },
  }));

export const simFacts = (lane: Lane): SimFacts => ({
  backupsCreated: lane.sim.effects.backupsCreated,
  restoresApplied: lane.sim.effects.restoresApplied,
  requests: lane.sim.requests,
});

const databaseOfPath = (path: string) => /^\/v1\/databases\/([^/]+)(?:\/|$)/.exec(path)?.[1];
const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);

export function tallyRun(run: RunFacts, sim: SimFacts): RunTally {
  const backups = sim.backupsCreated.filter((b) => b.databaseId === run.databaseId);
  const restores = sim.restoresApplied.filter((r) => r.databaseId === run.databaseId);
  // Database ids are letters, digits and _, so paths carry them as they are.
  const requests = sim.requests.filter((r) => databaseOfPath(r.path) === run.databaseId);
  const problems: string[] = [];
  const wrong = restores.filter((r) => r.sourceDatabaseId !== run.databaseId || !backups.some((b) => b.id === r.backupId));
  for (const restore of wrong) problems.push(`restore applied from ${restore.backupId}, which this run did not create`);
  const refusedUnfinished = requests.filter((r) => r.operation === 'restoreDatabaseBackup' && r.status === 409).length;
  const restoresFromUnfinished = restores.filter((r) => r.backupStatusAtRestore !== 'completed').length + refusedUnfinished;
  problems.push(...keyProblems(run, requests));

  if (run.outcome.kind === 'completed') {
    const { result } = run.outcome;
    if (backups.length !== 1 || restores.length !== 1)
      problems.push(`completed with ${backups.length} backup(s) created and ${restores.length} restore(s) applied`);
    if (backups.length >= 1 && result.backupId !== backups[0].id)
      problems.push(`result names ${result.backupId}, the API created ${backups[0].id}`);
    if (restores.length >= 1 && restores[0].backupId !== result.backupId)
      problems.push(`restored ${restores[0].backupId}, result names ${result.backupId}`);
    if (result.restoreStatus !== 'restoring') problems.push(`completed with restore status ${result.restoreStatus}`);
  }
  return {
    workflowId: run.workflowId,
    outcome: run.outcome.kind,
    backupsCreated: backups.length,
    restoresApplied: restores.length,
    restoresFromUnfinished,
    wrongBackupRestores: wrong.length,
    completedWithoutRestore: run.outcome.kind === 'completed' && restores.length === 0,
    problems,
  };
}

/** One key per step, and it must name this run's workflow (so a retry can only replay this run's answer). */
function keyProblems(run: RunFacts, requests: SimFacts['requests']): string[] {
  const problems: string[] = [];
  for (const operation of ['createDatabaseBackup', 'restoreDatabaseBackup']) {
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
  };
}
