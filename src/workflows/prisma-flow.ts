// The `prisma` profile's steps: Prisma's API takes no backup on demand (backups are automatic and
// daily), so the run chooses one (named, or the newest completed), waits for it if it is still
// running, and restores it into a database, or creates a new database from it, then waits until the
// database is ready. The restore request is sent at most once (see restore-state.ts).
import { CancellationScope, isCancellation, log, patched, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities, ChooseBackupInput, ChosenBackup, CreateDatabaseFromBackupInput } from '../activities';
import type { BackupSource, DatabaseRegion } from '../shared/api-types';
import { ErrorType } from '../shared/errors';
import { DEFAULT_READY_DEADLINE_MS, RESEND, resendDelayMs } from '../shared/poll-policy';
import { predictCompletion } from '../shared/predict-completion';
import type { BackupWait, DatabaseWait, RestoreProgress } from '../shared/workflow-types';
import { newDatabaseName } from './idempotency';
import { lookOnce, typedFailure, waitUntilDone, type Wait } from './polling';
import {
  afterConflict,
  afterReadBack,
  beginDatabaseWait,
  databaseWaitDone,
  databaseWaitEnding,
  recordDatabasePoll,
  restoreFailureAction,
} from './restore-state';
import { attempt, fail, once, poll, read, type Run } from './run';
import { beginWait, recordPoll, waitEnding, type PollOutcome } from './run-state';

const { chooseBackup: findBackup, getDatabaseStatus: readDatabase } = proxyActivities<Activities>(read);
const { chooseBackup, getDatabaseStatus, readRestoreTarget } = proxyActivities<Activities>(poll);
const { restoreDatabase } = proxyActivities<Activities>(once);
// Found by name before it is created, so retrying it never creates a second database.
const { createDatabaseFromBackup } = proxyActivities<Activities>({ ...attempt, scheduleToCloseTimeout: '1h' });
// A history lookup, not a step of the restore: brief, and its failure only means "no history".
const { pastReadyWaits } = proxyActivities<Activities>({ startToCloseTimeout: '10s', retry: { maximumAttempts: 2 } });

/**
 * Runs recorded before the ready wait predicted replay as they ran: they looked up no earlier runs,
 * so they wait with the backoff.
 */
export const PREDICTIVE_READY_WAIT_PATCH = 'predictive-ready-wait';

function choiceOf(run: Run): ChooseBackupInput {
  const { databaseId, backupId, waitForNewerBackup } = run.input;
  return {
    databaseId,
    ...(backupId === undefined ? {} : { backupId }),
    ...(waitForNewerBackup ? { createdAfter: new Date(run.state.runStartedAt).toISOString() } : {}),
  };
}

/** Waiting for a newer backup, "none listed yet" is news, not a failure. */
const noneYet = (run: Run) => (failure: { type?: string | null }) =>
  run.input.waitForNewerBackup && failure.type === ErrorType.BackupNotFound ? ({ noneYet: true } as const) : undefined;

const chosen = (backup: ChosenBackup): PollOutcome => ({
  found: true,
  status: backup.status,
  backupId: backup.backupId,
  createdAt: backup.createdAt,
});

/** The first choice. It is the run's first request, so a worker of the other profile fails here (ProfileMismatch) before anything is sent. */
export async function findPrismaBackup(run: Run): Promise<BackupWait> {
  const { input, policy } = run;
  run.setPhase('finding-backup');
  const which = input.backupId
    ? `backup ${input.backupId}`
    : input.waitForNewerBackup
      ? 'a backup newer than the run'
      : 'the newest completed backup';
  try {
    const backup = await findBackup.executeWithOptions({ summary: `Find ${which} of ${input.databaseId}` }, [choiceOf(run)]);
    log.info('Backup chosen', { databaseId: input.databaseId, ...backup });
    return beginWait(backup.backupId, backup.status, Date.now(), policy, backup.createdAt);
  } catch (err) {
    const failure = typedFailure(err);
    if (failure && noneYet(run)(failure)) return beginWait(undefined, undefined, Date.now(), policy);
    throw err;
  }
}

/** The wait for the chosen backup: each poll chooses again, so it may move to a newer completed one. */
export function prismaBackupWait(run: Run): Wait<BackupWait> {
  const { input, state, policy } = run;
  return {
    current: () => state.wait!,
    save: (wait) => (state.wait = wait),
    done: (wait) => wait.backupStatus === 'completed',
    ending: (wait, now) => waitEnding(input.databaseId, wait, policy, now),
    async look(wait, n) {
      const polledAt = Date.now();
      const what = wait.backupId ? `status of backup ${wait.backupId}` : `backups of ${input.databaseId} newer than the run`;
      const outcome = await lookOnce(
        () => chooseBackup.executeWithOptions({ summary: `Poll ${n}: ${what}` }, [choiceOf(run)]).then(chosen),
        noneYet(run),
      );
      return recordPoll(wait, outcome, polledAt);
    },
    timerSummary: (seconds, n) => `Wait ${seconds} s before poll ${n}`,
  };
}

const readyDeadlineMs = (run: Run) => run.input.readyDeadlineMs ?? DEFAULT_READY_DEADLINE_MS;

/** Our backup, as the API names a source. */
const sourceOf = (run: Run): BackupSource => ({ databaseId: run.input.databaseId, backupId: run.state.wait!.backupId! });

/** A restore into an existing database, before anything is read or sent. */
export const beginRestore = (targetDatabaseId: string, backupCompletedAt: number): RestoreProgress => ({
  databaseId: targetDatabaseId,
  created: false,
  step: 'check',
  requestsSent: 0,
  backupCompletedAt,
});

/** Creates a database from the backup, touching nothing that exists; keeps its id (never a connection string). */
export async function createFromBackup(run: Run, backupCompletedAt: number): Promise<void> {
  const { projectId, name, region } = run.input.newDatabase!;
  const { workflowId, firstExecutionRunId } = workflowInfo();
  const source = sourceOf(run);
  run.setPhase('creating-database');
  // Once asked for, the database is seen through to ready: cancelling would only leave it unaccounted for.
  await CancellationScope.nonCancellable(async () => {
    run.state.restore = await newDatabaseFromBackup(
      run,
      {
        projectId,
        name: name ?? newDatabaseName(workflowId, firstExecutionRunId),
        // One of DATABASE_REGIONS: the input was checked.
        ...(region === undefined ? {} : { region: region as DatabaseRegion }),
      },
      `Create a database in project ${projectId} from backup ${source.backupId} of ${source.databaseId}`,
      backupCompletedAt,
    );
  });
}

/** A new database from our backup (found by name first, so a retry creates none twice), as a restore waiting for it to be ready. */
export async function newDatabaseFromBackup(
  run: Run,
  where: Omit<CreateDatabaseFromBackupInput, 'source'>,
  summary: string,
  backupCompletedAt: number,
): Promise<RestoreProgress> {
  const created = await createDatabaseFromBackup.executeWithOptions({ summary }, [{ ...where, source: sourceOf(run) }]);
  log.info('Database created from backup', { databaseId: created.databaseId, existed: created.existed });
  return {
    databaseId: created.databaseId,
    created: true,
    step: 'applied',
    requestsSent: 0,
    backupCompletedAt,
    wait: beginDatabaseWait(Date.now(), readyDeadlineMs(run)),
  };
}

/**
 * Restores the target from the backup, at most once (or follows the new database), until it is
 * ready. Before the first request the run may still be cancelled (nothing was sent); from then on it
 * sees the restore through, so it never reports "cancelled" for a database being restored.
 */
export async function carryOutRestore(run: Run): Promise<void> {
  const restore = run.state.restore!;
  if (restore.step === 'check') await checkTarget(run);
  // A drill's scratch database is deleted on cancellation (scratch.ts), so the wait for it need not be seen through.
  await (run.input.drill && restore.created ? followRestore(run) : CancellationScope.nonCancellable(() => followRestore(run)));
}

/** Reads the target before sending: while it is provisioning or recovering, waits rather than sends; keeps its source to compare with later. */
async function checkTarget(run: Run): Promise<void> {
  const restore = run.state.restore!;
  run.setPhase('restoring');
  if (!restore.wait) {
    const seen = await readDatabase.executeWithOptions({ summary: `Read ${restore.databaseId} before restoring it` }, [
      { databaseId: restore.databaseId },
    ]);
    restore.wait = beginDatabaseWait(Date.now(), readyDeadlineMs(run), seen);
    run.show();
  }
  const ready = await waitUntilDone(run, databaseWait(run));
  restore.sourceBefore = ready.source ?? null;
  restore.wait = undefined;
  restore.step = 'send';
}

/** From the first request to a ready database, whatever step a continuation resumes at. */
async function followRestore(run: Run): Promise<void> {
  const restore = run.state.restore!;
  const ours = sourceOf(run);
  for (;;) {
    const { step } = restore;
    if (step === 'check' || step === 'send') {
      await (step === 'check' ? checkTarget(run) : send(run, ours));
      continue;
    }
    run.setPhase(step === 'applied' ? 'waiting-for-database' : 'restoring');
    if (step === 'applied') await predictReadyWait(run, restore);
    const wait = await waitUntilDone(run, databaseWait(run));
    if (step === 'applied') return;
    const next = step === 'read-back' ? afterReadBack({ ...restore, wait }, ours) : afterConflict({ ...restore, wait }, ours);
    if (typeof next === 'object') return fail(next.type, next.message);
    log.info('Restore read back', { databaseId: restore.databaseId, step, verdict: wait.verdict, next });
    restore.step = next;
    restore.wait =
      next === 'applied' ? beginDatabaseWait(Date.now(), readyDeadlineMs(run), { status: wait.status!, source: wait.source }) : undefined;
  }
}

/**
 * Before its first look, a predictive wait until ready asks how long earlier runs into the same
 * target waited, once, and predicts from them as the seed's backup wait does. The restore was sent
 * already: only the delays of the looks change. A failed lookup is no history, never a failed run.
 */
async function predictReadyWait(run: Run, restore: RestoreProgress): Promise<void> {
  const wait = restore.wait!;
  if (run.policy.mode !== 'predictive' || wait.pollsMade > 0 || wait.prediction || !patched(PREDICTIVE_READY_WAIT_PATCH)) return;
  const target = restore.created ? {} : { targetDatabaseId: restore.databaseId };
  try {
    const past = await pastReadyWaits.executeWithOptions(
      { summary: `Look up how long earlier runs waited until ${restore.created ? 'a new database' : restore.databaseId} was ready` },
      [{ databaseId: run.input.databaseId, ...target }],
    );
    const prediction = predictCompletion(past);
    if (prediction) restore.wait = { ...wait, prediction };
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('No history for the ready wait; polling with the backoff', { databaseId: restore.databaseId });
  }
}

/** Sends the restore; again only after a request that definitely had no effect. Leaves the step the outcome calls for. */
async function send(run: Run, ours: BackupSource): Promise<void> {
  const restore = run.state.restore!;
  const since = Date.now();
  for (;;) {
    restore.requestsSent += 1;
    run.show();
    const request = restore.requestsSent;
    try {
      const started = await restoreDatabase.executeWithOptions(
        { summary: `Restore ${restore.databaseId} from backup ${ours.backupId} of ${ours.databaseId} (request ${request})` },
        [{ targetDatabaseId: restore.databaseId, source: ours }],
      );
      restore.step = 'applied';
      restore.wait = beginDatabaseWait(Date.now(), readyDeadlineMs(run), { status: started.status, source: ours });
      return;
    } catch (err) {
      const action = restoreFailureAction('prisma', err);
      log.warn('Restore request failed', { databaseId: restore.databaseId, request, action: action.kind });
      if (action.kind === 'fail' || (action.kind === 'resend' && Date.now() - since >= RESEND.windowMs)) throw err;
      if (action.kind === 'resend') {
        const delay = resendDelayMs(request, action.afterMs);
        await sleep(delay, { summary: `Wait ${Math.round(delay / 1000)} s before sending the restore again (nothing was applied)` });
        continue;
      }
      restore.step = action.kind;
      restore.wait = beginDatabaseWait(Date.now(), readyDeadlineMs(run));
      return;
    }
  }
}

/** The wait on the database at the restore's current step: the run's restore, or another database made from its backup. */
export function databaseWait(run: Run, restore: RestoreProgress = run.state.restore!): Wait<DatabaseWait> {
  const { policy } = run;
  const ours = sourceOf(run);
  const { databaseId } = restore;
  return {
    current: () => restore.wait!,
    save: (wait) => (restore.wait = wait),
    done: (wait) => databaseWaitDone(restore.step, wait, ours),
    ending: (wait, now) => databaseWaitEnding({ ...restore, wait }, ours, policy, now),
    async look(wait, n) {
      const polledAt = Date.now();
      const outcome = await lookOnce(() =>
        restore.step === 'read-back' || restore.step === 'conflict'
          ? readRestoreTarget.executeWithOptions({ summary: `Read ${databaseId} back (${n}): was it restored from ${ours.backupId}?` }, [
              { databaseId, source: ours, sourceBefore: restore.sourceBefore },
            ])
          : getDatabaseStatus.executeWithOptions({ summary: `Poll ${n}: status of ${databaseId}` }, [{ databaseId }]),
      );
      return recordDatabasePoll(wait, outcome, polledAt);
    },
    timerSummary: (seconds, n) => `Wait ${seconds} s before reading ${databaseId} (${n})`,
  };
}
