// What the measuring sections share: the benchmark's own dev server and client, its workflow bundle
// (the product's workflows and the no-op baseline), and worker processes started on it.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Simulator } from '../simulator';
import { startDevServer, type DevServer } from '../local-temporal';
import { WorkerProcess } from '../reliability/worker-process';

export interface BenchWorld {
  server: DevServer;
  client: Client;
  /** The bundle's file. */
  bundlePath: string;
  logsDir: string;
  token: string;
  close(): Promise<void>;
}

export const benchToken = () => `tok_${randomBytes(16).toString('hex')}`;

/** A dev server of the benchmark's own (its pid known, for its CPU time), and `bundleCode` in a file for worker processes. */
export async function openBenchWorld(logsDir: string, bundleCode: string): Promise<BenchWorld> {
  const bundlePath = path.join(logsDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundleCode);
  const server = await startDevServer({ headless: true });
  if (server.pid === undefined) {
    await server.stop();
    throw new Error("the dev server's process was not found in /proc: its CPU time cannot be measured");
  }
  const client = new Client({ connection: await Connection.connect({ address: server.address }), namespace: server.namespace });
  return {
    server,
    client,
    bundlePath,
    logsDir,
    token: benchToken(),
    async close() {
      await client.connection.close();
      await server.stop();
    },
  };
}

export interface BenchWorkerOptions {
  /** The seed-profile simulator the worker's activities call. */
  sim: Simulator;
  token: string;
  temporalAddress: string;
  taskQueue: string;
  /** Unset: the worker bundles the workflow code at start. */
  bundlePath?: string;
  logFile: string;
}

/** A worker process (reliability/worker-main.ts) speaking the seed profile to `sim`; the caller starts it. */
export function benchWorker(options: BenchWorkerOptions): WorkerProcess {
  return new WorkerProcess({
    logFile: options.logFile,
    readyTimeoutMs: 120_000,
    env: {
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      PRISMA_API_URL: options.sim.url,
      PRISMA_API_TOKEN: options.token,
      PRISMA_API_PROFILE: 'seed',
      PRISMA_API_IDEMPOTENCY_KEYS: 'honoured',
      RELIABILITY_TASK_QUEUE: options.taskQueue,
      ...(options.bundlePath ? { RELIABILITY_WORKFLOW_BUNDLE: options.bundlePath } : {}),
    },
  });
}
