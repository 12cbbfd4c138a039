// The benchmark's worker process (compiled: dist/bench/worker-main.js), on a task queue of its own.
// BENCH_WORKER_KIND=product: src's createBackupWorker, as src/worker.ts makes it, on the prebuilt
// dist/src/workflow-bundle.js (its default once compiled), speaking PRISMA_API_PROFILE to
// PRISMA_API_URL. BENCH_WORKER_KIND=noop: the baseline, bench/noop-workflow.ts from the bundle at
// BENCH_NOOP_BUNDLE, with the no-op activity. Both set up the process's logs as src/worker.ts does
// (metrics endpoint off: several workers share the machine), and print BENCH_WORKER_READY once polling.
import { Worker } from '@temporalio/worker';
import { createManagementApi, readApiToken } from '../src/api/client';
import { apiSettings } from '../src/shared/config';
import { connectWorker } from '../src/temporal/connect';
import { createBackupWorker } from '../src/temporal/create-worker';
import { setUpWorkerObservability } from '../src/temporal/observability';
import { noopActivities } from './noop-activities';
import { BENCH_WORKER_READY } from './worker-ready';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

// Started with an IPC channel: when the benchmark dies, the channel closes and this worker ends too.
if (process.send) process.once('disconnect', () => process.exit(1));

async function main() {
  const { metrics } = await setUpWorkerObservability({ PRISMA_BACKUP_METRICS_ADDRESS: 'off', ...process.env });
  const taskQueue = required('BENCH_TASK_QUEUE');
  const { connection, namespace } = await connectWorker();
  const worker =
    process.env.BENCH_WORKER_KIND === 'noop'
      ? await Worker.create({
          connection,
          namespace,
          taskQueue,
          workflowBundle: { codePath: required('BENCH_NOOP_BUNDLE') },
          activities: noopActivities,
          shutdownGraceTime: '1s',
        })
      : await createBackupWorker({
          connection,
          namespace,
          api: createManagementApi({ ...apiSettings(), token: readApiToken() }),
          metrics,
          taskQueue,
          shutdownGraceTime: '1s',
        });
  const running = worker.run();
  console.log(`${BENCH_WORKER_READY} ${taskQueue}`);
  await running;
  await connection.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
