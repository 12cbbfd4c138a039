import { strict as assert } from 'assert';
import { ActivityFailure, ApplicationFailure, CancelledFailure, RetryState, TimeoutFailure } from '@temporalio/common';
import { DEFAULT_POLL_POLICY } from '../../src/shared/poll-policy';
import type { DatabaseWait, RestoreProgress } from '../../src/shared/workflow-types';
import {
  afterConflict,
  afterReadBack,
  beginDatabaseWait,
  databaseWaitDone,
  databaseWaitEnding,
  recordDatabasePoll,
  restoreFailureAction,
} from '../../src/workflows/restore-state';

const ours = { databaseId: 'db_src', backupId: 'c1' };
const other = { databaseId: 'db_src', backupId: 'c0' };
const policy = { ...DEFAULT_POLL_POLICY, failingLimitMs: 3_600_000 };
const HOUR = 3_600_000;
const wait = beginDatabaseWait(1_000, HOUR);
const restore = (step: RestoreProgress['step'], w: DatabaseWait, extra: Partial<RestoreProgress> = {}) => ({
  databaseId: 'db_2',
  created: false,
  step,
  requestsSent: 1,
  sourceBefore: null,
  backupCompletedAt: 500,
  wait: w,
  ...extra,
});

describe('a wait on a prisma database', () => {
  it('begins with a deadline of its own, and what was last seen', () => {
    assert.deepEqual(wait, { pollsMade: 0, failedPolls: 0, startedAt: 1_000, deadlineAt: 1_000 + HOUR });
    assert.deepEqual(beginDatabaseWait(1_000, HOUR, { status: 'recovering', source: ours }), {
      ...wait,
      status: 'recovering',
      source: ours,
    });
  });

  it('records each look: what it saw replaces what was seen before; a failed one counts in a row', () => {
    const seen = recordDatabasePoll({ ...wait, status: 'ready', source: other, verdict: 'not-applied' }, { status: 'recovering' }, 2_000);
    assert.deepEqual(seen, { ...wait, pollsMade: 1, status: 'recovering' });
    const failing = recordDatabasePoll(recordDatabasePoll(seen, { error: 'a' }, 3_000), { error: 'b' }, 4_000);
    assert.deepEqual([failing.failedPolls, failing.pollFailingSince, failing.lastPollError, failing.status], [2, 3_000, 'b', 'recovering']);
    const answered = recordDatabasePoll(failing, { status: 'ready', source: ours, verdict: 'applied' }, 5_000);
    assert.deepEqual(answered, { ...wait, pollsMade: 4, status: 'ready', source: ours, verdict: 'applied' });
  });

  it('is over: before sending or after a 409, once the target is not busy; a read-back, once it decides; the restore, once ready from our backup', () => {
    const at = (status: 'provisioning' | 'recovering' | 'ready' | 'failure', extra = {}) => ({ ...wait, status, ...extra });
    for (const step of ['check', 'conflict'] as const) {
      assert.deepEqual(
        [wait, at('provisioning'), at('recovering'), at('ready'), at('failure')].map((w) => databaseWaitDone(step, w, ours)),
        [false, false, false, true, true],
      );
    }
    assert.deepEqual(
      [undefined, 'busy', 'applied', 'not-applied', 'undecidable'].map((verdict) =>
        databaseWaitDone('read-back', at('ready', verdict ? { verdict } : {}), ours),
      ),
      [false, false, true, true, true],
    );
    assert.equal(databaseWaitDone('applied', at('recovering', { source: ours }), ours), false);
    assert.equal(databaseWaitDone('applied', at('ready', { source: other }), ours), false, 'ready, but not yet from our backup');
    assert.equal(databaseWaitDone('applied', at('ready', { source: ours }), ours), true);
  });

  describe('ends the run', () => {
    const ending = (step: RestoreProgress['step'], w: DatabaseWait, now = 2_000, extra: Partial<RestoreProgress> = {}) =>
      databaseWaitEnding(restore(step, w, extra), ours, policy, now);
    const failing = recordDatabasePoll(wait, { error: 'GET databases/db_2 answered 503' }, 2_000);

    it('not while it is in time and its reads are answered', () => {
      for (const step of ['check', 'read-back', 'conflict', 'applied'] as const)
        assert.equal(ending(step, { ...wait, status: 'recovering' }), undefined);
      assert.equal(ending('applied', failing, 1_000 + HOUR - 1), undefined);
    });

    it('with RestoreFailed when the restored or created database ends in failure', () => {
      assert.deepEqual(ending('applied', { ...wait, status: 'failure', source: ours }), {
        type: 'RestoreFailed',
        message:
          'The restore of db_2 from backup c1 of database db_src ended in status failure: the database is not usable. Check it in the Prisma Console, then restore it again with a new run.',
      });
      assert.match(
        ending('applied', { ...wait, status: 'failure' }, 2_000, { created: true })!.message,
        /^The database db_2 created from backup c1 .*Delete it, then start a new run\.$/,
      );
    });

    it('at its deadline or after an hour of failing reads, with a type that says what is known', () => {
      const late = (step: RestoreProgress['step']) => ending(step, { ...wait, status: 'recovering' }, wait.deadlineAt)!;
      assert.equal(late('check').type, 'ReadyTimedOut');
      assert.match(late('check').message, /^db_2 was busy .* and db_2 was still recovering 1h later\. No restore was sent\./);
      assert.equal(late('read-back').type, 'RestoreOutcomeUnknown');
      assert.match(late('read-back').message, /may or may not have been applied: .* Nothing was sent twice\. Check the database/);
      assert.equal(late('conflict').type, 'RestoreConflict');
      assert.match(late('conflict').message, /^DATABASE_RESTORE_CONFLICT: .*Nothing was sent twice\./);
      assert.equal(late('applied').type, 'ReadyTimedOut');
      assert.match(
        late('applied').message,
        /is under way, but db_2 was still recovering 1h later\. Nothing is sent again; it may still become ready/,
      );
      const down = ending('applied', failing, 2_000 + HOUR)!;
      assert.equal(down.type, 'PollFailing');
      assert.match(down.message, /reading db_2 has failed for over 1h \(1 in a row\); the last error: "GET databases\/db_2 answered 503"/);
      assert.equal(ending('read-back', failing, 2_000 + HOUR)!.type, 'RestoreOutcomeUnknown');
    });
  });

  it('after a read-back: applied, send again, or the outcome stays unknown', () => {
    const verdict = (v: 'applied' | 'not-applied' | 'undecidable') =>
      afterReadBack(restore('read-back', { ...wait, status: 'ready', verdict: v }), ours);
    assert.equal(verdict('applied'), 'applied');
    assert.equal(verdict('not-applied'), 'send');
    const unknown = verdict('undecidable');
    assert.equal(typeof unknown === 'object' && unknown.type, 'RestoreOutcomeUnknown');
    assert.match(
      (unknown as { message: string }).message,
      /as it already did before the restore was sent, so reading it back cannot tell\. Nothing was sent twice\./,
    );
  });

  it('after a 409: restored from our backup by something else counts; anything else is a conflict, in Prisma CLI words', () => {
    assert.equal(afterConflict(restore('conflict', { ...wait, status: 'ready', source: ours, verdict: 'applied' }), ours), 'applied');
    assert.deepEqual(afterConflict(restore('conflict', { ...wait, status: 'ready', source: other, verdict: 'not-applied' }), ours), {
      type: 'RestoreConflict',
      message:
        'DATABASE_RESTORE_CONFLICT: the API refused the restore of db_2 from backup c1 of database db_src (409): the target was being restored or provisioned by something else; ' +
        'nothing was sent twice. It is now ready from backup c0 of database db_src. Check it, then start a new run to restore it.',
    });
  });
});

describe('what follows a failed restore request', () => {
  const activity = (cause: Error) => new ActivityFailure('failed', 'restore', '1', RetryState.MAXIMUM_ATTEMPTS_REACHED, undefined, cause);
  const app = (type: string, nonRetryable: boolean, details?: unknown[]) =>
    activity(ApplicationFailure.create({ type, message: type, nonRetryable, details }));

  it('sends again only what definitely had no effect: not sent, or 429 (after Retry-After)', () => {
    for (const profile of ['prisma', 'seed'] as const) {
      assert.deepEqual(restoreFailureAction(profile, app('RequestNotSent', false)), {
        kind: 'resend',
        afterMs: undefined,
        outcomeUnknown: false,
      });
      assert.deepEqual(restoreFailureAction(profile, app('RateLimited', false, [{ retryAfterMs: 7_000 }])), {
        kind: 'resend',
        afterMs: 7_000,
        outcomeUnknown: false,
      });
    }
  });

  it('prisma: reads the target back after an unknown outcome, a timed-out or a cancelled attempt; waits out a 409', () => {
    assert.deepEqual(restoreFailureAction('prisma', app('RestoreOutcomeUnknown', true)), { kind: 'read-back' });
    assert.deepEqual(restoreFailureAction('prisma', activity(new TimeoutFailure('heartbeat', undefined, 'HEARTBEAT'))), {
      kind: 'read-back',
    });
    assert.deepEqual(restoreFailureAction('prisma', activity(new CancelledFailure('WORKER_SHUTDOWN'))), { kind: 'read-back' });
    assert.deepEqual(restoreFailureAction('prisma', app('Transient', false)), { kind: 'read-back' });
    assert.deepEqual(restoreFailureAction('prisma', app('RestoreConflict', true)), { kind: 'conflict' });
  });

  it('seed: after an unknown outcome, sends again only through the activity, which refuses unless the API honours Idempotency-Key', () => {
    assert.deepEqual(restoreFailureAction('seed', app('RestoreOutcomeUnknown', false)), {
      kind: 'resend',
      afterMs: undefined,
      outcomeUnknown: true,
    });
    assert.deepEqual(restoreFailureAction('seed', activity(new TimeoutFailure('start', undefined, 'START_TO_CLOSE'))), {
      kind: 'resend',
      outcomeUnknown: true,
    });
    assert.deepEqual(restoreFailureAction('seed', app('RestoreOutcomeUnknown', true)), { kind: 'fail' });
  });

  it('fails on a definite refusal, and on anything that is not an activity failure', () => {
    for (const type of ['BackupNotUsable', 'DatabaseNotFound', 'Unauthorized', 'ProfileMismatch']) {
      assert.deepEqual(restoreFailureAction('prisma', app(type, true)), { kind: 'fail' });
      assert.deepEqual(restoreFailureAction('seed', app(type, true)), { kind: 'fail' });
    }
    assert.deepEqual(restoreFailureAction('prisma', new Error('x')), { kind: 'fail' });
  });
});
