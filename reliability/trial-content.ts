// What a crash trial's database holds, state by state, and how the content found after the run is
// judged. Each state's rows name the trial and the state, so no two states (nor two trials) hold the
// same rows, and the rows found tell which state came back. Pure.

export interface TrialRow {
  id: number;
  label: string;
}

/**
 * older: what an older backup holds (prisma, the backup the run must pass over); ours: what the
 * run's backup holds; changed: ours after the rows were changed (some deleted, one edited), as the
 * database holds it from after the backup until the restore.
 */
export type TrialState = 'older' | 'ours' | 'changed';

export const TRIAL_TABLE = 'trial_rows';

export const CREATE_TRIAL_TABLE = `CREATE TABLE ${TRIAL_TABLE} (id integer PRIMARY KEY, label text NOT NULL)`;

export const SELECT_TRIAL_ROWS = `SELECT id, label FROM ${TRIAL_TABLE} ORDER BY id`;

export function trialRows(trial: number, state: TrialState): TrialRow[] {
  const row = (id: number, what = '') => ({ id, label: `trial ${trial}, row ${id}${what}` });
  switch (state) {
    case 'older':
      return [1, 2, 3].map((id) => row(id, ', as an older backup held it'));
    case 'ours':
      return [1, 2, 3, 4, 5].map((id) => row(id));
    case 'changed':
      return [row(1), row(3, ', edited after the backup'), row(5)];
  }
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The statements that turn `from` into `to`: deletes, updates and inserts by id (one string, for one round trip). */
export function transitionSql(from: readonly TrialRow[], to: readonly TrialRow[]): string {
  const before = new Map(from.map((r) => [r.id, r.label]));
  const after = new Set(to.map((r) => r.id));
  const gone = from.filter((r) => !after.has(r.id)).map((r) => r.id);
  const statements = gone.length > 0 ? [`DELETE FROM ${TRIAL_TABLE} WHERE id IN (${gone.join(', ')})`] : [];
  for (const r of to) {
    const was = before.get(r.id);
    if (was === undefined) statements.push(`INSERT INTO ${TRIAL_TABLE} (id, label) VALUES (${r.id}, ${literal(r.label)})`);
    else if (was !== r.label) statements.push(`UPDATE ${TRIAL_TABLE} SET label = ${literal(r.label)} WHERE id = ${r.id}`);
  }
  return statements.join('; ');
}

/** The content check of one run: which state its database had to hold, and which it holds. */
export interface ContentCheck {
  expected: TrialState;
  /** The state whose rows the database holds exactly; 'other' when none, 'unreadable' when they could not be read. */
  found: TrialState | 'other' | 'unreadable';
  /** What was read (rows, or why none), when found is not expected. */
  detail?: string;
}

/** Judges the rows read after the run against the trial's states. */
export function judgeContent(trial: number, expected: TrialState, read: { rows: readonly TrialRow[] } | { error: string }): ContentCheck {
  if ('error' in read) return { expected, found: 'unreadable', detail: read.error };
  const same = (state: TrialState) =>
    JSON.stringify(read.rows.map(({ id, label }) => ({ id, label }))) === JSON.stringify(trialRows(trial, state));
  const found = (['ours', 'changed', 'older'] as const).find(same) ?? 'other';
  if (found === expected) return { expected, found };
  const rows = read.rows.map((r) => `${r.id} ${JSON.stringify(r.label)}`);
  return { expected, found, detail: rows.length === 0 ? 'no rows' : `${rows.length} row(s): ${rows.join(', ')}` };
}

const STATE_WORDS: Record<ContentCheck['found'], string> = {
  ours: "the rows of the run's backup",
  changed: 'the rows as changed after the backup',
  older: 'the rows of an older backup',
  other: "rows of none of the trial's states",
  unreadable: 'no rows that could be read',
};

/** One sentence for the report: `holds the rows as changed after the backup, not the rows of the run's backup (3 row(s): ...)`. */
export function describeMismatch(check: ContentCheck): string {
  return `database holds ${STATE_WORDS[check.found]}, not ${STATE_WORDS[check.expected]}${check.detail ? ` (${check.detail})` : ''}`;
}
