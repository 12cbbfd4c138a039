// How the runs a schedule started are doing: one describe (and, for closed runs, the result) each.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { failureReason } from '../../runs/failure-reason';
import { PHASE_KEY } from '../../shared/search-attributes';
import type { BackupAndRestoreResult } from '../../shared/workflow-types';
import type { ScheduledRunOutcome } from './schedule-view';

const STATUS_WORDS: Record<string, string> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed-out',
  CONTINUED_AS_NEW: 'continued-as-new',
};

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
    if (description.status.name === 'COMPLETED') {
      const result = (await handle.result()) as BackupAndRestoreResult;
      return { status, detail: `backup ${result.backupId}${result.restoreStatus === 'restoring' ? ', restore started' : ''}` };
    }
    if (description.status.name === 'FAILED') {
      const reason = await handle.result().then(
        () => undefined,
        (err: unknown) => failureReason(err),
      );
      return { status, ...(reason ? { detail: reason.type } : {}) };
    }
    return { status };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { status: 'unknown', detail: 'no longer kept by Temporal' };
    throw err;
  }
}

export async function runOutcomes(client: Client, workflowIds: string[]): Promise<Map<string, ScheduledRunOutcome>> {
  const outcomes = await Promise.all(workflowIds.map(async (id) => [id, await runOutcome(client, id)] as const));
  return new Map(outcomes);
}
