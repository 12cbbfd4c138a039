// The worker, in one place for the worker process, `npm start` and the tests.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityOptions } from '../activities';
import type { ManagementApi } from '../api/client';
import { TASK_QUEUE } from '../shared/constants';

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
}

/** Built code (dist/) runs the prebuilt bundle; ts-node (development) bundles at start. */
function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (path.extname(__filename) === '.ts') return { workflowsPath: require.resolve('../workflows') };
  const codePath = path.resolve(__dirname, '../workflow-bundle.js');
  if (!existsSync(codePath)) throw new Error(`No workflow bundle at ${codePath}: run npm run build.`);
  return { workflowBundle: { codePath } };
}

export function createBackupWorker(options: BackupWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    activities: createActivities(options.api, { databaseUrls: options.databaseUrls }),
    shutdownGraceTime: options.shutdownGraceTime ?? '30s',
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : workflowSource()),
  });
}
