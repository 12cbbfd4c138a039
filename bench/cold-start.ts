// How long a worker process takes from its start to polling: on the prebuilt bundle, and bundling
// the workflow code itself at start. Both run reliability/worker-main.ts under ts-node, so the
// difference is the bundling.
import path from 'node:path';
import { startSimulator } from '../simulator';
import { benchWorker, type BenchWorld } from './bench-worker';
import type { ColdStart } from './results';
import { median } from './stats';

export async function measureColdStart(world: BenchWorld, starts: number): Promise<ColdStart> {
  // The worker needs an API to point at; it calls none before polling.
  const sim = await startSimulator({ token: world.token, databases: [] });
  const prebuiltMs: number[] = [];
  const bundlingMs: number[] = [];
  try {
    // Alternating, so a slower moment of this shared machine does not fall on one kind only.
    for (let i = 0; i < starts; i += 1) {
      for (const [bundlePath, times] of [
        [world.bundlePath, prebuiltMs],
        [undefined, bundlingMs],
      ] as const) {
        const worker = benchWorker({
          sim,
          token: world.token,
          temporalAddress: world.server.address,
          taskQueue: `bench-cold-start-${i}`,
          bundlePath,
          logFile: path.join(world.logsDir, 'cold-start.log'),
        });
        const startedAt = Date.now();
        await worker.start();
        times.push(Date.now() - startedAt);
        await worker.stop();
      }
    }
  } finally {
    await sim.close();
  }
  return { prebuiltMs, bundlingMs, prebuiltMedianMs: median(prebuiltMs), bundlingMedianMs: median(bundlingMs) };
}
