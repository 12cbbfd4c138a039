// One simulator + one worker on its own task queue, against the test Temporal server, for
// workflow tests. Real HTTP over loopback, a real server: nothing is mocked.
import { randomBytes } from 'node:crypto';
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { DefaultLogger, Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import { createManagementApi } from '../../src/api';
import { WORKFLOW_TYPE } from '../../src/shared/constants';
import type { BackupAndRestoreInput } from '../../src/shared/workflow-types';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';
import { runStartOptions } from '../../src/runs/start-run';
import { createBackupWorker } from '../../src/temporal/create-worker';
import { buildWorkflowBundle } from '../../src/temporal/workflow-bundle';
import type { backupAndRestoreDatabase } from '../../src/workflows/backup-and-restore';
import { connectTestClient, connectWorkerConnection, testNamespace } from './temporal';

// Workers log state changes at INFO and each expected run failure at WARN; tests keep errors only.
Runtime.install({ logger: new DefaultLogger('ERROR') });

let bundle: Promise<{ code: string }> | undefined;
/** The workflow bundle, built once per test process. */
export function workflowBundle(): Promise<{ code: string }> {
  bundle ??= buildWorkflowBundle();
  return bundle;
}

export const uniqueId = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

export interface HarnessOptions {
  simulator?: Partial<SimulatorOptions>;
  /** The token the worker sends; default: the simulator's. */
  workerToken?: string;
  /** The API the worker calls; default: the simulator. */
  apiBaseUrl?: string;
  /** False on a server without the custom search attributes (the time-skipping one). Default true. */
  searchAttributes?: boolean;
  /** Another Temporal (e.g. a dedicated dev server, or a time-skipping env). */
  temporal?: { client: Client; connection: NativeConnection; namespace: string };
}

export interface Harness {
  sim: Simulator;
  token: string;
  client: Client;
  taskQueue: string;
  start(input: BackupAndRestoreInput, workflowId?: string): Promise<WorkflowHandleWithFirstExecutionRunId<typeof backupAndRestoreDatabase>>;
  /** Requests the simulator received for one operation. */
  requestsFor(operation: string): Simulator['requests'];
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const token = `tok_${randomBytes(16).toString('hex')}`;
  const sim = await startSimulator({ token, backupDurationMs: 600, ...options.simulator });
  // Declared honoured exactly when the seed simulator honours Idempotency-Key (its default).
  const api = createManagementApi({
    profile: 'seed',
    idempotencyKeysHonoured: options.simulator?.honourIdempotencyKeys ?? true,
    baseUrl: options.apiBaseUrl ?? sim.url,
    token: options.workerToken ?? token,
    requestTimeoutMs: 5_000,
  });
  const own = options.temporal ? undefined : { client: await connectTestClient(), connection: await connectWorkerConnection() };
  const client = options.temporal?.client ?? own!.client;
  const connection = options.temporal?.connection ?? own!.connection;
  const namespace = options.temporal?.namespace ?? testNamespace();
  const taskQueue = uniqueId('test');
  const worker: Worker = await createBackupWorker({
    connection,
    namespace,
    api,
    taskQueue,
    workflowBundle: await workflowBundle(),
    shutdownGraceTime: '1s',
  });
  const running = worker.run();

  return {
    sim,
    token,
    client,
    taskQueue,
    start: (input, workflowId = uniqueId('wf')) =>
      client.workflow.start<typeof backupAndRestoreDatabase>(WORKFLOW_TYPE, {
        ...runStartOptions(input, { taskQueue, searchAttributes: options.searchAttributes }),
        workflowId,
      }),
    requestsFor: (operation) => sim.requests.filter((r) => r.operation === operation),
    async close() {
      worker.shutdown();
      await running;
      await sim.close();
      if (own) {
        await own.client.connection.close();
        await own.connection.close();
      }
    },
  };
}

/** Fast polls for tests on the real clock. */
export const FAST_POLL = { initialIntervalMs: 100, maximumIntervalMs: 200, deadlineMs: 60_000 };
