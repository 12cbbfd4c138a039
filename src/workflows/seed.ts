// The seed profile (the seed's `backup-and-restore-database`): back up, wait until *that* backup is completed, restore it at most once.
import { CancellationScope, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { formatDuration } from '../shared/durations';
import { ErrorType } from '../shared/errors';
import { resendDelayMs, RESEND, type CompletionPrediction } from '../shared/policy';
import type { RunResult } from '../shared/types';
import { CALL, ONCE, WAIT } from './options';
import { restoreFailureAction } from './restore-rules';
import { awaitApproval, chose, idempotencyKey, pastPrediction, sentences, timings, waitFor, type Run } from './steps';
import { seedReference, verifyRestore } from './verify';

const { createBackup } = proxyActivities<Activities>(CALL);
const { awaitBackup } = proxyActivities<Activities>(WAIT);
const { restoreBackup } = proxyActivities<Activities>(ONCE);

export async function seedRun(run: Run): Promise<RunResult> {
  const { input } = run;
  const { databaseId } = input;
  const before = await seedReference(run, 'before');
  let backupId = input.backupId;
  const startedAt = Date.now();
  if (!backupId) {
    const prediction = await pastPrediction(run, 'backup');
    run.setPhase('creating-backup');
    const created = await createBackup.executeWithOptions({ ...CALL, summary: `Create a backup of ${databaseId}` }, [
      { databaseId, label: input.backupLabel, idempotencyKey: idempotencyKey('create-backup') },
    ]);
    log.info('Backup created', { databaseId, backupId: created.backupId });
    backupId = created.backupId;
    chose(run, backupId, created.createdAt);
    run.status.backupStatus = created.status;
    if (created.status !== 'completed') await seedWait(run, backupId, prediction, false);
  } else {
    chose(run, backupId);
    await seedWait(run, backupId, undefined, true);
  }
  run.status.backupStatus = 'completed';
  const backupCompletedAt = Date.now();
  const reference = await seedReference(run, 'after', before);
  const wanted = input.restore !== false;
  if (wanted && input.approval) await awaitApproval(run);
  let message = `Backup ${backupId} completed; no restore was asked for.`;
  let restoreStatus: RunResult['restoreStatus'] = 'skipped';
  if (wanted) {
    run.setPhase('restoring');
    // Once sent, a restore is not undone by cancelling: the run finishes it and says so.
    const restored = await CancellationScope.nonCancellable(() => seedRestore(run, backupId));
    restoreStatus = restored.status;
    // The seed's Arazzo output: the API's own message.
    message = restored.message || `The restore of ${databaseId} from backup ${backupId} was accepted.`;
  }
  const accepted = `The restore of ${databaseId} from backup ${backupId} was accepted`;
  const verification = wanted ? await verifyRestore(run, databaseId, false, accepted, reference) : undefined;
  run.setPhase('completed');
  const tookMs = run.backupTookMs;
  return {
    profile: 'seed',
    backupId,
    restoreStatus,
    message: verification ? sentences(message, verification.message) : message,
    pollsMade: run.looks,
    ...(verification ? { verification } : {}),
    timings: timings(run, startedAt, backupCompletedAt, tookMs ? { backupTookMs: tookMs } : {}),
  };
}

async function seedWait(run: Run, backupId: string, prediction: CompletionPrediction | undefined, existing: boolean): Promise<void> {
  const { databaseId } = run.input;
  run.setPhase('waiting-for-backup');
  const found = await waitFor(
    run,
    `Wait for backup ${backupId} of ${databaseId} to complete`,
    run.policy.deadlineMs,
    (spec, options) =>
      awaitBackup.executeWithOptions(options, [{ ...spec, profile: 'seed', databaseId, backupId, ...(existing ? { existing } : {}) }]),
    (last) => [
      ErrorType.BackupTimedOut,
      `Backup ${backupId} of ${databaseId} was not completed by its deadline, ${formatDuration(run.policy.deadlineMs)} after the wait began; nothing was restored. ${last}`,
    ],
    prediction,
  );
  run.looks = found.looks;
  if (found.tookMs) run.backupTookMs = found.tookMs;
}

/** The seed's restore, sent again only after a request that had no effect, or one unknown under an honoured Idempotency-Key. */
async function seedRestore(run: Run, backupId: string) {
  const { databaseId } = run.input;
  const request = { databaseId, backupId, idempotencyKey: idempotencyKey('restore') };
  const since = Date.now();
  let afterUnknownOutcome = false;
  for (let sent = 1; ; sent++) {
    Object.assign(run.status, { restoreStep: 'send', restoreAttempts: sent });
    try {
      const accepted = await restoreBackup.executeWithOptions(
        { ...ONCE, summary: `Restore ${databaseId} from backup ${backupId} (request ${sent})` },
        [afterUnknownOutcome ? { ...request, afterUnknownOutcome } : request],
      );
      run.status.restoreStep = 'applied';
      return accepted;
    } catch (err) {
      const action = restoreFailureAction('seed', err);
      if (action.kind !== 'resend' || Date.now() - since >= RESEND.windowMs) throw err;
      afterUnknownOutcome ||= action.outcomeUnknown;
      log.warn('Restore request failed; sending it again', { databaseId, backupId, request: sent, afterUnknownOutcome });
      await sleep(resendDelayMs(sent, action.afterMs), { summary: 'Wait before sending the restore again' });
    }
  }
}
