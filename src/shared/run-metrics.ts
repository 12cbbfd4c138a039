// What the workflow tells the worker's metrics about a run (through a sink, so replays do not
// count twice), and the pure rules that name it. The worker counts it (src/temporal/metrics.ts).
import type { ApiProfile } from './api-types';
import { ErrorType } from './errors';
import type { BackupAndRestoreInput } from './workflow-types';
import { profileOf } from './validate-input';

/** A run by the CLI command that starts it: `run` (seed: back up, then restore), `backup`, `restore`, `drill`. */
export type RunKind = 'run' | 'backup' | 'restore' | 'drill';

export function runKind(input: Partial<BackupAndRestoreInput> | undefined): RunKind {
  if (input?.drill) return 'drill';
  if (profileOf(input) === 'prisma' || input?.backupId !== undefined) return 'restore';
  return input?.restore === false ? 'backup' : 'run';
}

export interface RunLabels {
  profile: ApiProfile;
  kind: RunKind;
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

export function runEnd(
  labels: RunLabels,
  outcome: RunOutcome,
  reason: string,
  seen: { restoreRequestedAt?: number; databaseReadyAt?: number },
): RunEnd {
  const end: RunEnd = { ...labels, outcome, reason: outcome === 'failed' ? reason : '' };
  if (seen.restoreRequestedAt !== undefined && outcome !== 'cancelled') {
    end.restore = outcome === 'completed' || AFTER_RESTORE.includes(reason) ? 'applied' : 'failed';
  }
  if (labels.kind === 'drill' && outcome !== 'cancelled') end.drill = outcome === 'completed' ? 'passed' : 'failed';
  if (outcome === 'completed' && seen.restoreRequestedAt !== undefined && seen.databaseReadyAt !== undefined) {
    end.readyWaitMs = Math.max(0, seen.databaseReadyAt - seen.restoreRequestedAt);
  }
  return end;
}
