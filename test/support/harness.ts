// One simulator + one worker on its own task queue, against the test Temporal server, for
// workflow tests. Real HTTP over loopback, a real server: nothing is mocked.
import { randomBytes } from 'node:crypto';
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { DefaultLogger, Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import { createManagementApi } from '../../src/api/client';
import type { ApiProfile, RunInput } from '../../src/shared/input';
import type { RunStatus } from '../../src/shared/types';
import { statusQuery } from '../../src/workflows/messages';
import { progressOf } from '../../src/cli/follow';
import { WORKFLOW_TYPE } from '../../src/shared/constants';
import { startSimulator, type PrismaSimulator, type PrismaSimulatorOptions, type Simulator, type SimulatorOptions } from '../../simulator';
import { startRun } from '../../src/runs/start';
import { createBackupWorker } from '../../src/temporal/create-worker';
import { buildWorkflowBundle } from '../../src/temporal/workflow-bundle';
import type { backupAndRestoreDatabase } from '../../src/workflows/run';
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
  /** The API the simulator speaks, and the worker with it. Default seed. */
  profile?: ApiProfile;
  /** The worker's profile when it must differ from the simulator's (a misconfigured worker). */
  workerProfile?: ApiProfile;
  simulator?: Partial<SimulatorOptions> | Partial<PrismaSimulatorOptions>;
  /** The token the worker sends; default: the simulator's. */
  workerToken?: string;
  /** The API the worker calls; default: the simulator. */
  apiBaseUrl?: string;
  /** False on a server without the custom search attributes (the time-skipping one). Default true. */
  searchAttributes?: boolean;
  /** Another Temporal (e.g. a dedicated dev server, or a time-skipping env). */
  temporal?: { client: Client; connection: NativeConnection; namespace: string };
}

export interface Harness<S extends Simulator | PrismaSimulator = Simulator> {
  sim: S;
  token: string;
  client: Client;
  taskQueue: string;
  start(
    input: Omit<RunInput, 'profile'> & { profile?: RunInput['profile'] },
    workflowId?: string,
  ): Promise<WorkflowHandleWithFirstExecutionRunId<typeof backupAndRestoreDatabase>>;
  /** Requests the simulator received for one operation. */
  requestsFor(operation: string): Simulator['requests'];
  /** Stops the worker (its running activities are cancelled, as when a worker goes away mid-call) and starts a new one on the same queue. */
  restartWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Prisma restores recover this fast unless a test says otherwise. */
const PRISMA_RECOVERY_MS = 500;

export function startHarness(
  options: HarnessOptions & { profile: 'prisma'; simulator?: Partial<PrismaSimulatorOptions> },
): Promise<Harness<PrismaSimulator>>;
export function startHarness(
  options?: HarnessOptions & { profile?: 'seed'; simulator?: Partial<SimulatorOptions> },
): Promise<Harness<Simulator>>;
export async function startHarness(options: HarnessOptions = {}): Promise<Harness<Simulator | PrismaSimulator>> {
  const token = `tok_${randomBytes(16).toString('hex')}`;
  const profile = options.profile ?? 'seed';
  const sim =
    profile === 'prisma'
      ? await startSimulator({
          profile: 'prisma',
          token,
          honourIdempotencyKeys: false,
          recoveryMs: PRISMA_RECOVERY_MS,
          provisioningMs: PRISMA_RECOVERY_MS,
          ...(options.simulator as Partial<PrismaSimulatorOptions>),
        })
      : await startSimulator({ token, backupDurationMs: 600, ...(options.simulator as Partial<SimulatorOptions>) });
  const workerProfile = options.workerProfile ?? profile;
  // Declared honoured exactly when the seed simulator honours Idempotency-Key (its default).
  const api = createManagementApi({
    profile: workerProfile,
    idempotencyKeysHonoured: workerProfile === 'seed' && profile === 'seed' && (options.simulator?.honourIdempotencyKeys ?? true),
    baseUrl: options.apiBaseUrl ?? sim.url,
    token: options.workerToken ?? token,
    requestTimeoutMs: 5_000,
  });
  const own = options.temporal ? undefined : { client: await connectTestClient(), connection: await connectWorkerConnection() };
  const client = options.temporal?.client ?? own!.client;
  const connection = options.temporal?.connection ?? own!.connection;
  const namespace = options.temporal?.namespace ?? testNamespace();
  const taskQueue = uniqueId('test');
  const startWorker = async () => {
    const worker: Worker = await createBackupWorker({
      connection,
      namespace,
      api,
      taskQueue,
      workflowBundle: await workflowBundle(),
      shutdownGraceTime: '1s',
      // The seed API has no connections: the worker is told the simulator's (data 'postgres' only).
      databaseUrls: (databaseId) => sim.connectionString(databaseId).catch(() => undefined),
    });
    return { worker, running: worker.run() };
  };
  let current = await startWorker();
  const stopWorker = async () => {
    current.worker.shutdown();
    await current.running;
  };

  return {
    sim,
    token,
    client,
    taskQueue,
    // The harness's profile unless the test gives one.
    start: (input, workflowId = uniqueId('wf')) =>
      startRun(client, { profile, ...input }, workflowId, { taskQueue, searchAttributes: options.searchAttributes }),
    requestsFor: (operation) => sim.requests.filter((r) => r.operation === operation),
    async restartWorker() {
      await stopWorker();
      current = await startWorker();
    },
    async close() {
      await stopWorker();
      await sim.close();
      if (own) {
        await own.client.connection.close();
        await own.connection.close();
      }
    },
  };
}

/** Fast polls for tests on the real clock. */
// Backoff: runs of other tests on the same database would otherwise predict this one's looks.
export const FAST_POLL = { initialIntervalMs: 100, maximumIntervalMs: 200, deadlineMs: 60_000, mode: 'backoff' as const };

/** Waits until `check` holds, looking every 20 ms. */
export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Asks the run until its status satisfies `check`; returns that status. */
export async function untilStatus(handle: WorkflowHandle, check: (status: RunStatus) => boolean, timeoutMs = 30_000): Promise<RunStatus> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const status = await handle.query(statusQuery);
    if (check(status)) return status;
    if (Date.now() > end) throw new Error(`status not reached in time; last: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the Web UI shows as the run's current details. */
export const currentDetailsOf = async (handle: WorkflowHandle) =>
  (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';

/** The pending look of a run's wait (from describe()), as `status` and `watch` read it. */
export async function pendingLook(handle: WorkflowHandle) {
  return (await progressOf(handle, WORKFLOW_TYPE))?.pending;
}

/** Starts a run without the client's own check, so the workflow's check is what refuses it. */
export function startUnchecked(h: Pick<Harness, 'client' | 'taskQueue'>, input: unknown, workflowId = uniqueId('wf')) {
  return h.client.workflow.start(WORKFLOW_TYPE, { taskQueue: h.taskQueue, args: [input], workflowId });
}
