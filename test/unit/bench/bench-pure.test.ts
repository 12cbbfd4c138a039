// The benchmark's pure pieces: percentiles and ratios, the history readings, /proc parsing, the
// goals and the SVG plot.
import { strict as assert } from 'assert';
import { durationJsonMs, timerDurationsMs, workflowTaskScheduleToStartMs } from '../../../bench/history-events';
import type { PollEfficiencyRow, PollingPolicyName } from '../../../bench/poll-efficiency';
import { pollingPlotSvg } from '../../../bench/polling-plot';
import { cpuTicksOf, memoryBytesOf } from '../../../bench/proc';
import { comparePolicies, evaluateGoals, type ScaleRow } from '../../../bench/results';
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
    row(3600, 'ours-predictive', 12, 30),
    row(3600, 'ours-predictive-similar', 8, 20),
    row(3600, 'aws-waiter', 50, 38),
    row(3600, 'oracle', 10, 37),
    row(21600, 'ours-predictive', 80, 40),
    row(21600, 'ours-predictive-similar', 60, 40),
    row(21600, 'aws-waiter', 290, 38),
    row(21600, 'oracle', 54, 37),
  ];
  const measure = (wallSeconds: number, rss: number) => ({
    runs: 1000,
    completed: 1000,
    wallSeconds,
    workerPeakRssMB: rss,
    workerIdleRssMB: rss / 2,
    workerCpuSeconds: 10,
    scheduleToStartP50Ms: 5,
    scheduleToStartP99Ms: 50,
    workflowTasksSampled: 300,
    sampledRuns: 50,
    serverCpuSeconds: 100,
  });
  const scale: ScaleRow[] = [{ runs: 1000, timersMs: [2000], workflow: measure(60, 300), noop: measure(30, 200) }];

  it('sets ours against the AWS waiter and the oracle', () => {
    const [first] = comparePolicies(rows);
    assert.deepEqual(first, {
      backupSeconds: 3600,
      policy: 'ours-predictive',
      callsVsAws: 12 / 50,
      latencyVsAws: 30 / 38,
      callsVsOracle: 1.2,
      latencyVsOracle: 30 / 37,
    });
    assert.equal(comparePolicies(rows).length, 4);
  });

  it('marks each goal met, not met, or not measured', () => {
    const goals = evaluateGoals({
      pollEfficiency: { samples: 100, rows, comparisons: [], endToEnd: [] },
      scale,
      history: [{ backupSeconds: 21600, earlierBackups: 10, eventsPerExecution: [700, 400], listCalls: 190, outcome: 'completed' }],
    });
    const met = Object.fromEntries(goals.map((goal) => [goal.goal, goal.met]));
    assert.equal(goals.length, 7);
    // 1 h: 12 calls ≤ 1.25 × 10, 30 s ≤ 38 s. 6 h: 40 s is worse than the waiter's 38 s.
    assert.deepEqual(
      goals.map((goal) => goal.met),
      [true, false, true, false, false, true, true],
    );
    assert.match(goals[4].figure, /60 s against 30 s: 2\.00×/);
    assert.equal(Object.keys(met).length, 7);
    const empty = evaluateGoals({ pollEfficiency: { samples: 0, rows: [], comparisons: [], endToEnd: [] }, scale: [], history: [] });
    assert.deepEqual(
      empty.map((goal) => goal.met),
      [undefined, undefined, undefined],
    );
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
