// The demo's data: a small table in the simulator's database, seeded, changed after the backup, and
// read back after the restore, so the rows can be seen coming back.
import type { DataMethods } from '../simulator';

export const TABLE = 'accounts';

export interface Row {
  id: number;
  name: string;
  /** numeric(10,2), which pg returns as text: printed exactly as stored. */
  balance: string;
}

/** What the changes do, in words. */
export const CHANGES_IN_WORDS = 'deleted ids 2 and 4, set the balance of id 3 to 0.00';

type Data = Pick<DataMethods, 'sql'>;

export function readRows(data: Data, databaseId: string): Promise<Row[]> {
  return data.sql<Row>(databaseId, `SELECT id, name, balance FROM ${TABLE} ORDER BY id`);
}

/** Creates the table with five rows; resolves to them as read back. */
export async function seedRows(data: Data, databaseId: string): Promise<Row[]> {
  await data.sql(databaseId, `CREATE TABLE ${TABLE} (id integer PRIMARY KEY, name text NOT NULL, balance numeric(10,2) NOT NULL)`);
  await data.sql(
    databaseId,
    `INSERT INTO ${TABLE} (id, name, balance) VALUES (1, 'Ada', 120.00), (2, 'Grace', 75.50), (3, 'Alan', 310.25), (4, 'Edsger', 42.00), (5, 'Barbara', 18.75)`,
  );
  return readRows(data, databaseId);
}

/** Deletes two rows and edits one (CHANGES_IN_WORDS); resolves to the rows as read back. */
export async function changeRows(data: Data, databaseId: string): Promise<Row[]> {
  await data.sql(databaseId, `DELETE FROM ${TABLE} WHERE id IN (2, 4)`);
  await data.sql(databaseId, `UPDATE ${TABLE} SET balance = 0 WHERE id = 3`);
  return readRows(data, databaseId);
}

export function sameRows(a: Row[], b: Row[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The rows as a psql-like table, each line indented; numbers right-aligned. */
export function rowsTable(rows: Row[], indent = '    '): string {
  const header = ['id', 'name', 'balance'];
  const cells = rows.map((row) => [String(row.id), row.name, row.balance]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i].length)));
  const rightAligned = [true, false, true];
  const line = (values: string[]) =>
    values.map((value, i) => (rightAligned[i] ? value.padStart(widths[i]) : value.padEnd(widths[i]))).join(' | ');
  const lines = [line(header), widths.map((width) => '-'.repeat(width)).join('-+-'), ...cells.map(line)];
  if (rows.length === 0) lines.push('(no rows)');
  return lines.map((text) => `${indent}${text}`.trimEnd()).join('\n');
}
