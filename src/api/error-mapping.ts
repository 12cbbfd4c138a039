// One mapping from HTTP outcomes to typed errors, for every operation.
import { ErrorType } from '../shared/errors';
import { ApiError } from './api-error';
import { notFoundSubject, type OperationId } from './operations';

export interface HttpOutcome {
  operation: OperationId;
  /** e.g. `POST databases/db_1/backups`, for messages. Never holds a header. */
  request: string;
  status: number;
  retryAfter?: string;
  /** Raw response body. */
  body: string;
}

const TOKEN_HELP =
  'Give the worker a valid Management API service token in PRISMA_API_TOKEN (or a file named by ' +
  'PRISMA_API_TOKEN_FILE) and restart it; tokens are made in the Prisma Console under Settings > Service Tokens.';

/** Longest Retry-After we honour; a larger value is capped so a run is never parked for days. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  // Only whole seconds or an HTTP date are valid; "-3" or "1.5" would otherwise parse as dates.
  if (/^[-+]?[\d.]+$/.test(trimmed) && !/^\d+$/.test(trimmed)) return undefined;
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** The API's own error code and message, when the body is the documented envelope. */
export function describeApiError(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed.error ?? {};
    if (typeof code === 'string' && typeof message === 'string') return ` (${code}: ${message})`;
  } catch {
    // Not the envelope: the status alone must do.
  }
  return '';
}

/** Classify a non-2xx response. */
export function errorFromResponse(outcome: HttpOutcome, now: number): ApiError {
  const { status, request, operation } = outcome;
  const what = `${request} answered ${status}${describeApiError(outcome.body)}`;
  if (status === 401 || status === 403) {
    return new ApiError(ErrorType.Unauthorized, `${what}. ${TOKEN_HELP}`, false, undefined, status);
  }
  if (status === 404) {
    const subject = notFoundSubject[operation];
    const type = subject === 'database' ? ErrorType.DatabaseNotFound : ErrorType.BackupNotFound;
    return new ApiError(type, `${what}: the ${subject} does not exist or the token cannot see it. Check the id.`, false, undefined, status);
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(outcome.retryAfter, now);
    return new ApiError(ErrorType.RateLimited, `${what}: rate limited; retrying later.`, true, retryAfterMs, status);
  }
  if (status >= 500) {
    const retryAfterMs = status === 503 ? parseRetryAfter(outcome.retryAfter, now) : undefined;
    return new ApiError(ErrorType.Transient, `${what}: server error; retrying.`, true, retryAfterMs, status);
  }
  if (status < 400) {
    return new ApiError(
      ErrorType.InvalidRequest,
      `${what}: a redirect, which is not followed. Check PRISMA_API_URL (…/v1).`,
      false,
      undefined,
      status,
    );
  }
  return new ApiError(ErrorType.InvalidRequest, `${what}: the request was refused; it will not be retried.`, false, undefined, status);
}

/**
 * Classify a failure with no response. Resets, refused connections and timeouts are retried; a
 * request Node refused to build (`ERR_INVALID_…`: a bad URL or header) would fail the same way again.
 */
export function errorFromNetwork(request: string, code: string | undefined, timedOut: boolean): ApiError {
  if (code?.startsWith('ERR_INVALID')) {
    return new ApiError(ErrorType.InvalidRequest, `${request} could not be sent (${code}): check PRISMA_API_URL and the input.`, false);
  }
  const reason = timedOut ? 'timed out' : `failed (${code ?? 'network error'})`;
  return new ApiError(
    ErrorType.Transient,
    `${request} ${reason}; retrying. If this persists, check that PRISMA_API_URL is right and reachable from the worker.`,
    true,
  );
}
