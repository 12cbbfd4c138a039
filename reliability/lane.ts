// One suite's world: a simulator of its own, a worker child process on a task queue of its own, a
// Temporal client, and the runs it started with how each ended. Every run works on a database of its
// own (seed: backs it up and restores it; prisma: restores one of its automatic backups into it), so
// the simulator's records can be counted per run (tally.ts). With real data, each database holds
// rows of its own run, read back once the run ended (trial-database.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import type { ApiProfile, RunInput } from '../src/shared/input';
import type { RunResult } from '../src/shared/types';
import { InvalidInputError, startRun } from '../src/runs/start';
import { startSimulator, type PrismaSimulator, type Simulator } from '../simulator';
import { AnswerDropper } from './answer-dropper';
import { failureOutcome, type RunVerdict } from './outcome';
import type { RunFacts, SimFacts } from './tally';
import type { ContentCheck } from './trial-content';
import { TrialDatabase } from './trial-database';
import { WorkerProcess } from './worker-process';

export interface TemporalTarget {
  address: string;
  namespace: string;
}

export interface LaneOptions {
  name: string;
  /** What workflow ids, task queues and backup labels begin with. Default `reliability`; the cluster suites say `cluster`. */
  idPrefix?: string;
  temporal: TemporalTarget;
  /** A workflow bundle file, shared by every worker start. */
  bundlePath: string;
  logsDir: string;
  token: string;
  /** Unique per reliability run, so workflow ids never clash with an earlier run on the same server. */
  runTag: string;
  /**
   * Which API the simulator, the worker and the runs speak. Default seed, which the cluster suites speak.
   */
  profile?: ApiProfile;
  /** Seed: how long a backup takes to complete. */
  backupDurationMs: number;
  /** Prisma: how long a restore keeps its target recovering; default backupDurationMs. */
  recoveryMs?: number;
  requestTimeoutMs: number;
  /** The runs' poll deadline: long enough that recovering from kills never hits it. */
  pollDeadlineMs: number;
  /**
   * Prisma: the runs' holdWindowMs. After a restore request whose outcome is unknown the run reads
   * the target back and sends again only once this has passed with no sign of the restore, so it
   * must exceed the longest hold any of the lane's faults applies (else a held request applied
   * late would be a duplicate), and a kill before the request left costs a run this long.
   * Required with the prisma profile (Lane.open refuses without it: the product's 15 min default
   * would park such runs past any settle time); seed runs take none.
   */
  holdWindowMs?: number;
  /**
   * Real data (the simulator's data 'postgres'): every run's database holds rows of its own, and
   * once the run ended they are read back and the database released. At most `liveDatabases` are
   * held at once (each costs about 200 MiB); a run waits for a place before it starts.
   */
  data?: { liveDatabases: number };
  /** The worker reaches the simulator through an AnswerDropper (`lane.dropper`), which can drop chosen answers. */
  dropAnswers?: boolean;
}

export interface TrackedRun {
  workflowId: string;
  databaseId: string;
  /** Prisma: the backup the run must restore (the newest completed one the lane added). */
  expectedBackupId?: string;
  startedAt: number;
  /** Set once the run has ended (or was declared lost). */
  outcome?: RunVerdict;
  /** When the outcome came in (not set for lost runs). */
  endedAt?: number;
  done: Promise<RunVerdict>;
  /** SIGKILLs of the worker while this run was open. */
  kills: number;
  /** With real data: the run's database and rows. */
  trial?: TrialDatabase;
  /** A negative control: the lane set it up to duplicate its restore, to show the count would see it. */
  control?: true;
  /** With real data, once the run ended: what its database holds. */
  content?: ContentCheck;
  /** With real data: settles once the content was checked and the database released. */
  contentChecked?: Promise<void>;
}

export interface StartRunOptions {
  /** Prisma: this run's holdWindowMs instead of the lane's. */
  holdWindowMs?: number;
  /** Marks the run as a negative control (TrackedRun.control). */
  control?: boolean;
  /** Called with the run's database id once it exists and before the run starts (to arm something for it). */
  beforeStart?: (databaseId: string) => void;
}

/** How long a run waits for a database place before the suite gives up on it. */
const DATA_PLACE_TIMEOUT_MS = 600_000;

export class Lane {
  readonly runs: TrackedRun[] = [];
  readonly worker: WorkerProcess;
  private readonly workerEnv: Record<string, string>;
  private started = 0;
  /** With real data: databases holding data now. */
  private liveDatabases = 0;
  /** With real data: how long runs waited, in all, for a database place. */
  databasePlaceWaitMs = 0;
  private readonly giveUp = new AbortController();

  private constructor(
    readonly options: LaneOptions,
    readonly sim: Simulator | PrismaSimulator,
    readonly client: Client,
    readonly taskQueue: string,
    private readonly simLog: string[],
    /** With dropAnswers: the proxy the worker reaches the simulator through. */
    readonly dropper: AnswerDropper | undefined,
  ) {
    this.workerEnv = {
      TEMPORAL_ADDRESS: options.temporal.address,
      TEMPORAL_NAMESPACE: options.temporal.namespace,
      PRISMA_API_URL: dropper?.url ?? sim.url,
      PRISMA_API_TOKEN: options.token,
      RELIABILITY_TASK_QUEUE: taskQueue,
      RELIABILITY_WORKFLOW_BUNDLE: options.bundlePath,
      RELIABILITY_REQUEST_TIMEOUT_MS: String(options.requestTimeoutMs),
      PRISMA_API_PROFILE: this.profile,
      // The seed simulator replays answers to a repeated Idempotency-Key; Prisma's API takes none.
      PRISMA_API_IDEMPOTENCY_KEYS: this.profile === 'seed' ? 'honoured' : '',
    };
    this.worker = this.newWorker('worker');
  }

  get profile(): ApiProfile {
    return this.sim.profile;
  }

  /** Another worker process on this lane's task queue, set up as `worker` is; the caller starts and stops it. */
  newWorker(name: string): WorkerProcess {
    return new WorkerProcess({ logFile: path.join(this.options.logsDir, `${this.options.name}-${name}.log`), env: this.workerEnv });
  }

  static async open(options: LaneOptions): Promise<Lane> {
    if (options.profile === 'prisma' && options.holdWindowMs === undefined) {
      throw new Error(`Lane ${options.name}: a prisma lane needs holdWindowMs (its runs' hold window)`);
    }
    const simLog: string[] = [];
    const common = {
      token: options.token,
      databases: [],
      // The tallies read every request (keys, 409s), so none may be dropped; a suite sends up to about 100,000 small ones.
      requestLogLimit: 200_000,
      log: (line: string) => simLog.push(line),
      ...(options.data && { data: 'postgres' as const, maxLiveDatabases: options.data.liveDatabases }),
    };
    const sim =
      options.profile === 'prisma'
        ? await startSimulator({
            ...common,
            profile: 'prisma',
            honourIdempotencyKeys: false,
            recoveryMs: recoveryMsOf(options),
          })
        : // With real data the lane ends each backup itself (completeSeedBackups), to change the rows right after.
          await startSimulator({ ...common, backupDurationMs: options.data ? Infinity : options.backupDurationMs });
    let dropper: AnswerDropper | undefined;
    try {
      if (options.dropAnswers) dropper = await AnswerDropper.start(sim.url);
      const connection = await Connection.connect({ address: options.temporal.address });
      const client = new Client({ connection, namespace: options.temporal.namespace });
      return new Lane(options, sim, client, `${options.idPrefix ?? 'reliability'}-${options.runTag}-${options.name}`, simLog, dropper);
    } catch (err) {
      await dropper?.close();
      await sim.close();
      throw err;
    }
  }

  /**
   * In every database id: the reliability run's tag, so no database is one an earlier run (on the
   * same server, perhaps someone else's) restored. Runs predict their waits from the completed runs
   * of their database, and a suite's verdict must not depend on what earlier suites left there.
   */
  private get idTag(): string {
    return this.options.runTag.replace(/[\W_]/g, '').toLowerCase();
  }

  /** Starts one run on a fresh database and follows it in the background. */
  async startRun(options: StartRunOptions = {}): Promise<TrackedRun> {
    // Counted before the first await: runs may be started concurrently.
    const index = ++this.started;
    const workflowId = `${this.taskQueue}-${index}`;
    const poll = { initialIntervalMs: 100, maximumIntervalMs: 500, deadlineMs: this.options.pollDeadlineMs };
    let databaseId: string;
    let expectedBackupId: string | undefined;
    let input: RunInput;
    let trial: TrialDatabase | undefined;
    if (this.options.data) await this.takeDatabasePlace(this.options.data.liveDatabases);
    if (this.sim.profile === 'prisma') {
      // Prisma's id pattern allows no second `_`: db_crashprisma1a2b3c4dn1, not db_crash_1.
      databaseId = `db_${this.options.name.replace(/[\W_]/g, '').toLowerCase()}${this.idTag}n${index}`;
      this.sim.addDatabase(databaseId);
      if (this.options.data) trial = await TrialDatabase.open(this.sim, databaseId, index, 'older');
      expectedBackupId = await addBackups(this.sim, databaseId, index, trial);
      input = { profile: 'prisma', databaseId, poll, holdWindowMs: options.holdWindowMs ?? this.options.holdWindowMs };
    } else {
      databaseId = `db_${this.options.name.replace(/\W/g, '_')}_${this.idTag}_${index}`;
      this.sim.addDatabase(databaseId);
      if (this.options.data) trial = await TrialDatabase.open(this.sim, databaseId, index, 'ours');
      input = { profile: 'seed', databaseId, backupLabel: `${this.options.idPrefix ?? 'reliability'} ${this.options.name} ${index}`, poll };
    }
    options.beforeStart?.(databaseId);
    await this.withRetries(async () => {
      try {
        // As the CLI starts runs: the input checked, search attributes, summary and details included.
        await startRun(this.client, input, workflowId, { taskQueue: this.taskQueue });
      } catch (err) {
        // A retry after a start whose answer was lost: it did start.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    });
    const run: TrackedRun = {
      workflowId,
      databaseId,
      expectedBackupId,
      startedAt: Date.now(),
      kills: 0,
      trial,
      ...(options.control ? { control: true } : {}),
      done: undefined as never,
    };
    run.done = this.follow(workflowId).then((outcome) => {
      run.endedAt ??= Date.now();
      return (run.outcome ??= outcome);
    });
    if (trial) {
      if (this.sim.profile === 'seed') void this.completeSeedBackups(this.sim, run, trial);
      run.contentChecked = run.done.then(() => this.checkContent(run, trial));
    }
    this.runs.push(run);
    return run;
  }

  /** Waits until fewer than `limit` databases hold data, then counts one more. */
  private async takeDatabasePlace(limit: number): Promise<void> {
    const began = Date.now();
    while (this.liveDatabases >= limit) {
      if (Date.now() - began > DATA_PLACE_TIMEOUT_MS)
        throw new Error(`No database place freed in ${DATA_PLACE_TIMEOUT_MS} ms: ${limit} runs still open`);
      await sleep(20);
    }
    this.databasePlaceWaitMs += Date.now() - began;
    this.liveDatabases += 1;
  }

  /**
   * Seed with real data: the simulator would end a backup by its own timer, unseen, so the lane ends
   * each of the run's backups backupDurationMs after its creation, and right after the first changes
   * the rows (on the trial's open session, so the change lands before any restore) and adds a newer
   * automatic backup holding them, listed first.
   */
  private async completeSeedBackups(sim: Simulator, run: TrackedRun, trial: TrialDatabase): Promise<void> {
    const ended = new Set<string>();
    while (run.outcome === undefined) {
      for (const backup of sim.effects.backupsCreated) {
        if (backup.databaseId !== run.databaseId || ended.has(backup.id)) continue;
        if (Date.now() < Date.parse(backup.createdAt) + this.options.backupDurationMs) continue;
        ended.add(backup.id);
        try {
          sim.completeBackup(backup.id);
        } catch {
          continue; // failed or ended meanwhile: nothing to change after
        }
        if (trial.written !== 'ours') continue;
        try {
          await trial.write('changed');
          sim.addAutomaticBackup(run.databaseId);
        } catch {
          // A restore ended the session first: the rows stay the backup's, which the check expects.
        }
      }
      await sleep(10);
    }
    trial.end();
  }

  /**
   * Once the run ended: its database must hold the rows of the backup it restored when a restore
   * was applied (or the run says it restored), else the rows as the lane last wrote them. Then the
   * database's data is released, freeing its place.
   */
  private async checkContent(run: TrackedRun, trial: TrialDatabase): Promise<void> {
    // A prisma restore that ends in failure leaves the data as it was.
    const restored =
      run.outcome?.kind === 'completed' ||
      this.sim.effects.restoresApplied.some((r) => r.databaseId === run.databaseId && r.recoveryOutcome !== 'failure');
    run.content = await trial.check(restored ? 'ours' : trial.written);
    this.sim.releaseData(run.databaseId);
    this.liveDatabases -= 1;
  }

  /**
   * Whether the run sits in the wait the suites aim at, with a poll answered: seed, for its backup
   * (a status GET answered); prisma, for its restored database to be ready (a GET of the database
   * answered after its restore was applied, while the recovery lasts).
   */
  waitingBetweenPolls(run: TrackedRun): boolean {
    const { databaseId } = run;
    if (this.sim.profile === 'seed') {
      return this.sim.requests.some((r) => r.operation === 'listDatabaseBackups' && r.status === 200 && r.path.includes(`/${databaseId}/`));
    }
    const applied = this.sim.effects.restoresApplied.find((r) => r.databaseId === databaseId);
    if (!applied || Date.now() >= applied.at + recoveryMsOf(this.options)) return false;
    return this.sim.requests.some(
      (r) =>
        r.operation === 'getV1DatabasesByDatabaseId' &&
        r.status === 200 &&
        r.time >= applied.at &&
        r.path === `/v1/databases/${databaseId}`,
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
    // A pending timer would keep the process (mocha) alive for the rest of the timeout.
    timer.abort();
    // Runs that ended have their content checked (a lost run's never is).
    await Promise.all(this.runs.filter((r) => r.endedAt !== undefined).map((r) => r.contentChecked));
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
      profile: this.profile,
      expectedBackupId: r.expectedBackupId,
      outcome: r.outcome ?? { kind: 'lost', description: 'not settled' },
      content: r.content,
      ...(r.control ? { control: true as const } : {}),
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

  /** The ports this process listens on for the lane: the simulator's, and the dropper's when there is one. */
  listeningPorts(): number[] {
    return [Number(new URL(this.sim.url).port), ...(this.dropper ? [this.dropper.port] : [])];
  }

  async close(): Promise<void> {
    this.giveUp.abort();
    await this.worker.stop();
    await this.dropper?.close();
    await this.sim.close();
    await this.client.connection.close();
  }

  /** result(), again after errors that are not the run's own (e.g. the server restarting). */
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

  private async withRetries<T>(call: () => Promise<T>, attempts = 20): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        // Input the workflow would refuse stays refused.
        if (attempt >= attempts || err instanceof InvalidInputError) throw err;
        await sleep(500);
      }
    }
  }
}

const recoveryMsOf = (options: LaneOptions) => options.recoveryMs ?? options.backupDurationMs;

const HOUR = 3_600_000;

/**
 * The backups a prisma run chooses among; returns the one it must restore. Around it, backups it
 * must pass over: an older completed one, and a newer one still running or failed (alternately).
 * With real data each completed one snapshots rows of its own (the trial's, opened at 'older'), and
 * the database then holds them changed.
 */
async function addBackups(sim: PrismaSimulator, databaseId: string, index: number, trial?: TrialDatabase): Promise<string> {
  const ago = (ms: number) => new Date(Date.now() - ms);
  sim.addBackup(databaseId, { createdAt: ago(26 * HOUR) });
  await trial?.write('ours');
  const ours = sim.addBackup(databaseId, { createdAt: ago(2 * HOUR) });
  await trial?.write('changed');
  trial?.end();
  sim.addBackup(databaseId, { status: index % 2 === 0 ? 'running' : 'failed', createdAt: ago(HOUR) });
  return ours.id;
}
