import { strict as assert } from 'assert';
import { describeTrial, heldPlanProblems, trialEffect, type HeldTrial } from '../../../reliability/held-trials';
import { modeFrom } from '../../../reliability/modes';

const timing = { holdWindowMs: 90_000, requestTimeoutMs: 10_000, recoveryMs: 3_000 };

describe('reliability held-request trials', () => {
  it('names each trial and what it does to the request', () => {
    const trials: HeldTrial[] = [
      { kind: 'held', holdMs: 5_000 },
      { kind: 'held', holdMs: 60_000 },
      { kind: 'held-kill', holdMs: 60_000, killAfterMs: 2_000 },
      { kind: 'held-drop', holdMs: 5_000 },
      { kind: 'reset-after', holdMs: 0 },
      { kind: 'control', holdMs: 30_000, holdWindowMs: 5_000 },
    ];
    assert.deepEqual(
      trials.map((t) => `${describeTrial(t)}: ${trialEffect(t, timing)}`),
      [
        'held 5 s: answered after the hold',
        'held 60 s: client gave up during the hold',
        'held 60 s, SIGKILL 2 s in: worker killed during the hold',
        'held 5 s, answer dropped: answer dropped after the request was applied',
        'applied, answer dropped (reset-after): answer dropped after the request was applied',
        'control: held 30 s past a 5 s hold window: sent again after the hold window (negative control)',
      ],
    );
    assert.deepEqual(heldPlanProblems(trials, timing), []);
  });

  it('refuses a plan that would not test what it says', () => {
    const problems = heldPlanProblems(
      [
        // The hold window must cover every hold, else a late request is a duplicate the suite caused.
        { kind: 'held', holdMs: 88_000 },
        { kind: 'held-kill', holdMs: 5_000, killAfterMs: 6_000 },
        { kind: 'held-kill', holdMs: 5_000 },
        // The client gave up at 10 s: no answer is left to drop.
        { kind: 'held-drop', holdMs: 20_000 },
        { kind: 'reset-after', holdMs: 1_000 },
        // Resent at 10 s + 5 s, recovered at 18 s: a hold of 15 s lands on the recovering target (409), no duplicate.
        { kind: 'control', holdMs: 15_000, holdWindowMs: 5_000 },
        { kind: 'held', holdMs: 5_000 },
      ],
      timing,
    ).join('\n');
    for (const expected of [
      /trial 1 \(held 88 s\): the hold window \(90 s\) must exceed the hold by 5 s/,
      /trial 2 \(held 5 s, SIGKILL 6 s in\): the kill must come during the hold/,
      /trial 3 .*: the kill must come during the hold/,
      /trial 4 \(held 20 s, answer dropped\): the hold must end well before the request timeout/,
      /trial 5 .*: holds nothing/,
      /trial 6 .*: must hold past the request timeout, its own hold window and a recovery/,
      /trial 6 .*: must be the last trial/,
    ]) {
      assert.match(problems, expected);
    }
    assert.ok(!/trial 7/.test(problems));
  });

  it("the modes' trials are sound: fast has every kind but the control, full ends with the control", () => {
    const fast = modeFrom('fast', 'fast').held;
    const full = modeFrom('full', 'fast').held;
    assert.deepEqual(heldPlanProblems(fast.trials, fast), []);
    assert.deepEqual(heldPlanProblems(full.trials, full), []);
    assert.deepEqual([...new Set(fast.trials.map((t) => t.kind))].sort(), ['held', 'held-drop', 'held-kill', 'reset-after']);
    assert.ok(fast.trials.some((t) => t.kind === 'held' && t.holdMs < fast.requestTimeoutMs));
    assert.ok(fast.trials.some((t) => t.kind === 'held' && t.holdMs > fast.requestTimeoutMs));
    // The original repro: held 60 s, the worker SIGKILLed 2 s in.
    assert.deepEqual(fast.trials[0], { kind: 'held-kill', holdMs: 60_000, killAfterMs: 2_000 });
    assert.equal(full.trials[full.trials.length - 1].kind, 'control');
    assert.equal(full.trials.filter((t) => t.kind === 'control').length, 1);
    // Every hold is covered by the window, and the window ends before the suite stops waiting.
    for (const mode of [fast, full]) {
      assert.ok(Math.max(...mode.trials.filter((t) => t.kind !== 'control').map((t) => t.holdMs)) < mode.holdWindowMs);
      assert.ok(mode.holdWindowMs < mode.settleTimeoutMs);
    }
  });
});
