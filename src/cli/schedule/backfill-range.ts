// The time range of `schedule backfill`. Pure.

// A date, or a date and time with Z or an offset: without a zone a time would be read in the
// machine's zone, which differs between a laptop and a server.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Slack for clocks: `--to` may be this far in the future. */
export const FUTURE_SLACK_MS = 60_000;

/** A Date; throws an Error naming the flag and the accepted forms. */
export function parseIsoTime(flag: string, text: string): Date {
  const match = ISO.exec(text.trim());
  const date = match ? new Date(match[4] === undefined ? `${text.trim()}T00:00:00Z` : text.trim()) : undefined;
  // new Date() rolls 2026-02-30 over to March; a date that does not survive the round trip is not real.
  const real = date && !Number.isNaN(date.getTime()) && utcDay(date, match![7]) === `${match![1]}-${match![2]}-${match![3]}`;
  if (!real) {
    throw new Error(
      `${flag} takes an ISO 8601 date (2026-11-20, read as 00:00 UTC) or date and time with a zone (2026-11-20T03:00:00Z, 2026-11-20T03:00+01:00); got ${JSON.stringify(text)}.`,
    );
  }
  return date!;
}

/** The calendar day of `date` as written in `zone` ("Z", "+01:00" or none for UTC). */
function utcDay(date: Date, zone: string | undefined): string {
  const offsetMinutes =
    zone && zone !== 'Z' ? (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) : 0;
  return new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** Checks `--from` and `--to`; throws an Error listing what to change. */
export function backfillRange(from: string, to: string, now: Date): { start: Date; end: Date } {
  const problems: string[] = [];
  const read = (flag: string, text: string) => {
    try {
      return parseIsoTime(flag, text);
    } catch (err) {
      problems.push((err as Error).message);
      return undefined;
    }
  };
  const start = read('--from', from);
  const end = read('--to', to);
  if (start && end && start.getTime() >= end.getTime()) problems.push('--from must be before --to.');
  if (end && end.getTime() > now.getTime() + FUTURE_SLACK_MS) {
    problems.push('--to is in the future: a backfill takes the runs of times that have passed; `schedule trigger` runs one now.');
  }
  if (problems.length > 0) throw new Error(`Nothing was backfilled: ${problems.join(' ')}`);
  return { start: start!, end: end! };
}
