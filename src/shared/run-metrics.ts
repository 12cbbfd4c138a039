// What the workflow tells the worker's metrics about a run, through a sink (replays do not count twice), and the pure rules naming it.
import { ErrorType } from './errors';
import type { ApiProfile, RunInput } from './input';

/** A run by the CLI command that starts it: `run` (seed: back up, then restore), `backup`, `restore`, `drill`. */
export type RunKind = 'run' | 'backup' | 'restore' | 'drill';

export function runKind(input: Partial<RunInput> | undefined): RunKind {
  if (input?.drill) return 'drill';
  if (input?.profile === 'prisma' || input?.backupId !== undefined) return 'restore';
  return input?.restore === false ? 'backup' : 'run';
}

export interface RunLabels {
  profile: ApiProfile;
  kind: RunKind;
  /** Not a metric label: the per-database gauges' key. */
  databaseId?: string;
}

export type RunOutcome = 'completed' | 'failed' | 'cancelled';

export interface RunEnd extends RunLabels {
  outcome: RunOutcome;
  /** The failure's type (ErrorType, or Cancelled / Terminated / TimedOut / Unknown); '' unless failed. */
  reason: string;
  /** Set when the run requested a restore (or a database from its backup). */
  restore?: 'applied' | 'failed';
  /** Set for a drill that completed or failed. */
  drill?: 'passed' | 'failed';
  /** From the restore request until the database was ready; prisma runs that completed. */
  readyWaitMs?: number;
}

/** Failures that come after the restore itself is done: the database was restored, the check around it failed. */
const AFTER_RESTORE: readonly string[] = [ErrorType.VerificationFailed, ErrorType.VerificationInconclusive, ErrorType.ScratchNotDeleted];

export function runEnd(labels: RunLabels, outcome: RunOutcome, reason: string, restoreRequested: boolean, readyWaitMs?: number): RunEnd {
  const end: RunEnd = { ...labels, outcome, reason: outcome === 'failed' ? reason : '' };
  if (restoreRequested && outcome !== 'cancelled')
    end.restore = outcome === 'completed' || AFTER_RESTORE.includes(reason) ? 'applied' : 'failed';
  if (labels.kind === 'drill' && outcome !== 'cancelled') end.drill = outcome === 'completed' ? 'passed' : 'failed';
  if (outcome === 'completed' && readyWaitMs !== undefined) end.readyWaitMs = readyWaitMs;
  return end;
}
