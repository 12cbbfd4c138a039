// A worker process for the reliability and cluster suites, which SIGKILL and restart it: src/worker.ts with
// a task queue of its own, a prebuilt workflow bundle (bundling at every restart would take seconds)
// and, optionally, a shorter request timeout so an injected "timeout" fault does not take 20 s.
//
// Environment: TEMPORAL_ADDRESS (and Temporal's other variables), PRISMA_API_URL, PRISMA_API_TOKEN,
// PRISMA_API_PROFILE and PRISMA_API_IDEMPOTENCY_KEYS (read as src/worker.ts reads them),
// RELIABILITY_TASK_QUEUE, RELIABILITY_WORKFLOW_BUNDLE (path of a bundle file; unset, src's default: the
// prebuilt dist/src/workflow-bundle.js), RELIABILITY_REQUEST_TIMEOUT_MS
// (optional), and PRISMA_BACKUP_LOG_FORMAT; no metrics endpoint (several of these workers share a
// machine). Logs WORKER_READY_LINE once it polls.
import { createManagementApi, readApiToken } from '../src/api/client';
import { apiSettings } from '../src/shared/config';
import { connectWorker } from '../src/temporal/connect';
import { createBackupWorker } from '../src/temporal/create-worker';
import { setUpWorkerObservability } from '../src/temporal/observability';
import { WORKER_READY_LINE } from './worker-ready';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

// Started by worker-process.ts with an IPC channel: when the parent dies, even by SIGKILL, the
// channel closes and this worker ends too, rather than polling forever as an orphan.
if (process.send) process.once('disconnect', () => process.exit(1));

async function main() {
  const { logger, metrics } = await setUpWorkerObservability({ ...process.env, PRISMA_BACKUP_METRICS_ADDRESS: 'off' });
  const timeout = process.env.RELIABILITY_REQUEST_TIMEOUT_MS;
  const api = createManagementApi({
    ...apiSettings(),
    token: readApiToken(),
    requestTimeoutMs: timeout ? Number(timeout) : undefined,
  });
  const { connection, namespace } = await connectWorker();
  const bundlePath = process.env.RELIABILITY_WORKFLOW_BUNDLE;
  const worker = await createBackupWorker({
    connection,
    namespace,
    api,
    metrics,
    taskQueue: required('RELIABILITY_TASK_QUEUE'),
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
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
