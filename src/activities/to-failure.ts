import { ApplicationFailure } from '@temporalio/common';
import { ApiError } from '../api/api-error';

/** An ApiError as Temporal sees it: its type, whether to retry, and when (429 Retry-After). */
export function toApplicationFailure(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  return ApplicationFailure.create({
    type: err.type,
    message: err.message,
    nonRetryable: !err.retryable,
    nextRetryDelay: err.retryAfterMs,
  });
}
