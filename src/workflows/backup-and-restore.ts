// The seed's `backup-and-restore-database`: create a backup, poll on durable timers until *our*
// backup is completed, then restore from it. Deterministic: no I/O here, only activities and timers.
import {
  ActivityFailure,
  ApplicationFailure,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities, BackupStatusResult } from '../activities';
import { ErrorType, NON_RETRYABLE_ERROR_TYPES } from '../shared/errors';
import type { BackupAndRestoreInput, BackupAndRestoreResult, PollPolicy, ResumeState, WorkflowStatus } from '../shared/workflow-types';
import { idempotencyKey } from './idempotency';
import { pollDelayMs, resolvePollPolicy } from './poll-policy';
import { statusQuery } from './queries';
import { inputProblems } from './validate-input';

const retry: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES };

// POSTs carry an Idempotency-Key, so retrying them for up to an hour is safe.
const { createBackup, restoreBackup } = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  scheduleToCloseTimeout: '1h',
  retry,
});

// A poll that keeps failing is given up after a while; the next timer tries again.
const { getBackupStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  scheduleToCloseTimeout: '10m',
  retry,
});

/** Polls in a row that may not find our backup in the list before we stop believing it exists. */
export const MAX_UNLISTED_POLLS = 10;

export async function backupAndRestoreDatabase(input: BackupAndRestoreInput): Promise<BackupAndRestoreResult> {
  const status: WorkflowStatus = {
    phase: 'starting',
    databaseId: input?.databaseId,
    pollsMade: input?.resume?.pollsMade ?? 0,
    continuedAsNew: input?.resume?.continuedAsNew ?? 0,
  };
  setHandler(statusQuery, () => status);
  try {
    return await run(input, status);
  } catch (err) {
    if (!(err instanceof ContinueAsNew)) status.phase = isCancellation(err) ? 'cancelled' : 'failed';
    throw err;
  }
}

const fail = (type: ErrorType, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

async function run(input: BackupAndRestoreInput, status: WorkflowStatus): Promise<BackupAndRestoreResult> {
  const problems = inputProblems(input);
  if (problems.length > 0) fail(ErrorType.InvalidInput, problems.join(' '));
  const { databaseId } = input;
  const policy = resolvePollPolicy(input.poll);
  const { workflowId, firstExecutionRunId } = workflowInfo();

  let state: ResumeState | undefined = input.resume;
  if (!state) {
    status.phase = 'creating-backup';
    const created = await createBackup({
      databaseId,
      label: input.backupLabel,
      idempotencyKey: idempotencyKey(workflowId, firstExecutionRunId, 'createBackup'),
    });
    const startedAt = Date.now();
    state = {
      backupId: created.backupId,
      backupStatus: created.status,
      pollsMade: 0,
      unlistedPolls: 0,
      startedAt,
      deadlineAt: startedAt + policy.deadlineMs,
      continuedAsNew: 0,
    };
    log.info('Backup created', { databaseId, backupId: created.backupId, status: created.status });
  }
  Object.assign(status, { backupId: state.backupId, backupStatus: state.backupStatus, deadlineAt: state.deadlineAt });

  status.phase = 'waiting-for-backup';
  await waitForBackup(input, policy, state, status);
  const backupCompletedAt = Date.now();

  let restoreStatus: BackupAndRestoreResult['restoreStatus'] = 'skipped';
  let message = `Backup ${state.backupId} completed; restore was not requested.`;
  if (input.restore !== false) {
    status.phase = 'restoring';
    const restored = await restoreBackup({
      databaseId,
      backupId: state.backupId,
      idempotencyKey: idempotencyKey(workflowId, firstExecutionRunId, 'restore'),
    });
    restoreStatus = restored.status;
    message = restored.message;
  }

  status.phase = 'completed';
  const finishedAt = Date.now();
  return {
    backupId: state.backupId,
    restoreStatus,
    message,
    pollsMade: state.pollsMade,
    continuedAsNew: state.continuedAsNew,
    timings: {
      startedAt: new Date(state.startedAt).toISOString(),
      backupCompletedAt: new Date(backupCompletedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      waitedForBackupMs: backupCompletedAt - state.startedAt,
      totalMs: finishedAt - state.startedAt,
    },
  };
}

/** Returns once our backup is completed; fails (never restoring) when it failed, vanished or ran out of time. */
async function waitForBackup(input: BackupAndRestoreInput, policy: PollPolicy, state: ResumeState, status: WorkflowStatus) {
  const { databaseId } = input;
  const ours = `Backup ${state.backupId} of database ${databaseId}`;
  while (state.backupStatus !== 'completed') {
    if (state.backupStatus === 'failed') {
      fail(ErrorType.BackupFailed, `${ours} failed; nothing was restored. Start a new run to try again.`);
    }
    if (state.unlistedPolls >= MAX_UNLISTED_POLLS) {
      fail(
        ErrorType.BackupNotFound,
        `${ours} was missing from the backup list ${state.unlistedPolls} polls in a row; nothing was restored. ` +
          'Check the database in the Prisma Console and start a new run.',
      );
    }
    if (Date.now() >= state.deadlineAt) {
      fail(
        ErrorType.BackupTimedOut,
        `${ours} was still ${state.backupStatus} at the deadline (${policy.deadlineMs} ms after it was created); ` +
          'nothing was restored. Raise poll.deadlineMs or start a new run later.',
      );
    }
    if (workflowInfo().continueAsNewSuggested) {
      // History is getting long: carry the state into a fresh run with the same workflow id.
      await continueAsNew<typeof backupAndRestoreDatabase>({ ...input, resume: { ...state, continuedAsNew: state.continuedAsNew + 1 } });
    }

    const delay = Math.min(pollDelayMs(policy, state.pollsMade, Math.random()), state.deadlineAt - Date.now());
    status.nextPollAt = Date.now() + delay;
    await sleep(delay);
    status.nextPollAt = undefined;

    const polled = await pollOnce(databaseId, state.backupId);
    state.pollsMade += 1;
    status.pollsMade = state.pollsMade;
    if (polled?.found) {
      state.backupStatus = polled.status;
      status.backupStatus = polled.status;
      state.unlistedPolls = 0;
    } else if (polled) {
      state.unlistedPolls += 1;
    }
  }
}

/**
 * One look at our backup; undefined when the poll's retries ran out on a transient error ("no
 * news": the next timer looks again, and the deadline still bounds the wait). Typed errors and
 * cancellation end the run.
 */
async function pollOnce(databaseId: string, backupId: string): Promise<BackupStatusResult | undefined> {
  try {
    return await getBackupStatus({ databaseId, backupId });
  } catch (err) {
    const typed = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable;
    if (err instanceof ActivityFailure && !typed && !isCancellation(err)) {
      log.warn('Backup status poll failed; will poll again', { backupId, error: err.cause?.message });
      return undefined;
    }
    throw err;
  }
}
