// The poll-efficiency simulation confirmed on the real server: a seed run of a 1 min backup against
// the simulator on the compiled worker, its list calls and detection latency read from the
// simulator's request log; once with no earlier runs of its database, once after earlier runs whose
// results (timings.backupTookMs) visibility lists, so the run predicts before its first look.
import { startSimulator } from '../simulator';
import { DATABASE_ID_KEY, WORKFLOW_TYPE } from '../src/shared/constants';
import { startRun } from '../src/runs/start';
import type { RunResult } from '../src/shared/types';
import { benchWorker, type BenchWorld } from './bench-worker';
import type { EndToEnd } from './results';

/** The earlier runs' backups take the same simulated time, but on a clock this much faster, so they are done in seconds. */
const EARLIER_RUNS_SPEEDUP = 60;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function measureEndToEnd(world: BenchWorld, backupSeconds: number, earlierRuns: number): Promise<EndToEnd> {
  // The simulator's clock: EARLIER_RUNS_SPEEDUP× while the earlier runs run, then real time.
  let [simBase, realBase, speed] = [Date.now(), Date.now(), earlierRuns > 0 ? EARLIER_RUNS_SPEEDUP : 1];
  const clock = () => simBase + (Date.now() - realBase) * speed;
  const databaseId = `db_e2e${earlierRuns}_${Date.now()}`;
  const sim = await startSimulator({ token: world.token, databases: [databaseId], backupDurationMs: backupSeconds * 1000, clock });
  const taskQueue = `bench-e2e-${earlierRuns}-${Date.now()}`;
  const worker = benchWorker(world, {
    kind: 'product',
    taskQueue,
    api: { url: sim.url, profile: 'seed' },
    logName: `end-to-end-${earlierRuns}`,
  });
  const run = (id: string) => startRun(world.client, { profile: 'seed', databaseId }, id, { taskQueue }).then((h) => h.result());
  try {
    await worker.start();
    if (earlierRuns > 0) {
      const earlier = await Promise.all(Array.from({ length: earlierRuns }, (_, i) => run(`${taskQueue}-earlier-${i}`)));
      const took = earlier.map((result: RunResult) => result.timings.backupTookMs);
      if (took.some((ms) => ms !== backupSeconds * 1000)) throw new Error(`the earlier runs' backups took ${took.join(', ')} ms`);
      // pastDurations reads completed runs through visibility, which lags the results a little.
      const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ${DATABASE_ID_KEY.name} = '${databaseId}' AND ExecutionStatus = 'Completed'`;
      await until('the earlier runs in visibility', async () => (await world.client.workflow.count(query)).count >= earlierRuns);
      [simBase, realBase, speed] = [clock(), Date.now(), 1];
    }
    const seqBefore = sim.stats.requestsReceived;
    const result = await run(`${taskQueue}-measured`);
    const backup = sim.effects.backupsCreated.at(-1);
    if (!backup || backup.id !== result.backupId) throw new Error('the measured run created no backup, or not the last one');
    // The simulator's seed backups complete exactly backupDurationMs after their creation (its clock).
    const createdAt = Date.parse(backup.createdAt);
    const completedAt = createdAt + backupSeconds * 1000;
    const lists = sim.requests.filter((request) => request.seq > seqBefore && request.operation === 'listDatabaseBackups');
    const seen = lists.find((request) => request.time >= completedAt);
    if (!seen) throw new Error('no list call came after the backup completed');
    return {
      backupSeconds,
      earlierRuns,
      listCalls: lists.length,
      firstLookAfterSeconds: (lists[0].time - createdAt) / 1000,
      detectionLatencySeconds: (seen.time - completedAt) / 1000,
      pollsMade: result.pollsMade,
    };
  } finally {
    await worker.stop();
    await sim.close();
  }
}
