// The typed reason a run failed, found in the failure's cause chain.
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';

export interface FailureReason {
  /** An ErrorType name, or Cancelled / Terminated / TimedOut / Unknown. */
  type: string;
  message: string;
}

export function failureReason(err: unknown): FailureReason {
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type) return { type: cause.type, message: cause.message };
    if (cause instanceof CancelledFailure) return { type: 'Cancelled', message: 'The run was cancelled.' };
    if (cause instanceof TerminatedFailure) return { type: 'Terminated', message: 'The run was terminated.' };
    if (cause instanceof TimeoutFailure) return { type: 'TimedOut', message: cause.message };
  }
  return { type: 'Unknown', message: err instanceof Error ? err.message : String(err) };
}
