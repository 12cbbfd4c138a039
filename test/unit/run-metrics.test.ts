import { strict as assert } from 'assert';
import { ErrorType } from '../../src/shared/errors';
import { runEnd, runKind, type RunLabels } from '../../src/shared/run-metrics';

describe('run metrics: what a run is and how it ended', () => {
  it('names a run by the command that starts it', () => {
    assert.equal(runKind({ profile: 'seed', databaseId: 'db' }), 'run');
    assert.equal(runKind({ databaseId: 'db', restore: false }), 'backup');
    assert.equal(runKind({ databaseId: 'db', backupId: 'b1' }), 'restore');
    assert.equal(runKind({ profile: 'prisma', databaseId: 'db' }), 'restore');
    assert.equal(runKind({ profile: 'prisma', databaseId: 'db', newDatabase: { projectId: 'p' }, drill: true }), 'drill');
    assert.equal(runKind(undefined), 'run');
  });

  const restore: RunLabels = { profile: 'prisma', kind: 'restore' };
  const drill: RunLabels = { profile: 'prisma', kind: 'drill' };

  it('a completed restore: applied, with its wait until ready', () => {
    assert.deepEqual(runEnd(restore, 'completed', '', { restoreRequestedAt: 1_000, databaseReadyAt: 4_500 }), {
      ...restore,
      outcome: 'completed',
      reason: '',
      restore: 'applied',
      readyWaitMs: 3_500,
    });
  });

  it('a failure before any restore request: no restore counted', () => {
    assert.deepEqual(runEnd(restore, 'failed', ErrorType.BackupFailed, {}), { ...restore, outcome: 'failed', reason: 'BackupFailed' });
  });

  it('a failure of the restore itself, or one after the restore was done (a check)', () => {
    assert.equal(runEnd(restore, 'failed', ErrorType.RestoreFailed, { restoreRequestedAt: 1 }).restore, 'failed');
    assert.equal(runEnd(restore, 'failed', ErrorType.RestoreOutcomeUnknown, { restoreRequestedAt: 1 }).restore, 'failed');
    assert.equal(runEnd(restore, 'failed', ErrorType.VerificationFailed, { restoreRequestedAt: 1 }).restore, 'applied');
  });

  it('drills pass or fail; a cancelled run counts neither a drill nor a restore, and has no reason', () => {
    assert.equal(runEnd(drill, 'completed', '', { restoreRequestedAt: 1, databaseReadyAt: 2 }).drill, 'passed');
    assert.equal(runEnd(drill, 'failed', ErrorType.VerificationFailed, { restoreRequestedAt: 1 }).drill, 'failed');
    assert.deepEqual(runEnd(drill, 'cancelled', 'Cancelled', { restoreRequestedAt: 1 }), { ...drill, outcome: 'cancelled', reason: '' });
  });
});
