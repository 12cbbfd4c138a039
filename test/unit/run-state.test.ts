import { strict as assert } from 'assert';
import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure } from '@temporalio/common';
import { DEFAULT_POLL_POLICY } from '../../src/shared/poll-policy';
import type { BackupWait } from '../../src/shared/workflow-types';
import { pollErrorText } from '../../src/workflows/poll-error';
import {
  beginWait,
  carriedState,
  initialState,
  MAX_UNLISTED_POLLS,
  recordPoll,
  runStatus,
  waitEnding,
  type RunState,
} from '../../src/workflows/run-state';

const policy = { ...DEFAULT_POLL_POLICY, deadlineMs: 6 * 3_600_000, failingLimitMs: 3_600_000 };
const wait: BackupWait = beginWait('bkp_1', 'pending', 1_000, policy);
const waiting: RunState = { phase: 'waiting-for-backup', databaseId: 'db_1', runStartedAt: 500, continuedAsNew: 0, wait };
const failed = (error: string) => ({ error });

describe("a run's state", () => {
  it('begins a wait with no polls and a deadline counted from now', () => {
    assert.deepEqual(wait, {
      backupId: 'bkp_1',
      backupStatus: 'pending',
      pollsMade: 0,
      unlistedPolls: 0,
      failedPolls: 0,
      startedAt: 1_000,
      deadlineAt: 1_000 + 6 * 3_600_000,
    });
  });

  describe('the status query derives from it', () => {
    it('before the backup is known: phase, database, no polls', () => {
      assert.deepEqual(runStatus(initialState('db_1', 500), policy), {
        phase: 'starting',
        databaseId: 'db_1',
        pollsMade: 0,
        continuedAsNew: 0,
        runStartedAt: 500,
        failedPolls: 0,
      });
    });

    it('while waiting: the backup, polls, next poll and deadline', () => {
      assert.deepEqual(runStatus({ ...waiting, nextPollAt: 9_000 }, policy), {
        phase: 'waiting-for-backup',
        databaseId: 'db_1',
        backupId: 'bkp_1',
        backupStatus: 'pending',
        pollsMade: 0,
        nextPollAt: 9_000,
        deadlineAt: wait.deadlineAt,
        continuedAsNew: 0,
        runStartedAt: 500,
        failedPolls: 0,
      });
    });

    it('while polls fail: how many, the last error, since when and when the run gives up', () => {
      const failing = recordPoll(recordPoll(wait, failed('first'), 2_000), failed('second'), 4_000);
      const status = runStatus({ ...waiting, wait: failing }, policy);
      assert.equal(status.failedPolls, 2);
      assert.equal(status.lastPollError, 'second');
      assert.equal(status.pollFailingSince, 2_000);
      assert.equal(status.pollFailingDeadlineAt, 2_000 + 3_600_000);
    });

    it('once ended: when', () => {
      assert.equal(runStatus({ ...waiting, phase: 'completed', endedAt: 99_000 }, policy).endedAt, 99_000);
    });
  });

  describe('a poll', () => {
    it('that finds our backup takes its status and clears failures and misses', () => {
      const troubled = { ...recordPoll(wait, failed('503'), 2_000), unlistedPolls: 4 };
      const next = recordPoll(troubled, { found: true, status: 'in_progress' }, 3_000);
      assert.equal(next.backupStatus, 'in_progress');
      assert.equal(next.pollsMade, 2);
      assert.equal(next.unlistedPolls, 0);
      assert.equal(next.failedPolls, 0);
      assert.equal(next.pollFailingSince, undefined);
      assert.equal(next.lastPollError, undefined);
    });

    it('whose list lacks our backup counts a miss, not a failure', () => {
      const next = recordPoll(recordPoll(wait, failed('503'), 2_000), { found: false }, 3_000);
      assert.equal(next.unlistedPolls, 1);
      assert.equal(next.failedPolls, 0);
      assert.equal(next.backupStatus, 'pending');
    });

    it('that fails counts in a row from the first failure, keeping the last error, cut to a bounded length', () => {
      const next = recordPoll(recordPoll(wait, failed('a'), 2_000), failed('b'.repeat(600)), 5_000);
      assert.equal(next.failedPolls, 2);
      assert.equal(next.pollsMade, 2);
      assert.equal(next.pollFailingSince, 2_000);
      assert.equal(next.lastPollError, 'b'.repeat(500));
    });
  });

  describe('the wait ends without a restore', () => {
    const ending = (w: BackupWait, now = 2_000) => waitEnding('db_1', w, policy, now);

    it('not while the backup is unfinished, listed, polled and in time', () => {
      assert.equal(ending(wait), undefined);
      assert.equal(ending(recordPoll(wait, failed('503'), 2_000), 2_000 + 3_599_999), undefined);
    });

    it('with BackupFailed when the backup failed', () => {
      assert.equal(ending({ ...wait, backupStatus: 'failed' })?.type, 'BackupFailed');
    });

    it('with BackupNotFound after polls in a row without it', () => {
      assert.equal(ending({ ...wait, unlistedPolls: MAX_UNLISTED_POLLS })?.type, 'BackupNotFound');
    });

    it('with PollFailing, naming the cause, once polls have failed for the configured stretch', () => {
      const failing = recordPoll(recordPoll(wait, failed('x'), 2_000), failed('GET databases/db_1/backups failed (ENOTFOUND)'), 3_000);
      const end = ending(failing, 2_000 + 3_600_000);
      assert.equal(end?.type, 'PollFailing');
      assert.equal(
        end?.message,
        'Polls of backup bkp_1 of database db_1 have failed for over 1h (2 in a row); the last error: "GET databases/db_1/backups failed (ENOTFOUND)". ' +
          'Nothing was restored. Fix what the error names (the API URL, the network, the API itself), then start a new run; ' +
          'the backup may still complete, and `restore --backup-id bkp_1` restores from it.',
      );
    });

    it('with BackupTimedOut at the deadline, saying when polls were failing', () => {
      assert.match(
        ending(wait, wait.deadlineAt)!.message,
        /still pending at the deadline \(6h after the run began waiting\); nothing was restored\.[^"]*$/,
      );
      const failing = recordPoll(wait, failed('answered 503'), wait.deadlineAt - 1_000);
      const end = ending(failing, wait.deadlineAt);
      assert.equal(end?.type, 'BackupTimedOut');
      assert.match(end!.message, /The last poll failed; the last error: "answered 503"\.$/);
    });
  });

  it('carries into a continuation what the wait needs, counting the continuation', () => {
    const polled = recordPoll(wait, failed('503'), 2_000);
    const carried = carriedState({ ...waiting, continuedAsNew: 2, wait: polled, nextPollAt: 5_000 });
    assert.deepEqual(carried, { ...polled, continuedAsNew: 3, runStartedAt: 500 });
    const resumed = initialState('db_1', 800_000, carried);
    assert.deepEqual(resumed, { phase: 'starting', databaseId: 'db_1', runStartedAt: 500, continuedAsNew: 3, wait: polled });
  });
});

describe('a failed poll, in words', () => {
  const activityFailure = (cause: Error) =>
    new ActivityFailure('Activity task failed', 'getBackupStatus', '5', RetryState.MAXIMUM_ATTEMPTS_REACHED, undefined, cause);

  it("is the last attempt's error when the retries ran out", () => {
    const cause = ApplicationFailure.create({
      type: 'Transient',
      message: 'GET databases/db_1/backups answered 503: server error; retrying.',
    });
    assert.equal(pollErrorText(activityFailure(cause)), 'GET databases/db_1/backups answered 503: server error; retrying.');
  });

  it('says which timeout ended the poll, and what its last attempt met', () => {
    const timeout = new TimeoutFailure(undefined, undefined, 'SCHEDULE_TO_CLOSE');
    assert.equal(pollErrorText(activityFailure(timeout)), 'The poll timed out (schedule-to-close).');
    const withLast = new TimeoutFailure(undefined, undefined, 'SCHEDULE_TO_CLOSE');
    Object.defineProperty(withLast, 'cause', { value: new Error('GET databases/db_1/backups timed out; retrying.') });
    assert.equal(
      pollErrorText(activityFailure(withLast)),
      'The poll timed out (schedule-to-close); its last attempt: GET databases/db_1/backups timed out; retrying.',
    );
  });
});
