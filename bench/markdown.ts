// The benchmark's figures as Markdown tables, a section at a time (printed as each finishes) and
// whole (bench/results/latest.md). Pure.
import type { NoopStep } from './noop-workflow';
import { POLICY_DESCRIPTIONS, type PollingPolicyName } from './poll-efficiency';
import { durationLabel } from './polling-plot';
import {
  comparePolicies,
  findRow,
  scaleRatios,
  serverCpuMsPerRun,
  type BenchResults,
  type FleetMeasure,
  type Goal,
  type ScaleMeasure,
} from './results';
import { formatRatio, ratio } from './stats';

const table = (header: string[], rows: (string | number)[][]) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

const oneDecimal = (value: number) => (Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '–');

export function pollEfficiencyMarkdown(poll: BenchResults['pollEfficiency']): string {
  const { rows } = poll;
  const policies = [...new Set(rows.map((row) => row.policy))];
  const durations = [...new Set(rows.map((row) => row.backupSeconds))];
  const figures = table(
    ['policy', ...durations.map((seconds) => `${durationLabel(seconds)}: calls (mean), median / p95 latency`)],
    policies.map((policy) => [
      policy,
      ...durations.map((seconds) => {
        const row = findRow(rows, seconds, policy);
        return row
          ? `${row.callsMedian} (${oneDecimal(row.callsMean)}), ${oneDecimal(row.latencyMedianSeconds)} / ${oneDecimal(row.latencyP95Seconds)} s`
          : '–';
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
    `### Poll efficiency (simulated in virtual time: ${poll.samples} backups per row, medians over them)`,
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
    'End to end on the real server (seed runs on the compiled worker against the simulator, counted from its request log):',
    table(
      [
        'backup',
        'earlier runs in visibility',
        'list calls',
        'first look after creation',
        'detected after completion',
        'simulated (calls, median latency)',
      ],
      poll.endToEnd.map((e2e) => {
        const policy = e2e.earlierRuns === 0 ? 'ours-backoff' : 'ours-predictive-history';
        const row = findRow(poll.rows, e2e.backupSeconds, policy);
        return [
          durationLabel(e2e.backupSeconds),
          e2e.earlierRuns === 0 ? 'none' : `${e2e.earlierRuns}, each backup ${durationLabel(e2e.backupSeconds)}`,
          e2e.listCalls,
          `${oneDecimal(e2e.firstLookAfterSeconds)} s`,
          `${oneDecimal(e2e.detectionLatencySeconds)} s`,
          row ? `${policy}: ${row.callsMedian}, ${oneDecimal(row.latencyMedianSeconds)} s (durations ±20 %)` : '–',
        ];
      }),
    ),
  ].join('\n\n');
}

/** `createBackup, awaitBackup ×4 (2 s, 4 s, 4 s)`. */
export function stepsText(steps: readonly NoopStep[]): string {
  return steps
    .map((step) => {
      if ('timerMs' in step) return `timer ${oneDecimal(step.timerMs / 1000)} s`;
      const attempts = step.retryDelaysMs.length + 1;
      const delays = step.retryDelaysMs.map((ms) => `${oneDecimal(ms / 1000)} s`).join(', ');
      return attempts === 1 ? step.activity : `${step.activity} ×${attempts} (retries after ${delays})`;
    })
    .join(', ');
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
    Math.round(serverCpuMsPerRun(m)),
    Math.round(m.scheduleToStartP50Ms),
    Math.round(m.scheduleToStartP99Ms),
    oneDecimal(m.eventsPerRun),
  ];
  const rows = scale.flatMap((row) => {
    const ratios = scaleRatios(row);
    return [
      line(row.runs, 'product', row.workflow),
      line(row.runs, 'no-op', row.noop),
      [
        row.runs,
        '**ratio**',
        '',
        formatRatio(ratios.wall),
        formatRatio(ratios.rss),
        formatRatio(ratio(row.workflow.workerCpuSeconds, row.noop.workerCpuSeconds)),
        formatRatio(ratios.serverCpuPerRun),
        formatRatio(ratios.scheduleToStartP50),
        formatRatio(ratios.scheduleToStartP99),
        formatRatio(ratio(row.workflow.eventsPerRun, row.noop.eventsPerRun)),
      ],
    ];
  });
  return [
    '### Scale (concurrent runs on one compiled worker process, all started at once, 50 starts in flight)',
    `Each run (seed profile, no history) did: ${stepsText(scale[0]?.steps ?? [])}. The no-op workflow (its own bundle, no product code) runs a no-op activity for each, failing "not yet" as often and retried as far apart.`,
    table(
      [
        'runs',
        'worker',
        'completed',
        'wall time (s)',
        'worker RSS peak / idle (MB)',
        'worker CPU per run (ms)',
        'server CPU per run (ms)',
        'workflow task schedule-to-start p50 (ms)',
        'p99 (ms)',
        'history events per run',
      ],
      rows,
    ),
    scale.length > 0 ? serverRequestsMarkdown(scale[scale.length - 1]) : undefined,
  ]
    .filter((part): part is string => part !== undefined)
    .join('\n\n');
}

/**
 * The server's requests per run where the product's and the no-op's differ by at least `minimum`,
 * the largest difference first: what the product asks of the server beyond waiting as often.
 */
export function serverRequestsMarkdown(row: BenchResults['scale'][number], minimum = 0.5): string | undefined {
  const product = row.workflow.serverRequestsPerRun;
  const noop = row.noop.serverRequestsPerRun;
  if (!product || !noop) return undefined;
  const lines = (['frontend', 'persistence'] as const).flatMap((kind) => {
    const operations = new Set([...Object.keys(product[kind]), ...Object.keys(noop[kind])]);
    return [...operations]
      .map((operation) => ({ kind, operation, product: product[kind][operation] ?? 0, noop: noop[kind][operation] ?? 0 }))
      .filter((line) => Math.abs(line.product - line.noop) >= minimum);
  });
  lines.sort((a, b) => Math.abs(b.product - b.noop) - Math.abs(a.product - a.noop));
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);
  return [
    `Server requests per run at ${row.runs} runs (the dev server's metrics), where the product's and the no-op's differ by ${minimum} or more:`,
    table(
      ['requests', 'operation', 'product', 'no-op'],
      [
        ...lines.map((line) => [line.kind, line.operation, oneDecimal(line.product), oneDecimal(line.noop)]),
        ['frontend', '**all**', oneDecimal(sum(product.frontend)), oneDecimal(sum(noop.frontend))],
        ['persistence', '**all**', oneDecimal(sum(product.persistence)), oneDecimal(sum(noop.persistence))],
      ],
    ),
  ].join('\n\n');
}

export function historyMarkdown(history: BenchResults['history']): string {
  return [
    '### History (events per execution; virtual time on the time-skipping test server)',
    'Seed runs with the default poll policy (deadline: the backup + 1 h). With earlier runs, their durations (±20 % of the backup) are read before the wait, as pastDurations reads them from visibility (the test server has none: a stand-in answers).',
    table(
      ['backup wait', 'earlier runs', 'executions', 'events per execution', 'list calls', 'wait attempts', 'waited (virtual)', 'outcome'],
      history.map((row) => [
        durationLabel(row.backupSeconds),
        row.earlierRuns,
        row.eventsPerExecution.length,
        row.eventsPerExecution.join(', '),
        row.listCalls,
        row.waitAttempts,
        durationLabel(row.waitedSeconds),
        row.outcome,
      ]),
    ),
  ].join('\n\n');
}

export function fleetMarkdown(fleet: NonNullable<BenchResults['fleet']>): string {
  const line = (name: string, m: FleetMeasure) => [
    name,
    `${m.passed}/${m.runs}`,
    oneDecimal(m.wallSeconds),
    `${oneDecimal(m.drillMedianSeconds)} / ${oneDecimal(m.drillP95Seconds)}`,
    `${Math.round(m.workerPeakRssMB)} / ${Math.round(m.workerIdleRssMB)}`,
    Math.round((m.workerCpuSeconds * 1000) / m.runs),
    Math.round(serverCpuMsPerRun(m)),
  ];
  const rows = [
    line(`fleet of ${fleet.databases} (parent events: ${fleet.fleetEventsPerExecution.join(', ')})`, fleet.fleet),
    line(`${fleet.databases} independent drills`, fleet.independent),
    [
      '**ratio**',
      '',
      formatRatio(ratio(fleet.fleet.wallSeconds, fleet.independent.wallSeconds)),
      formatRatio(ratio(fleet.fleet.drillMedianSeconds, fleet.independent.drillMedianSeconds)),
      formatRatio(ratio(fleet.fleet.workerPeakRssMB, fleet.independent.workerPeakRssMB)),
      formatRatio(ratio(fleet.fleet.workerCpuSeconds, fleet.independent.workerCpuSeconds)),
      formatRatio(ratio(serverCpuMsPerRun(fleet.fleet), serverCpuMsPerRun(fleet.independent))),
    ],
  ];
  if (fleet.parent) {
    rows.push(line(`fleet of ${fleet.parent.databases}, concurrency ${fleet.parent.concurrency}`, fleet.parent.measure));
  }
  const parent = fleet.parent
    ? `The ${fleet.parent.databases}-database fleet's parent: ${fleet.parent.eventsPerExecution.length} executions of ${fleet.parent.eventsPerExecution.join(', ')} events (it continues as new every 250 children).`
    : undefined;
  return [
    `### Fleet (prisma drills on one compiled worker, simulator in metadata mode; concurrency ${fleet.concurrency})`,
    `A drill fleet against as many independent drills started by the benchmark under the same bound (${fleet.concurrency} lanes), each set of databases fresh (no history).`,
    table(
      [
        'drills',
        'passed',
        'wall time (s)',
        'one drill median / p95 (s)',
        'worker RSS peak / idle (MB)',
        'worker CPU per drill (ms)',
        'server CPU per drill (ms)',
      ],
      rows,
    ),
    parent,
  ]
    .filter((part): part is string => part !== undefined)
    .join('\n\n');
}

export function coldStartMarkdown(cold: NonNullable<BenchResults['coldStart']>): string {
  const runs = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(2)).join(', ');
  return [
    '### Cold start (node dist/src/worker.js: spawn → "Worker polling", median)',
    table(
      ['workflow code', 'median (s)', 'each start (s)'],
      [
        ['prebuilt bundle (the default)', (cold.prebuiltMedianMs / 1000).toFixed(2), runs(cold.prebuiltMs)],
        ['bundled at start (PRISMA_BACKUP_BUNDLE=fresh)', (cold.bundlingMedianMs / 1000).toFixed(2), runs(cold.bundlingMs)],
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
  const during =
    m.loadAverage.during.length > 0 ? `, ${m.loadAverage.during.map((l) => l.toFixed(1)).join(' ')} during it (a minute apart)` : '';
  return [
    '# Benchmark results',
    `\`${results.command}\` (${results.mode} mode), ${results.generatedAt}, ${results.elapsedSeconds} s; ` +
      `${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ` +
      `load average ${m.loadAverage.atStart.toFixed(1)} at the start${during}, ${m.loadAverage.atEnd.toFixed(1)} at the end.`,
    results.pollEfficiency.rows.length > 0 || results.pollEfficiency.endToEnd.length > 0
      ? pollEfficiencyMarkdown(results.pollEfficiency)
      : undefined,
    results.history.length > 0 ? historyMarkdown(results.history) : undefined,
    results.scale.length > 0 ? scaleMarkdown(results.scale) : undefined,
    results.fleet ? fleetMarkdown(results.fleet) : undefined,
    results.coldStart ? coldStartMarkdown(results.coldStart) : undefined,
    goalsMarkdown(results.goals),
    results.errors.length > 0 ? `### Sections that failed\n\n${results.errors.map((e) => `- ${e}`).join('\n')}` : undefined,
  ]
    .filter((part): part is string => part !== undefined)
    .join('\n\n')
    .concat('\n');
}
