// What every backup schedule does when runs overlap, are missed or fail. Pure.
import { ScheduleOverlapPolicy } from '@temporalio/client';

/** A scheduled run is skipped while the previous one is still running (a backup may take hours). */
export const OVERLAP_POLICY = ScheduleOverlapPolicy.SKIP;
/**
 * Whether a failed run pauses the schedule (Temporal then notes why). A backup-only schedule keeps
 * going, so one bad night does not stop every later backup; the failure is shown by `schedule list`,
 * `describe` and the Web UI, and `schedule check` exits 1 until a run completes. A schedule that
 * restores pauses: after a failed run, no further restore replaces the data until someone looked.
 */
export function pauseOnFailure(restores: boolean): boolean {
  return restores;
}
/** Runs missed while Temporal was unavailable are still taken when at most this late. */
export const DEFAULT_CATCHUP_WINDOW = '1h';
/** Temporal takes no catch-up window shorter than 10 s; a year is its default. */
export const CATCHUP_WINDOW_LIMITS_MS = { min: 10_000, max: 365 * 86_400_000 } as const;
/** Shortest interval between runs: each run creates a backup. */
export const MIN_INTERVAL_MS = 60_000;

export const OVERLAP_IN_WORDS: Record<string, string> = {
  SKIP: 'skip a run while the previous one is still running',
  BUFFER_ONE: 'start one more run once the running one ends',
  BUFFER_ALL: 'start every overlapping run, one after another',
  CANCEL_OTHER: 'cancel the running run, then start',
  TERMINATE_OTHER: 'terminate the running run, then start',
  ALLOW_ALL: 'start every run, even while others run',
};
