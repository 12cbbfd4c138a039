// The prisma profile: the run chooses one of Prisma's automatic backups (named, the newest completed, or the first newer
// than the run), waits until it is completed, restores it at most once or creates a database from it, and waits until ready.
import { CancellationScope, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { madeFrom } from '../shared/describe';
import { formatDuration, roughDuration } from '../shared/durations';
import { ErrorType } from '../shared/errors';
import { DEFAULT_HOLD_WINDOW_MS } from '../shared/input';
import { resendDelayMs, RESEND } from '../shared/policy';
import type { BackupSource, RunResult } from '../shared/types';
import { databaseFromBackup, deleteScratch, readyDeadline, readyWait } from './database';
import { fail, ONCE, WAIT } from './options';
import { restoreFailureAction } from './restore-rules';
import { awaitApproval, chose, madeName, pastPrediction, sentences, timings, waitFor, type Run } from './steps';
import { verifyRestore } from './verify';

const { awaitBackup, awaitDatabase } = proxyActivities<Activities>(WAIT);
const { restoreDatabase } = proxyActivities<Activities>(ONCE);

export async function prismaRun(run: Run): Promise<RunResult> {
  const { input, status } = run;
  const { databaseId, newDatabase } = input;
  const startedAt = Date.now();
  const which = input.backupId
    ? `backup ${input.backupId}`
    : input.waitForNewerBackup
      ? 'a backup newer than the run'
      : 'the newest completed backup';
  // A named backup is known from the start; the newest is named by the looks (the pending activity).
  if (input.backupId) chose(run, input.backupId);
  run.setPhase('waiting-for-backup');
  const found = await waitFor(
    run,
    `Find ${which} of ${databaseId}, completed`,
    run.policy.deadlineMs,
    (spec, options) => {
      const after = input.waitForNewerBackup ? { createdAfter: new Date(status.runStartedAt).toISOString() } : {};
      return awaitBackup.executeWithOptions(options, [
        { ...spec, profile: 'prisma', databaseId, ...(input.backupId ? { backupId: input.backupId } : {}), ...after },
      ]);
    },
    (last) => [
      ErrorType.BackupTimedOut,
      `No completed ${which} of ${databaseId} within ${formatDuration(run.policy.deadlineMs)}; nothing was restored. Backups are daily: raise --deadline to cover the next one. ${last}`,
    ],
  );
  run.looks = found.looks;
  chose(run, found.backupId, found.createdAt);
  status.backupStatus = 'completed';
  const backupCompletedAt = Date.now();
  if (input.approval) await awaitApproval(run);
  const source = { databaseId, backupId: found.backupId };
  const target = newDatabase ? undefined : (input.targetDatabaseId ?? databaseId);
  const prediction = await pastPrediction(run, 'ready', target);
  const created = newDatabase !== undefined;
  let restored: string;
  let acceptedAt: number | undefined;
  if (newDatabase) {
    run.setPhase('creating-database');
    // Once asked for, the database is seen through: cancelling would leave it unaccounted for.
    const { projectId, name = madeName(), region } = newDatabase;
    const where = { projectId, name, ...(region ? { region } : {}) };
    restored = await CancellationScope.nonCancellable(() =>
      databaseFromBackup(source, where, `Create a database in ${projectId} from backup ${source.backupId} of ${databaseId}`),
    );
    acceptedAt = Date.now();
    status.createdDatabaseId = restored;
    if (input.drill) run.scratch.set(restored, "drill's scratch database");
  } else {
    restored = target!;
    status.targetDatabaseId = target;
    acceptedAt = await restoreAtMostOnce(run, target!, source);
  }
  run.setPhase('waiting-for-database');
  // A drill's scratch database is deleted on cancellation, so its wait need not be seen through.
  const ready = () => readyWait(run, restored, source, created, prediction);
  await (input.drill ? ready() : CancellationScope.nonCancellable(ready));
  const readyAt = Date.now();
  const verification = await verifyRestore(run, restored, created, `${madeFrom(restored, source, created)} is ready`);
  if (input.drill) await deleteScratch(run, restored);
  run.setPhase('completed');
  const backupCreatedAt = found.createdAt!;
  const backupAgeMs = backupCompletedAt - Date.parse(backupCreatedAt);
  const what = newDatabase
    ? `${input.drill ? 'Drill: created scratch database' : 'Created database'} ${restored} in project ${newDatabase.projectId}`
    : `Restored ${restored}`;
  const message = [
    `${what} from backup ${source.backupId} of ${databaseId}, taken at ${backupCreatedAt} (${roughDuration(backupAgeMs)} old when chosen); ready at ${new Date(readyAt).toISOString()}.`,
    verification?.message,
    input.drill ? `Deleted scratch database ${restored}.` : undefined,
  ];
  return {
    profile: 'prisma',
    backupId: source.backupId,
    restoreStatus: 'ready',
    message: sentences(...message),
    pollsMade: run.looks,
    backupCreatedAt,
    backupAgeMs,
    ...(newDatabase ? { createdDatabaseId: restored } : { targetDatabaseId: restored }),
    restoreRequestsSent: status.restoreAttempts ?? 0,
    ...(status.resentAfterHoldWindow ? { resentAfterHoldWindow: true as const } : {}),
    ...(verification ? { verification } : {}),
    ...(input.drill ? { deletedDatabaseId: restored } : {}),
    timings: timings(run, startedAt, backupCompletedAt, {
      databaseReadyAt: new Date(readyAt).toISOString(),
      // After a lost answer nobody knows when recovery began: no sample for later predictions.
      ...(acceptedAt === undefined ? {} : { readyWaitMs: readyAt - acceptedAt }),
    }),
  };
}

/**
 * Restores `target` from `source` at most once, trusting no deduplication: it reads the target first, and sends again only after
 * a request that had no effect, or one unknown through the hold window. Returns when it was accepted; undefined when read back.
 */
async function restoreAtMostOnce(run: Run, target: string, source: BackupSource): Promise<number | undefined> {
  const { status } = run;
  const deadlineMs = readyDeadline(run);
  const restoring = `the restore of ${target} from backup ${source.backupId} of ${source.databaseId}`;
  run.setPhase('restoring');
  status.restoreStep = 'check';
  const before = await waitFor(
    run,
    `Read ${target} before restoring it`,
    deadlineMs,
    (spec, options) => awaitDatabase.executeWithOptions(options, [{ ...spec, databaseId: target, mode: 'idle', source }]),
    (last) => [
      ErrorType.ReadyTimedOut,
      `${target} stayed busy for ${formatDuration(deadlineMs)}, so ${restoring} was never sent. Start a new run once it is ready. ${last}`,
    ],
  );
  const ours = { target, source, sourceBefore: before.source ?? null };
  return CancellationScope.nonCancellable(async () => {
    const since = Date.now();
    for (let sent = 1; ; sent++) {
      Object.assign(status, { restoreStep: 'send', restoreAttempts: sent });
      run.show();
      try {
        await restoreDatabase.executeWithOptions(
          { ...ONCE, summary: `Restore ${target} from backup ${source.backupId} (request ${sent})` },
          [{ targetDatabaseId: target, source }],
        );
        status.restoreStep = 'applied';
        return Date.now();
      } catch (err) {
        const action = restoreFailureAction('prisma', err);
        log.warn('Restore request failed', { databaseId: target, request: sent, action: action.kind });
        if (action.kind === 'fail') throw err;
        if (action.kind === 'resend') {
          if (Date.now() - since >= RESEND.windowMs) throw err;
          await sleep(resendDelayMs(sent, action.afterMs), { summary: 'Wait before sending the restore again (nothing was applied)' });
          continue;
        }
        const how =
          action.kind === 'conflict'
            ? 'the API answered 409 (the target was busy)'
            : action.lost
              ? `the worker making request ${sent} stopped before it answered, so whether it reached the API is not known`
              : `the answer to request ${sent} was lost`;
        const verdict = await readBack(run, ours, action.kind, how);
        if (verdict === 'applied') {
          status.restoreStep = 'applied';
          return undefined;
        }
        if (action.kind === 'conflict')
          fail(
            ErrorType.RestoreConflict,
            `DATABASE_RESTORE_CONFLICT: ${restoring} was refused (409) as the target was busy with something else; nothing was sent twice. Check it, then start a new run.`,
          );
        status.resentAfterHoldWindow = true;
        log.warn('No sign of the restore through the hold window; sending it again', { databaseId: target, request: sent });
      }
    }
  });
}

type Restoring = { target: string; source: BackupSource; sourceBefore: BackupSource | null };

/** Reads the target back after a request whose outcome is unknown (through the hold window) or a 409, until it tells. */
async function readBack(run: Run, { target, source, sourceBefore }: Restoring, kind: 'read-back' | 'conflict', how: string) {
  const holdMs = run.input.holdWindowMs ?? DEFAULT_HOLD_WINDOW_MS;
  const holdUntil = Date.now() + holdMs;
  // Reading back lasts through the hold window, then as long as a restore may take to be ready.
  const deadlineMs = holdMs + readyDeadline(run);
  run.status.restoreStep = kind;
  const seen = await waitFor(
    run,
    `Read ${target} back: was it restored from backup ${source.backupId}?`,
    deadlineMs,
    (spec, options) =>
      awaitDatabase.executeWithOptions(options, [
        { ...spec, databaseId: target, mode: kind, source, sourceBefore, ...(kind === 'read-back' ? { holdUntil } : {}) },
      ]),
    (last) => [
      kind === 'conflict' ? ErrorType.RestoreConflict : ErrorType.RestoreOutcomeUnknown,
      `The restore of ${target} from backup ${source.backupId} of ${source.databaseId} may or may not have been applied: ${how}, and reading ${target} back did not tell within ${formatDuration(deadlineMs)}. Nothing was sent twice. Check it in the Prisma Console before restoring again. ${last}`,
    ],
  );
  return seen.verdict!;
}
