import { strict as assert } from 'assert';
import { DEFAULT_POLL_POLICY, pollDelayMs, pollPolicyProblems, resendDelayMs, resolvePollPolicy } from '../../src/shared/poll-policy';

describe('poll policy', () => {
  const noJitter = { ...DEFAULT_POLL_POLICY, jitter: 0 };

  it('defaults to 5 s, growing ×2 up to 2 min, for 6 h', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 10].map((n) => pollDelayMs(noJitter, n, 0.5)),
      [5000, 10000, 20000, 40000, 80000, 120000, 120000, 120000],
    );
    assert.equal(DEFAULT_POLL_POLICY.deadlineMs, 6 * 60 * 60 * 1000);
  });

  it('gives failing polls an hour by default', () => {
    assert.equal(DEFAULT_POLL_POLICY.failingLimitMs, 60 * 60 * 1000);
  });

  it('spreads each wait by ±jitter/2 and never exceeds the maximum', () => {
    const policy = { ...DEFAULT_POLL_POLICY, jitter: 0.2 };
    assert.equal(pollDelayMs(policy, 0, 0), 4500);
    assert.equal(pollDelayMs(policy, 0, 0.999999), 5500);
    assert.equal(pollDelayMs(policy, 20, 0.999999), policy.maximumIntervalMs);
    assert.equal(pollDelayMs(policy, 20, 0), 108000);
  });

  it('keeps a huge poll count finite', () => {
    assert.equal(pollDelayMs(noJitter, 10_000, 0.5), noJitter.maximumIntervalMs);
  });

  it('takes overrides and ignores undefined ones', () => {
    const policy = resolvePollPolicy({ initialIntervalMs: 1000, deadlineMs: undefined });
    assert.equal(policy.initialIntervalMs, 1000);
    assert.equal(policy.deadlineMs, DEFAULT_POLL_POLICY.deadlineMs);
  });

  it('accepts the defaults', () => {
    assert.deepEqual(pollPolicyProblems(DEFAULT_POLL_POLICY), []);
  });

  for (const [field, value] of [
    ['initialIntervalMs', 0],
    ['initialIntervalMs', -5],
    ['maximumIntervalMs', Number.POSITIVE_INFINITY],
    ['backoffCoefficient', 0.5],
    ['jitter', 2],
    ['deadlineMs', 0],
    ['deadlineMs', 400 * 24 * 3600 * 1000],
    ['deadlineMs', Number.NaN],
    ['failingLimitMs', 999],
    ['failingLimitMs', 31 * 24 * 3600 * 1000],
    ['failingLimitMs', Number.NaN],
  ] as const) {
    it(`rejects ${field} = ${value} and names the field`, () => {
      const problems = pollPolicyProblems(resolvePollPolicy({ [field]: value }));
      assert.equal(problems.length, 1);
      assert.match(problems[0], new RegExp(`poll\\.${field} must be a number from`));
    });
  }

  it('rejects a maximum below the initial interval', () => {
    assert.deepEqual(pollPolicyProblems(resolvePollPolicy({ initialIntervalMs: 10_000, maximumIntervalMs: 5_000 })), [
      'poll.maximumIntervalMs must not be smaller than poll.initialIntervalMs.',
    ]);
  });

  it('sends a restore again after 1 s, doubling up to 1 min, or after Retry-After', () => {
    assert.deepEqual(
      [1, 2, 3, 7, 8, 20].map((sent) => resendDelayMs(sent)),
      [1_000, 2_000, 4_000, 60_000, 60_000, 60_000],
    );
    assert.equal(resendDelayMs(3, 7_000), 7_000);
    assert.equal(resendDelayMs(3, 0), 0);
  });
});
