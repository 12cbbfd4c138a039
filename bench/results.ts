// What `npm run bench` measures, the ratios between its figures and the goals checked
// against them. Pure: the sections fill these shapes, main.ts writes them out.
import type { NoopStep } from './noop-workflow';
import type { ServerRequests } from './server-metrics';
import type { PollEfficiencyRow, PollingPolicyName } from './poll-efficiency';
import { durationLabel } from './polling-plot';
import { ratio } from './stats';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** The 1-minute load average when the run began, its samples during the run (one a minute), and when it ended. */
  loadAverage: { atStart: number; during: number[]; atEnd: number };
}

export const OUR_POLICIES = ['ours-backoff', 'ours-predictive', 'ours-predictive-history'] as const satisfies readonly PollingPolicyName[];

/** One of our policies against the AWS waiter and the oracle, at one backup duration. */
export interface PolicyComparison {
  backupSeconds: number;
  policy: (typeof OUR_POLICIES)[number];
  callsVsAws: number;
  latencyVsAws: number;
  callsVsOracle: number;
  latencyVsOracle: number;
}

/** One seed run on the real server against the simulator, its calls and latency read from the simulator. */
export interface EndToEnd {
  backupSeconds: number;
  /** Completed runs of the database (backups of the same duration) in visibility before the run: 0, the backoff; more, the run predicts. */
  earlierRuns: number;
  listCalls: number;
  /** Backup creation → the first list call. */
  firstLookAfterSeconds: number;
  /** Backup completion → the list call that saw it completed. */
  detectionLatencySeconds: number;
  /** The run's result.pollsMade. */
  pollsMade: number;
}

export interface ScaleMeasure {
  runs: number;
  completed: number;
  /** First start → last run closed. */
  wallSeconds: number;
  /** The worker process's VmHWM (peak resident set), in MB (10^6 bytes). */
  workerPeakRssMB: number;
  /** Its resident set once ready, before any run: what the runs added is peak − idle. */
  workerIdleRssMB: number;
  /** The worker process's user + system CPU while these runs ran. */
  workerCpuSeconds: number;
  scheduleToStartP50Ms: number;
  scheduleToStartP99Ms: number;
  /** Workflow tasks the percentiles are over, from the histories of `sampledRuns` runs. */
  workflowTasksSampled: number;
  /** History events per run, mean over the sampled runs. */
  eventsPerRun: number;
  sampledRuns: number;
  /** The dev server's user + system CPU while these runs ran. */
  serverCpuSeconds: number;
  /** What the server served meanwhile, per run (from its metrics), when they were readable. */
  serverRequestsPerRun?: ServerRequests;
}

export interface ScaleRow {
  runs: number;
  /** What a run did (its activities, attempts, timers), which the no-op does too. */
  steps: NoopStep[];
  workflow: ScaleMeasure;
  noop: ScaleMeasure;
}

export interface HistoryRow {
  backupSeconds: number;
  /** Earlier completed runs of the database read before the wait (0: no history). */
  earlierRuns: number;
  /** Events of each execution of the chain (one: a run does not continue as new). */
  eventsPerExecution: number[];
  listCalls: number;
  /** Attempts of the backup wait activity (looks, and a first attempt put off without a look). */
  waitAttempts: number;
  /** The run's waitedForBackupMs, in virtual seconds. */
  waitedSeconds: number;
  outcome: string;
}

export interface FleetMeasure {
  runs: number;
  passed: number;
  /** Start → the fleet's result, or the last independent drill's. */
  wallSeconds: number;
  /** One drill, start → result (the fleet's: as its entries say). */
  drillMedianSeconds: number;
  drillP95Seconds: number;
  workerPeakRssMB: number;
  workerIdleRssMB: number;
  workerCpuSeconds: number;
  serverCpuSeconds: number;
}

export interface FleetResult {
  databases: number;
  concurrency: number;
  fleet: FleetMeasure;
  independent: FleetMeasure;
  /** The drill fleet's parent. */
  fleetEventsPerExecution: number[];
  /** A larger fleet, for its parent's history. */
  parent?: { databases: number; concurrency: number; measure: FleetMeasure; eventsPerExecution: number[] };
}

export interface ColdStart {
  prebuiltMs: number[];
  bundlingMs: number[];
  prebuiltMedianMs: number;
  bundlingMedianMs: number;
}

export interface Goal {
  goal: string;
  figure: string;
  /** Undefined when the run did not measure it (a section skipped or failed). */
  met: boolean | undefined;
}

export interface BenchResults {
  generatedAt: string;
  mode: 'full' | 'quick';
  command: string;
  machine: Machine;
  elapsedSeconds: number;
  pollEfficiency: { samples: number; rows: PollEfficiencyRow[]; comparisons: PolicyComparison[]; endToEnd: EndToEnd[] };
  scale: ScaleRow[];
  history: HistoryRow[];
  fleet?: FleetResult;
  coldStart?: ColdStart;
  goals: Goal[];
  /** Sections that failed, with why: the others still stand. */
  errors: string[];
}

export function findRow(
  rows: readonly PollEfficiencyRow[],
  backupSeconds: number,
  policy: PollingPolicyName,
): PollEfficiencyRow | undefined {
  return rows.find((row) => row.backupSeconds === backupSeconds && row.policy === policy);
}

export const backupDurations = (rows: readonly PollEfficiencyRow[]) =>
  [...new Set(rows.map((row) => row.backupSeconds))].sort((a, b) => a - b);

/** Each of our policies against the AWS waiter and the oracle, for every duration that has all three. */
export function comparePolicies(rows: readonly PollEfficiencyRow[]): PolicyComparison[] {
  return backupDurations(rows).flatMap((backupSeconds) => {
    const aws = findRow(rows, backupSeconds, 'aws-waiter');
    const oracle = findRow(rows, backupSeconds, 'oracle');
    if (!aws || !oracle) return [];
    return OUR_POLICIES.flatMap((policy) => {
      const ours = findRow(rows, backupSeconds, policy);
      if (!ours) return [];
      return [
        {
          backupSeconds,
          policy,
          callsVsAws: ratio(ours.callsMedian, aws.callsMedian),
          latencyVsAws: ratio(ours.latencyMedianSeconds, aws.latencyMedianSeconds),
          callsVsOracle: ratio(ours.callsMedian, oracle.callsMedian),
          latencyVsOracle: ratio(ours.latencyMedianSeconds, oracle.latencyMedianSeconds),
        },
      ];
    });
  });
}

export const serverCpuMsPerRun = (measure: { serverCpuSeconds: number; runs: number }) => (measure.serverCpuSeconds * 1000) / measure.runs;

export const scaleRatios = (row: ScaleRow) => ({
  wall: ratio(row.workflow.wallSeconds, row.noop.wallSeconds),
  rss: ratio(row.workflow.workerPeakRssMB, row.noop.workerPeakRssMB),
  serverCpuPerRun: ratio(serverCpuMsPerRun(row.workflow), serverCpuMsPerRun(row.noop)),
  scheduleToStartP50: ratio(row.workflow.scheduleToStartP50Ms, row.noop.scheduleToStartP50Ms),
  scheduleToStartP99: ratio(row.workflow.scheduleToStartP99Ms, row.noop.scheduleToStartP99Ms),
});

const seconds = (value: number) => `${Math.round(value * 10) / 10} s`;
const times = (value: number) => `${value.toFixed(2)}×`;

export const TARGET = {
  callsVsOracle: 1.1,
  endToEndCalls: 1,
  endToEndSeconds: 60,
  historyWaitSeconds: 21600,
  eventsPerExecution: 60,
  runs: 1000,
  wallVsNoop: 1.25,
  serverCpuVsNoop: 1.25,
  rssMB: 300,
  fleetVsIndependent: 1.25,
};

const notMeasured = (goal: string): Goal => ({ goal, figure: 'not measured', met: undefined });

/** The goals, each with the figure it was judged on. */
export function evaluateGoals(results: Pick<BenchResults, 'pollEfficiency' | 'scale' | 'history' | 'fleet'>): Goal[] {
  const { rows, endToEnd } = results.pollEfficiency;
  const goals: Goal[] = [];
  for (const backupSeconds of backupDurations(rows)) {
    const ours = findRow(rows, backupSeconds, 'ours-predictive-history');
    const aws = findRow(rows, backupSeconds, 'aws-waiter');
    const oracle = findRow(rows, backupSeconds, 'oracle');
    const goal = `${durationLabel(backupSeconds)} backup, history before the first look: at most ${TARGET.callsVsOracle}× the oracle's calls, median latency no worse than the AWS waiter's`;
    if (!ours || !aws || !oracle) {
      goals.push(notMeasured(goal));
      continue;
    }
    const calls = ratio(ours.callsMedian, oracle.callsMedian);
    goals.push({
      goal,
      figure:
        `${ours.callsMedian} calls (${times(calls)} the oracle's ${oracle.callsMedian}), ` +
        `median ${seconds(ours.latencyMedianSeconds)} (AWS waiter ${seconds(aws.latencyMedianSeconds)})`,
      met: calls <= TARGET.callsVsOracle + 1e-9 && ours.latencyMedianSeconds <= aws.latencyMedianSeconds,
    });
  }
  const e2eGoal = `${durationLabel(TARGET.endToEndSeconds)} backup on the real server, earlier runs of the same duration in visibility: ${TARGET.endToEndCalls} list call`;
  const e2e = endToEnd.find((e) => e.backupSeconds === TARGET.endToEndSeconds && e.earlierRuns > 0);
  goals.push(
    e2e
      ? {
          goal: e2eGoal,
          figure: `${e2e.listCalls} list call${e2e.listCalls === 1 ? '' : 's'} (${e2e.earlierRuns} earlier runs), seen ${seconds(e2e.detectionLatencySeconds)} after completion`,
          met: e2e.listCalls <= TARGET.endToEndCalls,
        }
      : notMeasured(e2eGoal),
  );

  const sixHours = results.history.find((r) => r.backupSeconds === TARGET.historyWaitSeconds && r.earlierRuns === 0);
  const historyGoal = `${durationLabel(TARGET.historyWaitSeconds)} wait, no earlier runs: at most ${TARGET.eventsPerExecution} events in one execution`;
  goals.push(
    sixHours
      ? {
          goal: historyGoal,
          figure: `${Math.max(...sixHours.eventsPerExecution)} events in ${sixHours.eventsPerExecution.length} execution(s), ${sixHours.listCalls} list calls`,
          met: sixHours.eventsPerExecution.length === 1 && sixHours.eventsPerExecution[0] <= TARGET.eventsPerExecution,
        }
      : notMeasured(historyGoal),
  );

  const largest = results.scale.find((row) => row.runs === TARGET.runs);
  const ratios = largest ? scaleRatios(largest) : undefined;
  const scaleGoal = (text: string) => `${TARGET.runs} concurrent runs on one worker: ${text}`;
  if (!largest || !ratios) {
    goals.push(
      notMeasured(scaleGoal(`wall time at most ${TARGET.wallVsNoop}× the no-op's`)),
      notMeasured(scaleGoal(`server CPU per run at most ${TARGET.serverCpuVsNoop}× the no-op's`)),
      notMeasured(scaleGoal(`worker peak RSS at most ${TARGET.rssMB} MB`)),
    );
  } else {
    goals.push(
      {
        goal: scaleGoal(`wall time at most ${TARGET.wallVsNoop}× the no-op's`),
        figure: `${seconds(largest.workflow.wallSeconds)} against ${seconds(largest.noop.wallSeconds)}: ${times(ratios.wall)}`,
        met: ratios.wall <= TARGET.wallVsNoop,
      },
      {
        goal: scaleGoal(`server CPU per run at most ${TARGET.serverCpuVsNoop}× the no-op's`),
        figure: `${Math.round(serverCpuMsPerRun(largest.workflow))} ms against ${Math.round(serverCpuMsPerRun(largest.noop))} ms: ${times(ratios.serverCpuPerRun)}`,
        met: ratios.serverCpuPerRun <= TARGET.serverCpuVsNoop,
      },
      {
        goal: scaleGoal(`worker peak RSS at most ${TARGET.rssMB} MB`),
        figure: `peak ${Math.round(largest.workflow.workerPeakRssMB)} MB, idle ${Math.round(largest.workflow.workerIdleRssMB)} MB (no-op peak ${Math.round(largest.noop.workerPeakRssMB)} MB)`,
        met: largest.workflow.workerPeakRssMB <= TARGET.rssMB,
      },
    );
  }

  const fleet = results.fleet;
  const fleetGoal = `drill fleet of ${fleet?.databases ?? 200} on one worker: wall time within ${TARGET.fleetVsIndependent}× that of as many independent drills under the same bound`;
  if (fleet) {
    const wall = ratio(fleet.fleet.wallSeconds, fleet.independent.wallSeconds);
    goals.push({
      goal: fleetGoal,
      figure: `${seconds(fleet.fleet.wallSeconds)} against ${seconds(fleet.independent.wallSeconds)}: ${times(wall)} (concurrency ${fleet.concurrency}; ${fleet.fleet.passed}/${fleet.fleet.runs} and ${fleet.independent.passed}/${fleet.independent.runs} passed)`,
      met: wall <= TARGET.fleetVsIndependent && fleet.fleet.passed === fleet.fleet.runs,
    });
  } else goals.push(notMeasured(fleetGoal));
  return goals;
}
