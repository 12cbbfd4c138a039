// The four faults `npm run test:cluster` runs on the cluster, each on a lane of its own (its own
// simulator, task queue and worker processes): three workers, one SIGKILLed with activities in
// flight; the history service restarted; PostgreSQL restarted; a burst of runs. Each returns the
// figures its column of the report shows.
//
// A run's waits are activities whose retries are the looks: between two looks a run has its wait
// activity pending, SCHEDULED, with its next attempt on a retry timer of the history service (no
// workflow timer, no workflow task). That is the state the restarts aim at.
import { setTimeout as sleep } from 'node:timers/promises';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { RequestRecord } from '../simulator';
import type { Cluster } from './cluster';
import type { Lane, TrackedRun } from '../reliability/lane';
import type { WorkerProcess } from '../reliability/worker-process';
import type { ClusterMode, Holds, RestartSuitePlan } from './modes';
import type { SuiteReport } from './report';

/** temporal.api.enums.v1.PendingActivityState */
const SCHEDULED = 1;
const STARTED = 2;
/** The wait activities (src/activities/waits.ts): each attempt is one look. */
const WAIT_ACTIVITIES = new Set(['awaitBackup', 'awaitDatabase']);

export type SuiteFigures = Partial<Pick<SuiteReport, 'trials' | 'kills' | 'serverRestarts' | 'planned' | 'notes' | 'premiseFailures'>>;

/** The workers a suite started (for the token search and the listener check). */
export type OnWorkers = (workers: WorkerProcess[]) => Promise<void>;

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

interface InFlight {
  workflowId: string;
  activityId: string;
  activityType: string;
  identity: string;
}

/**
 * The server's view of these runs: those between looks (a wait activity SCHEDULED for a retry, i.e.
 * a look answered "not yet"), of which those whose next look is still ahead on a retry timer, and
 * the activities a worker has started, by worker identity.
 */
async function serverView(lane: Lane, runs: readonly TrackedRun[]) {
  const view = { betweenLooks: 0, onRetryTimers: 0, activitiesInFlight: 0, inFlight: [] as InFlight[] };
  const now = Date.now();
  await Promise.all(
    runs.map(async (run) => {
      const { raw } = await lane.client.workflow.getHandle(run.workflowId).describe();
      for (const activity of raw.pendingActivities ?? []) {
        const activityType = activity.activityType?.name ?? '';
        if (activity.state === SCHEDULED && WAIT_ACTIVITIES.has(activityType) && (activity.attempt ?? 1) > 1) {
          view.betweenLooks += 1;
          if ((optionalTsToMs(activity.nextAttemptScheduleTime) ?? 0) > now) view.onRetryTimers += 1;
        }
        if (activity.state !== STARTED) continue;
        view.activitiesInFlight += 1;
        view.inFlight.push({
          workflowId: run.workflowId,
          activityId: activity.activityId ?? '',
          activityType,
          identity: activity.lastWorkerIdentity ?? '',
        });
      }
    }),
  );
  return view;
}

/** The SDK's default worker identity is `<pid>@<hostname>`. */
const pidOf = (identity: string | null | undefined) => Number(identity?.split('@')[0]);

interface NamedWorker {
  name: string;
  process: WorkerProcess;
}

/**
 * Who ran what, from every run's history (which records each activity's last attempt only): activity
 * attempts by worker, how many runs several workers served, and how each of `watched` ended:
 * finished by another worker than the one named, or timed out (a one-attempt restore, which the run
 * then sends again as a new activity).
 */
async function historySpread(lane: Lane, workers: NamedWorker[], watched: InFlight[] = []) {
  const activitiesByWorker: Record<string, number> = Object.fromEntries(workers.map((w) => [w.name, 0]));
  let runsOnSeveralWorkers = 0;
  const watchedEnds = { finishedByAnother: 0, timedOut: 0, other: 0 };
  const nameOf = (identity: string | null | undefined) => workers.find((w) => w.process.pids.includes(pidOf(identity)))?.name ?? 'unknown';
  for (const run of lane.runs) {
    const { events } = await lane.client.workflow.getHandle(run.workflowId).fetchHistory();
    const served = new Set<string>();
    const activityIdOf = new Map<string, string>();
    const startedBy = new Map<string, string>();
    const timedOut = new Set<string>();
    for (const event of events ?? []) {
      const eventId = String(event.eventId);
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) activityIdOf.set(eventId, scheduled.activityId ?? '');
      const activity = event.activityTaskStartedEventAttributes;
      if (activity) {
        const name = nameOf(activity.identity);
        activitiesByWorker[name] = (activitiesByWorker[name] ?? 0) + 1;
        served.add(name);
        startedBy.set(activityIdOf.get(String(activity.scheduledEventId)) ?? '', activity.identity ?? '');
      }
      const timeout = event.activityTaskTimedOutEventAttributes;
      if (timeout) timedOut.add(activityIdOf.get(String(timeout.scheduledEventId)) ?? '');
      const task = event.workflowTaskStartedEventAttributes;
      if (task) served.add(nameOf(task.identity));
    }
    if (served.size > 1) runsOnSeveralWorkers += 1;
    for (const w of watched.filter((a) => a.workflowId === run.workflowId)) {
      if (timedOut.has(w.activityId)) watchedEnds.timedOut += 1;
      else if (nameOf(startedBy.get(w.activityId)) !== nameOf(w.identity)) watchedEnds.finishedByAnother += 1;
      else watchedEnds.other += 1;
    }
  }
  return { activitiesByWorker, runsOnSeveralWorkers, watchedEnds };
}

/** `count` workers on the lane's task queue: the lane's own and more. */
function workerSet(lane: Lane, count: number): NamedWorker[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `worker-${i + 1}`,
    process: i === 0 ? lane.worker : lane.newWorker(`worker-${i + 1}`),
  }));
}

async function startAll(workers: NamedWorker[], onWorkers: OnWorkers): Promise<void> {
  await Promise.all(workers.map((w) => w.process.start()));
  await onWorkers(workers.map((w) => w.process));
}

/**
 * Runs spread over three workers; the requests of some are held, and the worker with the most of
 * those in flight (by the server's account of who runs each activity) is SIGKILLed, and stays dead.
 * Its activities must be finished by the others: retried once its heartbeats stop (a wait, a backup
 * creation), or, for a one-attempt restore, timed out and sent again by the run.
 */
export async function workerKillSuite(lane: Lane, mode: ClusterMode, onWorkers: OnWorkers): Promise<SuiteFigures> {
  const plan = mode.workerKill;
  const workers = workerSet(lane, plan.workers);
  try {
    await startAll(workers, onWorkers);
    await Promise.all(Array.from({ length: plan.runs }, () => lane.startRun()));
    const held = await holdRequests(lane, plan.holds);
    const heldRuns = lane.runs.filter((run) => held.some((r) => r.path.includes(`/${run.databaseId}/`)));
    const view = await serverView(lane, heldRuns);
    const inFlightOf = (w: NamedWorker) => view.inFlight.filter((a) => w.process.pids.includes(pidOf(a.identity)));
    const victim = workers.reduce((a, b) => (inFlightOf(b).length > inFlightOf(a).length ? b : a));
    // Still held now, a moment before the kill: the victim's share of these dies with it.
    const stillHeld = held.filter((r) => r.status === undefined).length;
    for (const run of lane.openRuns()) run.kills += 1;
    await victim.process.kill();
    await lane.settle(mode.settleTimeoutMs);
    const victims = inFlightOf(victim);
    const spread = await historySpread(lane, workers, victims);
    const premiseFailures: string[] = [];
    if (victims.length === 0 || stillHeld === 0) premiseFailures.push('the SIGKILLed worker had no held request in flight');
    const idle = workers.filter((w) => spread.activitiesByWorker[w.name] === 0 && w !== victim);
    if (idle.length > 0) premiseFailures.push(`${idle.map((w) => w.name).join(', ')} ran no activity: the runs were not spread`);
    if (victims.length > 0 && spread.watchedEnds.finishedByAnother + spread.watchedEnds.timedOut === 0)
      premiseFailures.push('no activity the SIGKILLed worker had in flight was finished by another worker');
    return {
      trials: 1,
      kills: 1,
      planned: { kills: 1 },
      premiseFailures,
      notes: {
        workers: plan.workers,
        killed: victim.name,
        heldRequestsInFlightAtTheKill: stillHeld,
        heldActivitiesByWorker: Object.fromEntries(workers.map((w) => [w.name, inFlightOf(w).length])),
        killedWorkersActivities: victims.map((a) => a.activityType),
        killedWorkersActivitiesThen: spread.watchedEnds,
        activitiesByWorker: spread.activitiesByWorker,
        runsOnSeveralWorkers: spread.runsOnSeveralWorkers,
      },
    };
  } finally {
    await Promise.all(workers.slice(1).map((w) => w.process.stop()));
  }
}

interface Restartable {
  stop(round: number): Promise<void>;
  start(): Promise<void>;
  what(round: number): string;
}

/**
 * Rounds of: runs started, each waits until it has looked once (so it is between looks, its next
 * look on a retry timer of the history service); requests held so activities are in flight; what the
 * server says is pending noted; the part stopped, down for a while, started again. Every run must
 * complete.
 */
async function restartSuite(
  lane: Lane,
  plan: RestartSuitePlan,
  settleTimeoutMs: number,
  part: Restartable,
  onWorkers: OnWorkers,
): Promise<SuiteFigures> {
  const rounds: { stopped: string; runsBetweenLooks: number; onRetryTimers: number; activitiesInFlight: number; heldRequests: number }[] =
    [];
  let longestOutageMs = 0;
  await lane.worker.start();
  await onWorkers([lane.worker]);
  for (let round = 0; round < plan.restarts; round++) {
    const runs: TrackedRun[] = [];
    for (let i = 0; i < plan.runsPerRestart; i++) runs.push(await lane.startRun());
    await eventually(() => runs.every((r) => lane.waitingBetweenPolls(r)), 60_000);
    const held = await holdRequests(lane, plan.holds);
    // Runs look every 0.5 s at most, so one is soon between looks; looked for while the holds last.
    let view = await serverView(lane, lane.openRuns());
    const until = Date.now() + plan.holds.ms / 2;
    while (view.betweenLooks === 0 && Date.now() < until) view = await serverView(lane, lane.openRuns());
    rounds.push({
      stopped: part.what(round),
      runsBetweenLooks: view.betweenLooks,
      onRetryTimers: view.onRetryTimers,
      activitiesInFlight: view.activitiesInFlight,
      heldRequests: held.filter((r) => r.status === undefined).length,
    });
    const stoppedAt = Date.now();
    await part.stop(round);
    await sleep(plan.downtimeMs);
    await part.start();
    longestOutageMs = Math.max(longestOutageMs, Date.now() - stoppedAt);
    // The worker should ride out the outage; if it did not, it is counted (below) and started again.
    if (!lane.worker.running) await lane.worker.start();
    await onWorkers([lane.worker]);
  }
  await lane.settle(settleTimeoutMs);
  const premiseFailures = rounds.flatMap((r, i) => [
    ...(r.runsBetweenLooks === 0 ? [`restart ${i + 1}: no run was between looks (a wait's retry pending on the server)`] : []),
    ...(r.activitiesInFlight === 0 ? [`restart ${i + 1}: no activity was in flight`] : []),
  ]);
  return {
    trials: rounds.length,
    serverRestarts: rounds.length,
    planned: { serverRestarts: plan.restarts },
    premiseFailures,
    notes: { rounds, longestOutageMs, workerExitedOnItsOwn: lane.worker.unexpectedExits },
  };
}

export function historyRestartSuite(lane: Lane, cluster: Cluster, mode: ClusterMode, onWorkers: OnWorkers): Promise<SuiteFigures> {
  const history = cluster.services.history;
  return restartSuite(
    lane,
    mode.historyRestart,
    mode.settleTimeoutMs,
    { stop: () => history.stop(), start: () => history.start(), what: () => 'history service (SIGTERM)' },
    onWorkers,
  );
}

export function postgresRestartSuite(lane: Lane, cluster: Cluster, mode: ClusterMode, onWorkers: OnWorkers): Promise<SuiteFigures> {
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
    onWorkers,
  );
}

/** All the runs started at once on three workers. */
export async function burstSuite(lane: Lane, mode: ClusterMode, onWorkers: OnWorkers): Promise<SuiteFigures> {
  const plan = mode.burst;
  const workers = workerSet(lane, plan.workers);
  try {
    await startAll(workers, onWorkers);
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
