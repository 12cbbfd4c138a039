// One mapping from HTTP outcomes to typed errors, for every operation of both profiles.
import { ErrorType } from '../shared/errors';
import { ApiError } from './api-error';
import { notFoundSubjects, RESTORE_OPERATIONS, type ApiOperationId, type NotFoundSubject } from './operations';

export interface HttpOutcome {
  operation: ApiOperationId;
  /** e.g. `POST databases/db_1/backups`, for messages. Never holds a header. */
  request: string;
  status: number;
  retryAfter?: string;
  /** Raw response body. */
  body: string;
  /** The ids the request names, so a 404 can say which one is missing. */
  ids?: Partial<Record<NotFoundSubject, string>>;
  /** A restore whose outcome is unknown may be sent again (a seed API declared to honour Idempotency-Key). */
  resendSafe?: boolean;
}

/** A request that got no answer. */
export interface NetworkFailure {
  operation: ApiOperationId;
  request: string;
  /** got's error code, e.g. ECONNREFUSED, ECONNRESET, ETIMEDOUT. */
  code?: string;
  timedOut: boolean;
  /**
   * Whether the whole request was handed to the operating system (got's `timings.upload`). If not,
   * no server received a complete request, so none can have acted on it: refused connections, DNS
   * failures and resets before the last byte are all "not sent".
   */
  sent: boolean;
  resendSafe?: boolean;
}

const TOKEN_HELP =
  'Give the worker a valid Management API service token in PRISMA_API_TOKEN (or a file named by ' +
  'PRISMA_API_TOKEN_FILE) and restart it; tokens are made in the Prisma Console under Settings > Service Tokens.';

const URL_HELP = 'If this persists, check that PRISMA_API_URL is right and reachable from the worker.';

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
function apiErrorText(body: string): { code: string; message: string } | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed?.error ?? {};
    if (typeof code === 'string' && typeof message === 'string') return { code, message };
  } catch {
    // Not the envelope: the status alone must do.
  }
  return undefined;
}

/** ` (CODE: message)` when the body is the documented envelope, else nothing. */
export function describeApiError(body: string): string {
  const error = apiErrorText(body);
  return error ? ` (${error.code}: ${error.message})` : '';
}

const isRestore = (operation: ApiOperationId) => RESTORE_OPERATIONS.includes(operation);

/**
 * What a 404 says is missing: the operation's only candidate, else the one the answer's code and
 * message name (by word, then by id); undefined when they do not tell.
 */
export function notFoundSubject(
  operation: ApiOperationId,
  body: string,
  ids: Partial<Record<NotFoundSubject, string>> = {},
): NotFoundSubject | undefined {
  const candidates = notFoundSubjects[operation];
  if (candidates.length === 1) return candidates[0];
  const error = apiErrorText(body);
  if (!error) return undefined;
  const text = `${error.code} ${error.message}`.toLowerCase();
  const words: [NotFoundSubject, RegExp][] = [
    ['backup', /backup/],
    ['project', /project/],
    ['source database', /source/],
    ['target database', /target/],
  ];
  const named = words.find(([subject, word]) => candidates.includes(subject) && word.test(text));
  if (named) return named[0];
  const byId = candidates.filter((subject) => ids[subject] && text.includes(ids[subject].toLowerCase()));
  if (byId.length === 1) return byId[0];
  // "Database not found" when the source database is the target: it is that one database.
  if (/database/.test(text) && ids['target database'] !== undefined && ids['target database'] === ids['source database']) {
    return 'target database';
  }
  return undefined;
}

const NOT_FOUND_TYPE: Record<NotFoundSubject, ErrorType> = {
  database: ErrorType.DatabaseNotFound,
  'target database': ErrorType.DatabaseNotFound,
  'source database': ErrorType.DatabaseNotFound,
  backup: ErrorType.BackupNotFound,
  project: ErrorType.ProjectNotFound,
  connection: ErrorType.NotFound,
};

function notFound(outcome: HttpOutcome, what: string): ApiError {
  const ids = outcome.ids ?? {};
  const name = (subject: NotFoundSubject) => (ids[subject] ? `the ${subject} ${ids[subject]}` : `the ${subject}`);
  const subject = notFoundSubject(outcome.operation, outcome.body, ids);
  if (subject) {
    const message = `${what}: ${name(subject)} does not exist or the token cannot see it. Check the id.`;
    return new ApiError(NOT_FOUND_TYPE[subject], message, false, undefined, 404);
  }
  const names = notFoundSubjects[outcome.operation].map(name);
  const message =
    `${what}: ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]} does not exist or the token cannot see it; ` +
    'the answer does not say which. Check the ids.';
  return new ApiError(ErrorType.NotFound, message, false, undefined, 404);
}

/**
 * A restore that may or may not have been applied: sent, then no usable answer. Prisma's restore is
 * read back before anything is sent again; a seed restore is sent again only when the API is
 * declared to honour its Idempotency-Key.
 */
export function restoreOutcomeUnknown(
  operation: ApiOperationId,
  what: string,
  resendSafe: boolean,
  retryAfterMs?: number,
  status?: number,
): ApiError {
  let next: string;
  if (operation === 'postV1DatabasesByTargetDatabaseIdRestore') {
    next =
      'Read the target database back before sending it again: status recovering, or ready with this backup as its source, means it was applied.';
  } else if (resendSafe) {
    next = 'Sending it again with the same Idempotency-Key, which the API is declared to honour.';
  } else {
    next =
      'Check the database (its data, or the Prisma Console) before restoring again. If the API replays the answer to a ' +
      'repeated Idempotency-Key, set PRISMA_API_IDEMPOTENCY_KEYS=honoured on the worker so such a restore is sent again.';
  }
  return new ApiError(
    ErrorType.RestoreOutcomeUnknown,
    `${what}: the restore may or may not have been applied. ${next}`,
    resendSafe,
    retryAfterMs,
    status,
  );
}

/** Classify a non-2xx response. */
export function errorFromResponse(outcome: HttpOutcome, now: number): ApiError {
  const { status, request, operation } = outcome;
  const what = `${request} answered ${status}${describeApiError(outcome.body)}`;
  if (status === 401 || status === 403) {
    return new ApiError(ErrorType.Unauthorized, `${what}. ${TOKEN_HELP}`, false, undefined, status);
  }
  if (status === 404) return notFound(outcome, what);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(outcome.retryAfter, now);
    return new ApiError(ErrorType.RateLimited, `${what}: rate limited; retrying later.`, true, retryAfterMs, status);
  }
  if (status >= 500) {
    const retryAfterMs = status === 503 ? parseRetryAfter(outcome.retryAfter, now) : undefined;
    // A server error says nothing about whether a restore took effect before it.
    if (isRestore(operation)) return restoreOutcomeUnknown(operation, what, outcome.resendSafe ?? false, retryAfterMs, status);
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
  if (status === 409 && operation === 'postV1DatabasesByTargetDatabaseIdRestore') {
    return new ApiError(
      ErrorType.RestoreConflict,
      `${what}: the target database is provisioning or already recovering, so this restore was refused. ` +
        'Do not send another: wait until the database is ready, then read it back (a restore from this backup may already be under way).',
      false,
      undefined,
      status,
    );
  }
  if (status === 422 && (operation === 'postV1DatabasesByTargetDatabaseIdRestore' || operation === 'postV1Databases')) {
    return new ApiError(
      ErrorType.BackupNotUsable,
      `${what}: the backup cannot be restored (Prisma answers 422 for an invalid source or a backup that is not usable); nothing was restored. ` +
        'Choose a completed backup.',
      false,
      undefined,
      status,
    );
  }
  if (status === 422 && operation === 'getV1DatabasesByDatabaseIdBackups') {
    return new ApiError(
      ErrorType.InvalidRequest,
      `${what}: this database has no backups to list (Prisma answers 422 for remote databases, whose backups it does not support).`,
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
 * A restore says whether it was sent at all, since only one that was not is safe to send again.
 */
export function errorFromNetwork(failure: NetworkFailure): ApiError {
  const { request, code, operation } = failure;
  if (code?.startsWith('ERR_INVALID')) {
    return new ApiError(ErrorType.InvalidRequest, `${request} could not be sent (${code}): check PRISMA_API_URL and the input.`, false);
  }
  const reason = failure.timedOut ? 'timed out' : `failed (${code ?? 'network error'})`;
  if (isRestore(operation)) {
    if (!failure.sent) {
      return new ApiError(
        ErrorType.RequestNotSent,
        `${request} ${reason} before the request was sent: nothing was restored, and sending it again is safe. ${URL_HELP}`,
        true,
      );
    }
    return restoreOutcomeUnknown(operation, `${request} ${reason} after the request was sent`, failure.resendSafe ?? false);
  }
  return new ApiError(ErrorType.Transient, `${request} ${reason}; retrying. ${URL_HELP}`, true);
}
