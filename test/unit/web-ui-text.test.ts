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
});
