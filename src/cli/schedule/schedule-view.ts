// What `schedule describe` and `schedule list` show, from Temporal's description. Pure.
import type { ScheduleDescription } from '@temporalio/client';
import { runSummary } from '../../workflows/run-summary';
import { formatDuration } from '../../shared/durations';
import { DATABASE_ID_KEY } from '../../shared/search-attributes';
import type { ApiProfile } from '../../shared/api-types';
import type { BackupAndRestoreInput } from '../../shared/workflow-types';
import { replacedDatabase } from '../confirm';
import { resolvePollPolicy } from '../../shared/poll-policy';
import { DEFAULT_APPROVAL_TIMEOUT_MS } from '../../shared/validate-input';
import { OVERLAP_IN_WORDS } from './schedule-policy';
import { cronOf, specInWords, specTimeZone } from './spec-words';
import { utcTime, zonedTime } from './zoned-time';

/** How a run the schedule started ended (or that it is still running). */
export interface ScheduledRunOutcome {
  /** running, completed, failed, cancelled, terminated, timed-out, unknown. */
  status: string;
  /** E.g. the phase of a running run, the backup id of a completed one, the typed reason of a failed one. */
  detail?: string;
  /** Why a run that did not complete ended (the message of its typed reason). */
  message?: string;
  endedAt?: string;
}

export interface ScheduledRunView extends Partial<ScheduledRunOutcome> {
  workflowId: string;
  scheduledAt: string;
  takenAt: string;
}

/** A run whose outcome is known and final: it is not running, and Temporal still keeps it. */
export const hasEnded = (outcome: Partial<ScheduledRunOutcome>): boolean =>
  outcome.status !== undefined && outcome.status !== 'running' && outcome.status !== 'unknown';

/** An ended run that did not complete: said in capitals wherever it is shown, so it is not overlooked. */
export const isFailure = (run: Partial<ScheduledRunOutcome>): boolean => hasEnded(run) && run.status !== 'completed';

/** The status as printed for people: a failure in capitals. */
const loud = (status: string | undefined): string => (status && isFailure({ status }) ? status.toUpperCase() : (status ?? ''));

/** "FAILED: DatabaseNotFound: POST … answered 404", or "completed: backup bkp_1". */
export function outcomeInWords(run: Partial<ScheduledRunOutcome>): string {
  return [loud(run.status), run.detail, run.message].filter(Boolean).join(': ');
}

export interface ScheduleView {
  scheduleId: string;
  workflowType: string;
  databaseId?: string;
  /** One line, as the runs' Web UI summary says it. */
  action: string;
  /** The API its runs speak; runs made before profiles existed speak `seed`. */
  profile?: ApiProfile;
  restore: boolean;
  /** The existing database every run replaces the data of. */
  restoreInto?: string;
  /** Or the project every run creates a new database in, replacing nothing. */
  newDatabaseIn?: string;
  /** Every run is a restore drill: its new database is scratch, verified, then deleted. */
  drill?: boolean;
  approvalTimeout?: string;
  label?: string;
  poll?: { initial: string; max: string; deadline: string };
  spec: { description: string; timeZone: string; cron: string[]; intervals: { every: string; offset: string }[] };
  workflowIdPrefix?: string;
  taskQueue?: string;
  overlap: string;
  overlapInWords: string;
  catchupWindow: string;
  pauseOnFailure: boolean;
  paused: boolean;
  note?: string;
  nextRuns: string[];
  /** Newest first; with status when it was read. */
  recentRuns: ScheduledRunView[];
  /** The newest recent run that has ended, if its outcome was read: a failure here is the schedule's alarm. */
  lastRun?: ScheduledRunView;
  running: string[];
  counts: { taken: number; skippedOverlap: number; missedCatchupWindow: number };
  createdAt: string;
  updatedAt?: string;
}

function inputOf(description: ScheduleDescription): BackupAndRestoreInput | undefined {
  const [input] = description.action.args ?? [];
  return typeof input === 'object' && input !== null && typeof (input as BackupAndRestoreInput).databaseId === 'string'
    ? (input as BackupAndRestoreInput)
    : undefined;
}

export function scheduleView(
  description: ScheduleDescription,
  outcomes: ReadonlyMap<string, ScheduledRunOutcome> = new Map(),
): ScheduleView {
  const input = inputOf(description);
  const { spec, action, policies, state, info } = description;
  const taskQueue = typeof action.taskQueue === 'string' ? action.taskQueue : undefined;
  const policy = input ? resolvePollPolicy(input.poll) : undefined;
  const recentRuns = [...info.recentActions].reverse().map(({ scheduledAt, takenAt, action: result }): ScheduledRunView => {
    const outcome = outcomes.get(result.workflow.workflowId);
    return { workflowId: result.workflow.workflowId, scheduledAt: utcTime(scheduledAt), takenAt: utcTime(takenAt), ...outcome };
  });
  const lastRun = recentRuns.find(hasEnded);
  return {
    scheduleId: description.scheduleId,
    workflowType: action.workflowType,
    databaseId: input?.databaseId ?? description.typedSearchAttributes?.get(DATABASE_ID_KEY),
    action: input ? runSummary(input) : `Start workflow ${action.workflowType}`,
    ...(input ? { profile: input.profile ?? 'seed' } : {}),
    restore: input ? input.restore !== false : false,
    ...(input && replacedDatabase(input) ? { restoreInto: replacedDatabase(input) } : {}),
    ...(input?.newDatabase && input.restore !== false ? { newDatabaseIn: input.newDatabase.projectId } : {}),
    ...(input?.drill ? { drill: true } : {}),
    ...(input?.approval ? { approvalTimeout: formatDuration(input.approval.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS) } : {}),
    ...(input?.backupLabel ? { label: input.backupLabel } : {}),
    ...(policy
      ? {
          poll: {
            initial: formatDuration(policy.initialIntervalMs),
            max: formatDuration(policy.maximumIntervalMs),
            deadline: formatDuration(policy.deadlineMs),
          },
        }
      : {}),
    spec: {
      description: specInWords(spec),
      timeZone: specTimeZone(spec),
      cron: (spec.calendars ?? []).map(cronOf).filter((cron): cron is string => cron !== undefined),
      intervals: (spec.intervals ?? []).map(({ every, offset }) => ({ every: formatDuration(every), offset: formatDuration(offset) })),
    },
    workflowIdPrefix: action.workflowId,
    taskQueue,
    overlap: policies.overlap ?? 'SKIP',
    overlapInWords: OVERLAP_IN_WORDS[policies.overlap ?? 'SKIP'] ?? String(policies.overlap),
    catchupWindow: formatDuration(policies.catchupWindow),
    pauseOnFailure: policies.pauseOnFailure,
    paused: state.paused,
    ...(state.note ? { note: state.note } : {}),
    nextRuns: info.nextActionTimes.map(utcTime),
    recentRuns,
    ...(lastRun ? { lastRun } : {}),
    running: info.runningActions.map((run) => run.workflow.workflowId),
    counts: {
      taken: info.numActionsTaken,
      skippedOverlap: info.numActionsSkippedOverlap,
      missedCatchupWindow: info.numActionsMissedCatchupWindow,
    },
    createdAt: utcTime(info.createdAt),
    ...(info.lastUpdatedAt ? { updatedAt: utcTime(info.lastUpdatedAt) } : {}),
  };
}

/** Where every run restores, in words, or undefined for a backup-only schedule. */
export function restoreTargetInWords(view: Pick<ScheduleView, 'restoreInto' | 'newDatabaseIn' | 'drill'>): string | undefined {
  if (view.restoreInto) return `${view.restoreInto}, replacing its data`;
  if (view.drill) return `a scratch database in project ${view.newDatabaseIn}, verified, then deleted (a drill: replacing nothing)`;
  if (view.newDatabaseIn) return `a new database in project ${view.newDatabaseIn}, replacing nothing`;
  return undefined;
}

/** Aligned "label: value" lines. */
function fields(rows: [string, string | undefined][]): string[] {
  const present = rows.filter((row): row is [string, string] => row[1] !== undefined);
  const width = Math.max(...present.map(([label]) => label.length)) + 1;
  return present.map(([label, value]) => `  ${`${label}:`.padEnd(width)} ${value}`);
}

/** `schedule describe`, for people. `nextRuns` shows at most `nextCount` times. */
export function scheduleLines(view: ScheduleView, nextCount = 5): string[] {
  const zone = view.spec.timeZone;
  const next = view.nextRuns.slice(0, nextCount).map((iso) => `    ${zonedTime(new Date(iso), zone)}${zone === 'UTC' ? '' : `  (${iso})`}`);
  const recent = view.recentRuns.map((run) =>
    `    ${run.scheduledAt}  ${run.workflowId}  ${loud(run.status)}${run.detail ? ` (${[run.detail, run.message].filter(Boolean).join(': ')})` : ''}`.trimEnd(),
  );
  const last = view.lastRun;
  return [
    `Schedule ${view.scheduleId}${view.paused ? ' (paused)' : ''}`,
    ...fields([
      ['Last run', last ? `${outcomeInWords(last)} (${last.workflowId}, scheduled ${last.scheduledAt})` : undefined],
      ['Action', view.action],
      ['Database', view.databaseId],
      ['API profile', view.profile],
      ['Restores into', restoreTargetInWords(view)],
      [
        'Restore',
        view.restore
          ? view.approvalTimeout
            ? `yes, after approval (within ${view.approvalTimeout})`
            : 'yes, without approval'
          : 'no (backup only)',
      ],
      ['Label', view.label],
      ['When', view.spec.description],
      ['Time zone', view.spec.timeZone],
      ['State', view.paused ? `paused${view.note ? `: ${view.note}` : ''}` : `active${view.note ? ` (${view.note})` : ''}`],
      ['Overlap', `${view.overlap}: ${view.overlapInWords}`],
      ['Catch-up window', `${view.catchupWindow} (runs missed while Temporal was unavailable are taken if at most this late)`],
      [
        'On failure',
        view.pauseOnFailure
          ? 'pause the schedule (no further run starts until it is unpaused)'
          : 'keep going (the next run starts as scheduled; the failure is shown until a run completes)',
      ],
      ['Polls', view.poll ? `every ${view.poll.initial} growing to ${view.poll.max}; gives up after ${view.poll.deadline}` : undefined],
      ['Workflow ids', view.workflowIdPrefix ? `${view.workflowIdPrefix}-<scheduled time, UTC>` : undefined],
      ['Task queue', view.taskQueue],
      [
        'Runs',
        `${view.counts.taken} taken, ${view.counts.skippedOverlap} skipped (overlap), ${view.counts.missedCatchupWindow} missed (catch-up window)`,
      ],
      ['Created', `${view.createdAt}${view.updatedAt ? `, updated ${view.updatedAt}` : ''}`],
    ]),
    view.paused ? '  Next runs (once unpaused):' : '  Next runs:',
    ...(next.length > 0 ? next : ['    none']),
    '  Recent runs (newest first):',
    ...(recent.length > 0 ? recent : ['    none yet']),
  ];
}

export interface ScheduleRow {
  scheduleId: string;
  databaseId: string;
  action: string;
  when: string;
  timeZone: string;
  state: string;
  nextRun: string;
  lastRun: string;
}

export function scheduleRow(view: ScheduleView): ScheduleRow {
  return {
    scheduleId: view.scheduleId,
    databaseId: view.databaseId ?? '',
    action: `${view.restore ? (view.profile === 'prisma' ? (view.drill ? 'drill' : 'restore') : 'backup+restore') : 'backup'}${view.approvalTimeout ? ' (approval)' : ''}`,
    when: view.spec.description,
    timeZone: view.spec.timeZone,
    state: view.paused ? 'paused' : 'active',
    nextRun: view.paused || view.nextRuns.length === 0 ? '' : zonedTime(new Date(view.nextRuns[0]), view.spec.timeZone),
    lastRun: view.lastRun
      ? `${loud(view.lastRun.status)}${isFailure(view.lastRun) && view.lastRun.detail ? ` (${view.lastRun.detail})` : ''} ${zonedTime(new Date(view.lastRun.scheduledAt), view.spec.timeZone)}`
      : '',
  };
}

const HEADER: ScheduleRow = {
  scheduleId: 'SCHEDULE',
  databaseId: 'DATABASE',
  action: 'ACTION',
  when: 'WHEN',
  timeZone: 'TIME ZONE',
  state: 'STATE',
  nextRun: 'NEXT RUN',
  lastRun: 'LAST RUN',
};

export function scheduleTable(rows: ScheduleRow[]): string[] {
  const columns = Object.keys(HEADER) as (keyof ScheduleRow)[];
  const widths = columns.map((c) => Math.max(...[HEADER, ...rows].map((row) => row[c].length)));
  return [HEADER, ...rows].map((row) =>
    columns
      .map((c, i) => row[c].padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}
