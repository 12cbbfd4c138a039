// The workflow interceptor module (bundled with the workflow code): tells the worker's metrics when
// a run starts and ends, through a sink (never called on replay, emits no command), and adds the
// database id to every workflow log line.
import { ContinueAsNew, isCancellation, proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { failureReason } from '../shared/failure-reason';
import { runEnd, runKind, type RunEnd, type RunLabels } from '../shared/run-metrics';
import { profileOf } from '../shared/validate-input';
import type { BackupAndRestoreInput, BackupAndRestoreResult, CarriedState } from '../shared/workflow-types';

export interface MetricsSinks extends Sinks {
  metrics: {
    runStarted(labels: RunLabels): void;
    runFinished(end: RunEnd): void;
  };
}

const { metrics } = proxySinks<MetricsSinks>();

/** The activities that ask the API to restore, or to create a database from the backup. */
const RESTORE_ACTIVITIES: readonly string[] = ['restoreBackup', 'restoreDatabase', 'createDatabaseFromBackup'];

export const interceptors: WorkflowInterceptorsFactory = () => {
  let databaseId: string | undefined;
  let restoreRequestedAt: number | undefined;
  return {
    inbound: [
      {
        async execute(input, next) {
          const [arg, carried] = input.args as [Partial<BackupAndRestoreInput> | undefined, CarriedState | undefined];
          const runInput = typeof arg === 'object' && arg !== null ? arg : undefined;
          if (typeof runInput?.databaseId === 'string') databaseId = runInput.databaseId;
          const labels: RunLabels = { profile: profileOf(runInput), kind: runKind(runInput) };
          // A continuation carries a restore already requested; its wait on the database began then or later.
          const restore = carried?.restore;
          if (restore && (restore.requestsSent > 0 || restore.created))
            restoreRequestedAt = restore.wait?.startedAt ?? carried.runStartedAt;
          // A continuation is the same run: counted once, when its first execution starts.
          if (!carried) metrics.runStarted(labels);
          try {
            // Undefined from a workflow of another kind in the same bundle (the benchmark's no-op).
            const result = (await next(input)) as BackupAndRestoreResult | undefined;
            const readyAt = result?.timings?.databaseReadyAt;
            metrics.runFinished(
              runEnd(labels, 'completed', '', { restoreRequestedAt, databaseReadyAt: readyAt ? Date.parse(readyAt) : undefined }),
            );
            return result;
          } catch (err) {
            if (!(err instanceof ContinueAsNew)) {
              const outcome = isCancellation(err) ? 'cancelled' : 'failed';
              metrics.runFinished(runEnd(labels, outcome, failureReason(err).type, { restoreRequestedAt }));
            }
            throw err;
          }
        },
      },
    ],
    outbound: [
      {
        scheduleActivity(input, next) {
          if (restoreRequestedAt === undefined && RESTORE_ACTIVITIES.includes(input.activityType)) restoreRequestedAt = Date.now();
          return next(input);
        },
        getLogAttributes(input, next) {
          return next(databaseId === undefined ? input : { ...input, databaseId });
        },
      },
    ],
  };
};
