import { defineQuery } from '@temporalio/workflow';
import type { WorkflowStatus } from '../shared/workflow-types';

/** Phase, backup id and status, polls made, next poll time and deadline. */
export const statusQuery = defineQuery<WorkflowStatus>('status');
