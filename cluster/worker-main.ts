// A worker process of the cluster suites (dist/cluster/worker-main.js), which start several, SIGKILL
// one and stop the rest: src/'s worker (createBackupWorker) on a task queue of the suite's own, with
// the prebuilt workflow bundle `npm run build` writes (dist/src/workflow-bundle.js) and a shorter
// request timeout, metrics off (several workers share the machine).
//
// Environment: TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE, PRISMA_API_URL, PRISMA_API_TOKEN,
// PRISMA_API_PROFILE and PRISMA_API_IDEMPOTENCY_KEYS (read as src/worker.ts reads them),
// CLUSTER_TASK_QUEUE, CLUSTER_REQUEST_TIMEOUT_MS (optional). Prints WORKER_READY_LINE once it polls.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createManagementApi, readApiToken } from '../src/api/client';
import { apiSettings } from '../src/shared/config';
import { connectWorker } from '../src/temporal/connect';
import { createBackupWorker } from '../src/temporal/create-worker';
import { setUpWorkerObservability } from '../src/temporal/observability';
import { WORKER_READY_LINE } from './worker-ready';

/** dist/src/workflow-bundle.js, beside this file's dist/cluster/. */
const WORKFLOW_BUNDLE = path.resolve(__dirname, '..', 'src', 'workflow-bundle.js');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

// Started by worker-process.ts with an IPC channel: when the parent dies, even by SIGKILL, the
// channel closes and this worker ends too, rather than polling forever as an orphan.
if (process.send) process.once('disconnect', () => process.exit(1));

async function main() {
  if (!existsSync(WORKFLOW_BUNDLE)) throw new Error(`${WORKFLOW_BUNDLE} is missing: run \`npm run build\` first.`);
  const { logger, metrics } = await setUpWorkerObservability({ ...process.env, PRISMA_BACKUP_METRICS_ADDRESS: 'off' });
  const timeout = process.env.CLUSTER_REQUEST_TIMEOUT_MS;
  const api = createManagementApi({ ...apiSettings(), token: readApiToken(), requestTimeoutMs: timeout ? Number(timeout) : undefined });
  const { connection, namespace } = await connectWorker();
  const worker = await createBackupWorker({
    connection,
    namespace,
    api,
    metrics,
    taskQueue: required('CLUSTER_TASK_QUEUE'),
    workflowBundle: { codePath: WORKFLOW_BUNDLE },
    shutdownGraceTime: '1s',
  });
  const running = worker.run();
  logger.info(`${WORKER_READY_LINE} ${worker.options.taskQueue}`);
  await running;
  await connection.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
