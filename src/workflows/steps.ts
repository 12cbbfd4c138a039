// What the steps of a run share: its state, waits, predictions, approval and names.
import type { ActivityOptions } from '@temporalio/workflow';
import { condition, isCancellation, log, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities, WaitSpec } from '../activities';
import { BACKUP_ID_KEY, DATABASE_ID_KEY } from '../shared/constants';
import { formatDuration } from '../shared/durations';
import { ErrorType } from '../shared/errors';
import { DEFAULT_APPROVAL_TIMEOUT_MS, type RunInput } from '../shared/input';
import { predictCompletion, type CompletionPrediction, type PollPolicy } from '../shared/policy';
import type { Phase, RunResult, RunStatus } from '../shared/types';
import { fail, LOOKUP, pastDeadline, WAIT } from './options';

const { pastDurations } = proxyActivities<Activities>(LOOKUP);

/** A run in progress: its input, and the status its query, the Web UI and the result derive from. */
export interface Run {
  input: RunInput;
  policy: PollPolicy;
  status: RunStatus;
  /** The approval of its restore, once given. */
  approval?: { backupId: string };
  /** Databases made only to be deleted (a drill's, a reference), by id, with what they are. */
  scratch: Map<string, string>;
  /** Looks at the backup list, once the wait for the backup ended. */
  looks: number;
  backupTookMs?: number;
  setPhase(phase: Phase): void;
  /** Publishes the current details after a change. */
  show(): void;
}

/** Names of what a run makes, stable across retries, new for a later run reusing the workflow id. */
export function madeName(suffix?: string): string {
  const { workflowId, firstExecutionRunId } = workflowInfo();
  return [workflowId.slice(0, 100), firstExecutionRunId.slice(0, 8), suffix].filter(Boolean).join('-');
}

export const idempotencyKey = (step: 'create-backup' | 'restore') =>
  `${encodeURIComponent(workflowInfo().workflowId)}/${workflowInfo().firstExecutionRunId}/${step}`;

/** Records the backup the run restores, for the status and the search attribute. */
export function chose(run: Run, backupId: string, createdAt?: string): void {
  Object.assign(run.status, { backupId, ...(createdAt ? { backupCreatedAt: createdAt } : {}) });
  if (workflowInfo().typedSearchAttributes.get(DATABASE_ID_KEY) !== undefined)
    upsertSearchAttributes([{ key: BACKUP_ID_KEY, value: backupId }]);
}

/** A wait: one activity until done, its schedule-to-close the deadline; past it, the run fails as `atDeadline` says. */
export async function waitFor<T>(
  run: Run,
  what: string,
  deadlineMs: number,
  look: (spec: WaitSpec, options: ActivityOptions) => Promise<T>,
  atDeadline: (lastLook: string) => [ErrorType, string],
  prediction?: CompletionPrediction,
): Promise<T> {
  const startedAt = Date.now();
  const deadlineAt = startedAt + deadlineMs;
  run.status.wait = { what, startedAt, deadlineAt, ...(prediction ? { expected: prediction } : {}) };
  run.show();
  try {
    return await look(
      { policy: run.policy, startedAt, deadlineAt, ...(prediction ? { prediction } : {}) },
      { ...WAIT, scheduleToCloseTimeout: deadlineMs, summary: what },
    );
  } catch (err) {
    const deadline = pastDeadline(err);
    if (deadline) fail(...atDeadline(deadline.lastLook));
    throw err;
  } finally {
    run.status.wait = undefined;
  }
}

/** From earlier runs' durations, when the poll mode predicts; a lookup that fails is no history, never a failed run. */
export async function pastPrediction(run: Run, kind: 'backup' | 'ready', targetDatabaseId?: string) {
  if (run.policy.mode !== 'predictive') return undefined;
  try {
    const past = await pastDurations.executeWithOptions({ ...LOOKUP, summary: `How long earlier runs of ${run.input.databaseId} took` }, [
      { databaseId: run.input.databaseId, kind, ...(targetDatabaseId ? { targetDatabaseId } : {}) },
    ]);
    return predictCompletion(past);
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('No history to predict from; looking with the backoff', { kind });
    return undefined;
  }
}

export async function awaitApproval(run: Run): Promise<void> {
  const { status, input } = run;
  const timeoutMs = input.approval?.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
  status.approvalDeadlineAt = Date.now() + timeoutMs;
  run.setPhase('awaiting-approval');
  const summary = `Wait for approval to restore backup ${status.backupId}`;
  const approved = await condition(() => run.approval !== undefined, timeoutMs, { summary });
  status.approvalDeadlineAt = undefined;
  if (!approved)
    fail(
      ErrorType.ApprovalTimedOut,
      `Nobody approved restoring backup ${status.backupId} within ${formatDuration(timeoutMs)}; nothing was restored. The backup is kept: \`restore --backup-id ${status.backupId}\` restores it.`,
    );
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The result's timings. */
export function timings(run: Run, startedAt: number, backupCompletedAt: number, extra: Partial<RunResult['timings']> = {}) {
  const finishedAt = run.status.endedAt ?? Date.now();
  return {
    startedAt: iso(startedAt),
    backupCompletedAt: iso(backupCompletedAt),
    ...extra,
    finishedAt: iso(finishedAt),
    waitedForBackupMs: backupCompletedAt - startedAt,
    totalMs: finishedAt - startedAt,
  };
}

/** Texts as sentences, each ending in a full stop, joined by a space. */
export const sentences = (...texts: (string | undefined)[]) =>
  texts.flatMap((t) => (t ? [/[.!?]$/.test(t.trim()) ? t.trim() : `${t.trim()}.`] : [])).join(' ');
