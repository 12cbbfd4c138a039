// When a wait looks next (src/shared/policy.ts): the jittered backoff, the prediction from earlier
// durations, the planned looks around it, and the resend delay of a restore. Pure.
import { strict as assert } from 'assert';
import type { SeedBackup } from '../../src/api/schemas';
import { pastBackupDurationsMs } from '../../src/activities/waits';
import {
  DEFAULT_POLL_POLICY,
  MIN_INTERVAL_MS,
  nextLookDelayMs,
  plannedLooksMs,
  pollDelayMs,
  PREDICTION,
  predictCompletion,
  RESEND,
  resendDelayMs,
  resolvePollPolicy,
  usableDurations,
  type CompletionPrediction,
  type PollPolicy,
} from '../../src/shared/policy';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const noJitter: PollPolicy = { ...DEFAULT_POLL_POLICY, jitter: 0 };
const clock = (elapsedMs: number, looksMade = 0, remainingMs = DEFAULT_POLL_POLICY.deadlineMs - elapsedMs, random = 0.5) => ({
  looksMade,
  elapsedMs,
  remainingMs,
  random,
});

/** The looks a wait makes from its start until it sees a backup completed at `completesAtMs`. */
function looksUntilFound(policy: PollPolicy, prediction: CompletionPrediction | undefined, completesAtMs: number) {
  const looks: number[] = [];
  for (let now = 0; now < completesAtMs;) {
    const delay = nextLookDelayMs(policy, prediction, clock(now, looks.length));
    assert.ok(delay >= MIN_INTERVAL_MS, `a delay of ${delay} ms at ${now}`);
    now += delay;
    looks.push(now);
  }
  return looks;
}

describe('the poll policy', () => {
  it('defaults to a first look after 5 s, growing ×2 up to 2 min, for 6 h, or 1 h of failing looks, predicting', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 10].map((n) => pollDelayMs(noJitter, n, 0.5)),
      [5_000, 10_000, 20_000, 40_000, 80_000, 120_000, 120_000, 120_000],
    );
    assert.deepEqual(
      [DEFAULT_POLL_POLICY.deadlineMs, DEFAULT_POLL_POLICY.failingLimitMs, DEFAULT_POLL_POLICY.mode],
      [6 * HOUR, HOUR, 'predictive'],
    );
  });

  it('spreads each wait by ±jitter/2, never above the maximum nor below the shortest wait', () => {
    const policy = { ...DEFAULT_POLL_POLICY, jitter: 0.2 };
    assert.equal(pollDelayMs(policy, 0, 0), 4_500);
    assert.equal(pollDelayMs(policy, 0, 0.999999), 5_500);
    assert.equal(pollDelayMs(policy, 20, 0.999999), policy.maximumIntervalMs);
    assert.equal(pollDelayMs(policy, 20, 0), 108_000);
    for (let i = 0; i < 200; i++) {
      const random = i / 200;
      const delay = pollDelayMs(policy, 2, random);
      assert.ok(delay >= 18_000 && delay <= 22_000, `${delay} at ${random}`);
    }
    const tiny = { ...DEFAULT_POLL_POLICY, initialIntervalMs: 100, jitter: 1 };
    assert.equal(pollDelayMs(tiny, 0, 0), MIN_INTERVAL_MS);
  });

  it('keeps a huge look count finite', () => {
    assert.equal(pollDelayMs(noJitter, 10_000, 0.5), noJitter.maximumIntervalMs);
    assert.equal(pollDelayMs({ ...noJitter, backoffCoefficient: 10 }, 1_000, 0.5), noJitter.maximumIntervalMs);
  });

  it('takes overrides and ignores undefined ones', () => {
    const policy = resolvePollPolicy({ initialIntervalMs: 1_000, deadlineMs: undefined, mode: 'backoff' });
    assert.deepEqual(policy, { ...DEFAULT_POLL_POLICY, initialIntervalMs: 1_000, mode: 'backoff' });
    assert.deepEqual(resolvePollPolicy(), DEFAULT_POLL_POLICY);
  });
});

describe('sending a restore again', () => {
  it('after 1 s, doubling up to 1 min, within an hour', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 7, 8, 20].map((sent) => resendDelayMs(sent)),
      [1_000, 1_000, 2_000, 4_000, 60_000, 60_000, 60_000],
    );
    assert.deepEqual(RESEND, { initialMs: 1_000, maximumMs: 60_000, windowMs: HOUR });
  });

  it('or after Retry-After, when it is a usable number', () => {
    assert.equal(resendDelayMs(3, 7_000), 7_000);
    assert.equal(resendDelayMs(3, 0), 0);
    assert.equal(resendDelayMs(3, -1), 4_000);
    assert.equal(resendDelayMs(3, Number.NaN), 4_000);
    assert.equal(resendDelayMs(3, Number.POSITIVE_INFINITY), 4_000);
  });
});

describe('predicting when a wait ends', () => {
  it('predicts nothing from an empty or unusable history', () => {
    assert.equal(predictCompletion([]), undefined);
    assert.equal(predictCompletion([0, -5, Number.NaN, Number.POSITIVE_INFINITY]), undefined);
  });

  it('leaves unusable durations out of a usable history, NaN included', () => {
    assert.deepEqual(predictCompletion([Number.NaN, HOUR, -1, 0]), predictCompletion([HOUR]));
    assert.deepEqual(usableDurations([Number.NaN, 5, -1, 0, Number.POSITIVE_INFINITY, 7]), [5, 7]);
  });

  it('spreads a single duration by a quarter either side', () => {
    assert.deepEqual(predictCompletion([HOUR]), { earliestMs: 0.75 * HOUR, latestMs: 1.25 * HOUR, samples: 1 });
  });

  it('widens the range of similar durations by range/(n−1) either side, in any order', () => {
    const durations = [56, 58, 60, 62, 64].map((m) => m * MINUTE);
    // range 8 min over 4 gaps: 2 min either side.
    const expected = { earliestMs: 54 * MINUTE, latestMs: 66 * MINUTE, samples: 5 };
    assert.deepEqual(predictCompletion(durations), expected);
    assert.deepEqual(predictCompletion([...durations].reverse()), expected);
  });

  it('keeps a window around identical durations', () => {
    assert.deepEqual(predictCompletion([HOUR, HOUR, HOUR]), {
      earliestMs: HOUR * (1 - PREDICTION.minimumSpread),
      latestMs: HOUR * (1 + PREDICTION.minimumSpread),
      samples: 3,
    });
  });

  it('leaves outliers out', () => {
    const prediction = predictCompletion([60, 61, 59, 600, 5, 60].map((m) => m * MINUTE))!;
    assert.equal(prediction.samples, 4);
    assert.ok(prediction.earliestMs > 55 * MINUTE && prediction.latestMs < 65 * MINUTE, JSON.stringify(prediction));
  });

  it('predicts nothing when every duration is an outlier (two far apart): the backoff then', () => {
    assert.equal(predictCompletion([10 * MINUTE, 60 * MINUTE]), undefined);
  });

  it(`uses only the newest ${PREDICTION.maxSamples} durations (callers list newest first)`, () => {
    const newest = Array.from({ length: PREDICTION.maxSamples }, () => HOUR);
    assert.equal(predictCompletion([...newest, 2 * HOUR, 2 * HOUR])!.latestMs, HOUR * (1 + PREDICTION.minimumSpread));
    assert.equal(usableDurations(Array.from({ length: 30 }, (_, i) => i + 1)).length, PREDICTION.maxSamples);
  });

  it('never predicts an end before the start', () => {
    const prediction = predictCompletion([1, 1_000, 1_400])!;
    assert.ok(prediction.earliestMs >= 0, JSON.stringify(prediction));
  });
});

describe("the seed backup list's history", () => {
  const backup = (id: string, createdAt: string, status: SeedBackup['status'], completedAt?: string): SeedBackup => ({
    id,
    databaseId: 'db_1',
    type: 'manual',
    status,
    createdAt,
    ...(completedAt ? { completedAt } : {}),
  });

  it("takes the other completed backups' durations, newest first; an instant one tells nothing", () => {
    const list = [
      backup('ours', '2026-11-27T05:00:00Z', 'completed', '2026-11-27T05:01:00Z'),
      backup('older', '2026-11-27T01:00:00Z', 'completed', '2026-11-27T01:03:00Z'),
      backup('newer', '2026-11-27T04:00:00Z', 'completed', '2026-11-27T04:02:00Z'),
      backup('running', '2026-11-27T04:30:00Z', 'in_progress'),
      backup('failed', '2026-11-27T03:00:00Z', 'failed', '2026-11-27T03:05:00Z'),
      backup('no-end', '2026-11-27T03:30:00Z', 'completed'),
      // An automatic backup listed as completed the moment it was taken.
      backup('instant', '2026-11-27T02:00:00Z', 'completed', '2026-11-27T02:00:00Z'),
    ];
    const durations = pastBackupDurationsMs(list, 'ours');
    assert.deepEqual(durations, [2 * MINUTE, 0, 3 * MINUTE]);
    assert.deepEqual(usableDurations(durations), [2 * MINUTE, 3 * MINUTE]);
  });

  it('bounded to the newest when many are listed', () => {
    const day = (i: number) => String(i + 1).padStart(2, '0');
    const many = Array.from({ length: 30 }, (_, i) =>
      backup(`b${i}`, `2026-11-${day(i)}T00:00:00Z`, 'completed', `2026-11-${day(i)}T00:00:0${(i % 9) + 1}Z`),
    );
    const usable = usableDurations(pastBackupDurationsMs(many, 'ours'));
    assert.equal(usable.length, PREDICTION.maxSamples);
    assert.equal(usable[0], 3_000, 'the newest first (Nov 30: 3 s)');
  });
});

describe('planned looks', () => {
  it('halve the wait to the window, none before sparseFirstMs, then evenly across it, the last at its end', () => {
    const prediction = { earliestMs: 4.8 * HOUR, latestMs: 7.2 * HOUR, samples: 10 };
    const looks = plannedLooksMs(prediction);
    const before = looks.filter((at) => at <= prediction.earliestMs);
    assert.deepEqual(before, [0.6 * HOUR, 1.2 * HOUR, 2.4 * HOUR]);
    assert.ok(before[0] >= PREDICTION.sparseFirstMs);
    const inside = looks.slice(before.length);
    assert.equal(inside.length, Math.ceil((2.4 * HOUR) / PREDICTION.denseIntervalMs));
    assert.equal(inside.at(-1), prediction.latestMs);
    for (let i = 1; i < inside.length; i++) assert.ok(inside[i] - inside[i - 1] <= PREDICTION.denseIntervalMs);
  });

  it('a window of one instant is one look', () => {
    assert.deepEqual(plannedLooksMs({ earliestMs: 10 * MINUTE, latestMs: 10 * MINUTE, samples: 1 }), [10 * MINUTE]);
  });
});

describe('the next look', () => {
  it('without a prediction: exactly the backoff', () => {
    for (const looksMade of [0, 1, 3, 9]) {
      for (const random of [0, 0.3, 0.99]) {
        assert.equal(
          nextLookDelayMs(DEFAULT_POLL_POLICY, undefined, clock(12_345, looksMade, HOUR, random)),
          pollDelayMs(DEFAULT_POLL_POLICY, looksMade, random),
        );
      }
    }
  });

  it('in backoff mode: the backoff, whatever the prediction', () => {
    const prediction = predictCompletion([HOUR])!;
    const backoff = { ...DEFAULT_POLL_POLICY, mode: 'backoff' as const };
    for (const looksMade of [0, 2, 7]) {
      assert.equal(nextLookDelayMs(backoff, prediction, clock(0, looksMade)), pollDelayMs(backoff, looksMade, 0.5));
    }
    assert.ok(nextLookDelayMs(DEFAULT_POLL_POLICY, prediction, clock(0)) > 30 * MINUTE, 'predictive: sparse before the window');
  });

  it('finds a backup inside the window with far fewer looks than the backoff, soon after it completed', () => {
    const prediction = predictCompletion([55, 58, 60, 62, 65].map((m) => m * MINUTE))!;
    const predictive = looksUntilFound(noJitter, prediction, 61 * MINUTE);
    const backoff = looksUntilFound(noJitter, undefined, 61 * MINUTE);
    assert.ok(predictive.length <= backoff.length / 3, `${predictive.length} looks against ${backoff.length}`);
    assert.ok(predictive.at(-1)! - 61 * MINUTE <= PREDICTION.denseIntervalMs);
  });

  it('falls back to the backoff when the prediction was wrong and the wait runs far longer', () => {
    const prediction = predictCompletion([10, 10, 10].map((m) => m * MINUTE))!;
    // Just after the window: the backoff's first wait.
    assert.equal(nextLookDelayMs(noJitter, prediction, clock(prediction.latestMs + 1)), noJitter.initialIntervalMs);
    // Long after it: the backoff's longest wait, never a wait planned from the prediction.
    assert.equal(nextLookDelayMs(noJitter, prediction, clock(prediction.latestMs + HOUR)), noJitter.maximumIntervalMs);
    const looks = looksUntilFound(noJitter, prediction, 3 * HOUR);
    assert.ok(looks.at(-1)! - 3 * HOUR <= noJitter.maximumIntervalMs, 'found within one backoff wait');
  });

  it('still finds a backup that ends far sooner than predicted, by halving the wait to the window', () => {
    const prediction = predictCompletion([6, 6, 6].map((h) => h * HOUR))!;
    const looks = looksUntilFound(noJitter, prediction, 30 * MINUTE);
    assert.equal(looks.length, 1);
    assert.ok(looks[0] <= 2 * 30 * MINUTE, `found at ${looks[0] / MINUTE} min`);
  });

  it('never waits past the deadline, nor a negative time', () => {
    const prediction = predictCompletion([6 * HOUR])!;
    assert.equal(nextLookDelayMs(noJitter, prediction, clock(0, 0, 10 * MINUTE)), 10 * MINUTE);
    assert.equal(nextLookDelayMs(noJitter, undefined, clock(0, 8, 1_000)), 1_000);
    assert.equal(nextLookDelayMs(noJitter, prediction, clock(HOUR, 3, 0)), 0);
    assert.equal(nextLookDelayMs(noJitter, undefined, clock(HOUR, 3, -5_000)), 0);
  });

  it('moves a planned look by at most ±jitter/2 of the gap inside the window, and then plans the following one', () => {
    const prediction = { earliestMs: 50 * MINUTE, latestMs: 60 * MINUTE, samples: 3 };
    const policy = { ...noJitter, jitter: 0.2 };
    const gap = (10 * MINUTE) / Math.ceil((10 * MINUTE) / PREDICTION.denseIntervalMs);
    const spread = 0.1 * gap;
    const first = plannedLooksMs(prediction).find((at) => at > 50 * MINUTE)!;
    const delay = (elapsedMs: number, random: number) => nextLookDelayMs(policy, prediction, clock(elapsedMs, 0, HOUR, random));
    const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) <= 1, `${actual} ≠ ${expected}`);
    near(delay(50 * MINUTE, 0), first - 50 * MINUTE - spread);
    near(delay(50 * MINUTE, 0.5), first - 50 * MINUTE);
    near(delay(50 * MINUTE, 0.999999), first - 50 * MINUTE + spread);
    // Looked early or late: the next look is the following planned one, not the same again.
    const second = plannedLooksMs(prediction).find((at) => at > first)!;
    near(delay(first - spread, 0.5), second - (first - spread));
    near(delay(first + spread, 0.5), second - (first + spread));
  });
});
