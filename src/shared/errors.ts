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
} as const;

export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** Activity failures that retrying cannot fix. */
export const NON_RETRYABLE_ERROR_TYPES: ErrorType[] = [
  ErrorType.Unauthorized,
  ErrorType.DatabaseNotFound,
  ErrorType.BackupNotFound,
  ErrorType.InvalidRequest,
  ErrorType.InvalidInput,
];
