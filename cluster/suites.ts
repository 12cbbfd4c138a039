// The four faults `npm run test:cluster` runs on the cluster, each on a lane of the reliability harness
// (its own simulator, task queue and worker processes): three workers, one SIGKILLed with activities
// in flight; the history service restarted; PostgreSQL restarted; a burst of runs. Each returns the
// figures its column of the report shows.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lane, TrackedRun } from '../reliability/lane';
import type { RequestRecord } from '../simulator';
import type { LaneReport } from '../reliability/report';
import { runServerRestartLane } from '../reliability/server-restart-lane';
import type { WorkerProcess } from '../reliability/worker-process';
import type { Cluster } from './cluster';
import type { ClusterMode, Holds, RestartSuitePlan } from './modes';

/** temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED: a worker has the activity. */
const PENDING_ACTIVITY_STARTED = 2;

export type SuiteFigures = Partial<LaneReport> & {
  /** What the suite set out to prove but could not (the fault hit nothing): a violation. */
  premiseFailures?: string[];
};

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(20);
  }
  return true;
}

/** Holds the next `holds.requests` requests; resolves, once all were taken, with those still held (in flight) now. */
async function holdRequests(lane: Lane, holds: Holds): Promise<RequestRecord[]> {
  const from = lane.sim.requests.length;
  lane.sim.faults.add({ kind: 'delay', ms: holds.ms, times: holds.requests });
  await eventually(() => lane.sim.faults.pending === 0, 30_000);
  lane.sim.faults.clear();
  return lane.sim.requests.slice(from).filter((r) => r.fault === 'delay' && r.status === undefined);
}

/** The server's view of these runs: those with no activity pending sit on a timer; started activities by worker identity. */
async function serverView(
  lane: Lane,
  runs: readonly TrackedRun[],
): Promise<{ onTimers: number; activitiesInFlight: number; byIdentity: Map<string, number> }> {
  const view = { onTimers: 0, activitiesInFlight: 0, byIdentity: new Map<string, number>() };
  await Promise.all(
    runs.map(async (run) => {
      const { raw } = await lane.client.workflow.getHandle(run.workflowId).describe();
      const pending = raw.pendingActivities ?? [];
      if (pending.length === 0 && raw.workflowExecutionInfo?.closeTime == null) view.onTimers += 1;
      for (const activity of pending) {
        if (activity.state !== PENDING_ACTIVITY_STARTED) continue;
        view.activitiesInFlight += 1;
        const identity = activity.lastWorkerIdentity ?? '';
        view.byIdentity.set(identity, (view.byIdentity.get(identity) ?? 0) + 1);
      }
    }),
  );
  return view;
}

/** The SDK's default worker identity is `<pid>@<hostname>`. */
const pidOf = (identity: string | null | undefined) => Number(identity?.split('@')[0]);

/** Who ran what, from every run's history: activity attempts by worker, and how many runs several workers served. */
async function historySpread(lane: Lane, workers: { name: string; pids: number[] }[]) {
  const activitiesByWorker: Record<string, number> = Object.fromEntries(workers.map((w) => [w.name, 0]));
  let runsOnSeveralWorkers = 0;
  let activitiesRetried = 0;
  const nameOf = (identity: string | null | undefined) => workers.find((w) => w.pids.includes(pidOf(identity)))?.name ?? 'unknown';
  for (const run of lane.runs) {
    const { events } = await lane.client.workflow.getHandle(run.workflowId).fetchHistory();
    const served = new Set<string>();
    for (const event of events ?? []) {
      const activity = event.activityTaskStartedEventAttributes;
      const task = event.workflowTaskStartedEventAttributes;
      if (activity) {
        const name = nameOf(activity.identity);
        activitiesByWorker[name] = (activitiesByWorker[name] ?? 0) + 1;
        served.add(name);
        // Only an activity's last attempt is recorded: a second one means the first was lost (here, with its worker).
        if ((activity.attempt ?? 1) > 1) activitiesRetried += 1;
      }
      if (task) served.add(nameOf(task.identity));
    }
    if (served.size > 1) runsOnSeveralWorkers += 1;
  }
  return { activitiesByWorker, runsOnSeveralWorkers, activitiesRetried };
}

/** `count` workers on the lane's task queue: the lane's own and more; `pids` keeps every pid each had. */
function workerSet(lane: Lane, count: number): { name: string; process: WorkerProcess; pids: number[] }[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `worker-${i + 1}`,
    process: i === 0 ? lane.worker : lane.newWorker(`worker-${i + 1}`),
    pids: [],
  }));
}

async function startAll(workers: ReturnType<typeof workerSet>): Promise<void> {
  await Promise.all(workers.map((w) => w.process.start()));
  for (const w of workers) w.pids.push(w.process.pid!);
}

/**
 * Runs spread over three workers; the requests of some are held, and the worker with the most of
 * those in flight (by the server's account of who runs each activity) is SIGKILLed, and stays dead.
 */
export async function workerKillSuite(
  lane: Lane,
  mode: ClusterMode,
  capture: (workers: WorkerProcess[]) => Promise<void>,
): Promise<SuiteFigures> {
  const plan = mode.workerKill;
  const workers = workerSet(lane, plan.workers);
  try {
    await startAll(workers);
    await capture(workers.map((w) => w.process));
    await Promise.all(Array.from({ length: plan.runs }, () => lane.startRun()));
    const held = await holdRequests(lane, plan.holds);
    const heldRuns = lane.runs.filter((run) => held.some((r) => r.path.includes(`/${run.databaseId}/`)));
    const view = await serverView(lane, heldRuns);
    const inFlight = (w: (typeof workers)[number]) =>
      [...view.byIdentity].filter(([identity]) => w.pids.includes(pidOf(identity))).reduce((n, [, c]) => n + c, 0);
    const victim = workers.reduce((a, b) => (inFlight(b) > inFlight(a) ? b : a));
    // Still held now, a moment before the kill: the victim's share of these dies with it.
    const stillHeld = held.filter((r) => r.status === undefined).length;
    for (const run of lane.openRuns()) run.kills += 1;
    await victim.process.kill();
    await lane.settle(mode.settleTimeoutMs);
    const spread = await historySpread(lane, workers);
    const premiseFailures: string[] = [];
    if (inFlight(victim) === 0 || stillHeld === 0) premiseFailures.push('the SIGKILLed worker had no held request in flight');
    const idle = workers.filter((w) => spread.activitiesByWorker[w.name] === 0 && w !== victim);
    if (idle.length > 0) premiseFailures.push(`${idle.map((w) => w.name).join(', ')} ran no activity: the runs were not spread`);
    if (spread.activitiesRetried === 0) premiseFailures.push('no activity was retried after the kill');
    return {
      trials: 1,
      kills: 1,
      planned: { kills: 1 },
      premiseFailures,
      notes: {
        workers: plan.workers,
        killed: victim.name,
        heldRequestsInFlightAtTheKill: stillHeld,
        heldActivitiesByWorker: Object.fromEntries(workers.map((w) => [w.name, inFlight(w)])),
        ...spread,
      },
    };
  } finally {
    await Promise.all(workers.slice(1).map((w) => w.process.stop()));
  }
}

/**
 * Restarts through the reliability harness's server-restart suite: each round starts runs, waits until
 * they have polled (so they sit on timers), then this stop() holds requests so activities are in flight,
 * notes what the server says is pending, and stops the part; startAgain() brings it back.
 */
async function restartSuite(
  lane: Lane,
  plan: RestartSuitePlan,
  settleTimeoutMs: number,
  part: { stop(round: number): Promise<void>; start(): Promise<void>; what(round: number): string },
  afterRestart: () => Promise<void>,
): Promise<SuiteFigures> {
  const rounds: { stopped: string; runsOnTimers: number; activitiesInFlight: number; heldRequests: number }[] = [];
  const restartable = {
    stop: async () => {
      const held = await holdRequests(lane, plan.holds);
      // Runs poll every 0.5 s at most, so one is soon between polls, on a timer; looked for while the holds last.
      let view = await serverView(lane, lane.openRuns());
      const until = Date.now() + plan.holds.ms / 2;
      while (view.onTimers === 0 && Date.now() < until) view = await serverView(lane, lane.openRuns());
      rounds.push({
        stopped: part.what(rounds.length),
        runsOnTimers: view.onTimers,
        activitiesInFlight: view.activitiesInFlight,
        heldRequests: held.filter((r) => r.status === undefined).length,
      });
      await part.stop(rounds.length - 1);
    },
    startAgain: () => part.start(),
  };
  const figures = await runServerRestartLane(lane, restartable, { ...plan, settleTimeoutMs }, afterRestart);
  const premiseFailures = rounds.flatMap((r, i) => [
    ...(r.runsOnTimers === 0 ? [`restart ${i + 1}: no run was waiting on a timer`] : []),
    ...(r.activitiesInFlight === 0 ? [`restart ${i + 1}: no activity was in flight`] : []),
  ]);
  return {
    trials: figures.trials,
    serverRestarts: figures.serverRestarts,
    planned: { serverRestarts: plan.restarts },
    premiseFailures,
    notes: { rounds, longestOutageMs: figures.longestOutageMs, workerExitedOnItsOwn: figures.workerExits },
  };
}

export function historyRestartSuite(
  lane: Lane,
  cluster: Cluster,
  mode: ClusterMode,
  afterRestart: () => Promise<void>,
): Promise<SuiteFigures> {
  const history = cluster.services.history;
  return restartSuite(
    lane,
    mode.historyRestart,
    mode.settleTimeoutMs,
    { stop: () => history.stop(), start: () => history.start(), what: () => 'history service (SIGTERM)' },
    afterRestart,
  );
}

export function postgresRestartSuite(
  lane: Lane,
  cluster: Cluster,
  mode: ClusterMode,
  afterRestart: () => Promise<void>,
): Promise<SuiteFigures> {
  const stopMode = (round: number) => (round % 2 === 0 ? 'fast' : 'immediate');
  return restartSuite(
    lane,
    mode.postgresRestart,
    mode.settleTimeoutMs,
    {
      stop: (round) => cluster.postgres.stop(stopMode(round)),
      start: () => cluster.postgres.start(),
      what: (round) => `PostgreSQL (pg_ctl stop -m ${stopMode(round)})`,
    },
    afterRestart,
  );
}

/** All the runs started at once on three workers. */
export async function burstSuite(
  lane: Lane,
  mode: ClusterMode,
  capture: (workers: WorkerProcess[]) => Promise<void>,
): Promise<SuiteFigures> {
  const plan = mode.burst;
  const workers = workerSet(lane, plan.workers);
  try {
    await startAll(workers);
    await capture(workers.map((w) => w.process));
    const began = Date.now();
    await Promise.all(Array.from({ length: plan.runs }, () => lane.startRun()));
    const startedInMs = Date.now() - began;
    await lane.settle(mode.settleTimeoutMs);
    const lastEnd = Math.max(...lane.runs.map((r) => r.endedAt ?? 0));
    const spread = await historySpread(lane, workers);
    return {
      notes: {
        workers: plan.workers,
        startedInMs,
        allEndedInMs: lastEnd - began,
        runsPerSecond: Number((plan.runs / ((lastEnd - began) / 1000)).toFixed(1)),
        activitiesByWorker: spread.activitiesByWorker,
      },
    };
  } finally {
    await Promise.all(workers.slice(1).map((w) => w.process.stop()));
  }
}
