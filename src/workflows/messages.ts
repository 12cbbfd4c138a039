// The messages a running workflow answers: a query for its progress, an update that approves the restore.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RestoreApproval, WorkflowStatus } from '../shared/workflow-types';

/** Phase, backup id and status, polls made, next poll time and deadline. */
export const statusQuery = defineQuery<WorkflowStatus>('status');

/**
 * Approves the restore of a run started with `approval`. It must name the backup the run will
 * restore, so an approval meant for another run or backup is refused instead of applied.
 */
export const approveRestoreUpdate = defineUpdate<RestoreApproval, [RestoreApproval]>('approveRestore');
