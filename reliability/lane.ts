// One suite's world: a simulator of its own, a worker child process on a task queue of its own, a
// Temporal client, and the runs it started with how each ended. Every run backs up a database of its
// own, so the simulator's records can be counted per run (tally.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { WORKFLOW_TYPE } from '../src/shared/constants';
import type { BackupAndRestoreInput, BackupAndRestoreResult } from '../src/shared/workflow-types';
import { startSimulator, type Simulator } from '../simulator';
import { failureOutcome, type RunVerdict } from './outcome';
import type { RunFacts, SimFacts } from './tally';
import { WorkerProcess } from './worker-process';
import { runStartOptions } from '../src/runs/start-run';

export interface TemporalTarget {
  address: string;
  namespace: string;
}

export interface LaneOptions {
  name: string;
  temporal: TemporalTarget;
  /** A workflow bundle file, shared by every worker start. */
  bundlePath: string;
  logsDir: string;
  token: string;
  /** Unique per reliability run, so workflow ids never clash with an earlier run on the same server. */
  runTag: string;
  backupDurationMs: number;
  requestTimeoutMs: number;
  /** The runs' poll deadline: long enough that recovering from kills never hits it. */
  pollDeadlineMs: number;
}

export interface TrackedRun {
  workflowId: string;
  databaseId: string;
  startedAt: number;
  /** Set once the run has ended (or was declared lost). */
  outcome?: RunVerdict;
  /** When the outcome came in (not set for lost runs). */
  endedAt?: number;
  done: Promise<RunVerdict>;
  /** SIGKILLs of the worker while this run was open. */
  kills: number;
}

export class Lane {
  readonly runs: TrackedRun[] = [];
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
      RELIABILITY_TASK_QUEUE: taskQueue,
      RELIABILITY_WORKFLOW_BUNDLE: options.bundlePath,
      RELIABILITY_REQUEST_TIMEOUT_MS: String(options.requestTimeoutMs),
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
      backupDurationMs: options.backupDurationMs,
      // The tallies read every request (keys, 409s), so none may be dropped; a suite sends a few thousand small ones.
      requestLogLimit: 100_000,
      log: (line) => simLog.push(line),
    });
    try {
      const connection = await Connection.connect({ address: options.temporal.address });
      const client = new Client({ connection, namespace: options.temporal.namespace });
      return new Lane(options, sim, client, `reliability-${options.runTag}-${options.name}`, simLog);
    } catch (err) {
      await sim.close();
      throw err;
    }
  }

  /** Starts one run on a fresh database and follows it in the background. */
  async startRun(): Promise<TrackedRun> {
    // Counted before the first await: runs may be started concurrently.
    const index = ++this.started;
    const databaseId = `db_${this.options.name.replace(/\W/g, '_')}_${index}`;
    const workflowId = `reliability-${this.options.runTag}-${this.options.name}-${index}`;
    this.sim.addDatabase(databaseId);
    const input: BackupAndRestoreInput = {
      databaseId,
      backupLabel: `reliability ${this.options.name} ${index}`,
      poll: { initialIntervalMs: 100, maximumIntervalMs: 500, deadlineMs: this.options.pollDeadlineMs },
    };
    await this.withRetries(async () => {
      try {
        // As the CLI starts runs: search attributes, summary and details included.
        await this.client.workflow.start(WORKFLOW_TYPE, { ...runStartOptions(input, { taskQueue: this.taskQueue }), workflowId });
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

  openRuns(): TrackedRun[] {
    return this.runs.filter((r) => r.outcome === undefined);
  }

  /** Waits for every run to end; those still open after `timeoutMs` are lost. */
  async settle(timeoutMs: number): Promise<void> {
    const all = Promise.all(this.runs.map((r) => r.done));
    const timer = new AbortController();
    const timedOut = await Promise.race([all.then(() => false), sleep(timeoutMs, true, { signal: timer.signal }).catch(() => false)]);
    // A pending timer would keep the process (mocha) alive for the rest of the timeout.
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

  facts(): RunFacts[] {
    return this.runs.map((r) => ({
      workflowId: r.workflowId,
      databaseId: r.databaseId,
      outcome: r.outcome ?? { kind: 'lost', description: 'not settled' },
    }));
  }

  simFacts(): SimFacts {
    return {
      backupsCreated: this.sim.effects.backupsCreated,
      restoresApplied: this.sim.effects.restoresApplied,
      requests: this.sim.requests,
    };
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

  /** result(), again after errors that are not the run's own (e.g. the server restarting). */
  private async follow(workflowId: string): Promise<RunVerdict> {
    for (;;) {
      try {
        const result = (await this.client.workflow.getHandle(workflowId).result()) as BackupAndRestoreResult;
        return { kind: 'completed', result };
      } catch (err) {
        if (err instanceof WorkflowFailedError) return failureOutcome(err);
        if (this.giveUp.signal.aborted) return { kind: 'lost', description: `following it failed: ${(err as Error).message}` };
        await sleep(500);
      }
    }
  }

  private async withRetries<T>(call: () => Promise<T>, attempts = 20): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (attempt >= attempts) throw err;
        await sleep(500);
      }
    }
  }
}
