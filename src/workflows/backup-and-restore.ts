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
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { formatDuration } from '../shared/durations';
import { ErrorType, NON_RETRYABLE_ERROR_TYPES } from '../shared/errors';
import type {
  BackupAndRestoreInput,
  BackupAndRestoreResult,
  CarriedState,
  Phase,
  PollPolicy,
  RestoreApproval,
} from '../shared/workflow-types';
import { DEFAULT_POLL_POLICY, pollDelayMs, resolvePollPolicy } from '../shared/poll-policy';
import { DEFAULT_APPROVAL_TIMEOUT_MS, readRunArguments } from '../shared/validate-input';
import { currentDetails, type StartText } from './current-details';
import { idempotencyKey } from './idempotency';
import { approveRestoreUpdate, statusQuery } from './messages';
import { pollErrorText } from './poll-error';
import { beginWait, carriedState, initialState, recordPoll, runStatus, waitEnding, type PollOutcome, type RunState } from './run-state';
import { runDetails, runSummary } from './run-summary';
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

// Finding an existing backup before the wait retries as long as a POST: nothing else can go on.
const { getBackupStatus: findBackup } = proxyActivities<Activities>({ ...attempt, scheduleToCloseTimeout: '10m' });

// A poll is a read: after a few attempts (about 3 s on a quick error) it counts as failed, which the
// status shows, and the next timer looks again; polls failing for poll.failingLimitMs end the run.
const POLL_ATTEMPTS = 3;
const { getBackupStatus } = proxyActivities<Activities>({
  ...attempt,
  retry: { ...retry, maximumAttempts: POLL_ATTEMPTS },
  scheduleToCloseTimeout: '10m',
});

/** Runs recorded before PollFailing existed replay as they ran: failing polls never ended them. */
export const POLL_FAILING_PATCH = 'poll-failing';

export async function backupAndRestoreDatabase(input: BackupAndRestoreInput, carried?: CarriedState): Promise<BackupAndRestoreResult> {
  const info = workflowInfo();
  const args = readRunArguments(input, carried, info.continuedFromExecutionRunId !== undefined);
  const policy = args.problems.length === 0 ? resolvePollPolicy(args.input.poll) : DEFAULT_POLL_POLICY;
  const state = initialState(args.input?.databaseId, info.startTime.getTime(), args.carried);
  const ui = webUi();
  // A continuation has no Web UI summary or details of its own: its current details repeat them.
  const atStart: StartText | undefined =
    args.carried && args.problems.length === 0 ? { summary: runSummary(args.input), details: runDetails(args.input) } : undefined;
  const run: Run = {
    input: args.input,
    policy,
    state,
    ui,
    approved: false,
    setPhase(phase) {
      state.phase = phase;
      if (phase === 'completed' || phase === 'failed' || phase === 'cancelled') state.endedAt = Date.now();
      ui.phase(phase);
      run.show();
    },
    show() {
      ui.details(currentDetails(runStatus(state, policy), atStart));
    },
  };
  setHandler(statusQuery, () => runStatus(state, policy));
  setHandler(
    approveRestoreUpdate,
    (approval) => {
      run.approved = true;
      return approval;
    },
    { validator: (approval) => assertApprovable(state, approval) },
  );
  try {
    if (args.problems.length > 0) fail(ErrorType.InvalidInput, args.problems.join(' '));
    return await backupAndRestore(run);
  } catch (err) {
    if (!(err instanceof ContinueAsNew)) run.setPhase(isCancellation(err) ? 'cancelled' : 'failed');
    throw err;
  }
}

/** What the steps of one execution share. */
interface Run {
  input: BackupAndRestoreInput;
  policy: PollPolicy;
  /** The one record of where the run is; the status query and the Web UI derive from it. */
  state: RunState;
  ui: WebUi;
  approved: boolean;
  setPhase(phase: Phase): void;
  /** Publishes the current details after a change. */
  show(): void;
}

const fail = (type: ErrorType, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

async function backupAndRestore(run: Run): Promise<BackupAndRestoreResult> {
  const { input, state } = run;
  const { databaseId } = input;
  const { workflowId, firstExecutionRunId } = workflowInfo();

  state.wait ??= input.backupId ? await existingBackup(run, input.backupId) : await newBackup(run);
  const { backupId } = state.wait;
  run.ui.backup(backupId);

  run.setPhase('waiting-for-backup');
  await waitForBackup(run);
  const backupCompletedAt = Date.now();

  let restoreStatus: BackupAndRestoreResult['restoreStatus'] = 'skipped';
  let message = `Backup ${backupId} completed; restore was not requested.`;
  if (input.restore !== false) {
    if (input.approval) await awaitApproval(run, input.approval.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS);
    run.setPhase('restoring');
    // Once sent, a restore is not undone by cancelling the run: the run finishes it and says so.
    const restored = await CancellationScope.nonCancellable(() =>
      restoreBackup.executeWithOptions({ summary: `Restore ${databaseId} from backup ${backupId}` }, [
        { databaseId, backupId, idempotencyKey: idempotencyKey(workflowId, firstExecutionRunId, 'restore') },
      ]),
    );
    restoreStatus = restored.status;
    message = restored.message;
  }

  run.setPhase('completed');
  const { startedAt, pollsMade } = state.wait;
  const finishedAt = state.endedAt!;
  return {
    backupId,
    restoreStatus,
    message,
    pollsMade,
    continuedAsNew: state.continuedAsNew,
    timings: {
      startedAt: new Date(startedAt).toISOString(),
      backupCompletedAt: new Date(backupCompletedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      waitedForBackupMs: backupCompletedAt - startedAt,
      totalMs: finishedAt - startedAt,
    },
  };
}

async function newBackup(run: Run) {
  const { databaseId } = run.input;
  const { workflowId, firstExecutionRunId } = workflowInfo();
  run.setPhase('creating-backup');
  const created = await createBackup.executeWithOptions({ summary: `Create a backup of ${databaseId}` }, [
    { databaseId, label: run.input.backupLabel, idempotencyKey: idempotencyKey(workflowId, firstExecutionRunId, 'createBackup') },
  ]);
  log.info('Backup created', { databaseId, backupId: created.backupId, status: created.status });
  return beginWait(created.backupId, created.status, Date.now(), run.policy);
}

/** Restoring from a backup the run did not create: it must exist now; an unfinished one is waited for. */
async function existingBackup(run: Run, backupId: string) {
  const { databaseId } = run.input;
  const found = await findBackup.executeWithOptions({ summary: `Find backup ${backupId} of ${databaseId}` }, [{ databaseId, backupId }]);
  if (!found.found) {
    return fail(
      ErrorType.BackupNotFound,
      `Backup ${backupId} is not in the backup list of database ${databaseId}; nothing was restored. Check the backup id (\`list\` shows the runs that created backups).`,
    );
  }
  return beginWait(backupId, found.status, Date.now(), run.policy);
}

/** Refuses an approval the run cannot use, so the caller learns why instead of being silently ignored. */
function assertApprovable(state: RunState, approval: RestoreApproval): void {
  if (state.phase !== 'awaiting-approval') {
    throw new Error(`This run is not waiting for approval (it is ${state.phase}); nothing was approved.`);
  }
  if (approval?.backupId !== state.wait?.backupId) {
    throw new Error(`This run would restore backup ${state.wait?.backupId}, not ${String(approval?.backupId)}; nothing was approved.`);
  }
}

async function awaitApproval(run: Run, timeoutMs: number): Promise<void> {
  const { state } = run;
  const { backupId } = state.wait!;
  state.approvalDeadlineAt = Date.now() + timeoutMs;
  run.setPhase('awaiting-approval');
  const approved = await condition(() => run.approved, timeoutMs, { summary: `Wait for approval to restore backup ${backupId}` });
  state.approvalDeadlineAt = undefined;
  if (!approved) {
    fail(
      ErrorType.ApprovalTimedOut,
      `Nobody approved restoring backup ${backupId} into ${state.databaseId} within ${formatDuration(timeoutMs)}; nothing was restored. ` +
        'The backup itself is kept: restore from it with `restore --backup-id`.',
    );
  }
}

/** Returns once our backup is completed; fails (never restoring) when it failed, vanished, ran out of time or could not be polled. */
async function waitForBackup(run: Run) {
  const { input, policy, state } = run;
  const { databaseId } = input;
  for (let wait = state.wait!; wait.backupStatus !== 'completed'; wait = state.wait!) {
    const ending = waitEnding(databaseId, wait, policy, Date.now());
    if (ending && (ending.type !== ErrorType.PollFailing || patched(POLL_FAILING_PATCH))) fail(ending.type, ending.message);
    if (workflowInfo().continueAsNewSuggested) {
      // History is getting long: carry the state into a fresh run with the same workflow id.
      await continueAsNew<typeof backupAndRestoreDatabase>(input, carriedState({ ...state, wait }));
    }

    const poll = wait.pollsMade + 1;
    const delay = Math.min(pollDelayMs(policy, wait.pollsMade, Math.random()), wait.deadlineAt - Date.now());
    state.nextPollAt = Date.now() + delay;
    run.show();
    await sleep(delay, { summary: `Wait ${Math.round(delay / 1000)} s before poll ${poll}` });
    state.nextPollAt = undefined;

    const polledAt = Date.now();
    state.wait = recordPoll(wait, await pollOnce(databaseId, wait.backupId, poll), polledAt);
    run.show();
  }
}

/**
 * One look at our backup. A poll whose retries ran out on a transient error is a failed poll,
 * recorded and shown; the next timer looks again. Typed errors and cancellation end the run.
 */
async function pollOnce(databaseId: string, backupId: string, poll: number): Promise<PollOutcome> {
  try {
    return await getBackupStatus.executeWithOptions({ summary: `Poll ${poll}: status of backup ${backupId}` }, [{ databaseId, backupId }]);
  } catch (err) {
    const typed = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable;
    if (err instanceof ActivityFailure && !typed && !isCancellation(err)) {
      const error = pollErrorText(err);
      log.warn('Backup status poll failed; will poll again', { backupId, error });
      return { error };
    }
    throw err;
  }
}
