import type { ErrorType } from '../shared/errors';

/**
 * A failed Management API call, already classified. Plain (no Temporal imports) so the mapping
 * stays unit-testable; the activities turn it into an ApplicationFailure at the edge.
 */
export class ApiError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly retryable: boolean,
    /** Wait this long before the next attempt (from Retry-After). */
    readonly retryAfterMs?: number,
    /** HTTP status, when there was a response. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
