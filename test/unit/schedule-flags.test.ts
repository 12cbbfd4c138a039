import { strict as assert } from 'assert';
import type { ApiProfile } from '../../src/shared/api-types';
import { WORKFLOW_TYPE } from '../../src/shared/constants';
import { backfillRange, parseIsoTime } from '../../src/cli/schedule/backfill-range';
import { ScheduleFlagsError, scheduleRequestFromFlags, type ScheduleCreateFlags } from '../../src/cli/schedule/schedule-flags';
import { createScheduleOptions, PAUSED_AT_CREATE_NOTE, updateScheduleOptions } from '../../src/cli/schedule/schedule-options';
import { defaultScheduleId, scheduledWorkflowId } from '../../src/cli/schedule/schedule-ids';

const NIGHTLY: ScheduleCreateFlags = { databaseId: 'db_x', cron: '0 3 * * *', timeZone: 'Europe/Berlin' };

/** The problems the flags have, as the error lists them. */
function problems(id: string | undefined, flags: ScheduleCreateFlags, profile: ApiProfile = 'seed'): string[] {
  try {
    scheduleRequestFromFlags(id, flags, profile);
  } catch (err) {
    assert.ok(err instanceof ScheduleFlagsError, String(err));
    return err.problems;
  }
  assert.fail('expected the flags to be refused');
}

describe('schedule create flags', () => {
  it('defaults: backup only, id backup-<database>, 1h catch-up window, not paused', () => {
    const request = scheduleRequestFromFlags(undefined, NIGHTLY, 'seed');
    assert.deepEqual(request, {
      scheduleId: 'backup-db_x',
      input: { profile: 'seed', databaseId: 'db_x', restore: false },
      when: { kind: 'cron', cron: '0 3 * * *', timeZone: 'Europe/Berlin' },
      catchupWindowMs: 3_600_000,
      paused: false,
      update: false,
    });
    assert.equal(defaultScheduleId('db_x'), 'backup-db_x');
    assert.equal(scheduledWorkflowId('backup-db_x'), 'scheduled-backup-db_x');
  });

  it('reads the label, poll settings, interval and catch-up window', () => {
    const request = scheduleRequestFromFlags(
      'nightly',
      {
        databaseId: 'db_x',
        every: '12h',
        offset: '30m',
        label: 'nightly',
        pollInitial: '10s',
        pollMax: '5m',
        deadline: '2h',
        pollMode: 'backoff',
        catchupWindow: '3h',
        paused: true,
        update: true,
      },
      'seed',
    );
    assert.equal(request.scheduleId, 'nightly');
    assert.deepEqual(request.when, { kind: 'interval', everyMs: 43_200_000, offsetMs: 1_800_000 });
    assert.deepEqual(request.input, {
      profile: 'seed',
      databaseId: 'db_x',
      backupLabel: 'nightly',
      restore: false,
      poll: { initialIntervalMs: 10_000, maximumIntervalMs: 300_000, deadlineMs: 7_200_000, mode: 'backoff' },
    });
    assert.equal(request.catchupWindowMs, 10_800_000);
    assert.equal(request.paused, true);
    assert.equal(request.update, true);
  });

  it('the time zone defaults to UTC for cron, and is refused with --every (intervals count in UTC)', () => {
    assert.deepEqual(scheduleRequestFromFlags(undefined, { databaseId: 'db_x', cron: '@daily' }, 'seed').when, {
      kind: 'cron',
      cron: '@daily',
      timeZone: 'UTC',
    });
    assert.match(
      problems(undefined, { databaseId: 'db_x', every: '24h', timeZone: 'Europe/Berlin' })[0],
      /--time-zone applies to --cron only/,
    );
    assert.match(problems(undefined, { ...NIGHTLY, timeZone: 'Europe/Berln' })[0], /did you mean Europe\/Berlin/);
  });

  it('needs exactly one of --cron and --every; --offset goes with --every', () => {
    assert.match(problems(undefined, { databaseId: 'db_x' })[0], /Say when to run: --cron "0 3 \* \* \*" .* or --every 24h/);
    assert.match(problems(undefined, { ...NIGHTLY, every: '24h' })[0], /either --cron or --every, not both/);
    assert.match(problems(undefined, { ...NIGHTLY, offset: '1h' })[0], /--offset shifts an --every interval/);
    assert.match(problems(undefined, { databaseId: 'db_x', every: 'daily' })[0], /--every takes a duration with a unit/);
  });

  it('a scheduled restore needs --confirm <the exact database id>, and then waits for approval (24h) unless --no-approval', () => {
    const [unconfirmed] = problems(undefined, { ...NIGHTLY, withRestore: true });
    assert.match(
      unconfirmed,
      /--with-restore makes every scheduled run restore db_x from the backup it has just taken, once someone approves it .* Add --confirm db_x to confirm/,
    );
    assert.match(
      problems(undefined, { ...NIGHTLY, withRestore: true, confirm: 'db_y' })[0],
      /--confirm "db_y" is not the target database: .* must be exactly db_x/,
    );
    assert.match(
      problems(undefined, { ...NIGHTLY, withRestore: true, yes: true, confirm: 'db_x' })[0],
      /^--yes no longer confirms a restore: .* --confirm <target database id>/,
    );
    assert.deepEqual(scheduleRequestFromFlags(undefined, { ...NIGHTLY, withRestore: true, confirm: 'db_x' }, 'seed').input, {
      profile: 'seed',
      databaseId: 'db_x',
      restore: true,
      approval: { timeoutMs: 86_400_000 },
    });
    assert.deepEqual(
      scheduleRequestFromFlags(undefined, { ...NIGHTLY, withRestore: true, confirm: 'db_x', approvalTimeout: '2h' }, 'seed').input.approval,
      { timeoutMs: 7_200_000 },
    );
    assert.deepEqual(
      scheduleRequestFromFlags(undefined, { ...NIGHTLY, withRestore: true, confirm: 'db_x', approval: false }, 'seed').input,
      {
        profile: 'seed',
        databaseId: 'db_x',
        restore: true,
      },
    );
    assert.match(problems(undefined, { ...NIGHTLY, withRestore: true, approval: false })[0], /with no approval, .* Add --confirm db_x/);
  });

  it('prisma: a schedule only restores or drills; into another database it needs that id, into a new one no consent', () => {
    assert.match(problems(undefined, NIGHTLY, 'prisma')[0], /can only restore or drill: Prisma's backups are automatic and daily/);
    assert.match(
      problems(undefined, { ...NIGHTLY, label: 'x', withRestore: true, confirm: 'db_x' }, 'prisma')[0],
      /--label labels an on-demand backup/,
    );
    const restore = { ...NIGHTLY, withRestore: true, targetDatabase: 'db_stage', newerBackup: true };
    assert.match(
      problems(undefined, restore, 'prisma')[0],
      /restore db_stage from the first backup of db_x newer than the run's start, .* Add --confirm db_stage .* with --new-database-in <project id>/,
    );
    assert.match(problems(undefined, { ...restore, confirm: 'db_x' }, 'prisma')[0], /must be exactly db_stage/);
    assert.deepEqual(scheduleRequestFromFlags(undefined, { ...restore, confirm: 'db_stage', readyTimeout: '2h' }, 'prisma').input, {
      profile: 'prisma',
      databaseId: 'db_x',
      restore: true,
      targetDatabaseId: 'db_stage',
      waitForNewerBackup: true,
      readyDeadlineMs: 7_200_000,
      approval: { timeoutMs: 86_400_000 },
    });
    const drill = { ...NIGHTLY, withRestore: true, newDatabaseIn: 'proj_1', region: 'eu-central-1', approval: false };
    assert.deepEqual(scheduleRequestFromFlags(undefined, drill, 'prisma').input, {
      profile: 'prisma',
      databaseId: 'db_x',
      restore: true,
      newDatabase: { projectId: 'proj_1', region: 'eu-central-1' },
    });
    assert.match(
      problems(undefined, { ...drill, confirm: 'db_x' }, 'prisma')[0],
      /a drill into a new database .* replaces none: leave --confirm out/,
    );
    assert.deepEqual(problems(undefined, { ...NIGHTLY, newDatabaseIn: 'proj_1', confirm: 'db_x' }, 'seed'), [
      '--new-database-in applies to --with-restore only.',
      '--confirm applies to --with-restore only.',
    ]);
    assert.match(problems(undefined, { ...drill }, 'seed')[0], /--new-database-in restores into a new database, and the seed API/);
  });

  it('approval flags without --with-restore, or contradicting each other, are refused', () => {
    assert.match(
      problems(undefined, { ...NIGHTLY, approvalTimeout: '1h' })[0],
      /--approval-timeout guards the restore, .* unless --with-restore/,
    );
    assert.match(problems(undefined, { ...NIGHTLY, requireApproval: true })[0], /--require-approval guards the restore/);
    assert.match(problems(undefined, { ...NIGHTLY, approval: false })[0], /--no-approval applies to --with-restore only/);
    assert.match(
      problems(undefined, { ...NIGHTLY, withRestore: true, confirm: 'db_x', approval: false, approvalTimeout: '1h' })[0],
      /either --approval-timeout or --no-approval/,
    );
    assert.match(
      problems(undefined, { ...NIGHTLY, withRestore: true, confirm: 'db_x', approvalTimeout: '500ms' }).join(' '),
      /--approval-timeout must be a whole number from 1000 ms/,
    );
  });

  it("checks the workflow input with the workflow's own rules, in flag terms, listing every problem", () => {
    const found = problems(undefined, {
      databaseId: 'db x',
      cron: '0 3 * *',
      pollInitial: '5',
      deadline: '90d',
      label: 'a\nb',
      catchupWindow: '1s',
    });
    assert.deepEqual(
      found.map((p) => p.split(' ').slice(0, 2).join(' ')),
      ['--cron takes', '--catchup-window must', '--poll-initial takes', '--database-id "db', '--label contains', '--deadline must'],
    );
    assert.match(problems(undefined, { cron: '0 3 * * *' })[0], /--database-id is required/);
    assert.match(problems('-bad', NIGHTLY)[0], /Schedule id "-bad" is not usable/);
    assert.match(
      problems(undefined, { ...NIGHTLY, pollInitial: '10m', pollMax: '1m' })[0],
      /--poll-max must not be smaller than --poll-initial/,
    );
  });

  it('says nothing was created (or changed, with --update)', () => {
    assert.throws(() => scheduleRequestFromFlags(undefined, { databaseId: 'db_x' }, 'seed'), /^ScheduleFlagsError: Nothing was created: /);
    assert.throws(() => scheduleRequestFromFlags(undefined, { databaseId: 'db_x', update: true }, 'seed'), /Nothing was changed: /);
  });
});

describe('schedule options', () => {
  it('start runs as `run` and `backup` do, with a readable id prefix, SKIP, a catch-up window, and going on after a failure', () => {
    const request = scheduleRequestFromFlags(undefined, { ...NIGHTLY, label: 'nightly' }, 'seed');
    const options = createScheduleOptions(request, { taskQueue: 'q1' });
    assert.equal(options.scheduleId, 'backup-db_x');
    assert.deepEqual(options.spec, { cronExpressions: ['0 3 * * * # cron: 0 3 * * *'], timezone: 'Europe/Berlin' });
    assert.deepEqual(options.policies, { overlap: 'SKIP', catchupWindow: 3_600_000, pauseOnFailure: false });
    assert.deepEqual(options.state, {});
    const { action } = options;
    assert.equal(action.workflowType, WORKFLOW_TYPE);
    assert.equal(action.workflowId, 'scheduled-backup-db_x');
    assert.equal(action.taskQueue, 'q1');
    assert.deepEqual(action.args, [{ profile: 'seed', databaseId: 'db_x', backupLabel: 'nightly', restore: false }]);
    assert.equal(action.staticSummary, 'Back up db_x (no restore)');
    assert.match(String(action.staticDetails), /- \*\*Restore\*\*: no/);
    const attributes = (action.typedSearchAttributes as { key: { name: string }; value: unknown }[]).map(({ key, value }) => [
      key.name,
      value,
    ]);
    assert.deepEqual(attributes, [
      ['DatabaseId', 'db_x'],
      ['BackupPhase', 'starting'],
    ]);
    assert.deepEqual(
      (options.typedSearchAttributes as { key: { name: string }; value: unknown }[]).map(({ key, value }) => [key.name, value]),
      [['DatabaseId', 'db_x']],
    );
  });

  it('a failed run pauses a schedule that restores, and only such a one; --update applies the policy too', () => {
    const policies = (flags: ScheduleCreateFlags) =>
      createScheduleOptions(scheduleRequestFromFlags(undefined, flags, 'seed'), { taskQueue: 'q' }).policies;
    assert.equal(policies(NIGHTLY)?.pauseOnFailure, false);
    assert.equal(policies({ ...NIGHTLY, withRestore: true, confirm: 'db_x' })?.pauseOnFailure, true);
    assert.equal(policies({ ...NIGHTLY, withRestore: true, confirm: 'db_x', approval: false })?.pauseOnFailure, true);
    const update = scheduleRequestFromFlags(undefined, { ...NIGHTLY, update: true }, 'seed');
    assert.equal(updateScheduleOptions(update, { taskQueue: 'q' }, { state: { paused: false } }).policies?.pauseOnFailure, false);
  });

  it('create --paused pauses with a note; --update keeps the paused state unless --paused', () => {
    const paused = scheduleRequestFromFlags(undefined, { ...NIGHTLY, paused: true }, 'seed');
    assert.deepEqual(createScheduleOptions(paused, { taskQueue: 'q' }).state, { paused: true, note: PAUSED_AT_CREATE_NOTE });
    const update = scheduleRequestFromFlags(undefined, { ...NIGHTLY, update: true }, 'seed');
    const wasPaused = { state: { paused: true, note: 'maintenance', remainingActions: undefined } };
    assert.deepEqual(updateScheduleOptions(update, { taskQueue: 'q' }, wasPaused).state, {
      paused: true,
      note: 'maintenance',
      remainingActions: undefined,
    });
    const wasActive = { state: { paused: false, note: '' } };
    assert.deepEqual(updateScheduleOptions(update, { taskQueue: 'q' }, wasActive).state, {
      paused: false,
      note: '',
      remainingActions: undefined,
    });
    assert.deepEqual(updateScheduleOptions(paused, { taskQueue: 'q' }, wasActive).state, {
      paused: true,
      note: PAUSED_AT_CREATE_NOTE,
      remainingActions: undefined,
    });
  });
});

describe('schedule backfill range', () => {
  const now = new Date('2026-11-27T12:00:00Z');

  it('reads dates as 00:00 UTC and date-times with their zone', () => {
    assert.equal(parseIsoTime('--from', '2026-11-20').toISOString(), '2026-11-20T00:00:00.000Z');
    assert.equal(parseIsoTime('--from', '2026-11-20T03:00:00Z').toISOString(), '2026-11-20T03:00:00.000Z');
    assert.equal(parseIsoTime('--from', '2026-11-20T03:00+01:00').toISOString(), '2026-11-20T02:00:00.000Z');
    assert.equal(parseIsoTime('--from', '2026-11-20T00:30-05:00').toISOString(), '2026-11-20T05:30:00.000Z');
  });

  it('refuses times without a zone, impossible dates and other forms', () => {
    for (const text of ['2026-11-20T03:00', '2026-02-30', '20 Nov 2026', 'yesterday', '2026-13-01', '']) {
      assert.throws(() => parseIsoTime('--from', text), /--from takes an ISO 8601 date/, text);
    }
  });

  it('needs --from before --to, and --to not in the future', () => {
    assert.deepEqual(backfillRange('2026-11-20', '2026-11-25T00:00:00Z', now), {
      start: new Date('2026-11-20T00:00:00Z'),
      end: new Date('2026-11-25T00:00:00Z'),
    });
    assert.throws(() => backfillRange('2026-11-25', '2026-11-20', now), /Nothing was backfilled: --from must be before --to/);
    assert.throws(() => backfillRange('2026-11-25', '2026-11-25', now), /--from must be before --to/);
    assert.throws(() => backfillRange('2026-11-20', '2026-11-28', now), /--to is in the future.*`schedule trigger` runs one now/);
    assert.throws(() => backfillRange('soon', 'later', now), /--from takes .* --to takes/);
  });
});
