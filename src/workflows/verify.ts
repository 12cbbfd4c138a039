// Verifying a restored database: by default its table inventory against the backup's data (seed: the source, read before
// and after the backup; prisma: a reference database made from the backup), else the user's verify.sql. No secret enters history.
import { ApplicationFailure, CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { Activities, Inventory } from '../activities';
import { ErrorType } from '../shared/errors';
import type { VerificationResult } from '../shared/types';
import { inventoryDifferences, listed, totals, totalsText } from './inventory-diff';
import { databaseFromBackup, deleteScratch, readyWait } from './database';
import { causeOf, fail, messageOf, READ } from './options';
import { madeName, type Run } from './steps';

const { readInventory, checkSql } = proxyActivities<Activities>(READ);
const verifies = (run: Run) => run.input.verify !== undefined || run.input.drill === true;
const usesInventory = (run: Run) => verifies(run) && run.input.verify?.sql === undefined;
const reading = (databaseId: string) => ({ databaseId, connectionName: madeName('verify') });

/** A failure that keeps the run from verifying, as VerificationInconclusive after what was done; a cancellation passes. */
async function orInconclusive<T>(done: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (isCancellation(err)) throw err;
    const cause = causeOf(err);
    const type = cause instanceof ApplicationFailure && cause.type ? `${cause.type}: ` : '';
    return fail(ErrorType.VerificationInconclusive, `${done}, but it could not be verified: ${type}${messageOf(err)}`);
  }
}

const inventoryOf = (databaseId: string, summary: string) => readInventory.executeWithOptions({ ...READ, summary }, [reading(databaseId)]);

/** Seed, default check: the source's inventory `before` the backup is requested, and `after` it completed (or why there is none). */
export async function seedReference(run: Run, when: 'before', before?: undefined): Promise<Inventory | undefined>;
export async function seedReference(run: Run, when: 'after', before: Inventory | undefined): Promise<Inventory | string | undefined>;
export async function seedReference(run: Run, when: 'before' | 'after', before?: Inventory): Promise<Inventory | string | undefined> {
  const { databaseId, backupId } = run.input;
  if (!usesInventory(run) || backupId !== undefined || (when === 'after' && !before)) return undefined;
  if (when === 'before') return inventoryOf(databaseId, `Inventory of ${databaseId} before the backup is requested`);
  const after = await orInconclusive('The backup completed', () =>
    inventoryOf(databaseId, `Inventory of ${databaseId} once the backup completed`),
  ).catch((err: unknown) => (isCancellation(err) ? Promise.reject(err) : messageOf(err)));
  if (typeof after === 'string') return after;
  const changed = inventoryDifferences(before!, after, { expected: 'before the backup', actual: 'once it completed' });
  if (changed.length === 0) return after;
  return `${databaseId} was written to while backup ${run.status.backupId} was taken, so no inventory tells what the backup holds (${listed(changed)}). Verify a database that is not written to meanwhile, or give a SQL check`;
}

/** Verifies the restored database as the input asks (undefined when it does not); fails as VerificationFailed or Inconclusive. */
export async function verifyRestore(run: Run, databaseId: string, created: boolean, done: string, seed?: Inventory | string) {
  if (!verifies(run)) return undefined;
  run.setPhase('verifying');
  const sql = run.input.verify?.sql;
  if (sql !== undefined) {
    const outcome = await orInconclusive(done, () =>
      checkSql.executeWithOptions({ ...READ, summary: `SQL check of ${databaseId}` }, [{ ...reading(databaseId), sql }]),
    );
    if (!outcome.passed) fail(ErrorType.VerificationFailed, `${done}, but the SQL check did not pass: ${listed(outcome.findings)}.`);
    const rows = `${outcome.rows} row${outcome.rows === 1 ? '' : 's'}`;
    return result('sql', databaseId, { rows: outcome.rows }, `the SQL check passed (${rows}, every column true)`);
  }
  if (run.input.profile === 'seed') {
    if (typeof seed !== 'object')
      return fail(ErrorType.VerificationInconclusive, `${done}, but it could not be verified: ${seed ?? 'no reference was read'}.`);
    return compare(databaseId, seed, `the source's inventory when backup ${run.status.backupId} was taken`, done);
  }
  if (created) {
    const inventory = await orInconclusive(done, () => inventoryOf(databaseId, `Read every table of ${databaseId} in full`));
    const read = inventory.tables.length === 0 ? 'it has no tables' : `read every table in full: ${totalsText(inventory)}`;
    const why = 'Its contents were not compared (Prisma records nothing of the data at backup time); a SQL check of your own compares them';
    return result('readable', databaseId, totals(inventory), `${read}. ${why}`);
  }
  const reference = await orInconclusive(done, () => referenceInventory(run, databaseId));
  return compare(databaseId, reference, `a reference database created from backup ${run.status.backupId} (now deleted)`, done);
}

async function compare(databaseId: string, expected: Inventory, reference: string, done: string): Promise<VerificationResult> {
  const actual = await orInconclusive(done, () => inventoryOf(databaseId, `Inventory of ${databaseId}, to compare with the backup's`));
  const differences = inventoryDifferences(expected, actual, { expected: 'in the backup', actual: `in ${databaseId}` });
  if (differences.length > 0)
    fail(ErrorType.VerificationFailed, `${done}, but its data is not the backup's (compared with ${reference}): ${listed(differences)}.`);
  return result(
    'inventory',
    databaseId,
    totals(actual),
    `${totalsText(actual)}, each table's row count and checksum equal to ${reference}`,
  );
}

const result = (check: VerificationResult['check'], databaseId: string, counts: { tables?: number; rows: number }, what: string) =>
  ({ check, databaseId, ...counts, message: `Verified ${databaseId}: ${what}.` }) satisfies VerificationResult;

/** Prisma, restore into an existing database: a database from the same backup beside it, read, then deleted. */
async function referenceInventory(run: Run, target: string): Promise<Inventory> {
  const source = { databaseId: run.input.databaseId, backupId: run.status.backupId! };
  const name = madeName('reference');
  const reference = await CancellationScope.nonCancellable(async () => {
    const summary = `Create a reference database beside ${target} from backup ${source.backupId}`;
    const id = await databaseFromBackup(source, { besideDatabaseId: target, name }, summary);
    run.scratch.set(id, 'reference database');
    return id;
  });
  run.status.referenceDatabaseId = reference;
  await readyWait(run, reference, source, true);
  const inventory = await inventoryOf(reference, `Inventory of reference database ${reference}`);
  await deleteScratch(run, reference);
  run.status.referenceDatabaseId = undefined;
  return inventory;
}
