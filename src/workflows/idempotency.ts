import { IDEMPOTENCY_STEPS } from '../shared/constants';

/**
 * The Idempotency-Key of a step: stable across activity retries, worker crashes and
 * continue-as-new (same workflow id and first run id), yet new for a later run that reuses the
 * workflow id, so that run never gets the old run's backup back.
 */
export function idempotencyKey(workflowId: string, firstExecutionRunId: string, step: keyof typeof IDEMPOTENCY_STEPS): string {
  // Encoded: a workflow id may hold any character, a header value may not.
  return `${encodeURIComponent(workflowId)}/${firstExecutionRunId}/${IDEMPOTENCY_STEPS[step]}`;
}

/** Longest share of the workflow id in a database name, so a long id still makes a usable name. */
const NAME_ID_CHARS = 100;

/**
 * The name of a database a run creates from a backup: the workflow id and the start of the first
 * run id. Stable across retries and continue-as-new, so a retried create finds the database by
 * name; new for a later run that reuses the workflow id, so that run never takes the old database.
 */
export function newDatabaseName(workflowId: string, firstExecutionRunId: string): string {
  return `${workflowId.slice(0, NAME_ID_CHARS)}-${firstExecutionRunId.slice(0, 8)}`;
}
