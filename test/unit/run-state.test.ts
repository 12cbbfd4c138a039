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
const waiting: RunState = { phase: 'waiting-for-backup', profile: 'seed', databaseId: 'db_1', runStartedAt: 500, continuedAsNew: 0, wait };
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
      assert.deepEqual(runStatus(initialState({ databaseId: 'db_1' }, 500), policy), {
        phase: 'starting',
        profile: 'seed',
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
        profile: 'seed',
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

    it('with a prediction: when the wait expects to end, as instants, and from how many earlier backups', () => {
      const predicted = { ...wait, prediction: { earliestMs: 3_000, latestMs: 5_000, samples: 4 } };
      assert.deepEqual(runStatus({ ...waiting, wait: predicted }, policy).expectedCompletion, {
        earliestAt: wait.startedAt + 3_000,
        latestAt: wait.startedAt + 5_000,
        samples: 4,
      });
      assert.equal('expectedCompletion' in runStatus(waiting, policy), false);
    });

    it('a poll keeps the prediction', () => {
      const predicted = { ...wait, prediction: { earliestMs: 3_000, latestMs: 5_000, samples: 4 } };
      assert.deepEqual(recordPoll(predicted, { found: true, status: 'in_progress' }, 2_000).prediction, predicted.prediction);
      assert.deepEqual(recordPoll(predicted, failed('503'), 2_000).prediction, predicted.prediction);
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
    const resumed = initialState({ databaseId: 'db_1' }, 800_000, carried);
    assert.deepEqual(resumed, {
      phase: 'starting',
      profile: 'seed',
      databaseId: 'db_1',
      runStartedAt: 500,
      continuedAsNew: 3,
      wait: polled,
    });
  });
});

describe("a prisma run's state", () => {
  const prismaPolicy = { ...policy, deadlineMs: 24 * 3_600_000 };
  const none = beginWait(undefined, undefined, 1_000, prismaPolicy);

  it('may wait for a backup newer than its start before any is listed', () => {
    assert.deepEqual(none, { pollsMade: 0, unlistedPolls: 0, failedPolls: 0, startedAt: 1_000, deadlineAt: 1_000 + 24 * 3_600_000 });
    assert.deepEqual(recordPoll(none, { noneYet: true }, 2_000), { ...none, pollsMade: 1 });
  });

  it('takes the backup each poll chooses, with when it was taken; forgets it when none qualifies any more', () => {
    const chosen = recordPoll(none, { found: true, status: 'running', backupId: 'c1', createdAt: '2026-11-27T00:00:00Z' }, 2_000);
    assert.deepEqual([chosen.backupId, chosen.backupStatus, chosen.backupCreatedAt], ['c1', 'running', '2026-11-27T00:00:00Z']);
    const newer = recordPoll(chosen, { found: true, status: 'completed', backupId: 'c2', createdAt: '2026-11-27T01:00:00Z' }, 3_000);
    assert.deepEqual([newer.backupId, newer.backupStatus, newer.backupCreatedAt], ['c2', 'completed', '2026-11-27T01:00:00Z']);
    assert.deepEqual(recordPoll(chosen, { noneYet: true }, 3_000), { ...none, pollsMade: 2 });
  });

  it('ends a wait for a newer backup only at the deadline, or when polls keep failing, saying what to do', () => {
    assert.equal(waitEnding('db_1', { ...none, unlistedPolls: 50 }, prismaPolicy, 2_000), undefined);
    const late = waitEnding('db_1', none, prismaPolicy, none.deadlineAt)!;
    assert.equal(late.type, 'BackupTimedOut');
    assert.match(
      late.message,
      /^No backup of database db_1 newer than the run's start was completed at the deadline \(1d after the run began waiting\); nothing was restored\. Prisma's backups are automatic and daily/,
    );
    const failing = waitEnding('db_1', recordPoll(none, failed('503'), 2_000), prismaPolicy, 2_000 + 3_600_000)!;
    assert.equal(failing.type, 'PollFailing');
    assert.match(failing.message, /^Polls of the backup list of database db_1 have failed .* a backup may still be listed later\.$/);
  });

  const restore = {
    databaseId: 'db_2',
    created: false,
    step: 'applied' as const,
    requestsSent: 1,
    sourceBefore: null,
    backupCompletedAt: 3_000,
    wait: {
      pollsMade: 2,
      failedPolls: 1,
      pollFailingSince: 4_000,
      lastPollError: 'x',
      startedAt: 3_500,
      deadlineAt: 9_000,
      status: 'recovering' as const,
    },
  };
  const completed = { ...wait, backupStatus: 'completed' as const, backupCreatedAt: '2026-11-27T00:00:00Z' };
  const restoring: RunState & { wait: BackupWait } = {
    ...waiting,
    profile: 'prisma',
    phase: 'waiting-for-database',
    targetDatabaseId: 'db_2',
    wait: completed,
    restore,
  };

  it('shows the restore in the status: the target, its status and polls, the requests sent, and the failing reads of that wait', () => {
    const status = runStatus(restoring, policy);
    assert.deepEqual(
      [
        status.profile,
        status.targetDatabaseId,
        status.restoreStep,
        status.restoreRequestsSent,
        status.databaseStatus,
        status.databasePollsMade,
        status.databaseDeadlineAt,
      ],
      ['prisma', 'db_2', 'applied', 1, 'recovering', 2, 9_000],
    );
    assert.deepEqual(
      [status.failedPolls, status.lastPollError, status.pollFailingDeadlineAt, status.deadlineAt],
      [1, 'x', 4_000 + 3_600_000, undefined],
    );
    assert.equal(status.createdDatabaseId, undefined);
    assert.equal(runStatus({ ...restoring, restore: { ...restore, created: true } }, policy).createdDatabaseId, 'db_2');
  });

  it('starts knowing its target: the input names it, or the run creates it', () => {
    assert.equal(initialState({ profile: 'prisma', databaseId: 'db_1' }, 0).targetDatabaseId, 'db_1');
    assert.equal(initialState({ profile: 'prisma', databaseId: 'db_1', targetDatabaseId: 'db_2' }, 0).targetDatabaseId, 'db_2');
    assert.equal(initialState({ profile: 'prisma', databaseId: 'db_1', newDatabase: { projectId: 'p' } }, 0).targetDatabaseId, undefined);
    assert.equal(initialState({ databaseId: 'db_1', targetDatabaseId: 'db_1' }, 0).targetDatabaseId, undefined);
  });

  it('carries the restore into a continuation, and takes it back', () => {
    const carried = carriedState(restoring);
    assert.deepEqual(carried, { ...completed, continuedAsNew: 1, runStartedAt: 500, restore });
    const resumed = initialState({ profile: 'prisma', databaseId: 'db_1', targetDatabaseId: 'db_2' }, 9_999, carried);
    assert.deepEqual([resumed.restore, resumed.wait, resumed.continuedAsNew, resumed.runStartedAt], [restore, completed, 1, 500]);
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
