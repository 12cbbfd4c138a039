// Input checks of verification and drills, shared by the starter and the workflow (validate-input.ts).
import type { ApiProfile } from './api-types';
import type { BackupAndRestoreInput, Inventory } from './workflow-types';

/** Longest SQL check: a check is a query someone reads, not a script. */
export const MAX_VERIFY_SQL_LENGTH = 10_000;
/** Most tables an inventory holds: it goes into workflow history (about 100 bytes a table). */
export const MAX_INVENTORY_TABLES = 2_000;
/** Longest table name an inventory keeps: `schema.table`, each at most 63 bytes in Postgres, plus quoting. */
export const MAX_TABLE_NAME_LENGTH = 300;

/** After comments and blanks, a query's first word: a check reads, so it begins as a query does. */
const QUERY_START = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(select|with|values|table)\b/i;
// NUL and the C0 controls other than tab, newline and carriage return.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** What is wrong with verify.sql, if anything. */
function sqlProblems(sql: unknown): string[] {
  if (typeof sql !== 'string' || sql.trim() === '') {
    return ['verify.sql, when given, must be a query, e.g. "SELECT count(*) > 0 AS has_orders FROM orders".'];
  }
  if (sql.length > MAX_VERIFY_SQL_LENGTH) return [`verify.sql is ${sql.length} characters long; keep it to ${MAX_VERIFY_SQL_LENGTH}.`];
  if (UNPRINTABLE.test(sql)) return ['verify.sql contains control characters other than tabs and newlines; remove them.'];
  if (!QUERY_START.test(sql)) {
    return [
      'verify.sql must be one query (beginning with SELECT, WITH, VALUES or TABLE): a check only reads, and it runs in a READ ONLY transaction. ' +
        'It passes when it returns at least one row and every column of every row is true, e.g. "SELECT count(*) = 10000 AS all_orders FROM orders".',
    ];
  }
  return [];
}

/** Every problem with `verify` and `drill`, each saying what to change. */
export function verifyProblems(input: BackupAndRestoreInput, profile: ApiProfile): string[] {
  const { verify, drill, restore, backupId, newDatabase, approval } = input;
  const problems: string[] = [];
  if (verify !== undefined) {
    if (typeof verify !== 'object' || verify === null || Array.isArray(verify)) {
      problems.push('verify, when given, must be an object: {} for the default check, or { sql: "SELECT …" } for a check of your own.');
    } else {
      const unknown = Object.keys(verify).filter((key) => key !== 'sql');
      problems.push(...unknown.map((key) => `verify.${key} is not a known field; the only one is sql.`));
      if (verify.sql !== undefined) problems.push(...sqlProblems(verify.sql));
      if (restore === false) problems.push('verify checks the restored database, so it cannot be combined with restore: false.');
      else if (profile === 'seed' && backupId !== undefined && verify.sql === undefined) {
        problems.push(
          "verify without sql compares the restored database with the source's inventory, which a seed run records around the backup it takes " +
            'itself; a run that restores an existing backup (backupId) has none. Give verify.sql, a check of your own.',
        );
      }
    }
  }
  if (drill !== undefined) {
    if (typeof drill !== 'boolean') problems.push('drill, when given, must be true or false.');
    else if (drill && profile === 'seed') {
      problems.push(
        'drill needs the prisma profile (PRISMA_API_PROFILE=prisma): a drill restores into a new scratch database, so that it never touches ' +
          'the source, and the seed API cannot create a database (it restores a backup only into its own database). Leave drill out; ' +
          'to check a seed restore, give verify.',
      );
    } else if (drill) {
      if (newDatabase === undefined) {
        problems.push(
          'drill restores into a new scratch database: give newDatabase: { projectId } (where to create it); it is deleted at the end.',
        );
      }
      if (approval !== undefined) problems.push('A drill replaces no data, so it takes no approval; leave approval out.');
    }
  }
  return problems;
}

const isCount = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;

/** An inventory as the activity returns it, within the limits history can hold. */
export function isInventory(value: unknown): value is Inventory {
  const tables = (value as Partial<Inventory> | null)?.tables;
  return (
    Array.isArray(tables) &&
    tables.length <= MAX_INVENTORY_TABLES &&
    tables.every(
      (t: unknown) =>
        typeof t === 'object' &&
        t !== null &&
        typeof (t as { table?: unknown }).table === 'string' &&
        (t as { table: string }).table.length <= MAX_TABLE_NAME_LENGTH &&
        isCount((t as { rows?: unknown }).rows) &&
        typeof (t as { checksum?: unknown }).checksum === 'string' &&
        (t as { checksum: string }).checksum.length <= 64,
    )
  );
}
