// Starting a run from any client: the input is checked before anything is sent to Temporal.
import type { Client, WorkflowHandle } from '@temporalio/client';
import { TASK_QUEUE, WORKFLOW_TYPE } from '../shared/constants';
import type { BackupAndRestoreInput } from '../shared/workflow-types';
import type { backupAndRestoreDatabase } from '../workflows/backup-and-restore';
import { inputProblems } from '../workflows/validate-input';

export class InvalidInputError extends Error {
  constructor(readonly problems: string[]) {
    super(`Nothing was started: ${problems.join(' ')}`);
    this.name = 'InvalidInputError';
  }
}

/** A readable, unique id: the database and the start time, e.g. `backup-db_1-20261127T101500Z`. */
export function defaultWorkflowId(databaseId: string, now: Date): string {
  return `backup-${databaseId}-${now.toISOString().replace(/[-:]|\.\d+/g, '')}`;
}

/** Throws InvalidInputError, saying what to change, for input a run would reject. */
export function assertValidInput(input: BackupAndRestoreInput): void {
  const problems = inputProblems(input);
  if (input.resume !== undefined) problems.push('resume is internal to the workflow; leave it out.');
  if (problems.length > 0) throw new InvalidInputError(problems);
}

export interface StartOptions {
  workflowId?: string;
  taskQueue?: string;
}

export async function startBackupRun(
  client: Client,
  input: BackupAndRestoreInput,
  options: StartOptions = {},
): Promise<WorkflowHandle<typeof backupAndRestoreDatabase>> {
  assertValidInput(input);
  return client.workflow.start<typeof backupAndRestoreDatabase>(WORKFLOW_TYPE, {
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    workflowId: options.workflowId ?? defaultWorkflowId(input.databaseId, new Date()),
    args: [input],
  });
}
