import { ApplicationFailure } from '@temporalio/common';
import { ApiError } from '../api/api-error';
import { ErrorType } from '../shared/errors';

/**
 * A garbled answer may be a one-off, and retrying is safe (a POST's Idempotency-Key replays the
 * real answer); the same on this attempt in a row means the API speaks another protocol.
 */
export const PROTOCOL_ERROR_ATTEMPTS = 3;

/** An ApiError as Temporal sees it on the given attempt (1-based): its type, whether to retry, and when (429 Retry-After). */
export function toApplicationFailure(err: unknown, attempt: number): unknown {
  if (!(err instanceof ApiError)) return err;
  const retryable = err.retryable || (err.type === ErrorType.ProtocolError && attempt < PROTOCOL_ERROR_ATTEMPTS);
  return ApplicationFailure.create({
    type: err.type,
    message: err.message,
    nonRetryable: !retryable,
    nextRetryDelay: err.retryAfterMs,
    // Also in the details: a workflow that retries a request itself does not get nextRetryDelay.
    ...(err.retryAfterMs === undefined ? {} : { details: [{ retryAfterMs: err.retryAfterMs }] }),
  });
}
