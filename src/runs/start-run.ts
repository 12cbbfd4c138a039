// Starting a run from any client: the input is checked before anything is sent to Temporal.
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { TASK_QUEUE, WORKFLOW_TYPE } from '../shared/constants';
import { BACKUP_ID_KEY, DATABASE_ID_KEY, PHASE_KEY } from '../shared/search-attributes';
import type { BackupAndRestoreInput } from '../shared/workflow-types';
import type { backupAndRestoreDatabase } from '../workflows/backup-and-restore';
import { inputProblems } from '../shared/validate-input';
import { runDetails, runSummary } from '../workflows/run-summary';

export class InvalidInputError extends Error {
  constructor(readonly problems: string[]) {
    super(`Nothing was started: ${problems.join(' ')}`);
    this.name = 'InvalidInputError';
  }
}

/** A readable, unique id: what the run is, the database and the start time, e.g. `backup-db_1-20261127T101500Z`. */
export function defaultWorkflowId(databaseId: string, now: Date, kind: 'backup' | 'drill' = 'backup'): string {
  return `${kind}-${databaseId}-${now.toISOString().replace(/[-:]|\.\d+/g, '')}`;
}

/** Throws InvalidInputError, saying what to change, for input a run would reject. */
export function assertValidInput(input: BackupAndRestoreInput): void {
  const problems = inputProblems(input);
  if (problems.length > 0) throw new InvalidInputError(problems);
}

export interface StartOptions {
  workflowId?: string;
  taskQueue?: string;
  /**
   * Set DatabaseId, BackupPhase (and BackupId) at start; the workflow then keeps them current.
   * Default true; false for a server without them registered (the time-skipping test server).
   */
  searchAttributes?: boolean;
}

/** The start options every run gets, whether started directly or by a schedule. */
export function runStartOptions(input: BackupAndRestoreInput, options: Omit<StartOptions, 'workflowId'> = {}) {
  const typedSearchAttributes: SearchAttributePair[] | undefined =
    options.searchAttributes === false
      ? undefined
      : [
          { key: DATABASE_ID_KEY, value: input.databaseId },
          { key: PHASE_KEY, value: 'starting' },
          ...(input.backupId ? [{ key: BACKUP_ID_KEY, value: input.backupId }] : []),
        ];
  return {
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    args: [input] as [BackupAndRestoreInput],
    staticSummary: runSummary(input),
    staticDetails: runDetails(input),
    ...(typedSearchAttributes ? { typedSearchAttributes } : {}),
  };
}

export async function startBackupRun(
  client: Client,
  input: BackupAndRestoreInput,
  options: StartOptions = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof backupAndRestoreDatabase>> {
  assertValidInput(input);
  return client.workflow.start<typeof backupAndRestoreDatabase>(WORKFLOW_TYPE, {
    ...runStartOptions(input, options),
    workflowId: options.workflowId ?? defaultWorkflowId(input.databaseId, new Date()),
  });
}
