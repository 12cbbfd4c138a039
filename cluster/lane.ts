// One suite's world on the cluster: a seed simulator of its own (in this process, on 127.0.0.1), a
// task queue of its own with worker processes, a Temporal client, and the runs it started with how
// each ended. Every run backs up and restores a database of its own, so the simulator's records can
// be counted per run (tally.ts).
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { startSimulator, type Simulator } from '../simulator';
import { ErrorType } from '../src/shared/errors';
import { failureReason } from '../src/shared/failure-reason';
import type { RunInput } from '../src/shared/input';
import type { RunResult } from '../src/shared/types';
import { startRun } from '../src/runs/start';
import { WorkerProcess } from './worker-process';

export interface LaneOptions {
  name: string;
  temporal: { address: string; namespace: string };
  logsDir: string;
  token: string;
  /** Unique per test run, so workflow ids never clash with an earlier run on the same server. */
  runTag: string;
  /** How long a backup takes to complete. */
  backupDurationMs: number;
  requestTimeoutMs: number;
  /** The runs' wait deadline: long enough that recovering from any fault never hits it. */
  pollDeadlineMs: number;
}

/** How a run ended: completed, failed with one of src/'s typed errors, failed some other way, or not at all (lost). */
export type RunVerdict =
  | { kind: 'completed'; result: RunResult }
  | { kind: 'failed-typed'; type: ErrorType; message: string }
  | { kind: 'failed-untyped'; description: string }
  | { kind: 'lost'; description: string };

export interface TrackedRun {
  workflowId: string;
  databaseId: string;
  startedAt: number;
  /** Set once the run has ended (or was declared lost). */
  outcome?: RunVerdict;
  /** When the outcome came in (not set for lost runs). */
  endedAt?: number;
  done: Promise<RunVerdict>;
  /** SIGKILLs of a worker while this run was open. */
  kills: number;
}

const ERROR_TYPES = new Set<string>(Object.values(ErrorType));

/** Typed when an ApplicationFailure in the cause chain carries one of src/'s ErrorType names. */
export function failureOutcome(err: unknown): RunVerdict {
  const { type, message } = failureReason(err);
  if (ERROR_TYPES.has(type)) return { kind: 'failed-typed', type: type as ErrorType, message };
  const chain: string[] = [];
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) chain.push(`${cause.name}: ${cause.message}`);
  return { kind: 'failed-untyped', description: chain.join(' <- ') || String(err) };
}

export class Lane {
  readonly runs: TrackedRun[] = [];
  /** The lane's first worker; suites add more with newWorker(). */
  readonly worker: WorkerProcess;
  private readonly workerEnv: Record<string, string>;
  private started = 0;
  private readonly giveUp = new AbortController();

  private constructor(
    readonly options: LaneOptions,
    readonly sim: Simulator,
    readonly client: Client,
    readonly taskQueue: string,
    private readonly simLog: string[],
  ) {
    this.workerEnv = {
      TEMPORAL_ADDRESS: options.temporal.address,
      TEMPORAL_NAMESPACE: options.temporal.namespace,
      PRISMA_API_URL: sim.url,
      PRISMA_API_TOKEN: options.token,
      PRISMA_API_PROFILE: 'seed',
      // The seed simulator replays answers to a repeated Idempotency-Key.
      PRISMA_API_IDEMPOTENCY_KEYS: 'honoured',
      CLUSTER_TASK_QUEUE: taskQueue,
      CLUSTER_REQUEST_TIMEOUT_MS: String(options.requestTimeoutMs),
    };
    this.worker = this.newWorker('worker');
  }

  /** Another worker process on this lane's task queue, set up as `worker` is; the caller starts and stops it. */
  newWorker(name: string): WorkerProcess {
    return new WorkerProcess({ logFile: path.join(this.options.logsDir, `${this.options.name}-${name}.log`), env: this.workerEnv });
  }

  static async open(options: LaneOptions): Promise<Lane> {
    const simLog: string[] = [];
    const sim = await startSimulator({
      token: options.token,
      databases: [],
      // The tallies read every request (keys, 409s), so none may be dropped (the report checks none was).
      requestLogLimit: 200_000,
      log: (line: string) => simLog.push(line),
      backupDurationMs: options.backupDurationMs,
    });
    try {
      const connection = await Connection.connect({ address: options.temporal.address });
      const client = new Client({ connection, namespace: options.temporal.namespace });
      return new Lane(options, sim, client, `cluster-${options.runTag}-${options.name}`, simLog);
    } catch (err) {
      await sim.close();
      throw err;
    }
  }

  /** Starts one run on a fresh database, as the CLI starts runs (src/runs/start.ts), and follows it in the background. */
  async startRun(): Promise<TrackedRun> {
    // Counted before the first await: runs may be started concurrently.
    const index = ++this.started;
    const workflowId = `cluster-${this.options.runTag}-${this.options.name}-${index}`;
    const databaseId = `db_${this.options.name.replace(/\W/g, '_')}_${index}`;
    this.sim.addDatabase(databaseId);
    const input: RunInput = {
      profile: 'seed',
      databaseId,
      backupLabel: `cluster ${this.options.name} ${index}`,
      poll: { initialIntervalMs: 100, maximumIntervalMs: 500, deadlineMs: this.options.pollDeadlineMs },
    };
    await withRetries(async () => {
      try {
        await startRun(this.client, input, workflowId, { taskQueue: this.taskQueue });
      } catch (err) {
        // A retry after a start whose answer was lost: it did start.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    });
    const run: TrackedRun = { workflowId, databaseId, startedAt: Date.now(), kills: 0, done: undefined as never };
    run.done = this.follow(workflowId).then((outcome) => {
      run.endedAt ??= Date.now();
      return (run.outcome ??= outcome);
    });
    this.runs.push(run);
    return run;
  }

  /** Whether the run is in its wait for the backup with a look answered: from then on it is between looks or looking. */
  hasLooked(run: TrackedRun): boolean {
    return this.sim.requests.some(
      (r) => r.operation === 'listDatabaseBackups' && r.status === 200 && r.path.includes(`/${run.databaseId}/`),
    );
  }

  openRuns(): TrackedRun[] {
    return this.runs.filter((r) => r.outcome === undefined);
  }

  /** Waits for every run to end; those still open after `timeoutMs` are lost. */
  async settle(timeoutMs: number): Promise<void> {
    const all = Promise.all(this.runs.map((r) => r.done));
    const timer = new AbortController();
    const timedOut = await Promise.race([all.then(() => false), sleep(timeoutMs, true, { signal: timer.signal }).catch(() => false)]);
    timer.abort();
    if (!timedOut) return;
    for (const run of this.openRuns()) {
      let status = 'unknown';
      try {
        status = (await this.client.workflow.getHandle(run.workflowId).describe()).status.name;
      } catch (err) {
        status = `describe failed: ${(err as Error).message}`;
      }
      run.outcome = { kind: 'lost', description: `not ended ${timeoutMs} ms after the suite's last action (status ${status})` };
    }
    this.giveUp.abort();
  }

  simulatorLog(): string {
    return this.simLog.join('\n');
  }

  async close(): Promise<void> {
    this.giveUp.abort();
    await this.worker.stop();
    await this.sim.close();
    await this.client.connection.close();
  }

  /** result(), again after errors that are not the run's own (e.g. the history service or PostgreSQL restarting). */
  private async follow(workflowId: string): Promise<RunVerdict> {
    for (;;) {
      try {
        const result = (await this.client.workflow.getHandle(workflowId).result()) as RunResult;
        return { kind: 'completed', result };
      } catch (err) {
        if (err instanceof WorkflowFailedError) return failureOutcome(err);
        if (this.giveUp.signal.aborted) return { kind: 'lost', description: `following it failed: ${(err as Error).message}` };
        await sleep(500);
      }
    }
  }
}

async function withRetries<T>(call: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await sleep(500);
    }
  }
}
