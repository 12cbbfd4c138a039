// The flags of `schedule create`, checked and turned into what the schedule holds. Pure: every
// problem is found here, in the flags' own terms, before Temporal is contacted.
import { inFlagTerms, POLL_FLAGS } from '../run-options';
import { formatDuration, parseDuration } from '../../shared/durations';
import type { BackupAndRestoreInput, PollPolicy } from '../../shared/workflow-types';
import { DATABASE_ID_PATTERN, DEFAULT_APPROVAL_TIMEOUT_MS, inputProblems } from '../../shared/validate-input';
import { defaultScheduleId, scheduleIdProblems } from './schedule-ids';
import { CATCHUP_WINDOW_LIMITS_MS, DEFAULT_CATCHUP_WINDOW } from './schedule-policy';
import { canonicalTimeZone, cronProblems, intervalProblems, type WhenSpec } from './schedule-spec';

/** Option values as commander hands them over (strings, booleans). */
export interface ScheduleCreateFlags {
  databaseId?: string;
  cron?: string;
  every?: string;
  offset?: string;
  timeZone?: string;
  catchupWindow?: string;
  label?: string;
  withRestore?: boolean;
  yes?: boolean;
  requireApproval?: boolean;
  approvalTimeout?: string;
  /** false with --no-approval. */
  approval?: boolean;
  pollInitial?: string;
  pollMax?: string;
  deadline?: string;
  pollFailingLimit?: string;
  paused?: boolean;
  update?: boolean;
}

export interface ScheduleRequest {
  scheduleId: string;
  /** The input of every run the schedule starts. */
  input: BackupAndRestoreInput;
  when: WhenSpec;
  catchupWindowMs: number;
  /** Create (or leave, with --update) the schedule paused. */
  paused: boolean;
  update: boolean;
}

/** The flags cannot make a schedule; `problems` say what to change. */
export class ScheduleFlagsError extends Error {
  constructor(
    readonly problems: string[],
    update = false,
  ) {
    super(`Nothing was ${update ? 'changed' : 'created'}: ${problems.join(' ')}`);
    this.name = 'ScheduleFlagsError';
  }
}

/** Runs `read`, collecting its Error's message as a problem. */
function collect<T>(problems: string[], read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    problems.push((err as Error).message);
    return undefined;
  }
}

function whenFromFlags(flags: ScheduleCreateFlags, problems: string[]): WhenSpec | undefined {
  if (flags.cron !== undefined && flags.every !== undefined) {
    problems.push('Give either --cron or --every, not both.');
    return undefined;
  }
  if (flags.cron === undefined && flags.every === undefined) {
    problems.push('Say when to run: --cron "0 3 * * *" (03:00 every day, in --time-zone) or --every 24h.');
    return undefined;
  }
  if (flags.cron !== undefined) {
    if (flags.offset !== undefined) problems.push('--offset shifts an --every interval; with --cron, put the time in the expression.');
    const cron = cronProblems(flags.cron);
    problems.push(...cron);
    const timeZone = collect(problems, () => canonicalTimeZone(flags.timeZone ?? 'UTC'));
    return cron.length === 0 && timeZone ? { kind: 'cron', cron: flags.cron.trim(), timeZone } : undefined;
  }
  if (flags.timeZone !== undefined) {
    problems.push(
      '--time-zone applies to --cron only: an --every interval counts from 1970-01-01 00:00 UTC whatever the zone ' +
        '(--every 24h --offset 2h runs at 02:00 UTC). For a local time use --cron, e.g. --cron "0 3 * * *" --time-zone Europe/Berlin.',
    );
  }
  const everyMs = collect(problems, () => parseDuration('--every', flags.every!));
  const offsetMs = flags.offset === undefined ? 0 : collect(problems, () => parseDuration('--offset', flags.offset!));
  if (everyMs === undefined || offsetMs === undefined) return undefined;
  const interval = intervalProblems(everyMs, offsetMs);
  problems.push(...interval);
  return interval.length === 0 ? { kind: 'interval', everyMs, offsetMs } : undefined;
}

function restoreFromFlags(
  flags: ScheduleCreateFlags,
  databaseId: string,
  problems: string[],
): Pick<BackupAndRestoreInput, 'restore' | 'approval'> {
  const approvalFlag =
    flags.approvalTimeout !== undefined ? '--approval-timeout' : flags.requireApproval ? '--require-approval' : undefined;
  if (!flags.withRestore) {
    if (approvalFlag) problems.push(`${approvalFlag} guards the restore, and scheduled runs only back up unless --with-restore is given.`);
    if (flags.approval === false) problems.push('--no-approval applies to --with-restore only.');
    return { restore: false };
  }
  if (flags.approval === false && approvalFlag) {
    problems.push(`Give either ${approvalFlag} or --no-approval, not both.`);
    return { restore: true };
  }
  if (!flags.yes) {
    const gate = flags.approval === false ? 'with no approval' : 'once someone approves it with `approve`';
    problems.push(
      `--with-restore makes every scheduled run restore ${databaseId || 'the database'} from the backup it has just taken, ${gate}, ` +
        'replacing all data written since. Add --yes to confirm; without --with-restore the schedule only backs up.',
    );
  }
  if (flags.approval === false) return { restore: true };
  const timeoutMs =
    flags.approvalTimeout === undefined
      ? DEFAULT_APPROVAL_TIMEOUT_MS
      : collect(problems, () => parseDuration('--approval-timeout', flags.approvalTimeout!));
  return { restore: true, approval: { timeoutMs: timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS } };
}

/** What `schedule create [ID]` asks for; throws ScheduleFlagsError listing every problem. */
export function scheduleRequestFromFlags(id: string | undefined, flags: ScheduleCreateFlags): ScheduleRequest {
  const problems: string[] = [];
  const databaseId = flags.databaseId?.trim() ?? '';
  const scheduleId = id ?? defaultScheduleId(databaseId);
  // Without an id, a bad database id is reported once, as such.
  if (id !== undefined || DATABASE_ID_PATTERN.test(databaseId)) problems.push(...scheduleIdProblems(scheduleId));
  const when = whenFromFlags(flags, problems);
  const catchupWindowMs = collect(problems, () => parseDuration('--catchup-window', flags.catchupWindow ?? DEFAULT_CATCHUP_WINDOW));
  if (catchupWindowMs !== undefined && (catchupWindowMs < CATCHUP_WINDOW_LIMITS_MS.min || catchupWindowMs > CATCHUP_WINDOW_LIMITS_MS.max)) {
    problems.push(
      `--catchup-window must be from ${formatDuration(CATCHUP_WINDOW_LIMITS_MS.min)} to ${formatDuration(CATCHUP_WINDOW_LIMITS_MS.max)}.`,
    );
  }
  const poll: Partial<PollPolicy> = {};
  for (const [key, flag, field] of POLL_FLAGS) {
    const text = flags[key];
    if (typeof text !== 'string') continue;
    const ms = collect(problems, () => parseDuration(flag, text));
    if (ms !== undefined) poll[field] = ms;
  }
  const restore = restoreFromFlags(flags, databaseId, problems);
  const input: BackupAndRestoreInput = {
    databaseId,
    ...(flags.label !== undefined ? { backupLabel: flags.label } : {}),
    ...restore,
    ...(Object.keys(poll).length > 0 ? { poll } : {}),
  };
  problems.push(...inputProblems(input).map(inFlagTerms));
  if (problems.length > 0 || !when || catchupWindowMs === undefined) throw new ScheduleFlagsError(problems, flags.update);
  return { scheduleId, input, when, catchupWindowMs, paused: Boolean(flags.paused), update: Boolean(flags.update) };
}
