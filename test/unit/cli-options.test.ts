import { strict as assert } from 'assert';
import { inFlagTerms, inputFromRunOptions, workflowIdProblem } from '../../src/cli/run-options';
import { listQuery } from '../../src/cli/list-query';
import { formatDuration, parseDuration } from '../../src/shared/durations';

describe('CLI options', () => {
  it('turns run options into the seed flow input, with durations in milliseconds', () => {
    assert.deepEqual(inputFromRunOptions('run', { databaseId: 'db_1', label: 'x', pollInitial: '1s', pollMax: '2m', deadline: '6h' }), {
      databaseId: 'db_1',
      backupLabel: 'x',
      poll: { initialIntervalMs: 1000, maximumIntervalMs: 120_000, deadlineMs: 21_600_000 },
    });
  });

  it('backup never restores; restore names its backup; approval has a default or a timeout', () => {
    assert.deepEqual(inputFromRunOptions('backup', { databaseId: 'db_1' }), { databaseId: 'db_1', restore: false });
    assert.deepEqual(inputFromRunOptions('restore', { databaseId: 'db_1', backupId: 'bkp_1', targetDatabase: 'db_1' }), {
      databaseId: 'db_1',
      backupId: 'bkp_1',
      targetDatabaseId: 'db_1',
    });
    assert.deepEqual(inputFromRunOptions('run', { databaseId: 'db_1', requireApproval: true }).approval, {});
    assert.deepEqual(inputFromRunOptions('run', { databaseId: 'db_1', approvalTimeout: '2h' }).approval, { timeoutMs: 7_200_000 });
  });

  it('names the flag when a duration has no unit', () => {
    assert.throws(
      () => inputFromRunOptions('run', { databaseId: 'db_1', deadline: '5000' }),
      /^Error: --deadline takes a duration with a unit, such as 250ms, 30s, 5m, 6h or 1d; got "5000"\.$/,
    );
    assert.throws(() => parseDuration('--every', '-1h'), /--every takes a duration/);
    assert.throws(() => parseDuration('--every', '1 week'), /--every takes a duration/);
  });

  it('reads and writes durations', () => {
    assert.equal(parseDuration('--x', '250ms'), 250);
    assert.equal(parseDuration('--x', '1.5h'), 5_400_000);
    assert.equal(parseDuration('--x', '1d'), 86_400_000);
    assert.deepEqual([0, 999, 90_000, 7_200_000, 86_400_000].map(formatDuration), ['0s', '999ms', '90s', '2h', '1d']);
  });

  it('refuses an empty, oversized or control-character workflow id', () => {
    assert.equal(workflowIdProblem('--workflow-id', 'backup-db_1-20261127T030000Z'), undefined);
    assert.match(workflowIdProblem('--workflow-id', ' ')!, /--workflow-id is empty: give the run's workflow id/);
    assert.match(workflowIdProblem('--workflow-id', 'x'.repeat(1001))!, /1001 characters long; Temporal allows at most 1000/);
    assert.match(workflowIdProblem('--workflow-id', 'a\nb')!, /control characters/);
  });

  it('speaks of flags, not input fields', () => {
    assert.equal(
      inFlagTerms('databaseId x; backupId y; targetDatabaseId z; poll.deadlineMs 1; approval.timeoutMs 2; backupLabel'),
      '--database-id x; --backup-id y; --target-database z; --deadline 1; --approval-timeout 2; --label',
    );
  });

  it('builds list queries from checked values only', () => {
    assert.equal(listQuery({}), "WorkflowType = 'backupAndRestoreDatabase'");
    assert.equal(
      listQuery({ databaseId: 'db_1', phase: 'failed' }),
      "WorkflowType = 'backupAndRestoreDatabase' AND DatabaseId = 'db_1' AND BackupPhase = 'failed'",
    );
    assert.equal(
      listQuery({ phase: 'awaiting-approval' }),
      "WorkflowType = 'backupAndRestoreDatabase' AND BackupPhase = 'awaiting-approval' AND ExecutionStatus = 'Running'",
    );
    assert.throws(() => listQuery({ databaseId: "db' OR '1'='1" }), /is not a valid database id/);
    assert.throws(() => listQuery({ phase: 'done' }), /--phase must be one of/);
  });
});
