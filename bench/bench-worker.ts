// What the measuring sections share: the benchmark's own dev server (its pid known, for its CPU
// time) and client, and worker processes started on it: the product's (compiled, on the prebuilt
// workflow bundle) and the no-op baseline's.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../local-temporal';
import type { ApiProfile } from '../src/shared/input';
import { serverMetrics, type ServerRequests } from './server-metrics';
import { compiled, WorkerProcess } from '../reliability/worker-process';
import { BENCH_WORKER_READY } from './worker-ready';

export interface BenchWorld {
  server: DevServer;
  client: Client;
  /** The no-op baseline's workflow bundle, a file. */
  noopBundlePath: string;
  logsDir: string;
  token: string;
  /** The server's request counts so far, from its metrics; undefined when its metrics endpoint was not found. */
  serverRequests?: () => Promise<ServerRequests>;
  close(): Promise<void>;
}

export const benchToken = () => `tok_${randomBytes(16).toString('hex')}`;

const quiet = () => undefined;
const quietLogger = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet, log: quiet };

/** The no-op workflow alone in a bundle: what Temporal costs without any product code. */
export async function buildNoopBundle(logsDir: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./noop-workflow'), logger: quietLogger });
  const file = path.join(logsDir, 'noop-workflow-bundle.js');
  writeFileSync(file, code);
  return file;
}

export async function openBenchWorld(logsDir: string): Promise<BenchWorld> {
  const noopBundlePath = await buildNoopBundle(logsDir);
  const server = await startDevServer({ headless: true });
  if (server.pid === undefined) {
    await server.stop();
    throw new Error("the dev server's process was not found in /proc: its CPU time cannot be measured");
  }
  const client = new Client({ connection: await Connection.connect({ address: server.address }), namespace: server.namespace });
  return {
    server,
    client,
    noopBundlePath,
    logsDir,
    token: benchToken(),
    serverRequests: await serverMetrics(server.pid),
    async close() {
      await client.connection.close();
      await server.stop();
    },
  };
}

export interface BenchWorkerOptions {
  kind: 'product' | 'noop';
  taskQueue: string;
  /** product: the simulator its activities call. */
  api?: { url: string; profile: ApiProfile };
  logName: string;
}

/** A bench worker process (dist/bench/worker-main.js); the caller starts and stops it. */
export function benchWorker(world: BenchWorld, options: BenchWorkerOptions): WorkerProcess {
  const { kind, taskQueue, api } = options;
  return new WorkerProcess({
    entry: compiled('bench', 'worker-main.js'),
    ready: new RegExp(BENCH_WORKER_READY),
    logFile: path.join(world.logsDir, `${options.logName}.log`),
    env: {
      TEMPORAL_ADDRESS: world.server.address,
      TEMPORAL_NAMESPACE: world.server.namespace,
      BENCH_TASK_QUEUE: taskQueue,
      BENCH_WORKER_KIND: kind,
      BENCH_NOOP_BUNDLE: world.noopBundlePath,
      ...(api
        ? {
            PRISMA_API_URL: api.url,
            PRISMA_API_TOKEN: world.token,
            PRISMA_API_PROFILE: api.profile,
            ...(api.profile === 'seed' ? { PRISMA_API_IDEMPOTENCY_KEYS: 'honoured' } : {}),
          }
        : {}),
    },
  });
}

/** Calls `task` for 0…count-1 with at most `concurrency` in flight; the results in order. */
export async function inLanes<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return results;
}
