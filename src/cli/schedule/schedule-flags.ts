// The flags of `schedule create`, checked and turned into what the schedule holds. Pure: every
// problem is found here, in the flags' own terms, before Temporal is contacted.
import type { ApiProfile } from '../../shared/api-types';
import { backupInWords, consentProblem, needlessConsent, replacedDatabase, YES_REFUSED } from '../confirm';
import {
  inFlagTerms,
  POLL_FLAGS,
  pollModeOf,
  PROFILE_IN_WORDS,
  restoreFlagProblems,
  restoreTargetInput,
  type RestoreTargetFlags,
} from '../run-options';
import { formatDuration, parseDuration } from '../../shared/durations';
import type { BackupAndRestoreInput, PollPolicy } from '../../shared/workflow-types';
import { DATABASE_ID_PATTERN, DEFAULT_APPROVAL_TIMEOUT_MS, inputProblems } from '../../shared/validate-input';
import { drillFields, drillProblems, inDrillFlagTerms, type DrillFlags } from '../drill-options';
import { defaultScheduleId, scheduleIdProblems } from './schedule-ids';
import { CATCHUP_WINDOW_LIMITS_MS, DEFAULT_CATCHUP_WINDOW } from './schedule-policy';
import { canonicalTimeZone, cronProblems, intervalProblems, type WhenSpec } from './schedule-spec';

/** Option values as commander hands them over (strings, booleans). */
export interface ScheduleCreateFlags extends Omit<RestoreTargetFlags, 'backupId' | 'newDatabaseName'>, Omit<DrillFlags, 'backupId'> {
  /** Every run is a restore drill (drill-options.ts). */
  drill?: boolean;
  cron?: string;
  every?: string;
  offset?: string;
  timeZone?: string;
  catchupWindow?: string;
  withRestore?: boolean;
  /** The exact id of the database every run replaces the data of. */
  confirm?: string;
  /** Refused: a scheduled restore is confirmed with --confirm <target database id>. */
  yes?: boolean;
  requireApproval?: boolean;
  approvalTimeout?: string;
  /** false with --no-approval. */
  approval?: boolean;
  pollInitial?: string;
  pollMax?: string;
  deadline?: string;
  pollFailingLimit?: string;
  pollMode?: string;
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

/** The restore flags that mean something only when runs restore. */
const RESTORE_ONLY_FLAGS = [
  ['--target-database', 'targetDatabase'],
  ['--new-database-in', 'newDatabaseIn'],
  ['--region', 'region'],
  ['--newer-backup', 'newerBackup'],
  ['--ready-timeout', 'readyTimeout'],
  ['--confirm', 'confirm'],
] as const satisfies readonly (readonly [string, keyof ScheduleCreateFlags])[];

type RestoreFields = Pick<
  BackupAndRestoreInput,
  'restore' | 'approval' | 'targetDatabaseId' | 'newDatabase' | 'waitForNewerBackup' | 'readyDeadlineMs' | 'drill' | 'verify'
>;

/** The flags a drill does not take, and why. */
const NOT_WITH_DRILL = [
  ['--with-restore', 'withRestore', 'every drill restores already'],
  ['--target-database', 'targetDatabase', 'a drill never restores into an existing database'],
  ['--new-database-in', 'newDatabaseIn', "a drill's scratch database goes in --project"],
  ['--confirm', 'confirm', 'a drill replaces no data'],
  ['--require-approval', 'requireApproval', 'a drill replaces no data, so it waits for no approval'],
  ['--approval-timeout', 'approvalTimeout', 'a drill replaces no data, so it waits for no approval'],
] as const satisfies readonly (readonly [string, keyof ScheduleCreateFlags, string])[];

/** Every run a drill: what it takes from the flags, each problem said in the flags' terms. */
function drillFromFlags(flags: ScheduleCreateFlags, profile: ApiProfile, problems: string[]): RestoreFields {
  problems.push(...drillProblems(flags, profile));
  // The seed profile's refusal says it all; a drill's fields would only be refused again.
  if (profile === 'seed') return {};
  for (const [flag, key, why] of NOT_WITH_DRILL) if (flags[key] !== undefined) problems.push(`Leave ${flag} out with --drill: ${why}.`);
  return collect(problems, () => drillFields(flags)) ?? { drill: true };
}

function restoreFromFlags(flags: ScheduleCreateFlags, databaseId: string, profile: ApiProfile, problems: string[]): RestoreFields {
  if (flags.drill) return drillFromFlags(flags, profile, problems);
  for (const [flag, given] of [
    ['--project', flags.project],
    ['--sql', flags.sql],
  ] as const) {
    if (given !== undefined) problems.push(`${flag} describes a drill; add --drill, or leave ${flag} out.`);
  }
  const approvalFlag =
    flags.approvalTimeout !== undefined ? '--approval-timeout' : flags.requireApproval ? '--require-approval' : undefined;
  if (!flags.withRestore) {
    if (profile === 'prisma') {
      problems.push(
        `A schedule of ${PROFILE_IN_WORDS.prisma} can only restore or drill: Prisma's backups are automatic and daily, so there is nothing to back up on a schedule. ` +
          'Add --with-restore to restore from the newest completed backup (or wait for a newer one with --newer-backup), ' +
          'with --new-database-in <project id> for a restore into a new database that replaces nothing; or --drill --project <project id> ' +
          'for a restore drill (into a scratch database, verified, then deleted).',
      );
    }
    if (approvalFlag) problems.push(`${approvalFlag} guards the restore, and scheduled runs only back up unless --with-restore is given.`);
    if (flags.approval === false) problems.push('--no-approval applies to --with-restore only.');
    for (const [flag, key] of RESTORE_ONLY_FLAGS) {
      if (flags[key] !== undefined) problems.push(`${flag} applies to --with-restore only.`);
    }
    return { restore: false };
  }
  problems.push(...restoreFlagProblems({ ...flags, databaseId }, profile));
  const target = collect(problems, () => restoreTargetInput(flags)) ?? {};
  const fields: RestoreFields = { restore: true, ...target };
  if (flags.approval === false && approvalFlag) {
    problems.push(`Give either ${approvalFlag} or --no-approval, not both.`);
    return fields;
  }
  const replaced = replacedDatabase({ databaseId, ...fields });
  if (replaced === undefined) {
    if (flags.confirm !== undefined) problems.push(needlessConsent('a drill into a new database (--new-database-in)'));
  } else if (flags.confirm === undefined) {
    const gate = flags.approval === false ? 'with no approval' : 'once someone approves it with `approve`';
    const what = profile === 'seed' ? 'the backup it has just taken' : backupInWords({ databaseId, profile, ...fields });
    const instead =
      profile === 'prisma'
        ? 'with --new-database-in <project id> the runs restore into a new database instead, replacing nothing'
        : 'without --with-restore the schedule only backs up';
    problems.push(
      `--with-restore makes every scheduled run restore ${replaced || 'the database'} from ${what}, ${gate}, ` +
        `replacing all data written since. Add --confirm ${replaced || '<database id>'} to confirm (the exact id of the database it replaces); ${instead}.`,
    );
  } else {
    const problem = consentProblem(replaced, flags.confirm);
    if (problem) problems.push(problem);
  }
  if (flags.approval === false) return fields;
  const timeoutMs =
    flags.approvalTimeout === undefined
      ? DEFAULT_APPROVAL_TIMEOUT_MS
      : collect(problems, () => parseDuration('--approval-timeout', flags.approvalTimeout!));
  return { ...fields, approval: { timeoutMs: timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS } };
}

/** What `schedule create [ID]` asks for, for the workers' profile; throws ScheduleFlagsError listing every problem. */
export function scheduleRequestFromFlags(id: string | undefined, flags: ScheduleCreateFlags, profile: ApiProfile): ScheduleRequest {
  const problems: string[] = [];
  if (flags.yes) problems.push(YES_REFUSED);
  const databaseId = flags.databaseId?.trim() ?? '';
  const scheduleId = id ?? defaultScheduleId(databaseId, flags.drill ? 'drill' : 'backup');
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
  Object.assign(poll, pollModeOf(flags.pollMode));
  const restore = restoreFromFlags(flags, databaseId, profile, problems);
  const input: BackupAndRestoreInput = {
    profile,
    databaseId,
    ...(flags.label !== undefined ? { backupLabel: flags.label } : {}),
    ...restore,
    ...(Object.keys(poll).length > 0 ? { poll } : {}),
  };
  problems.push(...inputProblems(input).map(flags.drill ? inDrillFlagTerms : inFlagTerms));
  if (problems.length > 0 || !when || catchupWindowMs === undefined) throw new ScheduleFlagsError(problems, flags.update);
  return { scheduleId, input, when, catchupWindowMs, paused: Boolean(flags.paused), update: Boolean(flags.update) };
}
