// The server-restart suite: a Temporal dev server of our own (SQLite file), stopped and started
// again on the same ports and file while runs wait for their backups; every run must complete.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePorts, startDevServer, type DevServer, type DevServerOptions } from '../local-temporal';
import type { Lane } from './lane';

export interface RestartPlan {
  restarts: number;
  /** Runs started before each restart; the restart waits until each of them has polled. */
  runsPerRestart: number;
  /** Time between stopping the server and starting it again. */
  downtimeMs: number;
  settleTimeoutMs: number;
}

export interface RestartFigures {
  trials: number;
  serverRestarts: number;
  /** Longest time from stopping the server to it answering again. */
  longestOutageMs: number;
  /** Times the worker process ended on its own (it was then started again). */
  workerExits: number;
}

/** A headless dev server on fixed ports and one SQLite file, so it can come back as it was. */
export class OwnServer {
  /** One per start: the dev server truncates its log file when it starts. */
  readonly logFiles: string[] = [];
  private server: DevServer | undefined;

  private constructor(
    private readonly options: DevServerOptions,
    private readonly logPrefix: string,
  ) {}

  static async start(dir: string, logPrefix: string): Promise<OwnServer> {
    mkdirSync(dir, { recursive: true });
    const [port, httpPort, metricsPort] = await findFreePorts(3);
    const own = new OwnServer({ port, httpPort, metricsPort, headless: true, dbFilename: path.join(dir, 'temporal.sqlite') }, logPrefix);
    await own.startAgain();
    return own;
  }

  get address(): string {
    return this.current.address;
  }

  get current(): DevServer {
    if (!this.server) throw new Error('The dev server is not running');
    return this.server;
  }

  async startAgain(): Promise<void> {
    const logFile = `${this.logPrefix}-${this.logFiles.length + 1}.log`;
    this.logFiles.push(logFile);
    this.server = await startDevServer({ ...this.options, logFile });
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}

export async function runServerRestartLane(
  lane: Lane,
  server: OwnServer,
  plan: RestartPlan,
  afterRestart: () => Promise<void>,
): Promise<RestartFigures> {
  const figures: RestartFigures = { trials: 0, serverRestarts: 0, longestOutageMs: 0, workerExits: 0 };
  await lane.worker.start();
  for (let round = 0; round < plan.restarts; round++) {
    figures.trials += 1;
    const runs = [];
    for (let i = 0; i < plan.runsPerRestart; i++) runs.push(await lane.startRun());
    // Mid-poll: each of this round's runs has had a status answer, so it sits on a durable timer.
    const polled = (databaseId: string) =>
      lane.sim.requests.some((r) => r.operation === 'listDatabaseBackups' && r.status === 200 && r.path.includes(`/${databaseId}/`));
    const end = Date.now() + 60_000;
    while (!runs.every((r) => polled(r.databaseId)) && Date.now() < end) await sleep(20);

    const stoppedAt = Date.now();
    await server.stop();
    await sleep(plan.downtimeMs);
    await server.startAgain();
    figures.serverRestarts += 1;
    figures.longestOutageMs = Math.max(figures.longestOutageMs, Date.now() - stoppedAt);
    // The worker should ride out the outage; if it did not, it is counted and started again.
    if (!lane.worker.running) await lane.worker.start();
    await afterRestart();
  }
  await lane.settle(plan.settleTimeoutMs);
  figures.workerExits = lane.worker.unexpectedExits;
  return figures;
}
