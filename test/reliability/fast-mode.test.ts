// The reliability run in fast mode, inside `npm test`: a few SIGKILLs of a real worker process, one
// restart of a Temporal dev server of its own, a few dozen runs under injected faults, in the prisma
// profile against a simulator that ignores Idempotency-Key; the killed runs' databases hold real rows,
// read back after each run. The full mode (npm run
// test:reliability) is the same code, bigger, in both profiles. Figures are printed; what is asserted
// is the invariants (src/reliability/report.ts findViolations), not timings.
import { strict as assert } from 'assert';
import path from 'node:path';
import { CHOSEN_POINTS } from '../../reliability/kill-schedule';
import { modeFrom } from '../../reliability/modes';
import { seedFrom } from '../../reliability/random';
import { formatTable } from '../../reliability/report';
import { runReliability } from '../../reliability/run-reliability';
import { PROJECT_ROOT } from '../../local-temporal';
import { workflowBundle } from '../support/harness';
import { testNamespace, testTemporalAddress } from '../support/temporal';

describe('reliability, fast mode (kills, a server restart, faults, load, token search)', function () {
  // Kills with a request in flight cost the run the 10 s heartbeat timeout, and the machine may be busy.
  this.timeout(300_000);

  it('loses no run, duplicates nothing, never reports a restore not applied, never restores an unfinished or other backup, never leaks the token', async () => {
    const mode = modeFrom(process.env.RELIABILITY_MODE, 'fast', process.env.RELIABILITY_PROFILES);
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
      const suite = (name: string) => report.lanes.find((l) => l.lane === name && l.profile === profile)!;
      const crash = suite('crash');
      assert.deepEqual(Object.keys(crash.notes.killsByPoint as object).sort(), [...CHOSEN_POINTS[profile], 'random'].sort());
      assert.equal(crash.notes.pointsNotReached, 0);
      // Every run's database held rows of its own, changed after its backup, and was read back.
      assert.equal(crash.figures.contentChecked, crash.figures.runs);
      assert.equal(crash.notes.rowsChangedAfterBackup, crash.figures.runs);
      assert.equal(suite('server-restart').serverRestarts, mode.restart.restarts);
      assert.ok((suite('faults').notes.restoreFaultsByKind as Record<string, number>)['reset-after'] >= 1, 'a restore answer was lost');
    }
    const secretsSearched = report.secrets.filter((s) => s.source.endsWith('workflow histories')).reduce((n, s) => n + s.searched, 0);
    assert.equal(
      secretsSearched,
      report.lanes.reduce((n, l) => n + l.figures.runs, 0),
      'every run’s history was searched',
    );
  });
});
