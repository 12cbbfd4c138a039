import { strict as assert } from 'assert';
import { POLICY_DESCRIPTIONS, runPollEfficiency } from '../../bench/poll-efficiency';

describe('poll efficiency simulation', () => {
  const rows = runPollEfficiency({ samples: 300, seed: 7, backupSeconds: [60, 3600] });
  const row = (backupSeconds: number, policy: keyof typeof POLICY_DESCRIPTIONS) =>
    rows.find((r) => r.backupSeconds === backupSeconds && r.policy === policy)!;

  it('gives one row per duration and policy, the same for the same seed', () => {
    assert.equal(rows.length, 2 * Object.keys(POLICY_DESCRIPTIONS).length);
    assert.ok(rows.every((r) => r.samples === 300 && r.callsMedian >= 1 && r.latencyMedianSeconds >= 0));
    assert.deepEqual(runPollEfficiency({ samples: 300, seed: 7, backupSeconds: [60, 3600] }), rows);
    assert.notDeepEqual(runPollEfficiency({ samples: 300, seed: 8, backupSeconds: [60, 3600] }), rows);
  });

  it("runs today's backoff: 5, 15, 35 and 75 s for a minute-long backup", () => {
    assert.equal(row(60, 'ours-backoff').callsMedian, 4);
    assert.ok(row(60, 'ours-backoff').latencyP95Seconds < 40);
  });

  it('finds a backup within a minute when calling every minute', () => {
    assert.ok(row(3600, 'fixed-60s').latencyP95Seconds <= 60);
    assert.ok(Math.abs(row(3600, 'fixed-60s').callsMean - 60) < 2);
  });

  it("places the oracle's calls at the AWS waiter's median latency", () => {
    const [oracle, aws] = [row(3600, 'oracle'), row(3600, 'aws-waiter')];
    assert.ok(
      oracle.latencyMedianSeconds <= aws.latencyMedianSeconds + 2,
      `${oracle.latencyMedianSeconds} against ${aws.latencyMedianSeconds}`,
    );
    assert.ok(oracle.callsMedian < aws.callsMedian / 3);
  });

  it('predicts with fewer calls than the backoff, and fewer still from similar backups', () => {
    const [backoff, predictive, similar] = (['ours-backoff', 'ours-predictive', 'ours-predictive-similar'] as const).map((p) =>
      row(3600, p),
    );
    assert.ok(predictive.callsMedian < backoff.callsMedian / 2);
    assert.ok(similar.callsMedian < predictive.callsMedian);
  });
});
