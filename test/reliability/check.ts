// The reliability suites run against the test server, their invariants asserted (reliability/report.ts
// findViolations) and what each lane set out to do checked; figures printed, timings never asserted.
import { strict as assert } from 'assert';
import path from 'node:path';
import { HELD_KINDS } from '../../reliability/held-trials';
import { CHOSEN_POINTS } from '../../reliability/kill-schedule';
import { modeFrom } from '../../reliability/modes';
import { seedFrom } from '../../reliability/random';
import { formatTable } from '../../reliability/report';
import { runReliability } from '../../reliability/run-reliability';
import { PROJECT_ROOT } from '../../local-temporal';
import { workflowBundle } from '../support/harness';
import { testNamespace, testTemporalAddress } from '../support/temporal';

/** Runs the reliability suites in `mode` against the test server and asserts their invariants, and that they did what they say. */
export async function checkReliability(mode: ReturnType<typeof modeFrom>): Promise<void> {
  const report = await runReliability({
    mode,
    seed: seedFrom(process.env.RELIABILITY_SEED),
    temporal: { address: testTemporalAddress(), namespace: testNamespace() },
    bundleCode: (await workflowBundle()).code,
    artifactsDir: path.join(PROJECT_ROOT, 'test-artifacts', 'reliability'),
  });
  console.log(
    `\n${formatTable(report).replace(/^/gm, '      ')}\n      (${(report.durationMs / 1000).toFixed(1)} s, seed ${report.seed}; test-artifacts/reliability/report.md)\n`,
  );

  assert.deepEqual(report.violations, []);
  // And it did what it says, in each profile: every kind of kill point, a restart, each fault kind
  // (prisma: a reset after the restore POST was applied among them).
  for (const profile of mode.profiles) {
    const suite = (name: string) => report.lanes.find((l) => l.lane === name && l.profile === profile);
    const crash = suite('crash');
    if (crash) {
      assert.deepEqual(Object.keys(crash.notes.killsByPoint as object).sort(), [...CHOSEN_POINTS[profile], 'random'].sort());
      assert.equal(crash.notes.pointsNotReached, 0);
      // Every run's database held rows of its own and was read back; changed after its backup in every
      // prisma run, and in most seed runs (a seed run's restore may come before the change, which the
      // read-back then expects not to see).
      assert.equal(crash.figures.contentChecked, crash.figures.runs);
      const changed = crash.notes.rowsChangedAfterBackup as number;
      if (profile === 'prisma') assert.equal(changed, crash.figures.runs);
      else assert.ok(changed >= crash.figures.runs / 2, `${changed} of ${crash.figures.runs} runs changed after their backup`);
    }
    const restart = suite('server-restart');
    if (restart) assert.equal(restart.serverRestarts, mode.restart.restarts);
    const faults = suite('faults');
    if (faults) assert.ok((faults.notes.restoreFaultsByKind as Record<string, number>)['reset-after'] >= 1, 'a restore answer was lost');
    const held = suite('held-request');
    if (held) {
      // Every kind but the control (full mode), each on its own run; the 60 s hold with a kill 2 s in among them.
      const kinds = new Set(mode.held.trials.map((t) => t.kind));
      assert.deepEqual([...kinds].sort(), HELD_KINDS.filter((k) => k !== 'control').sort());
      assert.equal(held.notes.notReached, 0);
      assert.equal(held.notes.faultOnOtherRun, 0);
      assert.ok(mode.held.trials.some((t) => t.kind === 'held-kill' && t.holdMs >= 60_000 && t.killAfterMs === 2_000));
      assert.equal(held.kills, mode.held.trials.filter((t) => t.kind === 'held-kill').length);
      assert.ok((held.notes.answersDropped as number) >= 2, 'a dropped answer after a hold, and a reset after applying');
    }
  }
  const secretsSearched = report.secrets.filter((s) => s.source.endsWith('workflow histories')).reduce((n, s) => n + s.searched, 0);
  assert.equal(
    secretsSearched,
    // Negative controls (full mode) are counted apart from the runs, and searched too.
    report.lanes.reduce((n, l) => n + l.figures.runs + (l.control?.runs ?? 0), 0),
    'every run’s history was searched',
  );
}
