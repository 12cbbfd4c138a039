// When a schedule runs: a cron expression in a time zone, or a fixed interval. Pure.
import type { ScheduleSpec } from '@temporalio/client';
import { formatDuration } from '../../shared/durations';
import { MIN_INTERVAL_MS } from './schedule-policy';

export type WhenSpec = { kind: 'cron'; cron: string; timeZone: string } | { kind: 'interval'; everyMs: number; offsetMs: number };

/** The calendar comment the CLI stores the cron expression in (the server keeps only the calendar it compiles). */
export const CRON_COMMENT_PREFIX = 'cron: ';

const CRON_SHORTHANDS = ['@yearly', '@monthly', '@weekly', '@daily', '@hourly'];
const CRON_FIELD = /^[0-9A-Za-z*?,/-]+$/;

/** Empty when Temporal should accept the expression; its own check runs again on create. */
export function cronProblems(cron: string): string[] {
  const text = cron.trim();
  if (/^(CRON_TZ|TZ)=/i.test(text)) return ['--cron takes the expression alone: give the time zone with --time-zone.'];
  if (/^@every\b/i.test(text)) return ['--cron does not take @every: use --every (and --offset) for a fixed interval.'];
  if (text.startsWith('@')) {
    return CRON_SHORTHANDS.includes(text.toLowerCase())
      ? []
      : [`--cron ${JSON.stringify(text)}: the shorthands are ${CRON_SHORTHANDS.join(', ')}.`];
  }
  const fields = text.split(/\s+/);
  if (text === '' || fields.length < 5 || fields.length > 7) {
    return [
      `--cron takes 5 fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * *" for 03:00 every day; got ${JSON.stringify(cron)}` +
        (text === '' ? '.' : ` (${fields.length} field${fields.length === 1 ? '' : 's'}).`),
    ];
  }
  const bad = fields.filter((field) => !CRON_FIELD.test(field));
  return bad.length > 0
    ? [`--cron field ${JSON.stringify(bad[0])} is not a cron field: use digits, names, *, ranges (1-5), lists (1,15) and steps (*/15).`]
    : [];
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

function closestTimeZone(name: string): string | undefined {
  const wanted = name.toLowerCase();
  let best: { zone: string; d: number } | undefined;
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const d = distance(wanted, zone.toLowerCase());
    if (!best || d < best.d) best = { zone, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 4)) ? best.zone : undefined;
}

/** The IANA name as Temporal expects it (e.g. "europe/berlin" → "Europe/Berlin"); throws an Error saying what to use. */
export function canonicalTimeZone(name: string): string {
  const text = name.trim();
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    resolved = undefined;
  }
  // Offsets ("+01:00") are zones to Intl on newer Node versions, but not IANA names the server loads.
  if (resolved === undefined || !/^[A-Za-z]/.test(resolved)) {
    const suggestion = closestTimeZone(text);
    throw new Error(
      `--time-zone ${JSON.stringify(name)} is not a time zone name` +
        (suggestion ? `; did you mean ${suggestion}?` : ': use an IANA name such as Europe/Berlin, America/New_York or UTC.'),
    );
  }
  return resolved;
}

/** Problems with an interval; durations in milliseconds. */
export function intervalProblems(everyMs: number, offsetMs: number): string[] {
  const problems: string[] = [];
  if (everyMs < MIN_INTERVAL_MS) problems.push(`--every must be at least ${formatDuration(MIN_INTERVAL_MS)}: each run takes a backup.`);
  if (everyMs % 1000 !== 0) problems.push('--every must be a whole number of seconds.');
  if (offsetMs % 1000 !== 0) problems.push('--offset must be a whole number of seconds.');
  if (offsetMs >= everyMs) problems.push(`--offset must be shorter than --every (${formatDuration(everyMs)}).`);
  return problems;
}

/** Temporal's spec. The cron expression travels in the calendar's comment, for `describe`. */
export function toScheduleSpec(when: WhenSpec): ScheduleSpec {
  if (when.kind === 'cron') {
    const cron = when.cron.trim().replace(/\s+/g, ' ');
    return { cronExpressions: [`${cron} # ${CRON_COMMENT_PREFIX}${cron}`], timezone: when.timeZone };
  }
  return { intervals: [{ every: when.everyMs, offset: when.offsetMs }] };
}
