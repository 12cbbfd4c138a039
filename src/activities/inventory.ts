// What verification reads in a database: its table inventory (every user table, its row count and a
// checksum of its rows), or the answer to the user's SQL check. Both in one read-only session.
import { ApplicationFailure } from '@temporalio/activity';
import { DatabaseError, escapeIdentifier, type QueryArrayConfig } from 'pg';
import { ErrorType } from '../shared/errors';
import { MAX_INVENTORY_TABLES, MAX_TABLE_NAME_LENGTH } from '../shared/verify-input';
import type { Inventory, TableInventory } from '../shared/workflow-types';
import type { ReadOnlySession } from './database-access';
import type { SqlCheckOutcome } from './types';

/** Ordinary tables (partitions included, as they hold the rows) outside the system schemas. */
const TABLES_SQL = `
  SELECT n.nspname AS schema, c.relname AS name
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;

/**
 * Rows and checksum of one table: the sum of a 64-bit hash of each row's text, so the order rows are
 * stored in does not matter and a duplicated row counts twice; the sum (numeric) is hashed once more
 * to a fixed width. Each row is read once, with no sort.
 */
const tableSql = (schema: string, name: string) =>
  `SELECT count(*)::text AS rows, left(md5(coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint), 0)::text), 16) AS checksum ` +
  `FROM ONLY ${escapeIdentifier(schema)}.${escapeIdentifier(name)} AS t`;

/** Code-point order, so the inventory reads the same whatever the server's collation. */
const byName = (a: { table: string }, b: { table: string }) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0);

/** The inventory of the session's database; `progress` is called after each table (heartbeats). */
export async function readInventory(session: ReadOnlySession, databaseId: string, progress: () => void): Promise<Inventory> {
  const { rows: found } = await session.query<{ schema: string; name: string }>(TABLES_SQL);
  if (found.length > MAX_INVENTORY_TABLES) {
    throw ApplicationFailure.create({
      type: ErrorType.VerificationInconclusive,
      message:
        `Database ${databaseId} has ${found.length} tables; an inventory holds at most ${MAX_INVENTORY_TABLES} (it is kept in workflow history). ` +
        'Give verify.sql (--sql), a check of your own, instead.',
      nonRetryable: true,
    });
  }
  const tables: TableInventory[] = [];
  for (const { schema, name } of found) {
    const { rows } = await session.query<{ rows: string; checksum: string }>(tableSql(schema, name));
    tables.push({ table: `${schema}.${name}`.slice(0, MAX_TABLE_NAME_LENGTH), rows: Number(rows[0].rows), checksum: rows[0].checksum });
    progress();
  }
  return { tables: tables.sort(byName) };
}

export const MAX_FINDINGS = 20;

/** Values are never quoted back: they are the database's data, and the findings go into history. */
function notTrue(value: unknown): string {
  if (value === false) return 'false';
  if (value === null) return 'NULL';
  return 'not a boolean (write each column as a condition, e.g. count(*) > 0 AS has_rows)';
}

/** Whether a check's answer passes: at least one row, and every column of every row true. Pure. */
export function sqlCheckOutcome(columns: string[], rows: unknown[][]): SqlCheckOutcome {
  if (rows.length === 0)
    return { passed: false, rows: 0, findings: ['the query returned no rows (a check passes when it returns rows that are all true)'] };
  if (columns.length === 0) return { passed: false, rows: rows.length, findings: ['the query returned no columns to check'] };
  const findings: string[] = [];
  let failed = 0;
  rows.forEach((row, r) =>
    columns.forEach((column, c) => {
      if (row[c] === true) return;
      failed += 1;
      if (findings.length < MAX_FINDINGS) findings.push(`${rows.length === 1 ? '' : `row ${r + 1}: `}${column} is ${notTrue(row[c])}`);
    }),
  );
  if (failed > MAX_FINDINGS) findings.push(`and ${failed - MAX_FINDINGS} more`);
  return { passed: failed === 0, rows: rows.length, findings };
}

/**
 * Runs the user's check: one statement (the extended protocol refuses several), in the session's
 * READ ONLY transaction. An error of the query is a finding, not a failure of the activity.
 */
export async function runSqlCheck(session: ReadOnlySession, sql: string): Promise<SqlCheckOutcome> {
  try {
    // queryMode (untyped in @types/pg) sends it as a prepared statement, which holds exactly one.
    const result = await session.query({ text: sql, rowMode: 'array', queryMode: 'extended' } as QueryArrayConfig);
    return sqlCheckOutcome(
      result.fields.map((field) => field.name),
      result.rows as unknown[][],
    );
  } catch (err) {
    if (!(err instanceof DatabaseError)) throw err;
    const why =
      err.code === '25006'
        ? 'the check tried to write, and verification runs it READ ONLY'
        : err.code === '57014'
          ? 'the check took too long and was cancelled'
          : 'the query failed';
    return { passed: false, rows: 0, findings: [`${why}: ${err.message} (SQLSTATE ${err.code})`] };
  }
}
