import { strict as assert } from 'assert';
import { DEFAULT_POLL_POLICY, pollDelayMs } from '../../src/shared/poll-policy';
import {
  nextPollDelayMs,
  pastBackupDurationsMs,
  pastReadyWaitsMs,
  plannedLooksMs,
  PREDICTION,
  predictCompletion,
} from '../../src/shared/predict-completion';
import type { CompletionPrediction } from '../../src/shared/workflow-types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const noJitter = { ...DEFAULT_POLL_POLICY, jitter: 0 };
const clock = (elapsedMs: number, pollsMade = 0, remainingMs = DEFAULT_POLL_POLICY.deadlineMs - elapsedMs) => ({
  pollsMade,
  elapsedMs,
  remainingMs,
  random: 0.5,
});

/** Looks a wait makes, from its start until it sees a backup completed at `completesAtMs`. */
function looksUntilFound(prediction: CompletionPrediction | undefined, completesAtMs: number) {
  const looks: number[] = [];
  for (let now = 0; now < completesAtMs;) {
    now += nextPollDelayMs(noJitter, prediction, clock(now, looks.length));
    looks.push(now);
  }
  return looks;
}

describe('predicting completion', () => {
  it("takes the list's other completed backups' durations, newest first, bounded", () => {
    const backup = (id: string, createdAt: string, status: 'completed' | 'in_progress' | 'failed', completedAt?: string) => ({
      id,
      databaseId: 'db_1',
      type: 'manual' as const,
      status,
      createdAt,
      ...(completedAt ? { completedAt } : {}),
    });
    const list = [
      backup('ours', '2026-11-27T05:00:00Z', 'completed', '2026-11-27T05:01:00Z'),
      backup('older', '2026-11-27T01:00:00Z', 'completed', '2026-11-27T01:03:00Z'),
      backup('newer', '2026-11-27T04:00:00Z', 'completed', '2026-11-27T04:02:00Z'),
      backup('running', '2026-11-27T04:30:00Z', 'in_progress'),
      backup('failed', '2026-11-27T03:00:00Z', 'failed'),
      // An automatic backup listed as completed the moment it was taken tells nothing.
      backup('instant', '2026-11-27T02:00:00Z', 'completed', '2026-11-27T02:00:00Z'),
    ];
    assert.deepEqual(pastBackupDurationsMs(list, 'ours'), [2 * MINUTE, 3 * MINUTE]);
    const many = Array.from({ length: 30 }, (_, i) =>
      backup(
        `b${i}`,
        `2026-11-${String(i + 1).padStart(2, '0')}T00:00:00Z`,
        'completed',
        `2026-11-${String(i + 1).padStart(2, '0')}T00:00:0${(i % 9) + 1}Z`,
      ),
    );
    assert.equal(pastBackupDurationsMs(many, 'ours').length, PREDICTION.maxSamples);
    assert.equal(pastBackupDurationsMs(many, 'ours')[0], 3_000, 'the newest first (Nov 30: 3 s)');
  });

  it("takes earlier prisma runs' ready waits into the same target from their results, newest first, bounded; skips anything else", () => {
    const into = (targetDatabaseId: string, readyWaitMs: unknown) => ({ profile: 'prisma', targetDatabaseId, timings: { readyWaitMs } });
    const created = (readyWaitMs: number) => ({ profile: 'prisma', createdDatabaseId: 'db_new', timings: { readyWaitMs } });
    const results: unknown[] = [
      into('db_1', 5_000),
      into('db_other', 1_000),
      created(9_000),
      { profile: 'seed', targetDatabaseId: 'db_1', timings: { readyWaitMs: 2_000 } },
      // Runs from before the field, and whatever a result cannot be.
      { profile: 'prisma', targetDatabaseId: 'db_1', timings: {} },
      into('db_1', '6000'),
      into('db_1', -1),
      into('db_1', Number.NaN),
      null,
      undefined,
      'text',
      into('db_1', 7_000),
    ];
    assert.deepEqual(pastReadyWaitsMs(results, 'db_1'), [5_000, 7_000]);
    assert.deepEqual(pastReadyWaitsMs(results, undefined), [9_000], 'a new database: earlier runs that created one');
    const many = Array.from({ length: 30 }, (_, i) => into('db_1', 1_000 + i));
    assert.deepEqual(
      pastReadyWaitsMs(many, 'db_1'),
      many.slice(0, PREDICTION.maxSamples).map((_, i) => 1_000 + i),
    );
  });

  it('predicts nothing from an empty or unusable history', () => {
    assert.equal(predictCompletion([]), undefined);
    assert.equal(predictCompletion([0, -5, NaN, Infinity]), undefined);
  });

  it('waits exactly as the backoff does without a prediction', () => {
    for (const pollsMade of [0, 1, 3, 9]) {
      for (const random of [0, 0.3, 0.99]) {
        assert.equal(
          nextPollDelayMs(DEFAULT_POLL_POLICY, undefined, { ...clock(12_345, pollsMade), random }),
          pollDelayMs(DEFAULT_POLL_POLICY, pollsMade, random),
        );
      }
    }
  });

  it('spreads a single duration by a quarter either side', () => {
    assert.deepEqual(predictCompletion([HOUR]), { earliestMs: 0.75 * HOUR, latestMs: 1.25 * HOUR, samples: 1 });
  });

  it('widens the range of similar durations by range/(n−1) either side', () => {
    const durations = [56, 58, 60, 62, 64].map((m) => m * MINUTE);
    // range 8 min over 4 gaps: 2 min either side.
    assert.deepEqual(predictCompletion(durations), { earliestMs: 54 * MINUTE, latestMs: 66 * MINUTE, samples: 5 });
  });

  it('keeps a window around identical durations', () => {
    const prediction = predictCompletion([HOUR, HOUR, HOUR])!;
    assert.equal(prediction.earliestMs, HOUR * (1 - PREDICTION.minimumSpread));
    assert.equal(prediction.latestMs, HOUR * (1 + PREDICTION.minimumSpread));
  });

  it('leaves outliers out', () => {
    const prediction = predictCompletion([60, 61, 59, 600, 5, 60].map((m) => m * MINUTE))!;
    assert.equal(prediction.samples, 4);
    assert.ok(prediction.earliestMs > 55 * MINUTE && prediction.latestMs < 65 * MINUTE, JSON.stringify(prediction));
  });

  it('predicts nothing when every duration is an outlier (two far apart): the backoff then', () => {
    assert.equal(predictCompletion([10 * MINUTE, 60 * MINUTE]), undefined);
  });

  it(`uses only the newest ${PREDICTION.maxSamples} durations`, () => {
    const newest = Array.from({ length: PREDICTION.maxSamples }, () => HOUR);
    assert.equal(predictCompletion([...newest, 2 * HOUR, 2 * HOUR])!.latestMs, HOUR * (1 + PREDICTION.minimumSpread));
  });

  it('looks sparsely before the window and densely inside it, ending at its end', () => {
    const prediction = { earliestMs: 4.8 * HOUR, latestMs: 7.2 * HOUR, samples: 10 };
    const looks = plannedLooksMs(prediction);
    const before = looks.filter((at) => at <= prediction.earliestMs);
    assert.deepEqual(before, [0.6 * HOUR, 1.2 * HOUR, 2.4 * HOUR]);
    const inside = looks.slice(before.length);
    assert.equal(inside.length, Math.ceil((2.4 * HOUR) / PREDICTION.denseIntervalMs));
    assert.equal(inside.at(-1), prediction.latestMs);
    for (let i = 1; i < inside.length; i++) assert.ok(inside[i] - inside[i - 1] <= PREDICTION.denseIntervalMs);
  });

  it('finds a backup inside the window with far fewer looks than the backoff', () => {
    const prediction = predictCompletion([55, 58, 60, 62, 65].map((m) => m * MINUTE))!;
    const predictive = looksUntilFound(prediction, 61 * MINUTE);
    const backoff = looksUntilFound(undefined, 61 * MINUTE);
    assert.ok(predictive.length <= backoff.length / 3, `${predictive.length} looks against ${backoff.length}`);
    assert.ok(predictive.at(-1)! - 61 * MINUTE <= PREDICTION.denseIntervalMs);
  });

  it('falls back to the backoff when the backup runs far longer than predicted', () => {
    const prediction = predictCompletion([10, 10, 10].map((m) => m * MINUTE))!;
    // Just after the window: the backoff's first wait.
    assert.equal(nextPollDelayMs(noJitter, prediction, clock(prediction.latestMs + 1)), noJitter.initialIntervalMs);
    // Long after it: the backoff's longest wait, never a wait planned from the prediction.
    assert.equal(nextPollDelayMs(noJitter, prediction, clock(prediction.latestMs + HOUR)), noJitter.maximumIntervalMs);
    const looks = looksUntilFound(prediction, 3 * HOUR);
    assert.ok(looks.at(-1)! - 3 * HOUR <= noJitter.maximumIntervalMs, 'found within one backoff wait');
  });

  it('still finds a backup that ends far sooner than predicted, by halving the wait to the window', () => {
    const prediction = predictCompletion([6, 6, 6].map((h) => h * HOUR))!;
    const looks = looksUntilFound(prediction, 30 * MINUTE);
    // The first look at about 44 min (the halvings stop short of sparseFirstMs): found within twice its duration.
    assert.equal(looks.length, 1);
    assert.ok(looks[0] <= 2 * 30 * MINUTE, `found at ${looks[0] / MINUTE} min`);
  });

  it('never waits past the deadline', () => {
    const prediction = predictCompletion([6 * HOUR])!;
    assert.equal(nextPollDelayMs(noJitter, prediction, clock(0, 0, 10 * MINUTE)), 10 * MINUTE);
    assert.equal(nextPollDelayMs(noJitter, undefined, clock(0, 8, 1000)), 1000);
    assert.equal(nextPollDelayMs(noJitter, prediction, clock(HOUR, 3, 0)), 0);
  });

  it('moves a planned look by at most ±jitter/2 of the gap inside the window, and then plans the following one', () => {
    const prediction = { earliestMs: 50 * MINUTE, latestMs: 60 * MINUTE, samples: 3 };
    const policy = { ...noJitter, jitter: 0.2 };
    const gap = (10 * MINUTE) / Math.ceil((10 * MINUTE) / PREDICTION.denseIntervalMs);
    const spread = 0.1 * gap;
    const first = plannedLooksMs(prediction).find((at) => at > 50 * MINUTE)!;
    const delay = (elapsedMs: number, random: number) => nextPollDelayMs(policy, prediction, { ...clock(elapsedMs), random });
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
