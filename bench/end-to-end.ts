// The poll-efficiency simulation confirmed once on the real server: one seed run against the
// simulator, its list calls and detection latency read from the simulator's request log.
import path from 'node:path';
import { startSimulator } from '../simulator';
import { WORKFLOW_TYPE } from '../src/shared/constants';
import { runStartOptions } from '../src/runs/start-run';
import type { backupAndRestoreDatabase } from '../src/workflows/backup-and-restore';
import { benchWorker, type BenchWorld } from './bench-worker';
import type { EndToEnd } from './results';

const DATABASE = 'db_bench';

export async function measureEndToEnd(world: BenchWorld, backupSeconds: number): Promise<EndToEnd> {
  const sim = await startSimulator({ token: world.token, databases: [DATABASE], backupDurationMs: backupSeconds * 1000 });
  const taskQueue = `bench-e2e-${Date.now()}`;
  const worker = benchWorker({
    sim,
    token: world.token,
    temporalAddress: world.server.address,
    taskQueue,
    bundlePath: world.bundlePath,
    logFile: path.join(world.logsDir, 'end-to-end-worker.log'),
  });
  try {
    await worker.start();
    await world.client.workflow.execute<typeof backupAndRestoreDatabase>(WORKFLOW_TYPE, {
      ...runStartOptions({ profile: 'seed', databaseId: DATABASE }, { taskQueue }),
      workflowId: taskQueue,
    });
    const [backup] = sim.effects.backupsCreated;
    if (!backup) throw new Error('the run created no backup');
    // The simulator's seed backups complete exactly backupDurationMs after their creation.
    const completedAt = Date.parse(backup.createdAt) + backupSeconds * 1000;
    const lists = sim.requests.filter((request) => request.operation === 'listDatabaseBackups');
    const seen = lists.find((request) => request.time >= completedAt);
    if (!seen) throw new Error('no list call came after the backup completed');
    return { backupSeconds, listCalls: lists.length, detectionLatencySeconds: (seen.time - completedAt) / 1000 };
  } finally {
    await worker.stop();
    await sim.close();
  }
}
