// Failure types: the `type` of every ApplicationFailure the activities and the workflow raise.
// Callers (starter, tests) match on these strings, so they live in one place.

export const ErrorType = {
  /** 401/403: the token is missing, wrong or lacks access. Not retried. */
  Unauthorized: 'Unauthorized',
  /** 404 on a database path. Not retried. */
  DatabaseNotFound: 'DatabaseNotFound',
  /** 404 on a backup path, or our backup vanished from the list. Not retried. */
  BackupNotFound: 'BackupNotFound',
  /** Any other 4xx. Not retried. */
  InvalidRequest: 'InvalidRequest',
  /** The response does not match the API description. Retried twice, then not (a POST may have been applied). */
  ProtocolError: 'ProtocolError',
  /** 429: retried after Retry-After. */
  RateLimited: 'RateLimited',
  /** 5xx, resets, timeouts: retried with backoff. */
  Transient: 'Transient',
  /** The workflow input was rejected before anything was sent. */
  InvalidInput: 'InvalidInput',
  /** The backup reached `failed`; nothing was restored. */
  BackupFailed: 'BackupFailed',
  /** The backup did not complete before the deadline; nothing was restored. */
  BackupTimedOut: 'BackupTimedOut',
  /** The run asked for approval and none came before its timeout; nothing was restored. */
  ApprovalTimedOut: 'ApprovalTimedOut',
  /** Polls of the backup kept failing (network, DNS, API outage) for the configured stretch; nothing was restored. */
  PollFailing: 'PollFailing',
  /** The worker's API profile (PRISMA_API_PROFILE) cannot do what the run asks; the message says how to fix it. Not retried. */
  ProfileMismatch: 'ProfileMismatch',
  /** A restore that definitely never reached the API (refused connection, DNS failure, reset before the last byte): safe to send again. */
  RequestNotSent: 'RequestNotSent',
  /** A restore was sent and no usable answer came (timeout, reset, 5xx, a garbled 2xx): it may or may not have been applied. */
  RestoreOutcomeUnknown: 'RestoreOutcomeUnknown',
  /** 409 to Prisma's restore: the target is provisioning or recovering. Never send a second restore; wait, then read it back. */
  RestoreConflict: 'RestoreConflict',
  /** 422 to a restore or a create from backup: the backup cannot be used. Not retried. */
  BackupNotUsable: 'BackupNotUsable',
  /** 404 naming the project. Not retried. */
  ProjectNotFound: 'ProjectNotFound',
  /** 404 whose answer does not say which of the ids it names is missing; the message lists them. Not retried. */
  NotFound: 'NotFound',
  /** A database to create from a backup has a name already used by a database not made from that backup. Not retried. */
  DatabaseNameTaken: 'DatabaseNameTaken',
  /** The restored (or newly created) database reached `failure`: its data is not usable. */
  RestoreFailed: 'RestoreFailed',
  /** The database did not become ready within readyDeadlineMs (or stayed busy before the restore was sent). */
  ReadyTimedOut: 'ReadyTimedOut',
  /** The restored database's data is not what the check expects; the message lists what differs. The restore itself is done. */
  VerificationFailed: 'VerificationFailed',
  /** The restored database could not be checked (no reference, no connection); the message says why. The restore itself is done. */
  VerificationInconclusive: 'VerificationInconclusive',
  /** No connection string for a database: the worker's PRISMA_DATABASE_URLS_FILE has none for it (seed profile). Not retried. */
  NoDatabaseUrl: 'NoDatabaseUrl',
  /** A scratch database (a drill's, or a verification's reference) could not be deleted; the message names it. */
  ScratchNotDeleted: 'ScratchNotDeleted',
} as const;

export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** Activity failures that retrying cannot fix. */
export const NON_RETRYABLE_ERROR_TYPES: ErrorType[] = [
  ErrorType.Unauthorized,
  ErrorType.DatabaseNotFound,
  ErrorType.BackupNotFound,
  ErrorType.InvalidRequest,
  ErrorType.InvalidInput,
  ErrorType.ProfileMismatch,
  ErrorType.RestoreConflict,
  ErrorType.BackupNotUsable,
  ErrorType.ProjectNotFound,
  ErrorType.NotFound,
  ErrorType.DatabaseNameTaken,
  ErrorType.NoDatabaseUrl,
];
