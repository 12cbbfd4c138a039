// How long the compiled worker (node dist/src/worker.js, as users run it) takes from its spawn to
// polling: on the prebuilt bundle beside it (its default), and bundling the workflow code at start
// (PRISMA_BACKUP_BUNDLE=fresh), so the difference is the bundling.
import path from 'node:path';
import { startSimulator } from '../simulator';
import type { BenchWorld } from './bench-worker';
import type { ColdStart } from './results';
import { median } from './stats';
import { compiled, WorkerProcess } from '../reliability/worker-process';

export async function measureColdStart(world: BenchWorld, starts: number): Promise<ColdStart> {
  // The worker needs an API to point at; it calls none before polling.
  const sim = await startSimulator({ token: world.token, databases: [] });
  const prebuiltMs: number[] = [];
  const bundlingMs: number[] = [];
  const worker = (fresh: boolean) =>
    new WorkerProcess({
      entry: compiled('src', 'worker.js'),
      ready: /Worker polling task queue/,
      logFile: path.join(world.logsDir, 'cold-start.log'),
      env: {
        TEMPORAL_ADDRESS: world.server.address,
        TEMPORAL_NAMESPACE: world.server.namespace,
        PRISMA_API_URL: sim.url,
        PRISMA_API_TOKEN: world.token,
        PRISMA_API_PROFILE: 'seed',
        PRISMA_BACKUP_METRICS_ADDRESS: 'off',
        ...(fresh ? { PRISMA_BACKUP_BUNDLE: 'fresh' } : {}),
      },
    });
  try {
    // Alternating, so a slower moment of this shared machine does not fall on one kind only.
    for (let i = 0; i < starts; i += 1) {
      for (const [fresh, times] of [
        [false, prebuiltMs],
        [true, bundlingMs],
      ] as const) {
        const process = worker(fresh);
        times.push(Math.round(await process.start()));
        await process.stop();
      }
    }
  } finally {
    await sim.close();
  }
  return { prebuiltMs, bundlingMs, prebuiltMedianMs: median(prebuiltMs), bundlingMedianMs: median(bundlingMs) };
}
