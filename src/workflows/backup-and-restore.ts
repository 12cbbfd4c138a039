// The run. `seed`: the seed's `backup-and-restore-database`: create a backup, poll on durable timers
// until *our* backup is completed, then restore from it. `prisma`: restore from one of Prisma's
// automatic backups (prisma-flow.ts). Deterministic: no I/O here, only activities and timers.
import {
  CancellationScope,
  condition,
  ContinueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, RestoreResult } from '../activities';
import { formatDuration, roughDuration } from '../shared/durations';
import { ErrorType } from '../shared/errors';
import type { BackupAndRestoreInput, BackupAndRestoreResult, BackupWait, CarriedState, RestoreApproval } from '../shared/workflow-types';
import { DEFAULT_POLL_POLICY, RESEND, resendDelayMs, resolvePollPolicy } from '../shared/poll-policy';
import { predictCompletion } from '../shared/predict-completion';
import { DEFAULT_APPROVAL_TIMEOUT_MS, readRunArguments } from '../shared/validate-input';
import { currentDetails, type StartText } from './current-details';
import { idempotencyKey } from './idempotency';
import { approveRestoreUpdate, statusQuery } from './messages';
import { lookOnce, PREDICTIVE_POLLING_PATCH, waitUntilDone, type Wait } from './polling';
import { beginRestore, carryOutRestore, createFromBackup, findPrismaBackup, prismaBackupWait } from './prisma-flow';
import { restoreFailureAction } from './restore-state';
import { attempt, fail, once, poll, read, type Run } from './run';
import { beginWait, initialState, recordPoll, runStatus, waitEnding, type RunState } from './run-state';
import { runDetails, runSummary } from './run-summary';
import { cleanUpScratch, deleteDrillDatabase } from './scratch';
import { inventoryBeforeBackup, sourceAfterBackup, verifyRestore } from './verify';

import { webUi } from './web-ui';

// POSTs carry an Idempotency-Key, so retrying them for up to an hour is safe. (The restore is retried
// this way only by runs that sent it before RESTORE_AT_MOST_ONCE_PATCH.)
const { createBackup, restoreBackup } = proxyActivities<Activities>({ ...attempt, scheduleToCloseTimeout: '1h' });
// Finding an existing backup before the wait retries as long as a POST: nothing else can go on.
const { getBackupStatus: findBackup } = proxyActivities<Activities>(read);
const { getBackupStatus } = proxyActivities<Activities>(poll);
const { restoreBackup: restoreBackupOnce } = proxyActivities<Activities>(once);

/** Restores are sent once and re-sent by the workflow only when that is safe; runs recorded before replay with Temporal's retries. */
export const RESTORE_AT_MOST_ONCE_PATCH = 'restore-at-most-once';

export async function backupAndRestoreDatabase(input: BackupAndRestoreInput, carried?: CarriedState): Promise<BackupAndRestoreResult> {
  const info = workflowInfo();
  const args = readRunArguments(input, carried, info.continuedFromExecutionRunId !== undefined);
  const policy = args.problems.length === 0 ? resolvePollPolicy(args.input.poll) : DEFAULT_POLL_POLICY;
  const state = initialState(args.input, info.startTime.getTime(), args.carried);
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
      if (state.phase === phase) return;
      state.phase = phase;
      if (phase === 'completed' || phase === 'failed' || phase === 'cancelled') state.endedAt = Date.now();
      ui.phase(phase);
      run.show();
    },
    show() {
      // The details are for people: a value they cannot render must never fail the workflow task
      // (that would retry it forever and stall the run), so it is logged and the run goes on.
      try {
        ui.details(currentDetails(runStatus(state, policy), atStart));
      } catch (err) {
        log.warn('Could not render the current details; the run goes on', { error: err instanceof Error ? err.message : String(err) });
      }
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
    return await (state.profile === 'prisma' ? prismaBackupAndRestore(run) : seedBackupAndRestore(run));
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    const ending = await cleanUpScratch(run, err);
    run.setPhase(isCancellation(ending) ? 'cancelled' : 'failed');
    throw ending;
  }
}

async function seedBackupAndRestore(run: Run): Promise<BackupAndRestoreResult> {
  const { input, state } = run;

  if (!state.wait && !input.backupId) await inventoryBeforeBackup(run);
  state.wait ??= input.backupId ? await existingBackup(run, input.backupId) : await newBackup(run);
  const backupId = state.wait.backupId!;
  run.ui.backup(backupId);

  run.setPhase('waiting-for-backup');
  await waitUntilDone(run, seedBackupWait(run, backupId));
  const backupCompletedAt = Date.now();
  const reference = await sourceAfterBackup(run, backupId);

  let restoreStatus: BackupAndRestoreResult['restoreStatus'] = 'skipped';
  let message = `Backup ${backupId} completed; restore was not requested.`;
  if (input.restore !== false) {
    if (input.approval) await awaitApproval(run);
    run.setPhase('restoring');
    // Once sent, a restore is not undone by cancelling the run: the run finishes it and says so.
    const restored = await CancellationScope.nonCancellable(() => seedRestore(run, backupId));
    restoreStatus = restored.status;
    message = restored.message;
  }
  const done = `The restore of ${input.databaseId} from backup ${backupId} was accepted`;
  const verification = await verifyRestore(run, { databaseId: input.databaseId, created: false }, done, reference);

  run.setPhase('completed');
  return {
    profile: 'seed',
    backupId,
    restoreStatus,
    message: verification ? `${message} ${verification.message}` : message,
    ...(verification ? { verification } : {}),
    ...counts(state),
    timings: timings(state.wait, backupCompletedAt, state.endedAt!),
  };
}

async function prismaBackupAndRestore(run: Run): Promise<BackupAndRestoreResult> {
  const { input, state } = run;
  if (!state.restore) {
    state.wait ??= await findPrismaBackup(run);
    const chosen = state.wait.backupId;
    if (chosen) run.ui.backup(chosen);
    if (state.wait.backupStatus !== 'completed') {
      run.setPhase('waiting-for-backup');
      await waitUntilDone(run, prismaBackupWait(run));
    }
    const backupCompletedAt = Date.now();
    // A poll may have moved to a newer backup.
    if (state.wait.backupId !== chosen) run.ui.backup(state.wait.backupId!);
    if (input.approval) await awaitApproval(run);
    if (input.newDatabase) {
      await createFromBackup(run, backupCompletedAt);
    } else {
      state.restore = beginRestore(state.targetDatabaseId!, backupCompletedAt);
    }
  }
  await carryOutRestore(run);
  const databaseReadyAt = Date.now();
  // The wait that ended with the database ready: what later runs into the same target predict from.
  const readyWaitStartedAt = state.restore!.wait!.startedAt;
  const wait = state.wait!;
  const restore = state.restore!;
  const { backupId } = wait;
  const made = restore.created ? `created from backup ${backupId} of ${input.databaseId}` : `restored from backup ${backupId}`;
  const verification = await verifyRestore(run, restore, `${restore.databaseId}, ${made}, is ready`);
  if (state.drill) await deleteDrillDatabase(run);

  run.setPhase('completed');
  const backupCreatedAt = wait.backupCreatedAt!;
  const backupAgeMs = restore.backupCompletedAt - Date.parse(backupCreatedAt);
  const what = restore.created
    ? `${state.drill ? 'Drill: created scratch database' : 'Created database'} ${restore.databaseId} in project ${input.newDatabase?.projectId}`
    : `Restored ${restore.databaseId}`;
  const ready =
    `${what} from backup ${backupId} of ${input.databaseId}, taken at ${backupCreatedAt} (${roughDuration(backupAgeMs)} old when chosen); ` +
    `ready at ${new Date(databaseReadyAt).toISOString()}.`;
  const deleted = state.deletedDatabaseId && `Deleted scratch database ${state.deletedDatabaseId}.`;
  return {
    profile: 'prisma',
    backupId: backupId!,
    restoreStatus: 'ready',
    message: [ready, verification?.message, deleted].filter(Boolean).join(' '),
    ...counts(state),
    backupCreatedAt,
    backupAgeMs,
    ...(restore.created ? { createdDatabaseId: restore.databaseId } : { targetDatabaseId: restore.databaseId }),
    restoreRequestsSent: restore.requestsSent,
    ...(verification ? { verification } : {}),
    ...(state.deletedDatabaseId ? { deletedDatabaseId: state.deletedDatabaseId } : {}),
    timings: {
      ...timings(wait, restore.backupCompletedAt, state.endedAt!, databaseReadyAt),
      readyWaitMs: databaseReadyAt - readyWaitStartedAt,
    },
  };
}

const counts = (state: RunState) => ({ pollsMade: state.wait!.pollsMade, continuedAsNew: state.continuedAsNew });

function timings(
  wait: BackupWait,
  backupCompletedAt: number,
  finishedAt: number,
  databaseReadyAt?: number,
): BackupAndRestoreResult['timings'] {
  const iso = (epochMs: number) => new Date(epochMs).toISOString();
  return {
    startedAt: iso(wait.startedAt),
    backupCompletedAt: iso(backupCompletedAt),
    ...(databaseReadyAt === undefined ? {} : { databaseReadyAt: iso(databaseReadyAt) }),
    finishedAt: iso(finishedAt),
    waitedForBackupMs: backupCompletedAt - wait.startedAt,
    totalMs: finishedAt - wait.startedAt,
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

/** Returns once our backup is completed; fails (never restoring) when it failed, vanished, ran out of time or could not be polled. */
function seedBackupWait(run: Run, backupId: string): Wait<BackupWait> {
  const { input, state, policy } = run;
  const { databaseId } = input;
  return {
    current: () => state.wait!,
    save: (wait) => (state.wait = wait),
    done: (wait) => wait.backupStatus === 'completed',
    ending: (wait, now) => waitEnding(databaseId, wait, policy, now),
    async look(wait, n) {
      const polledAt = Date.now();
      // Until a look is answered, a wait on the run's own backup (begun as it was created) also asks
      // how long earlier backups took: numbers from the list the look fetches anyway.
      const history =
        !input.backupId &&
        policy.mode === 'predictive' &&
        wait.prediction === undefined &&
        wait.pollsMade === wait.failedPolls &&
        patched(PREDICTIVE_POLLING_PATCH);
      const outcome = await lookOnce(() =>
        getBackupStatus.executeWithOptions({ summary: `Poll ${n}: status of backup ${backupId}` }, [
          history ? { databaseId, backupId, history } : { databaseId, backupId },
        ]),
      );
      const looked = recordPoll(wait, outcome, polledAt);
      const prediction = 'pastDurationsMs' in outcome ? predictCompletion(outcome.pastDurationsMs ?? []) : undefined;
      return prediction ? { ...looked, prediction } : looked;
    },
    timerSummary: (seconds, n) => `Wait ${seconds} s before poll ${n}`,
  };
}

/**
 * The seed's restore, sent at most once unless the API honours its Idempotency-Key: a request is
 * sent again only after one that definitely had no effect, or, after one whose outcome is unknown,
 * only by a worker that declares the API honours the key (the activity refuses otherwise, sending nothing).
 */
async function seedRestore(run: Run, backupId: string): Promise<RestoreResult> {
  const { databaseId } = run.input;
  const { workflowId, firstExecutionRunId } = workflowInfo();
  const request = { databaseId, backupId, idempotencyKey: idempotencyKey(workflowId, firstExecutionRunId, 'restore') };
  const summary = `Restore ${databaseId} from backup ${backupId}`;
  if (!patched(RESTORE_AT_MOST_ONCE_PATCH)) return restoreBackup.executeWithOptions({ summary }, [request]);
  const since = Date.now();
  let afterUnknownOutcome = false;
  for (let sent = 1; ; sent++) {
    try {
      return await restoreBackupOnce.executeWithOptions({ summary: sent === 1 ? summary : `${summary} (request ${sent})` }, [
        afterUnknownOutcome ? { ...request, afterUnknownOutcome } : request,
      ]);
    } catch (err) {
      const action = restoreFailureAction('seed', err);
      if (action.kind !== 'resend' || Date.now() - since >= RESEND.windowMs) throw err;
      afterUnknownOutcome ||= action.outcomeUnknown;
      const delay = resendDelayMs(sent, action.afterMs);
      log.warn('Restore request failed; sending it again', { databaseId, backupId, request: sent, afterUnknownOutcome });
      await sleep(delay, { summary: `Wait ${Math.round(delay / 1000)} s before sending the restore again` });
    }
  }
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

async function awaitApproval(run: Run): Promise<void> {
  const { state, input } = run;
  const timeoutMs = input.approval?.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
  const backupId = state.wait!.backupId!;
  state.approvalDeadlineAt = Date.now() + timeoutMs;
  run.setPhase('awaiting-approval');
  const approved = await condition(() => run.approved, timeoutMs, { summary: `Wait for approval to restore backup ${backupId}` });
  state.approvalDeadlineAt = undefined;
  if (!approved) {
    const into = input.newDatabase
      ? `a new database in project ${input.newDatabase.projectId}`
      : (state.targetDatabaseId ?? state.databaseId);
    const again =
      state.profile === 'prisma'
        ? `restore from it with \`restore --backup-id ${backupId}\` while Prisma keeps it.`
        : 'restore from it with `restore --backup-id`.';
    fail(
      ErrorType.ApprovalTimedOut,
      `Nobody approved restoring backup ${backupId} into ${into} within ${formatDuration(timeoutMs)}; nothing was restored. ` +
        `The backup itself is kept: ${again}`,
    );
  }
}
