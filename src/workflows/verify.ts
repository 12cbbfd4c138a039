// Verifying a restored database: after the restore (in `prisma`, once the database is ready), its
// data is checked, and a check that does not pass fails the run, saying exactly what differs. The
// activities obtain the connection strings they use themselves: none enters history.
//
// The default check compares table inventories (tables, row counts, a checksum per table) with a
// reference holding the backup's data:
// - seed: the run takes the backup itself, so the source is inventoried before the backup is
//   requested and again once it is completed. When both agree, the backup, taken in between, holds
//   exactly that; when they differ, the source was written meanwhile, nothing tells what the backup
//   holds, and the verification is inconclusive (it says which tables changed).
// - prisma: Prisma's backups are automatic, and nothing records the data when one is taken. A
//   restore into an existing database is compared with a reference database created from the same
//   backup beside it (deleted once read). A database created from the backup (a new database, a
//   drill's) is itself such a copy: it is read in full, and its contents are not compared.
// verify.sql replaces the default check with the user's query.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  isCancellation,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, ReadDatabaseInput } from '../activities';
import { ErrorType } from '../shared/errors';
import type { Inventory, RestoreProgress, VerificationResult } from '../shared/workflow-types';
import { newDatabaseName } from './idempotency';
import { inventoryDifferences, listed, totals, totalsText } from './inventory-diff';
import { waitUntilDone } from './polling';
import { databaseWait, newDatabaseFromBackup } from './prisma-flow';
import { attempt, fail, type Run } from './run';
import { deleteScratch } from './scratch';

// A large table is read in full; heartbeats come after each table and every few seconds.
const { readInventory, checkSql } = proxyActivities<Activities>({
  ...attempt,
  startToCloseTimeout: '1h',
  heartbeatTimeout: '30s',
  retry: { ...attempt.retry, maximumAttempts: 5 },
});

/** Whether the run verifies: asked for, or a drill (which always does). */
export const verifies = (run: Run) => run.input.verify !== undefined || run.input.drill === true;

/** Whether it compares inventories with a reference recorded by the run (no SQL check of the user's). */
const usesInventory = (run: Run) => verifies(run) && run.input.verify?.sql === undefined;

/** Names of what the run makes for verification, stable across retries and continue-as-new, so a retry finds them. */
function madeName(suffix: string): string {
  const { workflowId, firstExecutionRunId } = workflowInfo();
  return `${newDatabaseName(workflowId, firstExecutionRunId)}-${suffix}`;
}

const reading = (databaseId: string): ReadDatabaseInput => ({ databaseId, connectionName: madeName('verify') });

/** A failure that keeps the run from verifying, as VerificationInconclusive after what was done; cancellation and continue-as-new pass. */
function inconclusive(done: string, err: unknown): unknown {
  if (isCancellation(err) || err instanceof ContinueAsNew) return err;
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  const type = cause instanceof ApplicationFailure && cause.type ? `${cause.type}: ` : '';
  const message = cause instanceof Error ? cause.message : String(cause);
  return ApplicationFailure.create({
    type: ErrorType.VerificationInconclusive,
    message: `${done}, but it could not be verified: ${type}${message}`,
    nonRetryable: true,
  });
}

async function orInconclusive<T>(done: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw inconclusive(done, err);
  }
}

// ---- seed: the source around the backup ----

/** seed: the reference, once the backup is completed: the source's inventory, or why there is none. */
export type SeedReference = { inventory: Inventory } | { missing: string };

/** seed, default check: the source's inventory before the backup is requested (nothing is done yet, so a failure ends the run). */
export async function inventoryBeforeBackup(run: Run): Promise<void> {
  if (!usesInventory(run)) return;
  const { databaseId } = run.input;
  const before = await readInventory.executeWithOptions(
    { summary: `Inventory of ${databaseId} before the backup is requested (for verification)` },
    [reading(databaseId)],
  );
  run.state.verification = { before };
}

/** seed, default check: the source again once the backup is completed; equal to the one before, it is what the backup holds. */
export async function sourceAfterBackup(run: Run, backupId: string): Promise<SeedReference | undefined> {
  const before = run.state.verification?.before;
  if (!before) return undefined;
  const { databaseId } = run.input;
  let after: Inventory;
  try {
    after = await readInventory.executeWithOptions({ summary: `Inventory of ${databaseId} now that backup ${backupId} is completed` }, [
      reading(databaseId),
    ]);
  } catch (err) {
    const failure = inconclusive(`Backup ${backupId} of ${databaseId} completed`, err);
    if (!(failure instanceof ApplicationFailure)) throw failure;
    return { missing: failure.message };
  }
  const changed = inventoryDifferences(before, after, { expected: 'before the backup', actual: 'once it completed' });
  if (changed.length === 0) return { inventory: after };
  return {
    missing:
      `${databaseId} was written to while backup ${backupId} was taken, so no inventory tells what the backup holds ` +
      `(${listed(changed)}). Verify restores of a database taken while it is not written to, or give verify.sql (--sql)`,
  };
}

// ---- after the restore ----

/**
 * Verifies the restored database as the input asks; undefined when it does not. `done` says what the
 * run did, for messages; `seed` is the seed's reference. Fails the run with VerificationFailed,
 * listing what differs, or VerificationInconclusive, saying why it could not tell.
 */
export async function verifyRestore(
  run: Run,
  restored: Pick<RestoreProgress, 'databaseId' | 'created'>,
  done: string,
  seed?: SeedReference,
): Promise<VerificationResult | undefined> {
  if (!verifies(run)) return undefined;
  run.setPhase('verifying');
  const { databaseId } = restored;
  const backupId = run.state.wait!.backupId!;
  const sql = run.input.verify?.sql;
  if (sql !== undefined) return sqlCheck(databaseId, sql, done);
  if (run.state.profile === 'seed') {
    if (!seed || 'missing' in seed) fail(ErrorType.VerificationInconclusive, `${done}, but it could not be verified: ${seed?.missing}.`);
    const reference = `the source's inventory when backup ${backupId} was taken (unchanged from before it was requested until it completed)`;
    return compare(databaseId, (seed as { inventory: Inventory }).inventory, reference, done);
  }
  if (restored.created) return readInFull(databaseId, done);
  const inventory = await orInconclusive(done, () => referenceInventory(run));
  return compare(databaseId, inventory, `a reference database created from backup ${backupId} (now deleted)`, done);
}

async function compare(databaseId: string, expected: Inventory, reference: string, done: string): Promise<VerificationResult> {
  const actual = await orInconclusive(done, () =>
    readInventory.executeWithOptions({ summary: `Inventory of ${databaseId}, to compare with the backup's` }, [reading(databaseId)]),
  );
  const differences = inventoryDifferences(expected, actual, { expected: 'in the backup', actual: `in ${databaseId}` });
  if (differences.length > 0) {
    fail(ErrorType.VerificationFailed, `${done}, but its data is not the backup's (compared with ${reference}): ${listed(differences)}.`);
  }
  return {
    check: 'inventory',
    databaseId,
    ...totals(actual),
    message: `Verified ${databaseId}: ${totalsText(actual)}, each table's row count and checksum equal to ${reference}.`,
  };
}

async function readInFull(databaseId: string, done: string): Promise<VerificationResult> {
  const inventory = await orInconclusive(done, () =>
    readInventory.executeWithOptions({ summary: `Read every table of ${databaseId} in full` }, [reading(databaseId)]),
  );
  const read =
    inventory.tables.length === 0 ? 'it has no tables (the backup holds no data)' : `read every table in full: ${totalsText(inventory)}`;
  return {
    check: 'readable',
    databaseId,
    ...totals(inventory),
    message:
      `Verified ${databaseId}: ${read}. Its contents were not compared: Prisma records nothing of the data when it takes a backup; ` +
      'a SQL check of your own (verify.sql, --sql) checks them.',
  };
}

async function sqlCheck(databaseId: string, sql: string, done: string): Promise<VerificationResult> {
  const outcome = await orInconclusive(done, () =>
    checkSql.executeWithOptions({ summary: `SQL check of ${databaseId}` }, [{ ...reading(databaseId), sql }]),
  );
  if (!outcome.passed) fail(ErrorType.VerificationFailed, `${done}, but the SQL check did not pass: ${listed(outcome.findings)}.`);
  const rows = `${outcome.rows} row${outcome.rows === 1 ? '' : 's'}`;
  return {
    check: 'sql',
    databaseId,
    rows: outcome.rows,
    message: `Verified ${databaseId}: the SQL check passed (${rows}, every column true).`,
  };
}

/**
 * prisma, restore into an existing database: a database created from the same backup beside it,
 * awaited until ready, inventoried, and deleted. It is kept in the run's state while it exists, so a
 * continuation, a failure or a cancellation still deletes it.
 */
async function referenceInventory(run: Run): Promise<Inventory> {
  const { state } = run;
  const restore = state.restore!;
  const { backupId } = state.wait!;
  if (!state.verification?.reference) {
    const reference = await CancellationScope.nonCancellable(() =>
      newDatabaseFromBackup(
        run,
        { besideDatabaseId: restore.databaseId, name: madeName('reference') },
        `Create a reference database beside ${restore.databaseId} from backup ${backupId}, to compare with`,
        restore.backupCompletedAt,
      ),
    );
    state.verification = { ...state.verification, reference };
    run.show();
  }
  const reference = state.verification!.reference!;
  await waitUntilDone(run, databaseWait(run, reference));
  const inventory = await readInventory.executeWithOptions(
    { summary: `Inventory of reference database ${reference.databaseId} (backup ${backupId})` },
    [reading(reference.databaseId)],
  );
  await deleteScratch(reference.databaseId, 'reference database');
  state.verification!.reference = undefined;
  run.show();
  return inventory;
}
