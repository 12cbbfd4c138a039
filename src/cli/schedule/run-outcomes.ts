// How the runs a schedule started are doing: one describe (and, for closed runs, the result) each.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { runFailure } from '../follow';
import { PHASE_KEY } from '../../shared/search-attributes';
import type { BackupAndRestoreResult } from '../../shared/workflow-types';
import type { ScheduledRunOutcome } from './schedule-view';
import { utcTime } from './zoned-time';

const STATUS_WORDS: Record<string, string> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed-out',
  CONTINUED_AS_NEW: 'continued-as-new',
};

/** What a completed run did with its backup, after its id. */
function restoreInWords(result: BackupAndRestoreResult): string {
  if (result.restoreStatus === 'restoring') return ', restore started';
  if (result.restoreStatus !== 'ready') return '';
  if (result.deletedDatabaseId) return `, drill passed: scratch database ${result.deletedDatabaseId} ready, verified, deleted`;
  return result.createdDatabaseId ? `, new database ${result.createdDatabaseId} ready` : `, ${result.targetDatabaseId ?? 'database'} ready`;
}

/** The outcome of the latest run of one workflow id (a run that continued as new is followed). */
export async function runOutcome(client: Client, workflowId: string): Promise<ScheduledRunOutcome> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const description = await handle.describe();
    const status = STATUS_WORDS[description.status.name] ?? description.status.name.toLowerCase();
    if (description.status.name === 'RUNNING') {
      const phase = description.typedSearchAttributes.get(PHASE_KEY);
      return { status, ...(phase ? { detail: phase } : {}) };
    }
    const endedAt = description.closeTime ? { endedAt: utcTime(description.closeTime) } : {};
    if (description.status.name === 'COMPLETED') {
      const result = (await handle.result()) as BackupAndRestoreResult;
      return { status, detail: `backup ${result.backupId}${restoreInWords(result)}`, ...endedAt };
    }
    // Failed, timed out, cancelled or terminated: the typed reason, as `status` prints it.
    const reason = await handle.result().then(
      () => undefined,
      (err: unknown) => runFailure(err),
    );
    return { status, ...(reason ? { detail: reason.type, message: reason.message } : {}), ...endedAt };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { status: 'unknown', detail: 'no longer kept by Temporal' };
    throw err;
  }
}

/**
 * Outcomes of the given runs. With `until`, the runs are read one by one in the order given (newest
 * first) and reading stops after the first outcome `until` accepts: the latest ended run is usually
 * the first or second, so a list of many schedules stays cheap.
 */
export async function runOutcomes(
  client: Client,
  workflowIds: string[],
  until?: (outcome: ScheduledRunOutcome) => boolean,
): Promise<Map<string, ScheduledRunOutcome>> {
  if (!until) return new Map(await Promise.all(workflowIds.map(async (id) => [id, await runOutcome(client, id)] as const)));
  const outcomes = new Map<string, ScheduledRunOutcome>();
  for (const id of workflowIds) {
    const outcome = await runOutcome(client, id);
    outcomes.set(id, outcome);
    if (until(outcome)) break;
  }
  return outcomes;
}
