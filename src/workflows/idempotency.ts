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
