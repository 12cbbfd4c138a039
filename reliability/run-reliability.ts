// Runs the suites side by side (each on its own task queue, simulator and worker process): crash,
// server restart, faults, load, and in the prisma profile held requests; for each of the mode's
// profiles in turn, searches everything they produced for the token, checks where
// our servers listen, and builds the report.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { temporalBinary } from '../local-temporal';
import { runCrashLane } from './crash-lane';
import { keepEvidence } from './evidence';
import { runFaultLane } from './fault-lane';
import { faultsSeen } from './fault-mix';
import { runHeldRequestLane } from './held-request-lane';
import { killSchedule } from './kill-schedule';
import { Lane, type TemporalTarget } from './lane';
import { listenersOf, type Listener, type WatchedProcess } from './listeners';
import type { Durations, ModeConfig } from './modes';
import { seededRandom } from './random';
import { findViolations, formatMarkdown, seconds, type LaneName, type LaneReport, type ReliabilityReport } from './report';
import { sweepLane, type SecretSource } from './secret-sweep';
import { OwnServer, runServerRestartLane } from './server-restart-lane';
import { strayEffects, summarizeControls, summarizeRuns, tallyRun } from './tally';
import type { ApiProfile } from '../src/shared/input';
import { buildWorkflowBundle } from '../src/temporal/workflow-bundle';

export interface ReliabilityOptions {
  mode: ModeConfig;
  /** The server the crash, fault and load suites use (the server-restart suite starts its own). */
  temporal: TemporalTarget;
  /** When the caller started that server: its pid, so its listeners are checked too. */
  sharedServerPid?: number;
  /** A workflow bundle already built in this process; otherwise one is built. */
  bundleCode?: string;
  /** Where the report, logs and the restart suite's SQLite file go. */
  artifactsDir: string;
  seed: number;
  progress?: (line: string) => void;
}

interface OpenedLane {
  lane: Lane;
  /** Runs after the lane is closed. */
  cleanup?: () => Promise<void>;
}

export async function runReliability(options: ReliabilityOptions): Promise<ReliabilityReport> {
  const startedAt = Date.now();
  const { mode, artifactsDir } = options;
  // The simulators, answer droppers and trial databases (PGlite) all run in this process: a stalled
  // event loop delays every API answer, and the report says how much.
  const eventLoop = monitorEventLoopDelay({ resolution: 20 });
  eventLoop.enable();
  const progress = options.progress ?? (() => {});
  const runTag = randomBytes(4).toString('hex');
  // Each run keeps its logs, bundle and SQLite file in a folder of its own: two runs in one checkout
  // (two people running npm test) must not write into, or delete, each other's files.
  const runDir = path.join(artifactsDir, 'runs', `${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}-${runTag}`);
  pruneOldRuns(path.join(artifactsDir, 'runs'), startedAt);
  const logsDir = path.join(runDir, 'logs');
  mkdirSync(logsDir, { recursive: true });

  const bundlePath = path.join(runDir, 'workflow-bundle.js');
  const code = options.bundleCode ?? (await buildWorkflowBundle()).code;
  writeFileSync(bundlePath, code);

  // A fresh token per run: finding it anywhere can only mean this run leaked it.
  const token = `tok_reliability_${randomBytes(20).toString('hex')}`;
  const cliPath = temporalBinary('temporal');
  const random = seededRandom(options.seed);
  const listeners: Listener[] = [];
  const checked: WatchedProcess[] = [];
  const secrets: SecretSource[] = [];
  /** Where these processes, and the lane's simulator in this process, listen (taken while they run). */
  const capture = async (lane: Lane | undefined, processes: WatchedProcess[]) => {
    const simulator = lane && {
      pid: process.pid,
      role: `${lane.options.name} simulator${lane.dropper ? ' and answer dropper' : ''}`,
      descendants: false,
      ports: lane.listeningPorts(),
    };
    const all = simulator ? [simulator, ...processes] : processes;
    checked.push(...all);
    listeners.push(...(await listenersOf(all)));
  };
  if (options.sharedServerPid) await capture(undefined, [{ pid: options.sharedServerPid, role: 'Temporal dev server (shared)' }]);

  /** The lane of one suite in one profile: its name (task queue, workflow and database ids, logs) says both. */
  const laneOptions = (
    name: LaneName,
    profile: ApiProfile,
    durations: Durations & { holdWindowMs?: number; requestTimeoutMs?: number },
    temporal = options.temporal,
  ) => ({
    name: `${name}-${profile}`,
    profile,
    temporal,
    bundlePath,
    logsDir,
    token,
    runTag,
    backupDurationMs: durations.backupDurationMs,
    recoveryMs: durations.recoveryMs,
    requestTimeoutMs: durations.requestTimeoutMs ?? mode.requestTimeoutMs,
    pollDeadlineMs: mode.pollDeadlineMs,
    // Seed runs take no hold window.
    ...(profile === 'prisma' ? { holdWindowMs: durations.holdWindowMs ?? mode.holdWindowMs } : {}),
  });
  const workerOf = (lane: Lane, role: string): WatchedProcess[] => (lane.worker.pid ? [{ pid: lane.worker.pid, role }] : []);

  /** Opens a lane, runs it, searches it, counts it and closes it, whatever happens in between. */
  async function suite<T extends OpenedLane>(
    name: LaneName,
    profile: ApiProfile,
    open: () => Promise<T>,
    body: (opened: T) => Promise<Partial<LaneReport>>,
    mustAllComplete: boolean,
  ): Promise<LaneReport> {
    const title = `${name} (${profile})`;
    const began = Date.now();
    let opened: T | undefined;
    let partial: Partial<LaneReport> = {};
    let error: string | undefined;
    try {
      opened = await open();
      progress(`${title}: started`);
      partial = await body(opened);
      await keepEvidence(opened.lane, path.join(runDir, 'evidence', opened.lane.options.name));
      secrets.push(...(await sweepLane(opened.lane, token, cliPath, mode.cliSample)));
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    } finally {
      await opened?.lane.close().catch(() => {});
      await opened?.cleanup?.().catch(() => {});
    }
    const lane = opened?.lane;
    const all = lane?.facts() ?? [];
    // Negative controls duplicate their restore on purpose: counted apart, they must show it.
    const runs = all.filter((r) => !r.control);
    const controls = all.filter((r) => r.control);
    const sim = lane?.simFacts();
    const tallies = sim ? runs.map((r) => tallyRun(r, sim)) : [];
    const figures = summarizeRuns(runs, tallies, sim ? strayEffects(all, sim) : []);
    const control = sim && controls.length > 0 ? summarizeControls(controls.map((r) => tallyRun(r, sim))) : undefined;
    const problems = [
      ...tallies.filter((t) => t.problems.length > 0).map((t) => `${t.workflowId}: ${t.problems.join('; ')}`),
      ...runs.flatMap((r) =>
        r.outcome.kind === 'lost' || r.outcome.kind === 'failed-untyped'
          ? [`${r.workflowId}: ${r.outcome.kind}: ${r.outcome.description}`]
          : [],
      ),
    ].slice(0, 10);
    const tokensFound = lane ? secrets.filter((s) => s.source.startsWith(`${lane.options.name}:`)).reduce((n, s) => n + s.found, 0) : 0;
    progress(
      `${title}: ${figures.completed}/${figures.runs} completed, ${figures.failedTyped} failed typed, ${figures.lost} lost, ${seconds(Date.now() - began)}`,
    );
    const took = (lane?.runs ?? []).filter((r) => r.endedAt !== undefined).map((r) => ({ id: r.workflowId, ms: r.endedAt! - r.startedAt }));
    took.sort((a, b) => b.ms - a.ms);
    const timing = { medianRunMs: took[Math.floor(took.length / 2)]?.ms, slowestRuns: took.slice(0, 3).map((t) => `${t.id}: ${t.ms} ms`) };
    return {
      lane: name,
      profile,
      mustAllComplete,
      trials: 0,
      kills: 0,
      serverRestarts: 0,
      faultsInjected: 0,
      faultsByKind: {},
      planned: {},
      ...partial,
      notes: { ...partial.notes, ...timing },
      figures,
      ...(control ? { control } : {}),
      ...(lane?.options.holdWindowMs === undefined ? {} : { holdWindowMs: lane.options.holdWindowMs }),
      tokensFound,
      durationMs: Date.now() - began,
      problems,
      error,
    };
  }

  const crash = (profile: ApiProfile) =>
    suite(
      'crash',
      profile,
      // Real rows in every run's database, read back once the run ended.
      async () => ({
        lane: await Lane.open({ ...laneOptions('crash', profile, mode.crash), data: { liveDatabases: mode.crash.liveDatabases } }),
      }),
      async ({ lane }) => {
        const points = killSchedule(mode.crash.trials, mode.crash.chosenRounds, profile);
        const figures = await runCrashLane(lane, { ...mode.crash, points }, random);
        await capture(lane, workerOf(lane, `${lane.options.name} worker`));
        const { trials, kills, ...notes } = figures;
        const faultsByKind = faultsSeen(lane.sim.requests);
        return {
          trials,
          kills,
          planned: { kills: points.length },
          checksContent: true,
          faultsInjected: Object.values(faultsByKind).reduce((a, b) => a + b, 0),
          faultsByKind,
          notes: { ...notes, workerStarts: lane.worker.starts },
        };
      },
      true,
    );

  const restart = (profile: ApiProfile) =>
    suite(
      'server-restart',
      profile,
      async () => {
        const server = await OwnServer.start(path.join(runDir, `server-restart-${profile}`));
        try {
          const lane = await Lane.open(
            laneOptions('server-restart', profile, mode.restart, { address: server.address, namespace: 'default' }),
          );
          return { lane, server, cleanup: () => server.stop() };
        } catch (err) {
          await server.stop();
          throw err;
        }
      },
      async ({ lane, server }) => {
        const afterRestart = () =>
          capture(lane, [
            ...(server.pid ? [{ pid: server.pid, role: `Temporal dev server (${lane.options.name} suite)` }] : []),
            ...workerOf(lane, `${lane.options.name} worker`),
          ]);
        const figures = await runServerRestartLane(lane, server, mode.restart, afterRestart);
        return {
          trials: figures.trials,
          serverRestarts: figures.serverRestarts,
          planned: { serverRestarts: mode.restart.restarts },
          notes: { longestOutageMs: figures.longestOutageMs, workerExitedOnItsOwn: figures.workerExits },
        };
      },
      true,
    );

  const faultSuite = (name: 'faults' | 'load', profile: ApiProfile, plan: ModeConfig['faults'], mix: 'all' | 'retryable') =>
    suite(
      name,
      profile,
      async () => ({ lane: await Lane.open(laneOptions(name, profile, plan)) }),
      async ({ lane }) => {
        const figures = await runFaultLane(lane, { ...plan, mix }, () => capture(lane, workerOf(lane, `${lane.options.name} worker`)));
        const { faultsInjected, faultsByKind, restoreFaultsByKind, requests } = figures;
        return { faultsInjected, faultsByKind, notes: { share: plan.share, mix, requests, restoreFaultsByKind } };
      },
      mix === 'retryable',
    );

  const heldRequests = (profile: ApiProfile) =>
    suite(
      'held-request',
      profile,
      async () => ({ lane: await Lane.open({ ...laneOptions('held-request', profile, mode.held), dropAnswers: true }) }),
      async ({ lane }) => {
        const figures = await runHeldRequestLane(lane, mode.held);
        await capture(lane, workerOf(lane, `${lane.options.name} worker`));
        const { trials, kills, heldRequests, ...notes } = figures;
        const faultsByKind = faultsSeen(lane.sim.requests);
        return {
          trials,
          kills,
          heldRequests,
          planned: {
            heldRequests: mode.held.trials.filter((t) => t.kind !== 'reset-after').length,
            kills: mode.held.trials.filter((t) => t.kind === 'held-kill').length,
          },
          faultsInjected: Object.values(faultsByKind).reduce((a, b) => a + b, 0),
          faultsByKind,
          notes: {
            ...notes,
            holdWindowMs: mode.held.holdWindowMs,
            requestTimeoutMs: mode.held.requestTimeoutMs,
            workerStarts: lane.worker.starts,
          },
        };
      },
      // A typed failure is allowed (the report still fails a run failed although restored); every held request is applied.
      false,
    );

  const wanted = (name: LaneName) => mode.lanes.includes(name);
  const lanes: LaneReport[] = [];
  for (const profile of mode.profiles) {
    lanes.push(
      ...(await Promise.all([
        ...(wanted('crash') ? [crash(profile)] : []),
        ...(wanted('server-restart') ? [restart(profile)] : []),
        ...(wanted('faults') ? [faultSuite('faults', profile, mode.faults, 'all')] : []),
        ...(wanted('load') ? [faultSuite('load', profile, mode.load, 'retryable')] : []),
        // Prisma's API takes no Idempotency-Key: a held request is what the read-back and hold window are for.
        ...(wanted('held-request') && profile === 'prisma' ? [heldRequests(profile)] : []),
      ])),
    );
  }

  eventLoop.disable();
  const report: ReliabilityReport = {
    mode: mode.name,
    suiteEventLoopDelayMs: { p99: Math.round(eventLoop.percentile(99) / 1e6), max: Math.round(eventLoop.max / 1e6) },
    profiles: mode.profiles,
    seed: options.seed,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Date.now() - startedAt,
    temporalAddress: options.temporal.address,
    runDir: path.relative(artifactsDir, runDir),
    lanes,
    secrets,
    listeners,
    checkedProcesses: checked,
    violations: findViolations(lanes, secrets, listeners),
  };
  writeAtomically(path.join(artifactsDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeAtomically(path.join(artifactsDir, 'report.md'), formatMarkdown(report));
  return report;
}

/** Whole or not at all, so a reader (or a concurrent run) never sees half a report. */
function writeAtomically(file: string, text: string): void {
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, text);
  renameSync(partial, file);
}

/** Keeps the newest run folders, and any touched in the last hour (a run may still be writing there). */
function pruneOldRuns(runsDir: string, now: number, keep = 5): void {
  let entries: { dir: string; mtimeMs: number }[];
  try {
    entries = readdirSync(runsDir).map((name) => ({ dir: path.join(runsDir, name), mtimeMs: statSync(path.join(runsDir, name)).mtimeMs }));
  } catch {
    return;
  }
  entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { dir, mtimeMs } of entries.slice(keep)) {
    if (now - mtimeMs > 3_600_000) rmSync(dir, { recursive: true, force: true });
  }
}
