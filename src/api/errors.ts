// One mapping from HTTP outcomes to typed errors, for every operation of both profiles. Pure.
import { ErrorType } from '../shared/errors';

/** A failed call, classified; the activities turn it into an ApplicationFailure at the edge. */
export class ApiError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What a 404 can name: `database` is the one in the path; a restore's path names its target. */
export type Subject = 'database' | 'target database' | 'source database' | 'backup' | 'project' | 'connection';

/** Every operation of both profiles, with what a 404 on it can mean is missing, as the descriptions say. */
const NOT_FOUND = {
  createDatabaseBackup: ['database'],
  listDatabaseBackups: ['database'],
  restoreDatabaseBackup: ['backup'],
  getV1DatabasesByDatabaseIdBackups: ['database'],
  postV1DatabasesByTargetDatabaseIdRestore: ['target database', 'source database', 'backup'],
  getV1DatabasesByDatabaseId: ['database'],
  getV1ProjectsByProjectIdDatabases: ['project'],
  postV1Databases: ['project', 'source database', 'backup'],
  deleteV1DatabasesByDatabaseId: ['database'],
  getV1DatabasesByDatabaseIdConnections: ['database'],
  postV1DatabasesByDatabaseIdConnections: ['database'],
  deleteV1ConnectionsById: ['connection'],
} satisfies Record<string, Subject[]>;

export type Operation = keyof typeof NOT_FOUND;
const subjects = (operation: Operation): readonly Subject[] => NOT_FOUND[operation];

const NOT_FOUND_TYPE: Record<Subject, ErrorType> = {
  database: ErrorType.DatabaseNotFound,
  'target database': ErrorType.DatabaseNotFound,
  'source database': ErrorType.DatabaseNotFound,
  backup: ErrorType.BackupNotFound,
  project: ErrorType.ProjectNotFound,
  connection: ErrorType.NotFound,
};

const isRestore = (operation: Operation) =>
  operation === 'restoreDatabaseBackup' || operation === 'postV1DatabasesByTargetDatabaseIdRestore';

export interface HttpOutcome {
  operation: Operation;
  /** e.g. `POST databases/db_1/backups`; never a header. */
  request: string;
  status: number;
  retryAfter?: string;
  body: string;
  ids?: Partial<Record<Subject, string>>;
  /** A seed restore whose outcome is unknown may be sent again (the API honours Idempotency-Key). */
  resendSafe?: boolean;
}

const TOKEN_HELP =
  'Give the worker a valid service token in PRISMA_API_TOKEN (or PRISMA_API_TOKEN_FILE) and restart it; tokens are made in the Prisma Console under Settings > Service Tokens.';
/** After a seed restore whose outcome is unknown. */
export const CHECK_BEFORE_RESTORING =
  'Check the database before restoring again; if the API replays answers to a repeated Idempotency-Key, set PRISMA_API_IDEMPOTENCY_KEYS=honoured on the worker.';
const URL_HELP = 'If this persists, check that PRISMA_API_URL is right and reachable from the worker.';
/** Longest Retry-After honoured, so a run is never parked for days. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** Retry-After as delta-seconds or an HTTP date, in ms from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '' || (/^[-+]?[\d.]+$/.test(trimmed) && !/^\d+$/.test(trimmed))) return undefined;
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/** The API's own error code and message, when the body is the documented envelope. */
function envelope(body: string): { code: string; message: string } | undefined {
  try {
    const { code, message } = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } })?.error ?? {};
    return typeof code === 'string' && typeof message === 'string' ? { code, message } : undefined;
  } catch {
    return undefined;
  }
}

/** The words by which an answer names what is missing. */
const WORDS = { backup: /backup/, project: /project/, 'source database': /source/, 'target database': /target/ };

/** What a 404 says is missing: the only candidate, else the one the answer names; undefined when it does not tell. */
export function notFoundSubject(operation: Operation, body: string, ids: Partial<Record<Subject, string>> = {}): Subject | undefined {
  const candidates = subjects(operation);
  if (candidates.length === 1) return candidates[0];
  const error = envelope(body);
  if (!error) return undefined;
  const text = `${error.code} ${error.message}`.toLowerCase();
  const named = Object.entries(WORDS).find(([subject, word]) => candidates.includes(subject as Subject) && word.test(text));
  if (named) return named[0] as Subject;
  const byId = candidates.filter((subject) => ids[subject] && text.includes(ids[subject].toLowerCase()));
  if (byId.length === 1) return byId[0];
  // "Database not found" when the source database is the target: it is that one database.
  if (/database/.test(text) && ids['target database'] !== undefined && ids['target database'] === ids['source database'])
    return 'target database';
  return undefined;
}

/** A 404's type, and what it says is missing. */
function notFound(outcome: HttpOutcome): [ErrorType, string] {
  const ids = outcome.ids ?? {};
  const name = (subject: Subject) => (ids[subject] ? `the ${subject} ${ids[subject]}` : `the ${subject}`);
  const subject = notFoundSubject(outcome.operation, outcome.body, ids);
  if (subject) return [NOT_FOUND_TYPE[subject], `${name(subject)} does not exist or the token cannot see it.`];
  const names = subjects(outcome.operation).map(name);
  const which = `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  return [ErrorType.NotFound, `${which} does not exist or the token cannot see it; the answer does not say which.`];
}

/** A restore sent with no usable answer: prisma reads the target back; a seed restore is sent again only under an honoured key. */
export function restoreOutcomeUnknown(operation: Operation, what: string, resendSafe: boolean, retryAfterMs?: number, status?: number) {
  const next =
    operation === 'postV1DatabasesByTargetDatabaseIdRestore'
      ? 'The target is read back before anything is sent again.'
      : resendSafe
        ? 'Sending it again with the same Idempotency-Key, which the API is declared to honour.'
        : CHECK_BEFORE_RESTORING;
  const message = `${what}: the restore may or may not have been applied. ${next}`;
  return new ApiError(ErrorType.RestoreOutcomeUnknown, message, resendSafe, retryAfterMs, status);
}

/** Classifies a non-2xx answer. */
export function errorFromResponse(outcome: HttpOutcome, now: number): ApiError {
  const { status, request, operation } = outcome;
  const error = envelope(outcome.body);
  const what = `${request} answered ${status}${error ? ` (${error.code}: ${error.message})` : ''}`;
  const refused = (type: ErrorType, why: string) => new ApiError(type, `${what}: ${why}`, false, undefined, status);
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(outcome.retryAfter, now) : undefined;
  if (status === 401 || status === 403) return new ApiError(ErrorType.Unauthorized, `${what}. ${TOKEN_HELP}`, false, undefined, status);
  if (status === 404) return refused(...notFound(outcome));
  if (status === 429) return new ApiError(ErrorType.RateLimited, `${what}: rate limited; retrying later.`, true, retryAfterMs, status);
  if (status >= 500) {
    // A server error says nothing about whether a restore took effect before it.
    if (isRestore(operation)) return restoreOutcomeUnknown(operation, what, outcome.resendSafe ?? false, retryAfterMs, status);
    return new ApiError(ErrorType.Transient, `${what}: server error; retrying.`, true, retryAfterMs, status);
  }
  if (status < 400) return refused(ErrorType.InvalidRequest, 'a redirect, which is not followed. Check PRISMA_API_URL (…/v1).');
  const restore = operation === 'postV1DatabasesByTargetDatabaseIdRestore';
  if (status === 409 && restore)
    return refused(
      ErrorType.RestoreConflict,
      'the target is provisioning or recovering, so this restore was refused; no second one is sent.',
    );
  if (status === 422 && (restore || operation === 'postV1Databases'))
    return refused(ErrorType.BackupNotUsable, 'the backup cannot be restored; nothing was restored. Choose a completed backup.');
  if (status === 422 && operation === 'getV1DatabasesByDatabaseIdBackups')
    return refused(ErrorType.InvalidRequest, 'this database has no backups to list (Prisma answers 422 for remote databases).');
  return refused(ErrorType.InvalidRequest, 'the request was refused; it is not retried.');
}

/** A request that got no answer; `sent`: the whole request reached the operating system. */
export interface NetworkFailure {
  operation: Operation;
  request: string;
  code?: string;
  timedOut: boolean;
  sent: boolean;
  resendSafe?: boolean;
}

/** Classifies a request with no answer; only a restore that was never sent is safe to send again. */
export function errorFromNetwork(failure: NetworkFailure): ApiError {
  const { request, code, operation } = failure;
  if (code?.startsWith('ERR_INVALID'))
    return new ApiError(ErrorType.InvalidRequest, `${request} could not be sent (${code}): check PRISMA_API_URL and the input.`, false);
  const reason = failure.timedOut ? 'timed out' : `failed (${code ?? 'network error'})`;
  if (!isRestore(operation)) return new ApiError(ErrorType.Transient, `${request} ${reason}; retrying. ${URL_HELP}`, true);
  const before = `${request} ${reason} before the request was sent: nothing was restored. ${URL_HELP}`;
  if (!failure.sent) return new ApiError(ErrorType.RequestNotSent, before, true);
  return restoreOutcomeUnknown(operation, `${request} ${reason} after the request was sent`, failure.resendSafe ?? false);
}

/** A 2xx whose body breaks the description; a POST then probably took effect. */
export function protocolError(request: string, problem: string): ApiError {
  const applied = request.startsWith('POST') ? ' The request may have been carried out: check before sending it again.' : '';
  const check = 'Check that PRISMA_API_URL is the Management API (…/v1) and PRISMA_API_PROFILE names it.';
  return new ApiError(
    ErrorType.ProtocolError,
    `${request}: the answer does not match the API description (${problem}).${applied} ${check}`,
    false,
  );
}
