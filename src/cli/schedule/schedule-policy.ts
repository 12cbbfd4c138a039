// What every backup schedule does when runs overlap, are missed or fail. Pure.
import { ScheduleOverlapPolicy } from '@temporalio/client';

/** A scheduled run is skipped while the previous one is still running (a backup may take hours). */
export const OVERLAP_POLICY = ScheduleOverlapPolicy.SKIP;
/** A run that fails (or times out) pauses the schedule, with Temporal's note saying why. */
export const PAUSE_ON_FAILURE = true;
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
