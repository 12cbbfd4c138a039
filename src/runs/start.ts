// Starting runs and fleets from any client: the input checked with the workflow's schema, then a Web UI summary and search attributes.
import type { Client } from '@temporalio/client';
import { FLEET_WORKFLOW_TYPE, PHASE_KEY, startingAttributes, TASK_QUEUE, WORKFLOW_TYPE } from '../shared/constants';
import { runDetails, runSummary } from '../shared/describe';
import { FleetInputSchema, problemsOf, RunInputSchema, type FleetInput, type Problem, type RunInput } from '../shared/input';
import type { fleet } from '../workflows/fleet';
import type { backupAndRestoreDatabase } from '../workflows/run';

/** Input a workflow would refuse; nothing was started. */
export class InvalidInputError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`Nothing was started: ${problems.map((p) => `${p.path} ${p.message}.`).join(' ')}`);
    this.name = 'InvalidInputError';
  }
}

/** A readable, unique id: the kind, the database and the start time, e.g. `backup-db_1-20261127T101500Z`. */
export const defaultWorkflowId = (kind: string, subject: string, now = new Date()) =>
  `${kind}-${subject}-${now.toISOString().replace(/[-:]|\.\d+/g, '')}`;

export interface StartOptions {
  taskQueue?: string;
  /** False on a server without the custom search attributes registered (the time-skipping one). Default true. */
  searchAttributes?: boolean;
}

/** The start options every run gets, started by hand or by a schedule. */
export function runStartOptions(input: RunInput, options: StartOptions = {}) {
  const problems = problemsOf(RunInputSchema, input);
  if (problems.length > 0) throw new InvalidInputError(problems);
  return {
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    args: [input] as [RunInput],
    staticSummary: runSummary(input),
    staticDetails: runDetails(input),
    ...(options.searchAttributes === false ? {} : { typedSearchAttributes: startingAttributes(input.databaseId) }),
  };
}

/** The start options of a fleet; its BackupPhase attribute tells it its children may carry theirs. */
export function fleetStartOptions(input: FleetInput, options: StartOptions = {}) {
  const problems = problemsOf(FleetInputSchema, input);
  if (problems.length > 0) throw new InvalidInputError(problems);
  const over = input.projectId
    ? `project ${input.projectId}`
    : `${(input.databaseIds ?? Object.keys(input.targets ?? {})).length} databases`;
  return {
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    args: [input] as [FleetInput],
    staticSummary: `Fleet ${input.action} over ${over}`,
    ...(options.searchAttributes === false ? {} : { typedSearchAttributes: [{ key: PHASE_KEY, value: 'fleet' }] }),
  };
}

export function startRun(client: Client, input: RunInput, workflowId: string, options: StartOptions = {}) {
  return client.workflow.start<typeof backupAndRestoreDatabase>(WORKFLOW_TYPE, { ...runStartOptions(input, options), workflowId });
}

export function startFleet(client: Client, input: FleetInput, workflowId: string, options: StartOptions = {}) {
  return client.workflow.start<typeof fleet>(FLEET_WORKFLOW_TYPE, { ...fleetStartOptions(input, options), workflowId });
}
