// A `prisma` run's history for its ready wait: Prisma's API keeps no restore durations, so the run
// reads them from our own earlier runs for the same database, found through Temporal visibility by
// the DatabaseId search attribute. Numbers only leave here.
import type { Client } from '@temporalio/client';
import { SEARCH_ATTRIBUTES, WORKFLOW_TYPE } from '../shared/constants';
import { PAST_RUNS_LOOKED_AT, pastReadyWaitsMs } from '../shared/predict-completion';
import { DATABASE_ID_PATTERN } from '../shared/validate-input';
import type { PastReadyWaitsInput } from './types';

/** Without a client (a worker given none) there is no history: the wait falls back to the backoff. */
export async function pastReadyWaits(client: Client | undefined, { databaseId, targetDatabaseId }: PastReadyWaitsInput): Promise<number[]> {
  // The id goes into a visibility query: only ids of the checked shape do.
  if (!client || !DATABASE_ID_PATTERN.test(databaseId)) return [];
  const query =
    `WorkflowType = '${WORKFLOW_TYPE}' AND ${SEARCH_ATTRIBUTES.databaseId} = '${databaseId}' ` +
    // Visibility lists closed runs newest first by itself; SQL visibility refuses ORDER BY.
    `AND ExecutionStatus = 'Completed'`;
  const runs: { workflowId: string; runId: string }[] = [];
  for await (const run of client.workflow.list({ query, pageSize: PAST_RUNS_LOOKED_AT })) {
    runs.push(run);
    if (runs.length >= PAST_RUNS_LOOKED_AT) break;
  }
  // A result that cannot be read (purged since it was listed) is simply not history.
  const results = await Promise.all(
    runs.map(({ workflowId, runId }) =>
      client.workflow
        .getHandle(workflowId, runId)
        .result()
        .catch(() => undefined),
    ),
  );
  return pastReadyWaitsMs(results, targetDatabaseId);
}
