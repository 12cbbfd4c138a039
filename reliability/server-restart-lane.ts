// The server-restart suite: a Temporal dev server of our own (SQLite file), stopped and started
// again on the same port and file while runs wait between polls (seed: for their backups; prisma:
// for their restored databases to be ready); every run must complete.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDevServer, type DevServer, type DevServerOptions } from '../local-temporal';
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

/** A headless dev server on one SQLite file, started again on the port it first got, so it comes back as it was. */
export class OwnServer {
  private server: DevServer | undefined;

  private constructor(private readonly options: DevServerOptions) {}

  static async start(dir: string): Promise<OwnServer> {
    mkdirSync(dir, { recursive: true });
    const own = new OwnServer({ headless: true, dbFilename: path.join(dir, 'temporal.sqlite') });
    await own.startAgain();
    return own;
  }

  get address(): string {
    return this.current.address;
  }

  /** The running server process (a new one after each restart), where /proc tells. */
  get pid(): number | undefined {
    return this.current.pid;
  }

  private get current(): DevServer {
    if (!this.server) throw new Error('The dev server is not running');
    return this.server;
  }

  async startAgain(): Promise<void> {
    this.server = await startDevServer(this.options);
    this.options.port ??= Number(this.server.address.split(':')[1]);
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}

export async function runServerRestartLane(
  lane: Lane,
  /** Anything that stops and starts again (the cluster suites restart a Temporal service or PostgreSQL). */
  server: Pick<OwnServer, 'stop' | 'startAgain'>,
  plan: RestartPlan,
  afterRestart: () => Promise<void>,
): Promise<RestartFigures> {
  const figures: RestartFigures = { trials: 0, serverRestarts: 0, longestOutageMs: 0, workerExits: 0 };
  await lane.worker.start();
  for (let round = 0; round < plan.restarts; round++) {
    figures.trials += 1;
    const runs = [];
    for (let i = 0; i < plan.runsPerRestart; i++) runs.push(await lane.startRun());
    // Mid-poll: each of this round's runs has had an answer in its wait, so it sits on a durable timer.
    const end = Date.now() + 60_000;
    while (!runs.every((r) => lane.waitingBetweenPolls(r)) && Date.now() < end) await sleep(20);

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
