// Bundled with the workflows: run and fleet ends to the worker's metrics through a sink (not on replay), the database id on log lines.
import { isCancellation, proxySinks, workflowInfo, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { WorkflowInboundCallsInterceptor, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import { WORKFLOW_TYPE } from '../shared/constants';
import { failureReason } from '../shared/failure-reason';
import type { RunInput } from '../shared/input';
import { runEnd, runKind, type RunEnd, type RunLabels } from '../shared/run-metrics';
import type { FleetEntry, RunResult } from '../shared/types';

export interface MetricsSinks extends Sinks {
  metrics: {
    runStarted(labels: RunLabels): void;
    runFinished(end: RunEnd): void;
    /** A fleet's database ended: its outcome, and when the backup it used was taken. */
    fleetDatabase(entry: FleetEntry & { action: string; backupCreatedAt?: string }): void;
  };
}

export const { metrics } = proxySinks<MetricsSinks>();
const RESTORES: readonly string[] = ['restoreBackup', 'restoreDatabase', 'createDatabaseFromBackup'];

export const interceptors: WorkflowInterceptorsFactory = () => {
  let databaseId: string | undefined;
  let restoreRequested = false;
  const inbound: WorkflowInboundCallsInterceptor = {
    async execute(input, next) {
      if (workflowInfo().workflowType !== WORKFLOW_TYPE) return next(input);
      const runInput = input.args[0] as Partial<RunInput> | undefined;
      if (typeof runInput?.databaseId === 'string') databaseId = runInput.databaseId;
      const labels: RunLabels = { profile: runInput?.profile === 'prisma' ? 'prisma' : 'seed', kind: runKind(runInput), databaseId };
      metrics.runStarted(labels);
      try {
        const result = (await next(input)) as RunResult;
        metrics.runFinished(runEnd(labels, 'completed', '', restoreRequested, result?.timings?.readyWaitMs));
        return result;
      } catch (err) {
        metrics.runFinished(runEnd(labels, isCancellation(err) ? 'cancelled' : 'failed', failureReason(err).type, restoreRequested));
        throw err;
      }
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity(input, next) {
      if (RESTORES.includes(input.activityType)) restoreRequested = true;
      return next(input);
    },
    getLogAttributes: (input, next) => next(databaseId === undefined ? input : { ...input, databaseId }),
  };
  return { inbound: [inbound], outbound: [outbound] };
};
