// The benchmark's figures as Markdown tables, a section at a time (printed as each finishes) and
// whole (bench/results/latest.md). Pure.
import { POLICY_DESCRIPTIONS, type PollingPolicyName } from './poll-efficiency';
import { durationLabel } from './polling-plot';
import { comparePolicies, findRow, scaleRatios, serverCpuMsPerRun, type BenchResults, type Goal, type ScaleMeasure } from './results';
import { formatRatio, ratio } from './stats';

const table = (header: string[], rows: (string | number)[][]) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

const oneDecimal = (value: number) => (Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '–');

export function pollEfficiencyMarkdown(poll: BenchResults['pollEfficiency']): string {
  const { rows } = poll;
  const policies = [...new Set(rows.map((row) => row.policy))];
  const figures = table(
    [
      'policy',
      ...[...new Set(rows.map((row) => row.backupSeconds))].map((seconds) => `${durationLabel(seconds)}: calls, median / p95 latency`),
    ],
    policies.map((policy) => [
      policy,
      ...[...new Set(rows.map((row) => row.backupSeconds))].map((seconds) => {
        const row = findRow(rows, seconds, policy);
        return row ? `${row.callsMedian}, ${oneDecimal(row.latencyMedianSeconds)} / ${oneDecimal(row.latencyP95Seconds)} s` : '–';
      }),
    ]),
  );
  const ratios = table(
    ['backup', 'policy', 'calls vs AWS waiter', 'latency vs AWS waiter', 'calls vs oracle', 'latency vs oracle'],
    comparePolicies(rows).map((c) => [
      durationLabel(c.backupSeconds),
      c.policy,
      formatRatio(c.callsVsAws),
      formatRatio(c.latencyVsAws),
      formatRatio(c.callsVsOracle),
      formatRatio(c.latencyVsOracle),
    ]),
  );
  const legend = policies.map((policy) => `- \`${policy}\`: ${POLICY_DESCRIPTIONS[policy as PollingPolicyName]}`).join('\n');
  const parts = [
    `### Poll efficiency (simulated: ${poll.samples} backups per row, medians over them)`,
    figures,
    legend,
    'Ratios (medians):',
    ratios,
  ];
  if (poll.endToEnd.length > 0) parts.push(endToEndMarkdown(poll));
  return parts.join('\n\n');
}

/** Each end-to-end run beside the simulation's median for the policy it ran. */
export function endToEndMarkdown(poll: BenchResults['pollEfficiency']): string {
  return [
    "End to end on the real server (seed runs against the simulator, counted from its request log), beside the simulation's medians:",
    table(
      ['backup', 'earlier backups in the list', 'list calls', 'detected after completion', 'simulated (calls, median latency)'],
      poll.endToEnd.map((e2e) => {
        const policy = e2e.earlierBackups === 0 ? 'ours-backoff' : 'ours-predictive-similar';
        const row = findRow(poll.rows, e2e.backupSeconds, policy);
        return [
          durationLabel(e2e.backupSeconds),
          e2e.earlierBackups === 0 ? 'none' : `${e2e.earlierBackups}, all ${durationLabel(e2e.backupSeconds)}`,
          e2e.listCalls,
          `${oneDecimal(e2e.detectionLatencySeconds)} s`,
          row ? `${policy}: ${row.callsMedian}, ${oneDecimal(row.latencyMedianSeconds)} s` : '–',
        ];
      }),
    ),
  ].join('\n\n');
}

export function scaleMarkdown(scale: BenchResults['scale']): string {
  const perRunMs = (seconds: number, runs: number) => Math.round((seconds * 1000) / runs);
  const line = (runs: number, name: string, m: ScaleMeasure) => [
    runs,
    name,
    `${m.completed}/${m.runs}`,
    oneDecimal(m.wallSeconds),
    `${Math.round(m.workerPeakRssMB)} / ${Math.round(m.workerIdleRssMB)}`,
    perRunMs(m.workerCpuSeconds, m.runs),
    Math.round(m.scheduleToStartP50Ms),
    Math.round(m.scheduleToStartP99Ms),
    Math.round(serverCpuMsPerRun(m)),
  ];
  const rows = scale.flatMap((row) => {
    const ratios = scaleRatios(row);
    return [
      line(row.runs, 'workflow', row.workflow),
      line(row.runs, 'no-op', row.noop),
      [
        row.runs,
        '**ratio**',
        '',
        formatRatio(ratios.wall),
        formatRatio(ratios.rss),
        formatRatio(ratio(row.workflow.workerCpuSeconds, row.noop.workerCpuSeconds)),
        formatRatio(ratios.scheduleToStartP50),
        formatRatio(ratios.scheduleToStartP99),
        formatRatio(ratio(serverCpuMsPerRun(row.workflow), serverCpuMsPerRun(row.noop))),
      ],
    ];
  });
  const timers = scale[0]?.timersMs.map((ms) => `${oneDecimal(ms / 1000)} s`).join(', ') ?? '';
  return [
    `### Scale (concurrent runs on one worker process; each run waits on timers of ${timers}, as does its no-op)`,
    table(
      [
        'runs',
        'workflow',
        'completed',
        'wall time (s)',
        'worker RSS peak / idle (MB)',
        'worker CPU per run (ms)',
        'workflow task schedule-to-start p50 (ms)',
        'p99 (ms)',
        'server CPU per run (ms)',
      ],
      rows,
    ),
  ].join('\n\n');
}

export function historyMarkdown(history: BenchResults['history']): string {
  return [
    '### History (events per execution, virtual time on the time-skipping test server)',
    table(
      ['backup wait', 'earlier backups in the list', 'executions', 'events per execution', 'list calls', 'outcome'],
      history.map((row) => [
        durationLabel(row.backupSeconds),
        row.earlierBackups,
        row.eventsPerExecution.length,
        row.eventsPerExecution.join(', '),
        row.listCalls,
        row.outcome,
      ]),
    ),
  ].join('\n\n');
}

export function coldStartMarkdown(cold: NonNullable<BenchResults['coldStart']>): string {
  const runs = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(2)).join(', ');
  return [
    '### Cold start (worker process start → polling, median)',
    table(
      ['workflow code', 'median (s)', 'each start (s)'],
      [
        ['prebuilt bundle', (cold.prebuiltMedianMs / 1000).toFixed(2), runs(cold.prebuiltMs)],
        ['bundled at start', (cold.bundlingMedianMs / 1000).toFixed(2), runs(cold.bundlingMs)],
        ['**ratio**', formatRatio(cold.bundlingMedianMs / cold.prebuiltMedianMs), ''],
      ],
    ),
  ].join('\n\n');
}

const verdict = (goal: Goal) => (goal.met === undefined ? 'not measured' : goal.met ? 'met' : '**not met**');

export function goalsMarkdown(goals: Goal[]): string {
  return [
    '### Goals',
    table(
      ['goal', 'figure', ''],
      goals.map((goal) => [goal.goal, goal.figure, verdict(goal)]),
    ),
  ].join('\n\n');
}

export function resultsMarkdown(results: BenchResults): string {
  const m = results.machine;
  return [
    '# Benchmark results',
    `\`${results.command}\` (${results.mode} mode), ${results.generatedAt}, ${results.elapsedSeconds} s; ` +
      `${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ` +
      `load average ${m.loadAverage.atStart.toFixed(1)} at the start, ${m.loadAverage.atEnd.toFixed(1)} at the end.`,
    pollEfficiencyMarkdown(results.pollEfficiency),
    results.scale.length > 0 ? scaleMarkdown(results.scale) : undefined,
    results.history.length > 0 ? historyMarkdown(results.history) : undefined,
    results.coldStart ? coldStartMarkdown(results.coldStart) : undefined,
    goalsMarkdown(results.goals),
    results.errors.length > 0 ? `### Sections that failed\n\n${results.errors.map((e) => `- ${e}`).join('\n')}` : undefined,
  ]
    .filter((part): part is string => part !== undefined)
    .join('\n\n')
    .concat('\n');
}
