// The crash suite: the worker process is SIGKILLed at chosen and random points and restarted at
// once, trial after trial, while earlier runs are still recovering; then every run must complete,
// and (with real data) its database must hold exactly the rows of the backup it restored.
import { setTimeout as sleep } from 'node:timers/promises';
import type { OperationId } from '../simulator';
import type { ApiProfile } from '../src/shared/input';
import type { ChosenPoint, KillPoint } from './kill-schedule';
import type { Lane } from './lane';

export interface CrashPlan {
  points: KillPoint[];
  /** A random point falls this long at most after the trial's run started. */
  randomWindowMs: number;
  /**
   * How long the API holds the request a chosen point kills at. The hold (a delay fault on that one
   * request) pins the kill inside the request; the API still applies it, as a real server would.
   */
  holdMs: number;
  /** How long runs may take to end after the last trial. */
  settleTimeoutMs: number;
}

export interface CrashFigures {
  trials: number;
  kills: number;
  killsByPoint: Record<string, number>;
  /** Chosen points whose request never came (the trial then killed at once). */
  pointsNotReached: number;
  /** Runs open during at least one kill. */
  runsHit: number;
  /** Random trials whose own run had already ended when the kill came (it then hit only older runs). */
  randomKillsAfterOwnRunEnded: number;
  /** With real data: runs whose rows were changed after their backup (on the data a restore then replaces). */
  rowsChangedAfterBackup?: number;
  /** With real data: how long trials waited, in all, for a database place (maxLiveDatabases). */
  databasePlaceWaitMs?: number;
}

/** The request a chosen point holds, by profile; ready-wait holds none (see Lane.waitingBetweenPolls). */
const HELD_OPERATION: Record<ApiProfile, Partial<Record<ChosenPoint, OperationId>>> = {
  seed: { 'backup-post': 'createDatabaseBackup', 'mid-poll': 'listDatabaseBackups', 'restore-post': 'restoreDatabaseBackup' },
  prisma: { 'restore-post': 'postV1DatabasesByTargetDatabaseIdRestore' },
};

// How long a trial waits for its point. A fresh worker on a busy machine may take seconds per
// workflow task (loading the bundle, workflow task timeouts), so a run's third request can come late.
const REACH_TIMEOUT_MS = 120_000;

/** Resolves true once `check` holds, false after `timeoutMs`. */
async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(5);
  }
  return true;
}

export async function runCrashLane(lane: Lane, plan: CrashPlan, random: () => number): Promise<CrashFigures> {
  const figures: CrashFigures = { trials: 0, kills: 0, killsByPoint: {}, pointsNotReached: 0, runsHit: 0, randomKillsAfterOwnRunEnded: 0 };
  await lane.worker.start();
  for (const point of plan.points) {
    figures.trials += 1;
    if (point === 'random') {
      const run = await lane.startRun();
      await sleep(Math.round(random() * plan.randomWindowMs));
      if (run.outcome) figures.randomKillsAfterOwnRunEnded += 1;
    } else {
      const operation = HELD_OPERATION[lane.profile][point];
      if (operation) {
        // Whichever open run sends the next such request gets the hold, and the kill.
        const from = lane.sim.requests.length;
        lane.sim.faults.add({ operation, kind: 'delay', ms: plan.holdMs, times: 1 });
        await lane.startRun();
        const held = () => lane.sim.requests.slice(from).some((r) => r.operation === operation && r.fault === 'delay');
        if (!(await eventually(held, REACH_TIMEOUT_MS))) {
          figures.pointsNotReached += 1;
          lane.sim.faults.clear();
        }
      } else {
        const run = await lane.startRun();
        // A run that ended (its recovery over before its first poll) can no longer reach the point.
        let reached = false;
        await eventually(() => (reached = lane.waitingBetweenPolls(run)) || run.outcome !== undefined, REACH_TIMEOUT_MS);
        if (!reached) figures.pointsNotReached += 1;
      }
    }
    for (const run of lane.openRuns()) run.kills += 1;
    await lane.worker.kill();
    figures.kills += 1;
    figures.killsByPoint[point] = (figures.killsByPoint[point] ?? 0) + 1;
    await lane.worker.start();
  }
  await lane.settle(plan.settleTimeoutMs);
  figures.runsHit = lane.runs.filter((r) => r.kills > 0).length;
  if (lane.options.data) {
    figures.rowsChangedAfterBackup = lane.runs.filter((r) => r.trial?.written === 'changed').length;
    figures.databasePlaceWaitMs = lane.databasePlaceWaitMs;
  }
  return figures;
}
