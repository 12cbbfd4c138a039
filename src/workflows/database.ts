// Databases a run makes: created from a backup, awaited until ready, deleted when only scratch (also when the run fails).
import { ApplicationFailure, CancellationScope, isCancellation, log, proxyActivities } from '@temporalio/workflow';
import type { Activities, CreateDatabaseInput } from '../activities';
import { madeFrom } from '../shared/describe';
import { formatDuration } from '../shared/durations';
import { ErrorType } from '../shared/errors';
import { DEFAULT_READY_DEADLINE_MS } from '../shared/input';
import type { CompletionPrediction } from '../shared/policy';
import type { BackupSource } from '../shared/types';
import { CALL, causeOf, fail, messageOf, WAIT } from './options';
import { waitFor, type Run } from './steps';

const { createDatabaseFromBackup, deleteDatabase } = proxyActivities<Activities>(CALL);
const { awaitDatabase } = proxyActivities<Activities>(WAIT);

export const readyDeadline = (run: Run) => run.input.readyDeadlineMs ?? DEFAULT_READY_DEADLINE_MS;

/** A database made from `source` for this run, found by name before it is created, so a retry never makes two. */
export async function databaseFromBackup(source: BackupSource, where: Omit<CreateDatabaseInput, 'source'>, summary: string) {
  const created = await createDatabaseFromBackup.executeWithOptions({ ...CALL, summary }, [{ ...where, source }]);
  log.info('Database created from backup', { createdDatabaseId: created.databaseId, existed: created.existed });
  return created.databaseId;
}

/** Until the database is ready from `source`; past the deadline the restore is not undone. */
export function readyWait(run: Run, databaseId: string, source: BackupSource, created: boolean, prediction?: CompletionPrediction) {
  const deadlineMs = readyDeadline(run);
  return waitFor(
    run,
    `Wait for ${databaseId} to be ready`,
    deadlineMs,
    (spec, options) =>
      awaitDatabase.executeWithOptions(options, [{ ...spec, databaseId, mode: 'ready', source, ...(created ? { created } : {}) }]),
    (last) => [
      ErrorType.ReadyTimedOut,
      `${madeFrom(databaseId, source, created)} was not ready ${formatDuration(deadlineMs)} later. Nothing is sent again; it may still become ready: check it in the Prisma Console. ${last}`,
    ],
    prediction,
  );
}

/** Deletes one scratch database (already gone counts); ScratchNotDeleted names it when that fails. */
export async function deleteScratch(run: Run, databaseId: string, after = ''): Promise<void> {
  const what = run.scratch.get(databaseId) ?? 'scratch database';
  run.setPhase('deleting-database');
  try {
    await CancellationScope.nonCancellable(() =>
      deleteDatabase.executeWithOptions({ ...CALL, summary: `Delete ${what} ${databaseId}` }, [{ databaseId }]),
    );
  } catch (err) {
    fail(
      ErrorType.ScratchNotDeleted,
      `The ${what} ${databaseId} could not be deleted (${messageOf(err)}); delete it in the Prisma Console.${after}`,
    );
  }
  run.scratch.delete(databaseId);
}

/** After a run that ends without completing: deletes its scratch databases; returns what the run ends with, saying what was deleted. */
export async function cleanUpScratch(run: Run, ending: unknown): Promise<unknown> {
  if (run.scratch.size === 0) return ending;
  const deleted = [...run.scratch].map(([id, what]) => ` The ${what} ${id} has been deleted.`).join('');
  const why = isCancellation(ending) ? ' The run had been cancelled.' : ` The run had failed: ${messageOf(ending)}`;
  try {
    for (const id of [...run.scratch.keys()]) await deleteScratch(run, id, why);
  } catch (err) {
    return err;
  }
  // A typed failure, the workflow's own or an activity's, says what was deleted; a cancellation stays one.
  const cause = causeOf(ending);
  if (isCancellation(ending) || !(cause instanceof ApplicationFailure)) return ending;
  return ApplicationFailure.create({ type: cause.type ?? undefined, message: `${cause.message}${deleted}`, nonRetryable: true });
}
