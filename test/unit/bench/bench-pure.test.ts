// The benchmark's pure pieces: percentiles and ratios, the history readings (and the no-op
// baseline's steps taken from them), /proc parsing, the goals, the Markdown and the SVG plot.
import { strict as assert } from 'assert';
import {
  activityAttempts,
  durationJsonMs,
  noopSteps,
  timerDurationsMs,
  workflowTaskScheduleToStartMs,
} from '../../../bench/history-events';
import { fleetMarkdown, historyMarkdown, resultsMarkdown, scaleMarkdown, serverRequestsMarkdown, stepsText } from '../../../bench/markdown';
import { countsByOperation, countsDelta, serverRequestsOf } from '../../../bench/server-metrics';
import type { PollEfficiencyRow, PollingPolicyName } from '../../../bench/poll-efficiency';
import { pollingPlotSvg } from '../../../bench/polling-plot';
import { cpuTicksOf, memoryBytesOf } from '../../../bench/proc';
import {
  comparePolicies,
  evaluateGoals,
  type BenchResults,
  type FleetMeasure,
  type FleetResult,
  type ScaleRow,
} from '../../../bench/results';
import { DEFAULT_POLL_POLICY } from '../../../src/shared/policy';
import { formatRatio, median, percentile, ratio } from '../../../bench/stats';

const row = (backupSeconds: number, policy: PollingPolicyName, callsMedian: number, latencyMedianSeconds: number): PollEfficiencyRow => ({
  backupSeconds,
  policy,
  samples: 100,
  callsMedian,
  callsMean: callsMedian,
  latencyMedianSeconds,
  latencyP95Seconds: latencyMedianSeconds * 2,
});

describe('bench: statistics', () => {
  it('interpolates percentiles between ranks, whatever the order', () => {
    assert.equal(percentile([4, 1, 3, 2], 0), 1);
    assert.equal(percentile([4, 1, 3, 2], 100), 4);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(percentile([10, 20, 30, 40, 50], 90), 46);
    assert.equal(median([7]), 7);
    assert.ok(Number.isNaN(median([])));
    assert.throws(() => percentile([1], 101), RangeError);
  });

  it('gives no ratio against a zero baseline', () => {
    assert.equal(ratio(3, 2), 1.5);
    assert.ok(Number.isNaN(ratio(3, 0)));
    assert.equal(formatRatio(1.5), '1.50×');
    assert.equal(formatRatio(Number.NaN), '–');
  });
});

describe('bench: history readings', () => {
  const at = (ms: number) => new Date(Date.UTC(2026, 10, 28, 12, 0, 0, ms)).toISOString();
  const history = {
    events: [
      { eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', eventTime: at(0) },
      { eventType: 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', eventTime: at(0) },
      { eventType: 'EVENT_TYPE_WORKFLOW_TASK_STARTED', eventTime: at(12) },
      { eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED', eventTime: at(20) },
      { eventType: 'EVENT_TYPE_TIMER_STARTED', eventTime: at(20), timerStartedEventAttributes: { startToFireTimeout: '5.250s' } },
      { eventType: 'EVENT_TYPE_TIMER_FIRED', eventTime: at(5270) },
      { eventType: 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', eventTime: at(5270) },
      { eventType: 'EVENT_TYPE_WORKFLOW_TASK_STARTED', eventTime: at(5300) },
      { eventType: 'EVENT_TYPE_TIMER_STARTED', eventTime: at(5310), timerStartedEventAttributes: { startToFireTimeout: '10s' } },
    ],
  };

  it('reads each workflow task’s schedule-to-start time and the timers in order', () => {
    assert.deepEqual(workflowTaskScheduleToStartMs(history), [12, 30]);
    assert.deepEqual(timerDurationsMs(history), [5250, 10_000]);
    assert.deepEqual(workflowTaskScheduleToStartMs({}), []);
  });

  const activities = {
    events: [
      { eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' },
      {
        eventId: '5',
        eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
        activityTaskScheduledEventAttributes: { activityType: { name: 'createBackup' } },
      },
      {
        eventId: '6',
        eventType: 'EVENT_TYPE_ACTIVITY_TASK_STARTED',
        activityTaskStartedEventAttributes: { scheduledEventId: '5', attempt: 1 },
      },
      {
        eventId: '11',
        eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
        activityTaskScheduledEventAttributes: { activityType: { name: 'awaitBackup' } },
      },
      { eventId: '12', eventType: 'EVENT_TYPE_TIMER_STARTED', timerStartedEventAttributes: { startToFireTimeout: '1s' } },
      {
        eventId: '13',
        eventType: 'EVENT_TYPE_ACTIVITY_TASK_STARTED',
        activityTaskStartedEventAttributes: { scheduledEventId: '11', attempt: 5 },
      },
      {
        eventId: '20',
        eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
        activityTaskScheduledEventAttributes: { activityType: { name: 'restoreBackup' } },
      },
      {
        eventId: '21',
        eventType: 'EVENT_TYPE_ACTIVITY_TASK_STARTED',
        activityTaskStartedEventAttributes: { scheduledEventId: '20', attempt: 3 },
      },
    ],
  };

  it('reads each activity’s attempts from the started event of its last attempt', () => {
    assert.deepEqual(activityAttempts(activities), [
      { activity: 'createBackup', attempts: 1 },
      { activity: 'awaitBackup', attempts: 5 },
      { activity: 'restoreBackup', attempts: 3 },
    ]);
  });

  it('gives the no-op the run’s steps: waits retried after the un-jittered backoff, other activities after the retry policy', () => {
    const policy = { ...DEFAULT_POLL_POLICY, initialIntervalMs: 2_000, maximumIntervalMs: 4_000 };
    const steps = noopSteps(activities, policy);
    assert.deepEqual(steps, [
      { activity: 'createBackup', retryDelaysMs: [] },
      { activity: 'awaitBackup', retryDelaysMs: [2_000, 4_000, 4_000, 4_000] },
      { timerMs: 1_000 },
      { activity: 'restoreBackup', retryDelaysMs: [1_000, 2_000] },
    ]);
    assert.equal(
      stepsText(steps),
      'createBackup, awaitBackup ×5 (retries after 2 s, 4 s, 4 s, 4 s), timer 1 s, restoreBackup ×3 (retries after 1 s, 2 s)',
    );
  });

  it('reads protobuf durations and refuses anything else', () => {
    assert.equal(durationJsonMs('0.525s'), 525);
    assert.equal(durationJsonMs('120s'), 120_000);
    assert.throws(() => durationJsonMs('2m'), /not a protobuf duration/);
  });
});

describe('bench: /proc readings', () => {
  it('adds utime and stime, even when the process name holds spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[11] = '1500'; // utime (field 14)
    fields[12] = '250'; // stime (field 15)
    assert.equal(cpuTicksOf(`4242 (temporal (dev) x) ${fields.join(' ')}`), 1750);
    assert.throws(() => cpuTicksOf('4242 (x) S'), /unreadable/);
  });

  it('reads the peak and current resident sets in bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    assert.equal(memoryBytesOf(status, 'VmHWM'), 204800 * 1024);
    assert.equal(memoryBytesOf(status, 'VmRSS'), 102400 * 1024);
    assert.throws(() => memoryBytesOf('Name:\tnode\n', 'VmHWM'), /no VmHWM line/);
  });
});

describe('bench: comparisons and goals', () => {
  const rows = [
    row(60, 'ours-predictive-history', 1, 12),
    row(60, 'aws-waiter', 3, 18),
    row(60, 'oracle', 1, 12),
    row(3600, 'ours-predictive', 12, 30),
    row(3600, 'ours-predictive-history', 11, 35),
    row(3600, 'aws-waiter', 50, 38),
    row(3600, 'oracle', 10, 37),
    row(21600, 'ours-predictive-history', 68, 40),
    row(21600, 'aws-waiter', 290, 38),
    row(21600, 'oracle', 61, 37),
  ];
  const measure = (wallSeconds: number, rss: number, serverCpuSeconds: number) => ({
    runs: 1000,
    completed: 1000,
    wallSeconds,
    workerPeakRssMB: rss,
    workerIdleRssMB: rss / 2,
    workerCpuSeconds: 10,
    scheduleToStartP50Ms: 5,
    scheduleToStartP99Ms: 50,
    workflowTasksSampled: 300,
    eventsPerRun: 30,
    sampledRuns: 50,
    serverCpuSeconds,
  });
  const scale: ScaleRow[] = [
    { runs: 1000, steps: [{ activity: 'createBackup', retryDelaysMs: [] }], workflow: measure(60, 280, 60), noop: measure(50, 200, 40) },
  ];
  const fleetMeasure = (wallSeconds: number, passed = 200): FleetMeasure => ({
    runs: 200,
    passed,
    wallSeconds,
    drillMedianSeconds: 1.5,
    drillP95Seconds: 2,
    workerPeakRssMB: 300,
    workerIdleRssMB: 200,
    workerCpuSeconds: 20,
    serverCpuSeconds: 20,
  });
  const fleet: FleetResult = {
    databases: 200,
    concurrency: 20,
    fleet: fleetMeasure(24),
    independent: fleetMeasure(20),
    fleetEventsPerExecution: [1400],
    parent: { databases: 1000, concurrency: 50, measure: fleetMeasure(90, 1000), eventsPerExecution: [1700, 1700, 1700, 1600] },
  };
  const history = [
    {
      backupSeconds: 21600,
      earlierRuns: 0,
      eventsPerExecution: [29],
      listCalls: 190,
      waitAttempts: 190,
      waitedSeconds: 21700,
      outcome: 'x',
    },
  ];
  const endToEnd = [
    { backupSeconds: 60, earlierRuns: 10, listCalls: 1, firstLookAfterSeconds: 61, detectionLatencySeconds: 1, pollsMade: 1 },
  ];

  it('sets ours against the AWS waiter and the oracle', () => {
    const comparisons = comparePolicies(rows);
    assert.deepEqual(
      comparisons.find((c) => c.backupSeconds === 3600 && c.policy === 'ours-predictive'),
      {
        backupSeconds: 3600,
        policy: 'ours-predictive',
        callsVsAws: 12 / 50,
        latencyVsAws: 30 / 38,
        callsVsOracle: 1.2,
        latencyVsOracle: 30 / 37,
      },
    );
    assert.equal(comparisons.length, 4);
  });

  it('marks each goal met, not met, or not measured', () => {
    const goals = evaluateGoals({ pollEfficiency: { samples: 100, rows, comparisons: [], endToEnd }, scale, history, fleet });
    // 1 min: 1 call, 12 s ≤ 18 s. 1 h: 11 ≤ 1.1 × 10. 6 h: 68 > 1.1 × 61 and 40 s > 38 s.
    // End to end: 1 call. History: 29 ≤ 60. Scale: 1.2× wall, 1.5× server CPU, 280 MB. Fleet: 1.2×.
    assert.deepEqual(
      goals.map((goal) => goal.met),
      [true, true, false, true, true, true, false, true, true],
    );
    assert.match(goals[4].figure, /29 events in 1 execution/);
    assert.match(goals[6].figure, /60 ms against 40 ms: 1\.50×/);
    assert.match(goals[8].figure, /24 s against 20 s: 1\.20×/);
    assert.equal(goals.length, 9);
    const failed = evaluateGoals({
      pollEfficiency: { samples: 100, rows, comparisons: [], endToEnd },
      scale,
      history,
      fleet: { ...fleet, fleet: fleetMeasure(24, 199) },
    });
    assert.equal(failed.at(-1)!.met, false, 'a fleet with a failed drill does not meet its goal');
    const empty = evaluateGoals({
      pollEfficiency: { samples: 0, rows: [], comparisons: [], endToEnd: [] },
      scale: [],
      history: [],
      fleet: undefined,
    });
    assert.deepEqual(
      empty.map((goal) => goal.met),
      Array(6).fill(undefined),
    );
  });

  it('writes every section that ran, and the goals, as Markdown', () => {
    const results: BenchResults = {
      generatedAt: '2026-11-28T12:00:00.000Z',
      mode: 'quick',
      command: 'npm run bench -- --quick',
      machine: {
        cpus: 2,
        cpuModel: 'x',
        memoryGiB: 24,
        node: 'v20',
        platform: 'Linux',
        loadAverage: { atStart: 1, during: [2.5, 3], atEnd: 2 },
      },
      elapsedSeconds: 100,
      pollEfficiency: { samples: 100, rows, comparisons: comparePolicies(rows), endToEnd },
      scale,
      history,
      fleet,
      goals: evaluateGoals({ pollEfficiency: { samples: 100, rows, comparisons: [], endToEnd }, scale, history, fleet }),
      errors: ['cold start: boom'],
    };
    const text = resultsMarkdown(results);
    for (const heading of [
      '### Poll efficiency',
      'End to end',
      '### History',
      '### Scale',
      '### Fleet',
      '### Goals',
      '### Sections that failed',
    ]) {
      assert.ok(text.includes(heading), heading);
    }
    assert.match(text, /load average 1\.0 at the start, 2\.5 3\.0 during it/);
    assert.match(historyMarkdown(history), /\| 6 h \| 0 \| 1 \| 29 \| 190 \| 190 \|/);
    assert.match(scaleMarkdown(scale), /\| 1000 \| \*\*ratio\*\* \| {2}\| 1\.20× \| 1\.40× \| 1\.00× \| 1\.50× \|/);
    assert.match(fleetMarkdown(fleet), /4 executions of 1700, 1700, 1700, 1600 events/);
  });
});

describe('bench: the polling plot', () => {
  const rows = [row(60, 'oracle', 1, 12), row(3600, 'oracle', 10, 37), row(3600, 'aws-waiter', 50, 38), row(21600, 'aws-waiter', 290, 96)];
  const svg = pollingPlotSvg(rows);
  const points = [
    ...svg.matchAll(/<circle class="point" data-policy="([^"]+)" data-backup-seconds="(\d+)" cx="([\d.]+)" cy="([\d.]+)"/g),
  ].map(([, policy, seconds, cx, cy]) => ({ policy, seconds: Number(seconds), cx: Number(cx), cy: Number(cy) }));

  it('is one SVG document with a point per row and a legend entry per policy', () => {
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>\n$/);
    assert.equal(points.length, rows.length);
    assert.equal((svg.match(/<polyline /g) ?? []).length, 2);
    assert.match(svg, />aws-waiter<\/text>/);
  });

  it('puts calls on a log scale to the right and latency upwards', () => {
    const [one, ten, fifty, many] = points;
    // 1 → 10 spans one decade, 10 → 100 the next: equal widths.
    const decade = ten.cx - one.cx;
    assert.ok(Math.abs(fifty.cx - ten.cx - decade * Math.log10(5)) < 0.2);
    assert.ok(many.cx > fifty.cx);
    assert.ok(ten.cy < one.cy, 'a higher latency sits higher');
    assert.ok(many.cy < fifty.cy);
  });
});

describe('bench: the server’s metrics', () => {
  const text = [
    '# HELP service_requests x',
    'service_requests{namespace="default",operation="StartWorkflowExecution",service_name="frontend"} 10',
    'service_requests{namespace="system",operation="StartWorkflowExecution",service_name="frontend"} 2',
    'service_requests{namespace="default",operation="RecordWorkflowTaskStarted",service_name="history"} 7',
    'persistence_requests{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} 30',
    'persistence_requests_total{operation="Nope"} 1',
  ].join('\n');

  it('sums each counter by operation, the frontend’s requests apart from the other services’', () => {
    assert.deepEqual(serverRequestsOf(text), {
      frontend: { StartWorkflowExecution: 12 },
      persistence: { UpdateWorkflowExecution: 30 },
    });
    assert.deepEqual(countsByOperation(text, 'service_requests'), { StartWorkflowExecution: 12, RecordWorkflowTaskStarted: 7 });
  });

  it('gives what changed, per run, and tables the operations where the product and the no-op differ', () => {
    assert.deepEqual(countsDelta({ A: 10, B: 5 }, { A: 30, B: 5, C: 4 }, 2), { A: 10, C: 2 });
    const measure = (frontend: Record<string, number>) => ({
      runs: 10,
      completed: 10,
      wallSeconds: 1,
      workerPeakRssMB: 1,
      workerIdleRssMB: 1,
      workerCpuSeconds: 1,
      scheduleToStartP50Ms: 1,
      scheduleToStartP99Ms: 1,
      workflowTasksSampled: 1,
      eventsPerRun: 1,
      sampledRuns: 1,
      serverCpuSeconds: 1,
      serverRequestsPerRun: { frontend, persistence: {} },
    });
    const text = serverRequestsMarkdown({
      runs: 10,
      steps: [],
      workflow: measure({ RecordActivityTaskHeartbeat: 5.5, ListWorkflowExecutions: 1, PollActivityTaskQueue: 3 }),
      noop: measure({ PollActivityTaskQueue: 3.2 }),
    })!;
    assert.match(text, /\| frontend \| RecordActivityTaskHeartbeat \| 5\.5 \| 0 \|\n\| frontend \| ListWorkflowExecutions \| 1 \| 0 \|/);
    assert.doesNotMatch(text, /PollActivityTaskQueue/);
    assert.match(text, /\| frontend \| \*\*all\*\* \| 9\.5 \| 3\.2 \|/);
  });
});
