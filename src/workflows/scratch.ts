// Databases a run creates only to use and delete: a drill's, and a verification's reference. They are
// deleted when the run is done with them, and also when it fails or is cancelled (never when it
// continues as new: the continuation carries them). A deletion is never cancelled.
import { ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ErrorType } from '../shared/errors';
import { fail, read, type Run } from './run';

const { deleteDatabase } = proxyActivities<Activities>(read);

const messageOf = (err: unknown): string => {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
};

/** Deletes one scratch database (already gone counts as deleted); ScratchNotDeleted names it when that fails. */
export async function deleteScratch(databaseId: string, what: string, after = ''): Promise<void> {
  try {
    await CancellationScope.nonCancellable(() =>
      deleteDatabase.executeWithOptions({ summary: `Delete ${what} ${databaseId}` }, [{ databaseId }]),
    );
  } catch (err) {
    fail(
      ErrorType.ScratchNotDeleted,
      `The ${what} ${databaseId} could not be deleted (${messageOf(err)}); delete it in the Prisma Console ` +
        `(or DELETE /v1/databases/${databaseId}).${after}`,
    );
  }
}

/** The drill's scratch database, once it is done with. */
export async function deleteDrillDatabase(run: Run): Promise<void> {
  const { state } = run;
  const databaseId = state.restore!.databaseId;
  run.setPhase('deleting-database');
  await deleteScratch(databaseId, "drill's scratch database");
  state.deletedDatabaseId = databaseId;
}

/**
 * After a run that ends without completing: deletes every scratch database it still has. Returns
 * what the run ends with: `ending` (a failure of the workflow's own says what was deleted), or
 * ScratchNotDeleted (which repeats `ending`) when one was not deleted.
 */
export async function cleanUpScratch(run: Run, ending: unknown): Promise<unknown> {
  const { state } = run;
  const left: [string, string][] = [];
  const reference = state.verification?.reference;
  if (reference) left.push([reference.databaseId, 'reference database']);
  if (state.drill && state.restore?.created && state.deletedDatabaseId === undefined) {
    left.push([state.restore.databaseId, "drill's scratch database"]);
  }
  if (left.length === 0) return ending;
  run.setPhase('deleting-database');
  const why = isCancellation(ending) ? ' The run had been cancelled.' : ` The run had failed: ${messageOf(ending)}`;
  try {
    for (const [databaseId, what] of left) await deleteScratch(databaseId, what, why);
  } catch (err) {
    return err;
  }
  if (state.verification) state.verification.reference = undefined;
  if (state.drill && state.restore?.created) state.deletedDatabaseId = state.restore.databaseId;
  if (!(ending instanceof ApplicationFailure) || isCancellation(ending)) return ending;
  const deleted = left.map(([databaseId, what]) => ` The ${what} ${databaseId} has been deleted.`).join('');
  return ApplicationFailure.create({
    type: ending.type ?? undefined,
    message: `${ending.message}${deleted}`,
    nonRetryable: ending.nonRetryable ?? false,
  });
}
