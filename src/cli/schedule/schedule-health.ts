// `schedule check`: is a schedule producing backups? For monitors: healthy or not, and why. Pure.
import type { ScheduleDescription } from '@temporalio/client';
import { resolvePollPolicy } from '../../shared/poll-policy';
import { DEFAULT_APPROVAL_TIMEOUT_MS } from '../../shared/validate-input';
import type { BackupAndRestoreInput } from '../../shared/workflow-types';
import { isFailure, outcomeInWords, type ScheduleView } from './schedule-view';

export type HealthProblem = 'failed' | 'paused' | 'overdue';

export interface ScheduleHealth {
  scheduleId: string;
  healthy: boolean;
  /** What is wrong, each said in full; empty when healthy. */
  problems: { kind: HealthProblem; text: string }[];
  /** The latest successful run, or that there is none yet. */
  lastSuccess: string;
  /** A successful run is expected at least this often (ms); undefined: not checked. */
  windowMs?: number;
}

/**
 * How long a schedule may go without a successful run before `check` says so: the longest gap
 * between its next scheduled times, plus the longest a run may take (its poll deadline, and the
 * approval wait of a run that restores). Undefined when the schedule has fewer than two next times.
 */
export function defaultCheckWindowMs(description: ScheduleDescription): number | undefined {
  const times = description.info.nextActionTimes.map((time) => time.getTime());
  if (times.length < 2) return undefined;
  const period = Math.max(...times.slice(1).map((time, i) => time - times[i]));
  const [input] = (description.action.args ?? []) as (BackupAndRestoreInput | undefined)[];
  const deadline = resolvePollPolicy(input?.poll).deadlineMs;
  const approval = input?.approval ? (input.approval.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS) : 0;
  return period + deadline + approval;
}

/** "26h 5m", "3d 4h", "45m": a length of time as people say it, in its two largest units. */
export function roughDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes === 0) return 'under a minute';
  const [days, hours, mins] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  const parts = days > 0 ? [`${days}d`, hours > 0 && `${hours}h`] : hours > 0 ? [`${hours}h`, mins > 0 && `${mins}m`] : [`${mins}m`];
  return parts.filter(Boolean).join(' ');
}

/**
 * Healthy when the newest ended run completed, the schedule is not paused, and a run completed
 * within `windowMs` (counted from the schedule's creation while it has had none).
 */
export function scheduleHealth(view: ScheduleView, now: Date, windowMs: number | undefined): ScheduleHealth {
  const problems: ScheduleHealth['problems'] = [];
  const last = view.lastRun;
  if (last && isFailure(last)) {
    problems.push({ kind: 'failed', text: `last run ${last.workflowId} (scheduled ${last.scheduledAt}) ${outcomeInWords(last)}` });
  }
  if (view.paused) {
    problems.push({ kind: 'paused', text: `paused${view.note ? ` (${view.note})` : ''}: no run starts until it is unpaused` });
  }
  const success = view.recentRuns.find((run) => run.status === 'completed' && run.endedAt);
  const lastSuccess = success
    ? `last successful run ${success.workflowId} ended ${success.endedAt}${success.detail ? ` (${success.detail})` : ''}`
    : 'no successful run yet';
  if (windowMs !== undefined) {
    const since = success?.endedAt ?? view.createdAt;
    const age = now.getTime() - Date.parse(since);
    if (age > windowMs) {
      const expected = `a backup is expected at least every ${roughDuration(windowMs)}`;
      problems.push({
        kind: 'overdue',
        text: success
          ? `no successful run for ${roughDuration(age)} (the last one ended ${since}); ${expected}`
          : view.recentRuns.length < view.counts.taken
            ? `none of the last ${view.recentRuns.length} runs completed; ${expected}`
            : `no successful run since the schedule was created ${roughDuration(age)} ago; ${expected}`,
      });
    }
  }
  return {
    scheduleId: view.scheduleId,
    healthy: problems.length === 0,
    problems,
    lastSuccess,
    ...(windowMs !== undefined ? { windowMs } : {}),
  };
}
