// The benchmark's virtual-time poll simulation (bench/poll-efficiency.ts): its model of a wait is
// held against the wait activity itself (src/activities/waits.ts, attempt after attempt in a
// MockActivityEnvironment on a fake clock, each retried after the nextRetryDelay it asked for), and
// its rows against what the policies must show.
import { strict as assert } from 'assert';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { pastBackupDurationsMs, seedBackupWait } from '../../../src/activities/waits';
import type { SeedApi } from '../../../src/api/client';
import type { SeedBackup } from '../../../src/api/schemas';
import { DEFAULT_POLL_POLICY, predictCompletion, type CompletionPrediction, type PollPolicy } from '../../../src/shared/policy';
import {
  awsWaiterDelayMs,
  oracleNextLookAt,
  POLICIES,
  runPollEfficiency,
  simulateWait,
  type PollingPolicyName,
} from '../../../bench/poll-efficiency';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 10, 28, 12);
/** No jitter: every delay is exact, so the model and the activity must agree look for look. */
const EXACT: PollPolicy = { ...DEFAULT_POLL_POLICY, jitter: 0, deadlineMs: 3 * HOUR };

/**
 * The seed wait activity, attempt after attempt on a fake clock, each attempt given the last
 * heartbeat of the one before and started after the delay it failed with: when it looked.
 */
async function activityLooks(
  completesAtMs: number,
  options: { prediction?: CompletionPrediction; earlierMs?: number[] } = {},
): Promise<{ looksAtMs: number[]; attempts: number; learnt?: CompletionPrediction }> {
  let now = T0;
  const looksAtMs: number[] = [];
  const earlier: SeedBackup[] = (options.earlierMs ?? []).map((ms, i) => ({
    id: `bkp_old${i}`,
    databaseId: 'db_1',
    type: 'manual',
    status: 'completed',
    createdAt: new Date(T0 - (i + 1) * 86_400_000).toISOString(),
    completedAt: new Date(T0 - (i + 1) * 86_400_000 + ms).toISOString(),
  }));
  const api = {
    profile: 'seed',
    async listBackups() {
      looksAtMs.push(now - T0);
      const done = now - T0 >= completesAtMs;
      const ours: SeedBackup = {
        id: 'bkp_ours',
        databaseId: 'db_1',
        type: 'manual',
        status: done ? 'completed' : 'in_progress',
        createdAt: new Date(T0).toISOString(),
        ...(done ? { completedAt: new Date(T0 + completesAtMs).toISOString() } : {}),
      };
      return { data: [ours, ...earlier] };
    },
  } as unknown as SeedApi;
  const input = {
    profile: 'seed' as const,
    policy: EXACT,
    startedAt: T0,
    deadlineAt: T0 + EXACT.deadlineMs,
    databaseId: 'db_1',
    backupId: 'bkp_ours',
    ...(options.prediction ? { prediction: options.prediction } : {}),
  };
  const realNow = Date.now;
  Date.now = () => now;
  let carried: unknown;
  try {
    for (let attempt = 1; attempt < 1000; attempt++) {
      const env = new MockActivityEnvironment({ heartbeatDetails: carried, attempt }, { logger: new DefaultLogger('ERROR') });
      let beat: unknown;
      env.on('heartbeat', (details: unknown) => (beat = JSON.parse(JSON.stringify(details ?? null))));
      try {
        await env.run(() => seedBackupWait(api, input));
        const learnt = (carried as { prediction?: CompletionPrediction } | undefined)?.prediction;
        return { looksAtMs, attempts: attempt, ...(learnt ? { learnt } : {}) };
      } catch (err) {
        assert.ok(err instanceof ApplicationFailure && !err.nonRetryable, String(err));
        carried = beat ?? carried;
        now += Number(err.nextRetryDelay);
      }
    }
  } finally {
    Date.now = realNow;
  }
  throw new Error('the wait never ended');
}

const random = () => 0.5;

describe('bench: the poll simulation replays the wait activity', () => {
  for (const completesAtMs of [MINUTE, 10 * MINUTE + 7_000, HOUR - 1_000]) {
    it(`without history: the same looks as the activity for a backup of ${completesAtMs / 1000} s`, async () => {
      const real = await activityLooks(completesAtMs);
      const model = simulateWait({ policy: EXACT, completesAtMs, random });
      assert.deepEqual(model.looksAtMs, real.looksAtMs);
      assert.equal(model.attempts, real.attempts);
    });

    it(`learning from the first list: the same looks as the activity for a backup of ${completesAtMs / 1000} s`, async () => {
      const earlierMs = [0.9, 1.05, 0.95, 1.1, 1, 0.85, 1.15, 1.02, 0.98, 1.2].map((f) => f * completesAtMs);
      const listed = predictCompletion(
        pastBackupDurationsMs(
          earlierMs.map((ms, i) => ({
            id: `bkp_old${i}`,
            databaseId: 'db_1',
            type: 'manual',
            status: 'completed',
            createdAt: new Date(T0 - (i + 1) * 86_400_000).toISOString(),
            completedAt: new Date(T0 - (i + 1) * 86_400_000 + ms).toISOString(),
          })),
          'bkp_ours',
        ),
      );
      const real = await activityLooks(completesAtMs, { earlierMs });
      const model = simulateWait({ policy: EXACT, completesAtMs, random, listed });
      assert.deepEqual(model.looksAtMs, real.looksAtMs);
      assert.equal(real.looksAtMs[0], 0, 'the first look is at once: the history comes with it');
    });

    it(`with history before the wait: the same attempts as the activity for a backup of ${completesAtMs / 1000} s`, async () => {
      const prediction = predictCompletion([0.9, 1.05, 0.95, 1.1, 1, 0.85, 1.15, 1.02, 0.98, 1.2].map((f) => f * completesAtMs))!;
      const real = await activityLooks(completesAtMs, { prediction });
      const model = simulateWait({ policy: EXACT, completesAtMs, random, prediction });
      assert.deepEqual(model.looksAtMs, real.looksAtMs);
      assert.equal(model.attempts, real.attempts);
      assert.equal(model.attempts, model.looks + 1, 'the first attempt is put off once, without a call');
      assert.ok(real.looksAtMs[0] > 0);
    });
  }

  it('makes one call for a 1 min backup whose earlier runs all took a minute, and five without history (0, 5, 15, 35, 75 s)', () => {
    const prediction = predictCompletion(Array.from({ length: 10 }, () => MINUTE));
    const once = simulateWait({ policy: EXACT, completesAtMs: MINUTE, random, prediction });
    assert.equal(once.looks, 1);
    assert.ok(once.latencyMs >= 0 && once.latencyMs < 2_000, `${once.latencyMs}`);
    assert.deepEqual(simulateWait({ policy: EXACT, completesAtMs: MINUTE, random }).looksAtMs, [0, 5_000, 15_000, 35_000, 75_000]);
  });

  it('gives up at the deadline', () => {
    const outcome = simulateWait({ policy: { ...EXACT, deadlineMs: 30_000 }, completesAtMs: MINUTE, random });
    assert.ok(Number.isNaN(outcome.latencyMs));
    assert.ok(outcome.looksAtMs.every((at) => at <= 30_000));
  });
});

describe('bench: poll efficiency rows', () => {
  const rows = runPollEfficiency({ samples: 300, seed: 7, backupSeconds: [60, 3600] });
  const row = (backupSeconds: number, policy: PollingPolicyName) =>
    rows.find((r) => r.backupSeconds === backupSeconds && r.policy === policy)!;

  it('gives one row per duration and policy, the same for the same seed', () => {
    assert.equal(rows.length, 2 * POLICIES.length);
    assert.ok(rows.every((r) => r.samples === 300 && r.callsMedian >= 1 && r.latencyMedianSeconds >= 0));
    assert.deepEqual(runPollEfficiency({ samples: 300, seed: 7, backupSeconds: [60, 3600] }), rows);
    assert.notDeepEqual(runPollEfficiency({ samples: 300, seed: 8, backupSeconds: [60, 3600] }), rows);
  });

  it("places the oracle's calls at the AWS waiter's median latency", () => {
    const [oracle, aws] = [row(3600, 'oracle'), row(3600, 'aws-waiter')];
    assert.ok(
      oracle.latencyMedianSeconds <= aws.latencyMedianSeconds + 2,
      `${oracle.latencyMedianSeconds} against ${aws.latencyMedianSeconds}`,
    );
    assert.ok(oracle.callsMedian < aws.callsMedian / 3);
  });

  it('calls less with a prediction, and least with history before the first look', () => {
    const [backoff, predictive, history] = (['ours-backoff', 'ours-predictive', 'ours-predictive-history'] as const).map((p) => row(60, p));
    assert.deepEqual([backoff.callsMedian, predictive.callsMedian, history.callsMedian], [5, 2, 1]);
    assert.ok(row(3600, 'ours-predictive-history').callsMedian < row(3600, 'ours-backoff').callsMedian / 2);
  });

  it('draws the AWS waiter from its documented range and spaces the oracle evenly in the window', () => {
    assert.deepEqual([awsWaiterDelayMs(1, 0), awsWaiterDelayMs(1, 0.999)].map(Math.round), [30_000, 30_000]);
    assert.equal(awsWaiterDelayMs(3, 1), 120_000);
    assert.equal(awsWaiterDelayMs(9, 0.5), 75_000);
    // 1 h ± 20 %: 48 to 72 min; at 6 min apart, four looks, the last at the window's end.
    assert.equal(oracleNextLookAt(HOUR, 6 * MINUTE, 0), 54 * MINUTE);
    assert.equal(oracleNextLookAt(HOUR, 6 * MINUTE, 54 * MINUTE), 60 * MINUTE);
    assert.equal(oracleNextLookAt(HOUR, 6 * MINUTE, 66 * MINUTE), 72 * MINUTE);
  });
});
