// Comparing two table inventories, and saying each difference in words. Pure.
import type { Inventory } from '../activities';

/** Differences listed in a message; the rest are counted. */
export const MAX_DIFFERENCES = 20;

/** How each side is named in the differences, e.g. "in the backup" and "in db_1". */
export type Sides = { expected: string; actual: string };

const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

/** Every table that differs, by name: missing, extra, another row count, or the same count with other content. */
export function inventoryDifferences(expected: Inventory, actual: Inventory, sides: Sides): string[] {
  const want = new Map(expected.tables.map((t) => [t.table, t]));
  const have = new Map(actual.tables.map((t) => [t.table, t]));
  const names = [...new Set([...want.keys(), ...have.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const found: string[] = [];
  for (const table of names) {
    const w = want.get(table);
    const h = have.get(table);
    if (!h) found.push(`${table}: not ${sides.actual} (${rows(w!.rows)} ${sides.expected})`);
    else if (!w) found.push(`${table}: not ${sides.expected} (${rows(h.rows)} ${sides.actual})`);
    else if (w.rows !== h.rows) found.push(`${table}: ${rows(w.rows)} ${sides.expected}, ${h.rows} ${sides.actual}`);
    else if (w.checksum !== h.checksum) {
      found.push(
        `${table}: ${rows(w.rows)} ${sides.expected} and ${sides.actual}, but other content (checksum ${w.checksum} ${sides.expected}, ${h.checksum} ${sides.actual})`,
      );
    }
  }
  return found;
}

/** The first MAX_DIFFERENCES findings as one text, then how many more there are. */
export function listed(findings: string[]): string {
  const shown = findings.slice(0, MAX_DIFFERENCES).join('; ');
  return findings.length > MAX_DIFFERENCES ? `${shown}; and ${findings.length - MAX_DIFFERENCES} more` : shown;
}

/** Tables and rows in all. */
export function totals(inventory: Inventory): { tables: number; rows: number } {
  return { tables: inventory.tables.length, rows: inventory.tables.reduce((sum, t) => sum + t.rows, 0) };
}

/** "3 tables, 10002 rows". */
export function totalsText(inventory: Inventory): string {
  const { tables, rows: count } = totals(inventory);
  return `${tables} table${tables === 1 ? '' : 's'}, ${rows(count)}`;
}
