// Waiting on durable timers: poll with backoff (or around a predicted end) until done, under a deadline, counting failed polls,
// and continuing as new when history grows long. One loop for every wait of a run.
import {
  ActivityFailure,
  ApplicationFailure,
  continueAsNew,
  isCancellation,
  log,
  patched,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { ErrorType } from '../shared/errors';
import { nextPollDelayMs } from '../shared/predict-completion';
import type { PollCounts } from '../shared/workflow-types';
import { pollErrorText } from './poll-error';
import { type BackupAndRestoreWorkflow, fail, type Run } from './run';
import { carriedState, type RunEnding } from './run-state';

/** Runs recorded before PollFailing existed replay as they ran: failing polls never ended them. */
export const POLL_FAILING_PATCH = 'poll-failing';

/**
 * Runs recorded before polling predicted replay as they ran: their first look asked for no history,
 * so they have no prediction and wait with the backoff (nextPollDelayMs without one is exactly it).
 */
export const PREDICTIVE_POLLING_PATCH = 'predictive-polling';

/** One wait: where its state lives in the run's state, when it is over, and how to look once. */
export interface Wait<W extends PollCounts> {
  current(): W;
  save(wait: W): void;
  done(wait: W): boolean;
  /** Why the run must end now, if it must. */
  ending(wait: W, now: number): RunEnding | undefined;
  /** One look, recorded into the wait. */
  look(wait: W, poll: number): Promise<W>;
  timerSummary(seconds: number, poll: number): string;
}

export async function waitUntilDone<W extends PollCounts>(run: Run, wait: Wait<W>): Promise<W> {
  const { state, policy } = run;
  for (let current = wait.current(); !wait.done(current); current = wait.current()) {
    const ending = wait.ending(current, Date.now());
    if (ending && (ending.type !== ErrorType.PollFailing || patched(POLL_FAILING_PATCH))) fail(ending.type, ending.message);
    if (workflowInfo().continueAsNewSuggested) {
      // History is getting long: carry the state into a fresh run with the same workflow id.
      await continueAsNew<BackupAndRestoreWorkflow>(run.input, carriedState({ ...state, wait: state.wait! }));
    }

    const poll = current.pollsMade + 1;
    const delay = nextPollDelayMs(policy, current.prediction, {
      pollsMade: current.pollsMade,
      elapsedMs: Date.now() - current.startedAt,
      remainingMs: current.deadlineAt - Date.now(),
      random: Math.random(),
    });
    state.nextPollAt = Date.now() + delay;
    run.show();
    await sleep(delay, { summary: wait.timerSummary(Math.round(delay / 1000), poll) });
    state.nextPollAt = undefined;

    wait.save(await wait.look(current, poll));
    run.show();
  }
  return wait.current();
}

/** The typed failure under an activity failure: one the activity raised as not worth retrying. */
export const typedFailure = (err: unknown): ApplicationFailure | undefined =>
  err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable ? err.cause : undefined;

/**
 * One look. A look whose retries ran out on a transient error is a failed poll, recorded and shown;
 * the next timer looks again. `typed` may turn a typed failure into an outcome; any other typed
 * failure, and cancellation, end the run.
 */
export async function lookOnce<T>(
  call: () => Promise<T>,
  typed?: (failure: ApplicationFailure) => T | undefined,
): Promise<T | { error: string }> {
  try {
    return await call();
  } catch (err) {
    const failure = typedFailure(err);
    const outcome = failure && typed?.(failure);
    if (outcome !== undefined) return outcome;
    if (err instanceof ActivityFailure && !failure && !isCancellation(err)) {
      const error = pollErrorText(err);
      log.warn('A poll failed; will poll again', { activity: err.activityType, error });
      return { error };
    }
    throw err;
  }
}
