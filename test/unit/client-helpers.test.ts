import { strict as assert } from 'assert';
import { ActivityFailure, ApplicationFailure, CancelledFailure, RetryState } from '@temporalio/common';
import { failureReason } from '../../src/shared/failure-reason';
import { progressLine } from '../../src/runs/progress';
import { defaultWorkflowId } from '../../src/runs/start-run';
import { webUiBase, workflowUrl } from '../../src/runs/web-ui';
import { idempotencyKey, newDatabaseName } from '../../src/workflows/idempotency';
import { roughDuration } from '../../src/shared/durations';

describe('client helpers', () => {
  it('finds the typed reason under an activity failure', () => {
    const cause = ApplicationFailure.create({ type: 'Unauthorized', message: 'bad token', nonRetryable: true });
    const activity = new ActivityFailure('failed', 'createBackup', '1', RetryState.NON_RETRYABLE_FAILURE, undefined, cause);
    const wrapped = new Error('Workflow execution failed', { cause: activity });
    assert.deepEqual(failureReason(wrapped), { type: 'Unauthorized', message: 'bad token' });
    assert.deepEqual(failureReason(new Error('x', { cause: new CancelledFailure('c') })), {
      type: 'Cancelled',
      message: 'The run was cancelled.',
    });
    assert.deepEqual(failureReason('boom'), { type: 'Unknown', message: 'boom' });
  });

  it('names runs after the database and the UTC time', () => {
    assert.equal(defaultWorkflowId('db_1', new Date('2026-11-27T10:15:00.123Z')), 'backup-db_1-20261127T101500Z');
  });

  it('links to the local Web UI, or to TEMPORAL_UI_URL', () => {
    assert.equal(webUiBase('127.0.0.1:7233', {}), 'http://127.0.0.1:8233');
    assert.equal(webUiBase('localhost:7233', {}), 'http://127.0.0.1:8233');
    assert.equal(webUiBase('temporal.example.com:7233', {}), undefined);
    assert.equal(webUiBase('127.0.0.1:7400', { TEMPORAL_UI_URL: 'http://127.0.0.1:8400/' }), 'http://127.0.0.1:8400');
    assert.equal(workflowUrl('http://ui', 'default', 'backup db/1'), 'http://ui/namespaces/default/workflows/backup%20db%2F1');
  });

  it('describes a status on one line: phase, backup, polls, elapsed, next poll', () => {
    const line = progressLine(
      {
        phase: 'waiting-for-backup',
        databaseId: 'db_1',
        backupId: 'bkp_1',
        backupStatus: 'in_progress',
        pollsMade: 3,
        nextPollAt: 100_400,
        continuedAsNew: 1,
      },
      91_000,
      11_000,
    );
    assert.equal(line, 'waiting-for-backup · backup bkp_1 in_progress · polls 3 · elapsed 1m20s · next poll in 9s · continued as new 1×');
  });

  it('says when a predictive wait expects completion, until its window has passed', () => {
    const status = {
      phase: 'waiting-for-backup',
      databaseId: 'db_1',
      backupId: 'bkp_1',
      backupStatus: 'in_progress',
      pollsMade: 1,
      continuedAsNew: 0,
      runStartedAt: 0,
      expectedCompletion: { earliestAt: 3_000_000, latestAt: 3_600_000, samples: 5 },
    } as const;
    assert.equal(
      progressLine(status, 600_000),
      'waiting-for-backup · backup bkp_1 in_progress · polls 1 · elapsed 10m · expects completion in 45m (5 earlier)',
    );
    assert.equal(progressLine(status, 3_700_000), 'waiting-for-backup · backup bkp_1 in_progress · polls 1 · elapsed 1h01m');
  });

  it("measures elapsed from the run's start to its end, however long ago it ended", () => {
    const base = { phase: 'completed', databaseId: 'db_1', pollsMade: 2, continuedAsNew: 0 } as const;
    const ended = { ...base, runStartedAt: 10_000, endedAt: 70_000 };
    assert.equal(progressLine(ended, 10_000_000, 5_000), 'completed · polls 2 · elapsed 1m');
    // Still running: up to now; the start from the status wins over the caller's guess.
    assert.equal(
      progressLine({ ...base, phase: 'waiting-for-backup', runStartedAt: 10_000 }, 40_000, 0),
      'waiting-for-backup · polls 2 · elapsed 30s',
    );
  });

  it('shows failing polls: how many in a row, when the run gives up, and the cause', () => {
    const line = progressLine(
      {
        phase: 'waiting-for-backup',
        databaseId: 'db_1',
        backupId: 'bkp_1',
        backupStatus: 'in_progress',
        pollsMade: 7,
        continuedAsNew: 0,
        failedPolls: 3,
        lastPollError: 'GET databases/db_1/backups answered 503: server error; retrying.',
        pollFailingDeadlineAt: 3_600_000,
      },
      60_000,
    );
    assert.equal(
      line,
      'waiting-for-backup · backup bkp_1 in_progress · polls 7 · 3 failed in a row, gives up in 59m: GET databases/db_1/backups answered 503: server error; retrying.',
    );
    const long = progressLine(
      { phase: 'waiting-for-backup', databaseId: 'db_1', pollsMade: 1, continuedAsNew: 0, failedPolls: 1, lastPollError: 'x'.repeat(300) },
      0,
    );
    assert.ok(long.endsWith('x…') && long.length < 160, long);
  });

  it('counts down to the approval deadline while awaiting approval', () => {
    const line = progressLine(
      {
        phase: 'awaiting-approval',
        databaseId: 'db_1',
        backupId: 'bkp_1',
        backupStatus: 'completed',
        pollsMade: 2,
        approvalDeadlineAt: 3_600_000,
        continuedAsNew: 0,
      },
      0,
    );
    assert.equal(line, 'awaiting-approval · backup bkp_1 completed · polls 2 · approval needed within 1h');
  });

  it('derives idempotency keys from the workflow id, its first run and the step', () => {
    assert.equal(idempotencyKey('wf-1', 'run-1', 'createBackup'), 'wf-1/run-1/create-backup');
    assert.equal(idempotencyKey('wf-1', 'run-1', 'restore'), 'wf-1/run-1/restore');
    assert.notEqual(idempotencyKey('wf-1', 'run-2', 'restore'), idempotencyKey('wf-1', 'run-1', 'restore'));
    // Any workflow id makes a valid header value.
    assert.equal(idempotencyKey('nightly — db/1\n', 'run-1', 'restore'), 'nightly%20%E2%80%94%20db%2F1%0A/run-1/restore');
  });

  it('names a database created from a backup after the workflow id and its first run, so a retry finds it and a later run does not', () => {
    assert.equal(newDatabaseName('restore-db_1-20261127T101500Z', '0196a1b2-c3d4-7e5f'), 'restore-db_1-20261127T101500Z-0196a1b2');
    assert.notEqual(newDatabaseName('wf', 'run-aaaaaaaa'), newDatabaseName('wf', 'run-bbbbbbbb'));
    assert.equal(newDatabaseName('x'.repeat(300), '12345678-9').length, 109);
  });

  it('writes durations to the second, up to days', () => {
    assert.deepEqual([0, 9_400, 80_000, 3_600_000, 7_500_000, 86_400_000, 93_600_000].map(roughDuration), [
      '0s',
      '9s',
      '1m20s',
      '1h',
      '2h05m',
      '1d',
      '1d02h',
    ]);
  });

  it('describes a prisma restore on one line: the target, its status, the requests and the database polls', () => {
    const line = progressLine(
      {
        phase: 'waiting-for-database',
        profile: 'prisma',
        databaseId: 'db_1',
        backupId: 'c1',
        backupStatus: 'completed',
        pollsMade: 0,
        continuedAsNew: 0,
        targetDatabaseId: 'db_2',
        restoreStep: 'applied',
        restoreRequestsSent: 1,
        databaseStatus: 'recovering',
        databasePollsMade: 2,
        nextPollAt: 5_000,
      },
      0,
    );
    assert.equal(
      line,
      'waiting-for-database · backup c1 completed · polls 0 · into db_2 recovering · restore requests 1 · database polls 2 · next poll in 5s',
    );
    assert.match(
      progressLine(
        {
          phase: 'waiting-for-database',
          databaseId: 'db_1',
          pollsMade: 0,
          continuedAsNew: 0,
          targetDatabaseId: 'db_9',
          createdDatabaseId: 'db_9',
          restoreStep: 'applied',
        },
        0,
      ),
      /· new database db_9 ·|· new database db_9$/,
    );
  });
});
