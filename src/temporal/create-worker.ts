// The worker, in one place for the worker process, `npm start` and the tests.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type ActivityInterceptorsFactory, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityOptions } from '../activities';
import type { ManagementApi } from '../api/client';
import { TASK_QUEUE } from '../shared/constants';
import { WorkerMetrics } from './metrics';
import { WORKFLOW_INTERCEPTOR_MODULES } from './workflow-bundle';

export interface BackupWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  api: ManagementApi;
  taskQueue?: string;
  /** A bundle built once and shared (tests start many workers). Default: see workflowSource(). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** How long running activities get to finish on shutdown. */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /** Seed profile: the connection strings verification reads (PRISMA_DATABASE_URLS_FILE). */
  databaseUrls?: ActivityOptions['databaseUrls'];
  /** Where runs and backups are counted (the process's metrics endpoint); default: a registry nobody serves. */
  metrics?: WorkerMetrics;
}

/** On each activity log line: the run's id as workflow lines name it (runId), and the database its input names. */
const runInLogs: ActivityInterceptorsFactory = (ctx) => {
  const runId = ctx.info.workflowExecution?.runId;
  let databaseId: unknown;
  return {
    inbound: {
      execute(input, next) {
        const arg = input.args[0] as { databaseId?: unknown; targetDatabaseId?: unknown } | undefined;
        databaseId = arg?.databaseId ?? arg?.targetDatabaseId;
        return next(input);
      },
    },
    outbound: {
      getLogAttributes: (attributes, next) =>
        next({ ...attributes, ...(runId ? { runId } : {}), ...(typeof databaseId === 'string' ? { databaseId } : {}) }),
    },
  };
};

/** The prebuilt bundle beside the compiled worker; ts-node, a watch mode (PRISMA_BACKUP_BUNDLE=fresh) or no bundle: bundled at start. */
function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const codePath = path.resolve(__dirname, '../workflow-bundle.js');
  if (path.extname(__filename) === '.ts' || process.env.PRISMA_BACKUP_BUNDLE === 'fresh' || !existsSync(codePath))
    return { workflowsPath: require.resolve('../workflows') };
  return { workflowBundle: { codePath } };
}

export function createBackupWorker(options: BackupWorkerOptions): Promise<Worker> {
  const metrics = options.metrics ?? new WorkerMetrics();
  const source = options.workflowBundle ? { workflowBundle: options.workflowBundle } : workflowSource();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    activities: createActivities(metrics.observedApi(options.api), {
      databaseUrls: options.databaseUrls,
      // `prisma` ready waits read earlier runs through the worker's own connection (a Client accepts a NativeConnection).
      runs: new Client({ connection: options.connection, namespace: options.namespace }),
    }),
    sinks: metrics.sinks(),
    // A prebuilt bundle has the workflow interceptors in it (workflow-bundle.ts); bundling at start adds them here.
    interceptors: { activity: [runInLogs], ...(source.workflowsPath ? { workflowModules: WORKFLOW_INTERCEPTOR_MODULES } : {}) },
    shutdownGraceTime: options.shutdownGraceTime ?? '30s',
    ...source,
  });
}
