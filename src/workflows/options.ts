// One options object per kind of activity, and how a run fails.
import { RetryState } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, TimeoutFailure, type ActivityOptions } from '@temporalio/workflow';
import { ErrorType, NON_RETRYABLE_ERROR_TYPES } from '../shared/errors';

const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES };
/** A call safe to retry (a read, or a POST made idempotent): 30 s an attempt, heartbeats every 2 s, an hour in all. */
export const CALL: ActivityOptions = { startToCloseTimeout: '30s', heartbeatTimeout: '10s', scheduleToCloseTimeout: '1h', retry };
/** A destructive restore: one attempt, and the workflow decides what follows, so no retry sends it blindly. */
export const ONCE: ActivityOptions = { startToCloseTimeout: '30s', heartbeatTimeout: '10s', retry: { ...retry, maximumAttempts: 1 } };
/** A wait: each attempt looks once, the activity sets each delay; the caller sets schedule-to-close, the deadline. */
export const WAIT: ActivityOptions = { startToCloseTimeout: '30s', heartbeatTimeout: '10s', retry };
/** Reading a database in full: long attempts, heartbeats after each table. */
export const READ: ActivityOptions = { startToCloseTimeout: '1h', heartbeatTimeout: '30s', retry: { ...retry, maximumAttempts: 5 } };
/** A history lookup: brief; failing only means "no history". */
export const LOOKUP: ActivityOptions = { startToCloseTimeout: '10s', retry: { maximumAttempts: 2 } };

export const fail = (type: ErrorType, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

/** The failure under an activity failure, for messages. */
export const causeOf = (err: unknown): unknown => (err instanceof ActivityFailure && err.cause ? err.cause : err);
export const messageOf = (err: unknown): string => {
  const cause = causeOf(err);
  return cause instanceof Error ? cause.message : String(cause);
};

/** A wait that reached its schedule-to-close deadline, with what its last look saw (from its heartbeat, or its last failure). */
export function pastDeadline(err: unknown): { lastLook: string } | undefined {
  if (!(err instanceof ActivityFailure) || !(err.cause instanceof TimeoutFailure || err.retryState === RetryState.TIMEOUT))
    return undefined;
  const { cause } = err;
  const beat = (cause instanceof TimeoutFailure ? cause.lastHeartbeatDetails : undefined) as
    { said?: string; lastError?: string } | undefined;
  const last = beat?.lastError
    ? `it failed: ${beat.lastError}`
    : (beat?.said ?? (cause instanceof ApplicationFailure ? cause.message.replace(/; next look in [^.]*\.$/, '') : ''));
  return { lastLook: last && `The last look: ${last.replace(/\.?$/, '.')}` };
}
