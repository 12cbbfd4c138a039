import { strict as assert } from 'assert';
import { runDetails, runSummary } from '../../src/workflows/run-summary';
import { currentDetails } from '../../src/workflows/current-details';

describe('what the Web UI shows', () => {
  it('summarises each kind of run in one line', () => {
    assert.equal(runSummary({ databaseId: 'db_1' }), 'Back up db_1, then restore it');
    assert.equal(runSummary({ databaseId: 'db_1', approval: {} }), 'Back up db_1, then restore it (after approval)');
    assert.equal(runSummary({ databaseId: 'db_1', restore: false }), 'Back up db_1 (no restore)');
    assert.equal(runSummary({ databaseId: 'db_1', backupId: 'bkp_1' }), 'Restore db_1 from backup bkp_1');
  });

  it('details the settings as a Markdown list', () => {
    const details = runDetails({ databaseId: 'db_1', backupLabel: 'nightly', approval: { timeoutMs: 3_600_000 } });
    assert.equal(
      details,
      [
        '- **API profile**: seed (a backup on demand)',
        '- **Database**: `db_1`',
        '- **Backup label**: nightly',
        '- **Restore**: yes, into the same database',
        '- **Polls**: every 5s growing to 2m',
        '- **Gives up after**: 6h, or 1h of failing polls (never restoring)',
        '- **Approval**: required within 1h',
      ].join('\n'),
    );
  });

  it('says what a waiting run waits for, and until when', () => {
    const base = { databaseId: 'db_1', backupId: 'bkp_1', pollsMade: 3, continuedAsNew: 0 };
    assert.equal(
      currentDetails({
        ...base,
        phase: 'waiting-for-backup',
        backupStatus: 'in_progress',
        nextPollAt: Date.UTC(2026, 10, 27, 3, 0, 5),
        deadlineAt: Date.UTC(2026, 10, 27, 9),
      }),
      '**Waiting for backup** `bkp_1` of `db_1`: in_progress.\n\nPolls made: 3, next at 2026-11-27T03:00:05Z.\n\nGives up (never restoring) at 2026-11-27T09:00:00Z.',
    );
    assert.equal(
      currentDetails({ ...base, phase: 'awaiting-approval', backupStatus: 'completed', approvalDeadlineAt: Date.UTC(2026, 10, 28, 3) }),
      '**Awaiting approval** to restore backup `bkp_1` into `db_1`.\n\nWithout approval by 2026-11-28T03:00:00Z, nothing is restored.',
    );
  });

  it('says when a predictive wait expects the backup, and why its polls are sparse until then', () => {
    const details = currentDetails({
      databaseId: 'db_1',
      backupId: 'bkp_1',
      pollsMade: 1,
      continuedAsNew: 0,
      phase: 'waiting-for-backup',
      backupStatus: 'in_progress',
      expectedCompletion: { earliestAt: Date.UTC(2026, 10, 27, 3, 50), latestAt: Date.UTC(2026, 10, 27, 4, 10), samples: 5 },
    });
    assert.equal(
      details.split('\n\n')[2],
      'Expects completion around 2026-11-27T04:00:00Z from 5 earlier backups: polls are sparse until 2026-11-27T03:50:00Z, ' +
        'then about every minute until 2026-11-27T04:10:00Z.',
    );
  });

  it('says while polls fail how many failed, the last error and when the run gives up', () => {
    const failing = currentDetails({
      databaseId: 'db_1',
      backupId: 'bkp_1',
      pollsMade: 5,
      continuedAsNew: 0,
      phase: 'waiting-for-backup',
      backupStatus: 'in_progress',
      failedPolls: 3,
      lastPollError: 'GET databases/db_1/backups answered 503: server error; retrying.',
      pollFailingSince: Date.UTC(2026, 10, 27, 3),
      pollFailingDeadlineAt: Date.UTC(2026, 10, 27, 4),
    });
    assert.equal(
      failing.split('\n\n')[2],
      '**Polls failing**: 3 in a row since 2026-11-27T03:00:00Z; the last error: `GET databases/db_1/backups answered 503: server error; retrying.`. ' +
        'Unless a poll is answered, gives up (never restoring) at 2026-11-27T04:00:00Z.',
    );
  });

  it('repeats the summary and details in a continuation, which has none of its own, and says nothing else once the wait is over', () => {
    const atStart = { summary: 'Back up db_1, then restore it', details: '- **Database**: `db_1`' };
    const status = { databaseId: 'db_1', backupId: 'bkp_1', pollsMade: 30, continuedAsNew: 2, backupStatus: 'completed' as const };
    assert.equal(
      currentDetails({ ...status, phase: 'restoring' }, atStart),
      '**Back up db_1, then restore it** (continued as new 2×)\n\n- **Database**: `db_1`',
    );
    assert.match(
      currentDetails({ ...status, phase: 'waiting-for-backup' }, atStart),
      /^\*\*Back up db_1.*\n\n.*\n\n\*\*Waiting for backup\*\*/,
    );
    assert.equal(currentDetails({ ...status, phase: 'completed' }), '');
  });

  describe('in the prisma profile', () => {
    const prisma = { profile: 'prisma' as const, databaseId: 'db_1' };

    it('summarises which backup is restored into which database', () => {
      assert.equal(runSummary(prisma), 'Restore db_1 from its newest completed backup');
      assert.equal(runSummary({ ...prisma, backupId: 'c1', approval: {} }), 'Restore db_1 from backup c1 (after approval)');
      assert.equal(runSummary({ ...prisma, waitForNewerBackup: true }), 'Restore db_1 from its first backup after the run starts');
      assert.equal(runSummary({ ...prisma, targetDatabaseId: 'db_2' }), "Restore db_2 from db_1's newest completed backup");
      assert.equal(runSummary({ ...prisma, targetDatabaseId: 'db_2', backupId: 'c1' }), 'Restore db_2 from backup c1 of db_1');
      assert.equal(
        runSummary({ ...prisma, newDatabase: { projectId: 'proj_1' } }),
        "Create a database in proj_1 from db_1's newest completed backup",
      );
    });

    it('details the profile, the backup, the target and the ready deadline', () => {
      assert.equal(
        runDetails({ ...prisma, newDatabase: { projectId: 'proj_1', name: 'copy' }, readyDeadlineMs: 1_800_000 }),
        [
          "- **API profile**: prisma (Prisma's Management API: automatic daily backups)",
          '- **Backups of**: `db_1`',
          '- **Restore from**: the newest completed backup',
          '- **Restore**: yes, into a new database in project `proj_1` named copy',
          '- **Polls**: every 5s growing to 2m',
          '- **Gives up after**: 6h, or 1h of failing polls (never restoring)',
          '- **Ready within**: 30m',
        ].join('\n'),
      );
      assert.match(
        runDetails({ ...prisma, targetDatabaseId: 'db_2', backupId: 'c1' }),
        /- \*\*Restore from\*\*: `c1`\n.*\n?- \*\*Restore\*\*: yes, into `db_2`/s,
      );
    });

    const base = { profile: 'prisma' as const, databaseId: 'db_1', pollsMade: 4, continuedAsNew: 0 };
    const next = { nextPollAt: Date.UTC(2026, 10, 27, 3, 0, 5) };

    it('says what a run waiting for a backup waits for: a running one, or one newer than its start', () => {
      assert.equal(
        currentDetails({
          ...base,
          ...next,
          phase: 'waiting-for-backup',
          backupId: 'c1',
          backupStatus: 'running',
          backupCreatedAt: '2026-11-27T02:00:00.000Z',
        }),
        '**Waiting for backup** `c1` of `db_1`: running (taken at 2026-11-27T02:00:00.000Z).\n\nPolls made: 4, next at 2026-11-27T03:00:05Z.',
      );
      assert.equal(
        currentDetails({ ...base, phase: 'waiting-for-backup', deadlineAt: Date.UTC(2026, 10, 28) }),
        "**Waiting for a backup** of `db_1` newer than the run's start: none listed yet.\n\nPolls made: 4.\n\nGives up (never restoring) at 2026-11-28T00:00:00Z.",
      );
    });

    it('says at each restore step what the run does, and that nothing is sent twice', () => {
      const restoring = { ...base, backupId: 'c1', phase: 'restoring' as const, targetDatabaseId: 'db_2', restoreRequestsSent: 1 };
      assert.equal(
        currentDetails({
          ...restoring,
          ...next,
          restoreStep: 'check',
          restoreRequestsSent: 0,
          databaseStatus: 'recovering',
          databasePollsMade: 2,
          databaseDeadlineAt: Date.UTC(2026, 10, 27, 4),
        }),
        '**Restoring** `db_2` from backup `c1` of `db_1`: the target is recovering; nothing is sent while it is provisioning or recovering.\n\n' +
          'Polls made: 2, next at 2026-11-27T03:00:05Z.\n\nGives up (never restoring) at 2026-11-27T04:00:00Z.',
      );
      assert.equal(
        currentDetails({ ...restoring, restoreStep: 'send' }),
        '**Restoring** `db_2` from backup `c1` of `db_1`: request 1 sent.',
      );
      assert.match(
        currentDetails({ ...restoring, restoreStep: 'read-back', databasePollsMade: 0 }),
        /^\*\*Restoring\*\* .*: the answer to request 1 was lost; reading the target back \(not read yet\) before anything is sent again\.\n\nPolls made: 0\.$/,
      );
      assert.match(
        currentDetails({
          ...restoring,
          restoreStep: 'conflict',
          databaseStatus: 'recovering',
          databasePollsMade: 1,
          databaseDeadlineAt: Date.UTC(2026, 10, 27, 4),
        }),
        /the API answered 409 .*no second request is sent.*\n\nPolls made: 1\.\n\nGives up \(sending nothing again\) at 2026-11-27T04:00:00Z\.$/,
      );
    });

    it('says which database it waits on to be ready, restored or created', () => {
      const waiting = {
        ...base,
        backupId: 'c1',
        phase: 'waiting-for-database' as const,
        restoreStep: 'applied' as const,
        databaseStatus: 'recovering' as const,
        databasePollsMade: 3,
      };
      assert.equal(
        currentDetails({ ...waiting, targetDatabaseId: 'db_1', databaseDeadlineAt: Date.UTC(2026, 10, 27, 4) }),
        '**Waiting for database** `db_1`, restored from backup `c1`, to be ready: recovering.\n\nPolls made: 3.\n\nGives up (the restore is not undone) at 2026-11-27T04:00:00Z.',
      );
      assert.match(currentDetails({ ...waiting, targetDatabaseId: 'db_9', createdDatabaseId: 'db_9' }), /`db_9`, created from backup `c1`/);
      assert.equal(
        currentDetails({ ...base, backupId: 'c1', phase: 'awaiting-approval' }),
        '**Awaiting approval** to restore backup `c1` into a new database.',
      );
      assert.equal(
        currentDetails({ ...base, backupId: 'c1', phase: 'creating-database' }),
        '**Creating a database** from backup `c1` of `db_1`.',
      );
    });
  });
});
