// The poll-efficiency simulation confirmed on the real server: a seed run against the simulator, its
// list calls and detection latency read from the simulator's request log; with no earlier backups
// (today's backoff) and with earlier ones of the same duration in the list (the run predicts).
import path from 'node:path';
import { startSimulator } from '../simulator';
import { createManagementApi } from '../src/api';
import { WORKFLOW_TYPE } from '../src/shared/constants';
import { runStartOptions } from '../src/runs/start-run';
import type { backupAndRestoreDatabase } from '../src/workflows/backup-and-restore';
import { benchWorker, type BenchWorld } from './bench-worker';
import type { EndToEnd } from './results';

const DATABASE = 'db_bench';
const DAY_MS = 86_400_000;

export async function measureEndToEnd(world: BenchWorld, backupSeconds: number, earlierBackups: number): Promise<EndToEnd> {
  // The earlier backups are taken through the API on days past: the simulator's clock is set back for them.
  let offsetMs = 0;
  const sim = await startSimulator({
    token: world.token,
    databases: [DATABASE],
    backupDurationMs: backupSeconds * 1000,
    clock: () => Date.now() + offsetMs,
  });
  const api = createManagementApi({ profile: 'seed', baseUrl: sim.url, token: world.token, idempotencyKeysHonoured: true });
  for (let day = earlierBackups; day >= 1; day -= 1) {
    offsetMs = -day * DAY_MS;
    await api.createBackup(DATABASE, undefined, {});
  }
  offsetMs = 0;
  const taskQueue = `bench-e2e-${earlierBackups}-${Date.now()}`;
  const worker = benchWorker({
    sim,
    token: world.token,
    temporalAddress: world.server.address,
    taskQueue,
    bundlePath: world.bundlePath,
    logFile: path.join(world.logsDir, `end-to-end-${earlierBackups}-worker.log`),
  });
  try {
    await worker.start();
    await world.client.workflow.execute<typeof backupAndRestoreDatabase>(WORKFLOW_TYPE, {
      ...runStartOptions({ profile: 'seed', databaseId: DATABASE }, { taskQueue }),
      workflowId: taskQueue,
    });
    const backup = sim.effects.backupsCreated.at(-1);
    if (!backup || sim.effects.backupsCreated.length !== earlierBackups + 1) throw new Error('the run created no backup');
    // The simulator's seed backups complete exactly backupDurationMs after their creation.
    const completedAt = Date.parse(backup.createdAt) + backupSeconds * 1000;
    // Only the run lists backups: the earlier ones were made by POSTs.
    const lists = sim.requests.filter((request) => request.operation === 'listDatabaseBackups');
    const seen = lists.find((request) => request.time >= completedAt);
    if (!seen) throw new Error('no list call came after the backup completed');
    return { backupSeconds, earlierBackups, listCalls: lists.length, detectionLatencySeconds: (seen.time - completedAt) / 1000 };
  } finally {
    await worker.stop();
    await sim.close();
  }
}
