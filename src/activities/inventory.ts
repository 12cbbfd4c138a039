// What verification reads: each table's rows and checksum, or the user's SQL check; findings never quote a value of the data.
import { ApplicationFailure } from '@temporalio/activity';
import { DatabaseError, escapeIdentifier, type QueryArrayConfig } from 'pg';
import { ErrorType } from '../shared/errors';
import { sqlErrorText, type ReadOnlySession } from './database-access';
import type { Inventory, SqlCheckOutcome, TableInventory } from './types';

/** An inventory goes into history: about 100 bytes a table. */
export const MAX_INVENTORY_TABLES = 2_000;
export const MAX_FINDINGS = 20;

/** Ordinary tables (partitions hold the rows too) outside the system schemas. */
const TABLES_SQL = `
  SELECT n.nspname AS schema, c.relname AS name
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;

/** Rows and an order-independent checksum: the sum of a 64-bit hash of each row's text, hashed to a fixed width. */
const tableSql = (schema: string, name: string) =>
  `SELECT count(*)::text AS rows, left(md5(coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint), 0)::text), 16) AS checksum ` +
  `FROM ONLY ${escapeIdentifier(schema)}.${escapeIdentifier(name)} AS t`;

export async function readInventory(session: ReadOnlySession, databaseId: string, progress: () => void): Promise<Inventory> {
  const { rows: found } = await session.query<{ schema: string; name: string }>(TABLES_SQL);
  if (found.length > MAX_INVENTORY_TABLES)
    throw ApplicationFailure.create({
      type: ErrorType.VerificationInconclusive,
      message: `${databaseId} has ${found.length} tables; an inventory holds at most ${MAX_INVENTORY_TABLES}. Give a SQL check of your own instead.`,
      nonRetryable: true,
    });
  const tables: TableInventory[] = [];
  for (const { schema, name } of found) {
    const { rows } = await session.query<{ rows: string; checksum: string }>(tableSql(schema, name));
    tables.push({ table: `${schema}.${name}`, rows: Number(rows[0].rows), checksum: rows[0].checksum });
    progress();
  }
  // Code-point order, whatever the server's collation.
  return { tables: tables.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0)) };
}

const notTrue = (value: unknown) =>
  value === false ? 'false' : value === null ? 'NULL' : 'not a boolean (write each column as a condition, e.g. count(*) > 0 AS has_rows)';

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

/** The user's check: one statement, in the session's READ ONLY transaction; its error is a finding, not a failure. */
export async function runSqlCheck(session: ReadOnlySession, sql: string): Promise<SqlCheckOutcome> {
  try {
    // The extended protocol holds exactly one statement.
    const result = await session.query({ text: sql, rowMode: 'array', queryMode: 'extended' } as QueryArrayConfig);
    return sqlCheckOutcome(
      result.fields.map((field) => field.name),
      result.rows as unknown[][],
    );
  } catch (err) {
    if (!(err instanceof DatabaseError)) throw err;
    return { passed: false, rows: 0, findings: [sqlErrorText(err)] };
  }
}
