// What `npm run bench` measures, the ratios between its figures and the goals checked
// against them. Pure: the sections fill these shapes, main.ts writes them out.
import type { PollEfficiencyRow, PollingPolicyName } from './poll-efficiency';
import { durationLabel } from './polling-plot';
import { ratio } from './stats';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** The 1-minute load average when the run began and ended: other work on the machine skews the timings. */
  loadAverage: { atStart: number; atEnd: number };
}

export const OUR_POLICIES = ['ours-backoff', 'ours-predictive', 'ours-predictive-similar'] as const satisfies readonly PollingPolicyName[];

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
  /** Completed backups of the same duration in the list before the run: 0, today's backoff; more, the run predicts. */
  earlierBackups: number;
  listCalls: number;
  /** Backup completion → the list call that saw it completed. */
  detectionLatencySeconds: number;
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
  /** The worker process's user + system CPU over its life. */
  workerCpuSeconds: number;
  scheduleToStartP50Ms: number;
  scheduleToStartP99Ms: number;
  /** Workflow tasks the percentiles are over, from the histories of `sampledRuns` runs. */
  workflowTasksSampled: number;
  sampledRuns: number;
  /** The dev server's user + system CPU while these runs ran. */
  serverCpuSeconds: number;
}

export interface ScaleRow {
  runs: number;
  /** The timers a run waits on, which the no-op sleeps too. */
  timersMs: number[];
  workflow: ScaleMeasure;
  noop: ScaleMeasure;
}

export interface HistoryRow {
  backupSeconds: number;
  /** Completed backups of the same duration in the list before the run (0: today's backoff). */
  earlierBackups: number;
  /** Events of each execution of the chain (more than one when the run continued as new). */
  eventsPerExecution: number[];
  listCalls: number;
  outcome: string;
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

export const scaleRatios = (row: ScaleRow) => ({
  wall: ratio(row.workflow.wallSeconds, row.noop.wallSeconds),
  rss: ratio(row.workflow.workerPeakRssMB, row.noop.workerPeakRssMB),
  scheduleToStartP50: ratio(row.workflow.scheduleToStartP50Ms, row.noop.scheduleToStartP50Ms),
  scheduleToStartP99: ratio(row.workflow.scheduleToStartP99Ms, row.noop.scheduleToStartP99Ms),
});

export const serverCpuMsPerRun = (measure: ScaleMeasure) => (measure.serverCpuSeconds * 1000) / measure.runs;

const seconds = (value: number) => `${Math.round(value * 10) / 10} s`;

const TARGET = { callsVsOracle: 1.25, wallVsNoop: 1.5, rssMB: 400, eventsPerExecution: 1000, runs: 1000, historyWaitSeconds: 21600 };

/** The goals, each with the figure it was judged on. */
export function evaluateGoals(results: Pick<BenchResults, 'pollEfficiency' | 'scale' | 'history'>): Goal[] {
  const { rows } = results.pollEfficiency;
  const goals: Goal[] = backupDurations(rows).map((backupSeconds) => {
    const ours = findRow(rows, backupSeconds, 'ours-predictive');
    const aws = findRow(rows, backupSeconds, 'aws-waiter');
    const oracle = findRow(rows, backupSeconds, 'oracle');
    const goal = `${durationLabel(backupSeconds)} backup: median latency no worse than the AWS waiter's, at most ${TARGET.callsVsOracle}× the oracle's calls`;
    if (!ours || !aws || !oracle) return { goal, figure: 'not measured', met: undefined };
    const callsRatio = ratio(ours.callsMedian, oracle.callsMedian);
    return {
      goal,
      figure:
        `ours-predictive ${ours.callsMedian} calls (${callsRatio.toFixed(2)}× oracle's ${oracle.callsMedian}), ` +
        `median ${seconds(ours.latencyMedianSeconds)} (AWS waiter ${seconds(aws.latencyMedianSeconds)})`,
      met: ours.latencyMedianSeconds <= aws.latencyMedianSeconds && callsRatio <= TARGET.callsVsOracle,
    };
  });
  for (const backupSeconds of backupDurations(rows)) {
    const similar = findRow(rows, backupSeconds, 'ours-predictive-similar');
    const oracle = findRow(rows, backupSeconds, 'oracle');
    const goal = `${durationLabel(backupSeconds)} backup, history of similar backups: fewer calls than the oracle at its latency or better`;
    goals.push(
      similar && oracle
        ? {
            goal,
            figure: `ours-predictive-similar ${similar.callsMedian} calls, median ${seconds(similar.latencyMedianSeconds)} (oracle ${oracle.callsMedian}, ${seconds(oracle.latencyMedianSeconds)})`,
            met: similar.callsMedian < oracle.callsMedian && similar.latencyMedianSeconds <= oracle.latencyMedianSeconds,
          }
        : { goal, figure: 'not measured', met: undefined },
    );
  }
  const largest = results.scale.find((row) => row.runs === TARGET.runs);
  const wall = largest ? scaleRatios(largest).wall : Number.NaN;
  goals.push(
    {
      goal: `${TARGET.runs} concurrent runs on one worker: at most ${TARGET.wallVsNoop}× the no-op's wall time`,
      figure: largest
        ? `${seconds(largest.workflow.wallSeconds)} against ${seconds(largest.noop.wallSeconds)}: ${wall.toFixed(2)}×`
        : 'not measured',
      met: largest ? wall <= TARGET.wallVsNoop : undefined,
    },
    {
      goal: `${TARGET.runs} concurrent runs on one worker: worker RSS at most ${TARGET.rssMB} MB`,
      figure: largest
        ? `peak ${Math.round(largest.workflow.workerPeakRssMB)} MB (no-op ${Math.round(largest.noop.workerPeakRssMB)} MB)`
        : 'not measured',
      met: largest ? largest.workflow.workerPeakRssMB <= TARGET.rssMB : undefined,
    },
  );
  for (const row of results.history.filter((r) => r.backupSeconds === TARGET.historyWaitSeconds)) {
    const most = Math.max(...row.eventsPerExecution);
    goals.push({
      goal: `fewer than ${TARGET.eventsPerExecution} events per execution for a 6 h wait, ${row.earlierBackups} earlier backups in the list`,
      figure: `${most} events, ${row.listCalls} list calls (executions: ${row.eventsPerExecution.join(', ')})`,
      met: most < TARGET.eventsPerExecution,
    });
  }
  if (!results.history.some((r) => r.backupSeconds === TARGET.historyWaitSeconds)) {
    goals.push({
      goal: `fewer than ${TARGET.eventsPerExecution} events per execution for a 6 h wait`,
      figure: 'not measured',
      met: undefined,
    });
  }
  return goals;
}
