// The `type` of every ApplicationFailure the activities and workflows raise: callers match on these.

export const ErrorType = {
  /** 401/403: the token is missing, wrong or lacks access. */
  Unauthorized: 'Unauthorized',
  DatabaseNotFound: 'DatabaseNotFound',
  /** 404 on a backup, or our backup vanished from the list. */
  BackupNotFound: 'BackupNotFound',
  ProjectNotFound: 'ProjectNotFound',
  /** A 404 whose answer does not say which id is missing; the message lists them. */
  NotFound: 'NotFound',
  /** Any other 4xx. */
  InvalidRequest: 'InvalidRequest',
  /** A 2xx whose body breaks the API description. */
  ProtocolError: 'ProtocolError',
  /** 429: retried after Retry-After. */
  RateLimited: 'RateLimited',
  /** 5xx, resets, timeouts: retried with backoff. */
  Transient: 'Transient',
  /** The input was refused before anything was sent. */
  InvalidInput: 'InvalidInput',
  BackupFailed: 'BackupFailed',
  /** The backup was not completed by the deadline; nothing was restored. */
  BackupTimedOut: 'BackupTimedOut',
  ApprovalTimedOut: 'ApprovalTimedOut',
  /** Looks failed in a row for poll.failingLimitMs. */
  PollFailing: 'PollFailing',
  /** The worker's PRISMA_API_PROFILE cannot do what the run asks. */
  ProfileMismatch: 'ProfileMismatch',
  /** A restore that never reached the API: safe to send again. */
  RequestNotSent: 'RequestNotSent',
  /** A restore was sent and no usable answer came: it may or may not have been applied. */
  RestoreOutcomeUnknown: 'RestoreOutcomeUnknown',
  /** 409 to Prisma's restore: the target is busy. Never answered with a second restore. */
  RestoreConflict: 'RestoreConflict',
  /** 422: the backup cannot be used. */
  BackupNotUsable: 'BackupNotUsable',
  /** A database to create has a name taken by one not made from our backup. */
  DatabaseNameTaken: 'DatabaseNameTaken',
  /** The restored database reached `failure`. */
  RestoreFailed: 'RestoreFailed',
  /** The database was not ready within readyDeadlineMs. */
  ReadyTimedOut: 'ReadyTimedOut',
  /** The restored data is not what the check expects. The restore itself is done. */
  VerificationFailed: 'VerificationFailed',
  /** The restored database could not be checked. The restore itself is done. */
  VerificationInconclusive: 'VerificationInconclusive',
  /** Seed: no connection string for the database in PRISMA_DATABASE_URLS_FILE. */
  NoDatabaseUrl: 'NoDatabaseUrl',
  /** A scratch database could not be deleted; the message names it. */
  ScratchNotDeleted: 'ScratchNotDeleted',
  /** A fleet in which at least one database failed; the report says which. */
  FleetFailed: 'FleetFailed',
  /** A wait's look found the answer not there yet: the retry is the next look. */
  NotYet: 'NotYet',
} as const;

export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** Activity failures that retrying cannot fix. */
export const NON_RETRYABLE_ERROR_TYPES: ErrorType[] = [
  ErrorType.Unauthorized,
  ErrorType.DatabaseNotFound,
  ErrorType.BackupNotFound,
  ErrorType.ProjectNotFound,
  ErrorType.NotFound,
  ErrorType.InvalidRequest,
  ErrorType.InvalidInput,
  ErrorType.BackupFailed,
  ErrorType.PollFailing,
  ErrorType.ProfileMismatch,
  ErrorType.RestoreConflict,
  ErrorType.BackupNotUsable,
  ErrorType.DatabaseNameTaken,
  ErrorType.RestoreFailed,
  ErrorType.NoDatabaseUrl,
];
