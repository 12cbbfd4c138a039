// The seed's `backup-and-restore-database`: create a backup, poll on durable timers until *our*
// backup is completed, then restore from it. Deterministic: no I/O here, only activities and timers.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
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
import { formatDuration } from '../shared/durations';
import { ErrorType, NON_RETRYABLE_ERROR_TYPES } from '../shared/errors';
import type {
  BackupAndRestoreInput,
  BackupAndRestoreResult,
  Phase,
  PollPolicy,
  RestoreApproval,
  ResumeState,
  WorkflowStatus,
} from '../shared/workflow-types';
import { idempotencyKey } from './idempotency';
import { approveRestoreUpdate, statusQuery } from './messages';
import { pollDelayMs, resolvePollPolicy } from '../shared/poll-policy';
import { DEFAULT_APPROVAL_TIMEOUT_MS, inputProblems } from '../shared/validate-input';
import { webUi, type WebUi } from './web-ui';

const retry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
};

// Each request times out after 20 s, inside the 30 s start-to-close; activities heartbeat every 2 s
// during a call, so an attempt whose worker died is retried after 10 s rather than 30.
const attempt = { startToCloseTimeout: '30s', heartbeatTimeout: '10s', retry } as const;

// POSTs carry an Idempotency-Key, so retrying them for up to an hour is safe.
const { createBackup, restoreBackup } = proxyActivities<Activities>({ ...attempt, scheduleToCloseTimeout: '1h' });

// A poll that keeps failing is given up after a while; the next timer tries again.
const { getBackupStatus } = proxyActivities<Activities>({ ...attempt, scheduleToCloseTimeout: '10m' });

/** Polls in a row that may not find our backup in the list before we stop believing it exists. */
export const MAX_UNLISTED_POLLS = 10;

export async function backupAndRestoreDatabase(input: BackupAndRestoreInput): Promise<BackupAndRestoreResult> {
  const status: WorkflowStatus = {
    phase: 'starting',
    databaseId: input?.databaseId,
    pollsMade: input?.resume?.pollsMade ?? 0,
    continuedAsNew: input?.resume?.continuedAsNew ?? 0,
  };
  const ui = webUi();
  const run: Run = {
    input,
    status,
    ui,
    approved: false,
    setPhase(phase) {
      status.phase = phase;
      ui.phase(phase);
    },
  };
  setHandler(statusQuery, () => status);
  setHandler(
    approveRestoreUpdate,
    (approval) => {
      run.approved = true;
      return approval;
    },
    { validator: (approval) => assertApprovable(status, approval) },
  );
  try {
    return await backupAndRestore(run);
  } catch (err) {
    if (!(err instanceof ContinueAsNew)) run.setPhase(isCancellation(err) ? 'cancelled' : 'failed');
    throw err;
  }
}

/** What the steps of one execution share. */
interface Run {
  input: BackupAndRestoreInput;
  status: WorkflowStatus;
  ui: WebUi;
  approved: boolean;
  setPhase(phase: Phase): void;
}

const fail = (type: ErrorType, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

async function backupAndRestore(run: Run): Promise<BackupAndRestoreResult> {
  const { input, status } = run;
  const problems = inputProblems(input);
  if (problems.length > 0) fail(ErrorType.InvalidInput, problems.join(' '));
  const { databaseId } = input;
  const policy = resolvePollPolicy(input.poll);
  const { workflowId, firstExecutionRunId } = workflowInfo();

  const state: ResumeState =
    input.resume ?? (input.backupId ? await existingBackup(run, input.backupId, policy) : await newBackup(run, policy));
  Object.assign(status, { backupId: state.backupId, backupStatus: state.backupStatus, deadlineAt: state.deadlineAt });
  run.ui.backup(state.backupId);

  run.setPhase('waiting-for-backup');
  await waitForBackup(run, policy, state);
  const backupCompletedAt = Date.now();

  let restoreStatus: BackupAndRestoreResult['restoreStatus'] = 'skipped';
  let message = `Backup ${state.backupId} completed; restore was not requested.`;
  if (input.restore !== false) {
    if (input.approval) await awaitApproval(run, input.approval.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS);
    run.setPhase('restoring');
    // Once sent, a restore is not undone by cancelling the run: the run finishes it and says so.
    const restored = await CancellationScope.nonCancellable(() =>
      restoreBackup.executeWithOptions({ summary: `Restore ${databaseId} from backup ${state.backupId}` }, [
        { databaseId, backupId: state.backupId, idempotencyKey: idempotencyKey(workflowId, firstExecutionRunId, 'restore') },
      ]),
    );
    restoreStatus = restored.status;
    message = restored.message;
  }

  run.setPhase('completed');
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

function waitState(backupId: string, backupStatus: ResumeState['backupStatus'], policy: PollPolicy): ResumeState {
  const startedAt = Date.now();
  return {
    backupId,
    backupStatus,
    pollsMade: 0,
    unlistedPolls: 0,
    startedAt,
    deadlineAt: startedAt + policy.deadlineMs,
    continuedAsNew: 0,
  };
}

async function newBackup({ input, setPhase }: Run, policy: PollPolicy): Promise<ResumeState> {
  const { databaseId } = input;
  const { workflowId, firstExecutionRunId } = workflowInfo();
  setPhase('creating-backup');
  const created = await createBackup.executeWithOptions({ summary: `Create a backup of ${databaseId}` }, [
    { databaseId, label: input.backupLabel, idempotencyKey: idempotencyKey(workflowId, firstExecutionRunId, 'createBackup') },
  ]);
  log.info('Backup created', { databaseId, backupId: created.backupId, status: created.status });
  return waitState(created.backupId, created.status, policy);
}

/** Restoring from a backup the run did not create: it must exist now; an unfinished one is waited for. */
async function existingBackup({ input }: Run, backupId: string, policy: PollPolicy): Promise<ResumeState> {
  const { databaseId } = input;
  const found = await getBackupStatus.executeWithOptions({ summary: `Find backup ${backupId} of ${databaseId}` }, [
    { databaseId, backupId },
  ]);
  if (!found.found) {
    return fail(
      ErrorType.BackupNotFound,
      `Backup ${backupId} is not in the backup list of database ${databaseId}; nothing was restored. Check the backup id (\`list\` shows the runs that created backups).`,
    );
  }
  return waitState(backupId, found.status, policy);
}

/** Refuses an approval the run cannot use, so the caller learns why instead of being silently ignored. */
function assertApprovable(status: WorkflowStatus, approval: RestoreApproval): void {
  if (status.phase !== 'awaiting-approval') {
    throw new Error(`This run is not waiting for approval (it is ${status.phase}); nothing was approved.`);
  }
  if (approval?.backupId !== status.backupId) {
    throw new Error(`This run would restore backup ${status.backupId}, not ${String(approval?.backupId)}; nothing was approved.`);
  }
}

async function awaitApproval(run: Run, timeoutMs: number): Promise<void> {
  const { status } = run;
  status.approvalDeadlineAt = Date.now() + timeoutMs;
  run.setPhase('awaiting-approval');
  run.ui.details(status);
  const approved = await condition(() => run.approved, timeoutMs, { summary: `Wait for approval to restore backup ${status.backupId}` });
  run.ui.details(undefined);
  status.approvalDeadlineAt = undefined;
  if (!approved) {
    fail(
      ErrorType.ApprovalTimedOut,
      `Nobody approved restoring backup ${status.backupId} into ${status.databaseId} within ${formatDuration(timeoutMs)}; nothing was restored. ` +
        'The backup itself is kept: restore from it with `restore --backup-id`.',
    );
  }
}

/** Returns once our backup is completed; fails (never restoring) when it failed, vanished or ran out of time. */
async function waitForBackup(run: Run, policy: PollPolicy, state: ResumeState) {
  const { input, status, ui } = run;
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
        `${ours} was still ${state.backupStatus} at the deadline (${formatDuration(policy.deadlineMs)} after the run began waiting); ` +
          'nothing was restored. Raise the deadline or start a new run later.',
      );
    }
    if (workflowInfo().continueAsNewSuggested) {
      // History is getting long: carry the state into a fresh run with the same workflow id.
      await continueAsNew<typeof backupAndRestoreDatabase>({ ...input, resume: { ...state, continuedAsNew: state.continuedAsNew + 1 } });
    }

    const poll = state.pollsMade + 1;
    const delay = Math.min(pollDelayMs(policy, state.pollsMade, Math.random()), state.deadlineAt - Date.now());
    status.nextPollAt = Date.now() + delay;
    ui.details(status);
    await sleep(delay, { summary: `Wait ${Math.round(delay / 1000)} s before poll ${poll}` });
    status.nextPollAt = undefined;

    const polled = await pollOnce(databaseId, state.backupId, poll);
    state.pollsMade = poll;
    status.pollsMade = poll;
    if (polled?.found) {
      state.backupStatus = polled.status;
      status.backupStatus = polled.status;
      state.unlistedPolls = 0;
    } else if (polled) {
      state.unlistedPolls += 1;
    }
  }
  ui.details(undefined);
}

/**
 * One look at our backup; undefined when the poll's retries ran out on a transient error ("no
 * news": the next timer looks again, and the deadline still bounds the wait). Typed errors and
 * cancellation end the run.
 */
async function pollOnce(databaseId: string, backupId: string, poll: number): Promise<BackupStatusResult | undefined> {
  try {
    return await getBackupStatus.executeWithOptions({ summary: `Poll ${poll}: status of backup ${backupId}` }, [{ databaseId, backupId }]);
  } catch (err) {
    const typed = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable;
    if (err instanceof ActivityFailure && !typed && !isCancellation(err)) {
      log.warn('Backup status poll failed; will poll again', { backupId, error: err.cause?.message });
      return undefined;
    }
    throw err;
  }
}
