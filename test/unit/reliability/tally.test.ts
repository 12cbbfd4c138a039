import { strict as assert } from 'assert';
import type { RunVerdict } from '../../../reliability/outcome';
import { findViolations } from '../../../reliability/report';
import { strayEffects, summarizeControls, summarizeRuns, tallyRun, type RunFacts, type SimFacts } from '../../../reliability/tally';
import type { RunResult } from '../../../src/shared/types';

const completed = (backupId: string): RunVerdict => ({ kind: 'completed', result: { backupId } as RunResult });
const key = (workflowId: string, step: string) => ({ 'idempotency-key': `${workflowId}/run1/${step}` });
const create = (db: string, workflowId: string, status = 202) => ({
  operation: 'createDatabaseBackup',
  path: `/v1/databases/${db}/backups`,
  status,
  headers: key(workflowId, 'create-backup'),
});
const restore = (db: string, backupId: string, workflowId: string, status = 202) => ({
  operation: 'restoreDatabaseBackup',
  path: `/v1/databases/${db}/backups/${backupId}/restore`,
  status,
  headers: key(workflowId, 'restore'),
});

/** One clean run: one backup, one restore from it, one key per step. */
function cleanSim(db = 'db_1', workflowId = 'wf-1', backupId = 'bkp_1'): SimFacts {
  return {
    backupsCreated: [{ id: backupId, databaseId: db }],
    restoresApplied: [{ databaseId: db, sourceDatabaseId: db, backupId, backupStatusAtRestore: 'completed' }],
    requests: [create(db, workflowId), create(db, workflowId), restore(db, backupId, workflowId)],
  };
}
const run = (outcome: RunVerdict = completed('bkp_1'), workflowId = 'wf-1', databaseId = 'db_1'): RunFacts => ({
  workflowId,
  databaseId,
  outcome,
});

describe('reliability exactly-once accounting', () => {
  it('finds nothing wrong with a clean run whose create POST was retried under the same key', () => {
    const tally = tallyRun(run(), cleanSim());
    assert.deepEqual(tally, {
      workflowId: 'wf-1',
      databaseId: 'db_1',
      outcome: 'completed',
      backupsCreated: 1,
      restoresApplied: 1,
      restoresFromUnfinished: 0,
      wrongBackupRestores: 0,
      completedWithoutRestore: false,
      restoresSentAgain: 0,
      resentAfterHoldWindow: false,
      contentChecked: false,
      contentWrong: false,
      problems: [],
    });
  });

  it('counts runs whose database was checked, and those holding other rows than they had to, naming what they held', () => {
    const right = { ...run(), content: { expected: 'ours' as const, found: 'ours' as const } };
    const changed = {
      ...run(completed('bkp_9'), 'wf-2', 'db_2'),
      content: { expected: 'ours' as const, found: 'changed' as const, detail: '1 row(s): 1 "trial 2, row 1"' },
    };
    const tallies = [tallyRun(right, cleanSim()), tallyRun(changed, cleanSim('db_2', 'wf-2', 'bkp_9'))];
    assert.deepEqual(
      tallies.map((t) => [t.contentChecked, t.contentWrong]),
      [
        [true, false],
        [true, true],
      ],
    );
    assert.deepEqual(tallies[1].problems, [
      'database holds the rows as changed after the backup, not the rows of the run\'s backup (1 row(s): 1 "trial 2, row 1")',
    ]);
    const unchecked = run(completed('bkp_1'), 'wf-3', 'db_3');
    const figures = summarizeRuns([right, changed, unchecked], [...tallies, tallyRun(unchecked, cleanSim('db_3', 'wf-3'))]);
    assert.equal(figures.contentChecked, 2);
    assert.equal(figures.contentWrong, 1);
    assert.equal(figures.effectMismatches, 1);
  });

  it('counts duplicate backups and restores per run, and only that run', () => {
    const sim = cleanSim();
    const other = cleanSim('db_2', 'wf-2', 'bkp_9');
    const both: SimFacts = {
      backupsCreated: [...sim.backupsCreated, { id: 'bkp_2', databaseId: 'db_1' }, ...other.backupsCreated],
      restoresApplied: [...sim.restoresApplied, ...sim.restoresApplied, ...other.restoresApplied],
      requests: [...sim.requests, ...other.requests],
    };
    const runs = [run(), run(completed('bkp_9'), 'wf-2', 'db_2')];
    const tallies = runs.map((r) => tallyRun(r, both));
    const figures = summarizeRuns(runs, tallies);
    assert.equal(figures.duplicateBackups, 1);
    assert.equal(figures.duplicateRestores, 1);
    assert.equal(figures.effectMismatches, 1, 'the run with two backups also completed with the wrong count');
    assert.deepEqual(tallies[1].problems, []);
  });

  it('counts restores from unfinished backups: applied ones and ones the API refused with 409', () => {
    const sim = cleanSim();
    const unfinished: SimFacts = {
      ...sim,
      restoresApplied: [{ databaseId: 'db_1', sourceDatabaseId: 'db_1', backupId: 'bkp_1', backupStatusAtRestore: 'in_progress' }],
      requests: [...sim.requests, restore('db_1', 'bkp_1', 'wf-1', 409)],
    };
    assert.equal(tallyRun(run(), unfinished).restoresFromUnfinished, 2);
  });

  it('flags a restore from a backup the run did not create, a missing restore, and foreign or missing keys', () => {
    const sim = cleanSim();
    const wrong: SimFacts = {
      backupsCreated: sim.backupsCreated,
      restoresApplied: [{ databaseId: 'db_1', sourceDatabaseId: 'db_1', backupId: 'bkp_other', backupStatusAtRestore: 'completed' }],
      requests: [create('db_1', 'wf-1'), { ...create('db_1', 'wf-other') }, { ...restore('db_1', 'bkp_other', 'wf-1'), headers: {} }],
    };
    const tally = tallyRun(run(), wrong);
    assert.equal(tally.wrongBackupRestores, 1);
    const problems = tally.problems.join('\n');
    assert.match(problems, /restore applied from bkp_other, which this run did not create/);
    assert.match(problems, /2 different Idempotency-Keys for createDatabaseBackup/);
    assert.match(problems, /Idempotency-Key wf-other\/run1\/create-backup does not name the run/);
    assert.match(problems, /a restoreDatabaseBackup request carried no Idempotency-Key/);
    assert.match(problems, /restored bkp_other, result names bkp_1/);

    const noRestore: SimFacts = { ...sim, restoresApplied: [] };
    const unrestored = tallyRun(run(), noRestore);
    assert.match(unrestored.problems.join(), /completed with 1 backup\(s\) created and 0 restore\(s\) applied/);
    assert.equal(summarizeRuns([run()], [unrestored]).completedWithoutRestore, 1);
  });

  it('allows a typed failure with no effects, and reports a failed run whose restore was applied anyway', () => {
    const failed: RunVerdict = { kind: 'failed-typed', type: 'ProtocolError', message: 'bad body' };
    const nothing: SimFacts = { backupsCreated: [], restoresApplied: [], requests: [] };
    assert.deepEqual(tallyRun(run(failed), nothing).problems, []);
    const restoredAnyway = summarizeRuns([run(failed)], [tallyRun(run(failed), cleanSim())]);
    assert.equal(restoredAnyway.failedButRestored, 1);
    assert.equal(restoredAnyway.effectMismatches, 0);
    assert.deepEqual(restoredAnyway.failureTypes, { ProtocolError: 1 });
  });

  it('counts outcomes, and effects on databases no run owns', () => {
    const runs: RunFacts[] = [
      run(),
      run({ kind: 'failed-typed', type: 'BackupFailed', message: 'x' }, 'wf-2', 'db_2'),
      run({ kind: 'failed-untyped', description: 'terminated' }, 'wf-3', 'db_3'),
      run({ kind: 'lost', description: 'still running' }, 'wf-4', 'db_4'),
    ];
    const sim: SimFacts = { ...cleanSim(), backupsCreated: [...cleanSim().backupsCreated, { id: 'bkp_x', databaseId: 'db_nobody' }] };
    const stray = strayEffects(runs, sim);
    assert.deepEqual(stray, ['backup bkp_x created on db_nobody, which no run owns']);
    const figures = summarizeRuns(
      runs,
      runs.map((r) => tallyRun(r, sim)),
      stray,
    );
    assert.deepEqual(
      [figures.runs, figures.completed, figures.failedTyped, figures.failedUntyped, figures.lost, figures.effectMismatches],
      [4, 1, 1, 1, 1, 1],
    );
  });

  describe('in the prisma profile (no backup created, no Idempotency-Key, the lane names the backup to restore)', () => {
    const RESTORE = 'postV1DatabasesByTargetDatabaseIdRestore';
    const result = (backupId: string, targetDatabaseId = 'db_crash1') =>
      ({ backupId, targetDatabaseId, restoreStatus: 'ready' }) as RunResult;
    const prismaRun = (outcome: RunVerdict = { kind: 'completed', result: result('bkp_2') }): RunFacts => ({
      workflowId: 'wf-p',
      databaseId: 'db_crash1',
      profile: 'prisma',
      expectedBackupId: 'bkp_2',
      outcome,
    });
    const applied = (backupId = 'bkp_2', backupStatusAtRestore = 'completed', databaseId = 'db_crash1') => ({
      databaseId,
      sourceDatabaseId: databaseId,
      backupId,
      backupStatusAtRestore,
    });
    const post = (status?: number, fault?: string, db = 'db_crash1') => ({
      operation: RESTORE,
      path: `/v1/databases/${db}/restore`,
      status,
      fault,
      headers: {},
    });
    const read = (db = 'db_crash1') => ({ operation: 'getV1DatabasesByDatabaseId', path: `/v1/databases/${db}`, status: 200, headers: {} });
    const facts = (restoresApplied: SimFacts['restoresApplied'], requests: SimFacts['requests']): SimFacts => ({
      backupsCreated: [],
      restoresApplied,
      requests,
    });

    it('finds nothing wrong with a run whose lost restore answer was read back, not sent again', () => {
      const tally = tallyRun(prismaRun(), facts([applied()], [read(), post(undefined, 'reset-after'), read(), read('db_crash10')]));
      assert.deepEqual(tally.problems, []);
      assert.equal(tally.restoresSentAgain, 0);
      assert.equal(tally.backupsCreated, 0);
    });

    it('counts a duplicate restore, and a restore sent again that the busy target refused', () => {
      const twice = tallyRun(prismaRun(), facts([applied(), applied()], [post(200), post(200)]));
      assert.match(twice.problems.join(), /completed with 2 restore\(s\) applied/);
      const refused = tallyRun(prismaRun(), facts([applied()], [post(undefined, 'delay'), post(200), post(409)]));
      assert.deepEqual(refused.problems, []);
      assert.equal(refused.restoresSentAgain, 2);
      // Requests turned away before the API saw them are no second send.
      assert.equal(
        tallyRun(prismaRun(), facts([applied()], [post(429, 'status'), post(undefined, 'reset-before'), post(200)])).restoresSentAgain,
        0,
      );
      const figures = summarizeRuns([prismaRun()], [twice]);
      assert.deepEqual([figures.duplicateRestores, figures.duplicateBackups], [1, 0]);
    });

    it('counts a run reported restored with no restore applied', () => {
      const tally = tallyRun(prismaRun(), facts([], [post(undefined, 'reset-after')]));
      assert.equal(tally.completedWithoutRestore, true);
      assert.match(tally.problems.join(), /completed with 0 restore\(s\) applied/);
      assert.equal(summarizeRuns([prismaRun()], [tally]).completedWithoutRestore, 1);
    });

    it('counts a restore of another backup than the newest completed one, and of an unfinished one', () => {
      const older = tallyRun(prismaRun({ kind: 'completed', result: result('bkp_1') }), facts([applied('bkp_1')], [post(200)]));
      assert.equal(older.wrongBackupRestores, 1);
      assert.match(older.problems.join('\n'), /restore applied from bkp_1 of db_crash1, not from bkp_2/);
      assert.match(older.problems.join('\n'), /result names bkp_1, the run had to restore bkp_2/);
      const running = tallyRun(prismaRun(), facts([applied('bkp_2', 'running')], [post(422), post(200)]));
      assert.equal(running.restoresFromUnfinished, 2, 'applied while running, and refused as not usable (422)');
    });

    it('checks what the result says: the target and a ready database', () => {
      const elsewhere = tallyRun(
        prismaRun({ kind: 'completed', result: { ...result('bkp_2', 'db_other'), restoreStatus: 'restoring' } }),
        facts([applied()], [post(200)]),
      );
      assert.match(elsewhere.problems.join('\n'), /result names target db_other/);
      assert.match(elsewhere.problems.join('\n'), /restore status restoring, not ready/);
    });

    it('counts runs that sent the restore again after the hold window, from their result', () => {
      const resent = prismaRun({ kind: 'completed', result: { ...result('bkp_2'), resentAfterHoldWindow: true } });
      const tally = tallyRun(resent, facts([applied()], [post(undefined, 'delay'), post(409)]));
      assert.equal(tally.resentAfterHoldWindow, true);
      assert.equal(tally.restoresSentAgain, 1);
      assert.equal(
        summarizeRuns([resent, prismaRun()], [tally, tallyRun(prismaRun(), facts([applied()], [post(200)]))]).resentAfterHoldWindow,
        1,
      );
    });

    // The negative control, as the held-request suite's full mode sets it up: held 30 s, the run's
    // hold window 5 s, so it sends again at about 15 s, and the held request is applied at 30 s on
    // the target recovered from the second. The suite must report that duplicate.
    describe('a request held past the hold window the run was given', () => {
      const control = (): RunFacts => ({
        ...prismaRun({ kind: 'completed', result: { ...result('bkp_2'), resentAfterHoldWindow: true } }),
        control: true,
      });
      const twice = facts([applied(), applied()], [post(200, 'delay'), read(), post(200)]);

      it('is a duplicate restore and a violation when it happens to a run of the suite', () => {
        const run = { ...control(), control: undefined };
        const figures = summarizeRuns([run], [tallyRun(run, twice)]);
        assert.equal(figures.duplicateRestores, 1);
        assert.equal(figures.resentAfterHoldWindow, 1);
        const lane = {
          lane: 'held-request',
          profile: 'prisma' as const,
          mustAllComplete: false,
          trials: 1,
          kills: 0,
          serverRestarts: 0,
          faultsInjected: 1,
          faultsByKind: {},
          figures,
          tokensFound: 0,
          durationMs: 1,
          planned: {},
          holdWindowMs: 90_000,
          notes: {},
          problems: [],
        };
        const listeners = [{ role: 'x', pid: 1, address: '127.0.0.1', port: 1, loopback: true }];
        assert.deepEqual(findViolations([lane], [], listeners), [
          'held-request (prisma): 1 duplicate restore(s)',
          'held-request (prisma): 1 run(s) with wrong effects',
          "held-request (prisma): 1 restore request(s) reached the API after the run's first had, though its hold window (90.0 s) outlasts every hold",
        ]);
      });

      it('is counted apart as a control, which must show the duplicate', () => {
        assert.deepEqual(summarizeControls([tallyRun(control(), twice)]), { runs: 1, duplicatesSeen: 1, resentAfterHoldWindow: 1 });
        // A control whose second restore was refused (409: the target still recovering) shows none: the count would be blind.
        const refused = facts([applied()], [post(200, 'delay'), post(409)]);
        assert.deepEqual(summarizeControls([tallyRun(control(), refused)]), { runs: 1, duplicatesSeen: 0, resentAfterHoldWindow: 1 });
      });
    });

    it('reports a failed run whose restore was applied', () => {
      const failed = prismaRun({ kind: 'failed-typed', type: 'ReadyTimedOut', message: 'x' });
      const figures = summarizeRuns([failed], [tallyRun(failed, facts([applied()], [post(200)]))]);
      assert.equal(figures.failedButRestored, 1);
      assert.equal(figures.completedWithoutRestore, 0);
    });
  });
});
