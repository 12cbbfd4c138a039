import { strict as assert } from 'assert';
import type { ScheduleDescription } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { defaultCheckWindowMs, roughDuration, scheduleHealth } from '../../src/cli/schedule/schedule-health';
import { scheduleLines, scheduleRow, scheduleTable, scheduleView, type ScheduledRunOutcome } from '../../src/cli/schedule/schedule-view';

const range = <T>(start: T, end: T = start) => [{ start, end, step: 1 }];

/** A description as the SDK returns it for a schedule the CLI made. */
function description(overrides: { paused?: boolean; note?: string; args?: unknown[] } = {}): ScheduleDescription {
  return {
    scheduleId: 'backup-db_x',
    spec: {
      calendars: [
        {
          second: range(0),
          minute: range(0),
          hour: range(3),
          dayOfMonth: range(1, 31),
          month: range('JANUARY', 'DECEMBER'),
          year: [],
          dayOfWeek: range('SUNDAY', 'SATURDAY'),
          comment: 'cron: 0 3 * * *',
        },
      ],
      intervals: [],
      skip: [],
      timezone: 'Europe/Berlin',
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'backupAndRestoreDatabase',
      workflowId: 'scheduled-backup-db_x',
      taskQueue: 'prisma-backup-restore',
      args: overrides.args ?? [{ databaseId: 'db_x', restore: true, approval: { timeoutMs: 7_200_000 }, backupLabel: 'nightly' }],
    },
    policies: { overlap: 'SKIP', catchupWindow: 3_600_000, pauseOnFailure: true },
    searchAttributes: {},
    typedSearchAttributes: new TypedSearchAttributes(),
    state: { paused: overrides.paused ?? false, note: overrides.note ?? '' },
    info: {
      recentActions: [
        {
          scheduledAt: new Date('2026-11-26T02:00:00Z'),
          takenAt: new Date('2026-11-26T02:00:00.100Z'),
          action: {
            type: 'startWorkflow',
            workflow: { workflowId: 'scheduled-backup-db_x-2026-11-26T02:00:00Z', firstExecutionRunId: 'r1' },
          },
        },
        {
          scheduledAt: new Date('2026-11-27T02:00:00Z'),
          takenAt: new Date('2026-11-27T02:00:00.100Z'),
          action: {
            type: 'startWorkflow',
            workflow: { workflowId: 'scheduled-backup-db_x-2026-11-27T02:00:00Z', firstExecutionRunId: 'r2' },
          },
        },
      ],
      nextActionTimes: [new Date('2026-11-28T02:00:00Z'), new Date('2026-11-29T02:00:00Z')],
      numActionsTaken: 2,
      numActionsMissedCatchupWindow: 0,
      numActionsSkippedOverlap: 1,
      createdAt: new Date('2026-11-20T10:00:00Z'),
      lastUpdatedAt: undefined,
      runningActions: [
        { type: 'startWorkflow', workflow: { workflowId: 'scheduled-backup-db_x-2026-11-27T02:00:00Z', firstExecutionRunId: 'r2' } },
      ],
    },
    raw: {},
  } as unknown as ScheduleDescription;
}

const OLDER = 'scheduled-backup-db_x-2026-11-26T02:00:00Z';
const NEWER = 'scheduled-backup-db_x-2026-11-27T02:00:00Z';
const TIMED_OUT: ScheduledRunOutcome = {
  status: 'failed',
  detail: 'ApprovalTimedOut',
  message: 'Nobody approved restoring backup bkp_1 into db_x within 2h; nothing was restored.',
  endedAt: '2026-11-26T04:05:00Z',
};
const COMPLETED: ScheduledRunOutcome = { status: 'completed', detail: 'backup bkp_2', endedAt: '2026-11-27T02:10:00Z' };

describe('schedule view', () => {
  const outcomes = new Map<string, ScheduledRunOutcome>([
    [OLDER, TIMED_OUT],
    [NEWER, { status: 'running', detail: 'awaiting-approval' }],
  ]);

  it('holds what describe --json prints', () => {
    const view = scheduleView(description(), outcomes);
    assert.equal(view.action, 'Back up db_x, then restore it (after approval)');
    assert.equal(view.databaseId, 'db_x');
    assert.equal(view.restore, true);
    assert.equal(view.approvalTimeout, '2h');
    assert.deepEqual(view.spec, {
      description: 'cron "0 3 * * *": at 03:00 every day',
      timeZone: 'Europe/Berlin',
      cron: ['0 3 * * *'],
      intervals: [],
    });
    assert.equal(view.catchupWindow, '1h');
    assert.deepEqual(view.nextRuns, ['2026-11-28T02:00:00Z', '2026-11-29T02:00:00Z']);
    assert.deepEqual(
      view.recentRuns.map((run) => [run.workflowId, run.status, run.detail]),
      [
        [NEWER, 'running', 'awaiting-approval'],
        [OLDER, 'failed', 'ApprovalTimedOut'],
      ],
    );
    // The newest run that ended: the running one is not it.
    assert.deepEqual(view.lastRun, {
      workflowId: OLDER,
      scheduledAt: '2026-11-26T02:00:00Z',
      takenAt: '2026-11-26T02:00:00Z',
      ...TIMED_OUT,
    });
    assert.deepEqual(view.running, ['scheduled-backup-db_x-2026-11-27T02:00:00Z']);
    assert.deepEqual(view.counts, { taken: 2, skippedOverlap: 1, missedCatchupWindow: 0 });
  });

  it('describes the schedule in words, with next runs in its zone', () => {
    const text = scheduleLines(scheduleView(description({ paused: true, note: 'maintenance' }), outcomes)).join('\n');
    assert.match(text, /^Schedule backup-db_x \(paused\)$/m);
    assert.match(text, /When: +cron "0 3 \* \* \*": at 03:00 every day$/m);
    assert.match(text, /Time zone: +Europe\/Berlin$/m);
    assert.match(text, /Restore: +yes, after approval \(within 2h\)$/m);
    assert.match(text, /State: +paused: maintenance$/m);
    assert.match(text, /Catch-up window: +1h /m);
    assert.match(text, /Workflow ids: +scheduled-backup-db_x-<scheduled time, UTC>$/m);
    assert.match(text, /Next runs \(once unpaused\):\n {4}2026-11-28 03:00 Europe\/Berlin {2}\(2026-11-28T02:00:00Z\)/);
    assert.match(
      text,
      /^ {2}Last run: +FAILED: ApprovalTimedOut: Nobody approved restoring backup bkp_1 into db_x within 2h; nothing was restored\. \(scheduled-backup-db_x-2026-11-26T02:00:00Z, scheduled 2026-11-26T02:00:00Z\)$/m,
    );
    assert.match(text, /On failure: +pause the schedule \(no further run starts until it is unpaused\)$/m);
    assert.match(text, /2026-11-26T02:00:00Z {2}scheduled-backup-db_x-2026-11-26T02:00:00Z {2}FAILED \(ApprovalTimedOut: Nobody approved/);
    assert.match(text, /2026-11-27T02:00:00Z {2}scheduled-backup-db_x-2026-11-27T02:00:00Z {2}running \(awaiting-approval\)$/m);
  });

  it('a backup-only schedule keeps going after a failure, and says so', () => {
    const view = scheduleView(description({ args: [{ databaseId: 'db_x', restore: false }] }));
    assert.match(
      scheduleLines({ ...view, pauseOnFailure: false }).join('\n'),
      /On failure: +keep going \(the next run starts as scheduled/,
    );
  });

  it('says where every run restores: the database it replaces, or a new one (a drill); and which API it speaks', () => {
    const seed = scheduleView(description());
    assert.equal(seed.profile, 'seed', 'a schedule made before profiles existed runs seed runs');
    assert.equal(seed.restoreInto, 'db_x');
    assert.match(scheduleLines(seed).join('\n'), /Restores into: +db_x, replacing its data$/m);
    const restore = scheduleView(
      description({ args: [{ profile: 'prisma', databaseId: 'db_x', targetDatabaseId: 'db_stage', restore: true }] }),
    );
    assert.equal(restore.restoreInto, 'db_stage');
    assert.match(scheduleLines(restore).join('\n'), /API profile: +prisma$/m);
    assert.equal(scheduleRow(restore).action, 'restore');
    const drill = scheduleView(
      description({ args: [{ profile: 'prisma', databaseId: 'db_x', newDatabase: { projectId: 'proj_1' }, approval: {} }] }),
    );
    assert.equal(drill.restoreInto, undefined);
    assert.equal(drill.newDatabaseIn, 'proj_1');
    assert.match(scheduleLines(drill).join('\n'), /Restores into: +a new database in project proj_1, replacing nothing$/m);
    assert.equal(scheduleRow(drill).action, 'restore (approval)');
    const backupOnly = scheduleView(description({ args: [{ databaseId: 'db_x', restore: false }] }));
    assert.equal(backupOnly.restoreInto, undefined);
    assert.doesNotMatch(scheduleLines(backupOnly).join('\n'), /Restores into/);
  });

  it('lists schedules in a table', () => {
    const rows = [
      scheduleRow(scheduleView(description())),
      scheduleRow(scheduleView(description({ paused: true, args: [{ databaseId: 'db_x', restore: false }] }))),
    ];
    assert.deepEqual(rows[0], {
      scheduleId: 'backup-db_x',
      databaseId: 'db_x',
      action: 'backup+restore (approval)',
      when: 'cron "0 3 * * *": at 03:00 every day',
      timeZone: 'Europe/Berlin',
      state: 'active',
      nextRun: '2026-11-28 03:00 Europe/Berlin',
      lastRun: '',
    });
    assert.equal(
      scheduleRow(scheduleView(description(), new Map([[OLDER, TIMED_OUT]]))).lastRun,
      'FAILED (ApprovalTimedOut) 2026-11-26 03:00 Europe/Berlin',
    );
    assert.equal(
      scheduleRow(scheduleView(description(), new Map([[NEWER, COMPLETED]]))).lastRun,
      'completed 2026-11-27 03:00 Europe/Berlin',
    );
    assert.equal(rows[1].action, 'backup');
    assert.equal(rows[1].nextRun, '');
    const table = scheduleTable(rows);
    assert.match(table[0], /^SCHEDULE +DATABASE +ACTION +WHEN +TIME ZONE +STATE +NEXT RUN +LAST RUN$/);
    assert.equal(table.length, 3);
  });
});

describe('schedule health (schedule check)', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const DAY = 86_400_000;
  const backupOnly = (paused = false) =>
    description({ paused, note: paused ? 'maintenance' : '', args: [{ databaseId: 'db_x', restore: false }] });
  const health = (outcomes: [string, ScheduledRunOutcome][], windowMs: number | undefined, paused = false) =>
    scheduleHealth(scheduleView(backupOnly(paused), new Map(outcomes)), now, windowMs);

  it('is healthy when the newest ended run completed within the window', () => {
    const ok = health([[NEWER, COMPLETED]], 30 * 3_600_000);
    assert.equal(ok.healthy, true);
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.lastSuccess, `last successful run ${NEWER} ended 2026-11-27T02:10:00Z (backup bkp_2)`);
  });

  it('is unhealthy when the newest ended run failed, even with an older success, saying why', () => {
    const failed = health(
      [
        [NEWER, TIMED_OUT],
        [OLDER, { ...COMPLETED, endedAt: '2026-11-26T02:10:00Z' }],
      ],
      2 * DAY,
    );
    assert.equal(failed.healthy, false);
    assert.deepEqual(failed.problems, [
      {
        kind: 'failed',
        text: `last run ${NEWER} (scheduled 2026-11-27T02:00:00Z) FAILED: ApprovalTimedOut: Nobody approved restoring backup bkp_1 into db_x within 2h; nothing was restored.`,
      },
    ]);
    assert.match(failed.lastSuccess, new RegExp(`^last successful run ${OLDER} ended 2026-11-26T02:10:00Z`));
  });

  it('a later successful run clears a failure; a running run neither clears nor raises it', () => {
    assert.equal(
      health(
        [
          [NEWER, COMPLETED],
          [OLDER, TIMED_OUT],
        ],
        30 * 3_600_000,
      ).healthy,
      true,
    );
    const stillFailed = health(
      [
        [NEWER, { status: 'running', detail: 'waiting-for-backup' }],
        [OLDER, TIMED_OUT],
      ],
      undefined,
    );
    assert.deepEqual(
      stillFailed.problems.map((p) => p.kind),
      ['failed'],
    );
  });

  it('is unhealthy when paused, or when no run completed within the window', () => {
    assert.deepEqual(health([[NEWER, COMPLETED]], undefined, true).problems, [
      { kind: 'paused', text: 'paused (maintenance): no run starts until it is unpaused' },
    ]);
    const overdue = health([[NEWER, COMPLETED]], 6 * 3_600_000);
    assert.deepEqual(overdue.problems, [
      {
        kind: 'overdue',
        text: 'no successful run for 9h 50m (the last one ended 2026-11-27T02:10:00Z); a backup is expected at least every 6h',
      },
    ]);
    // No success yet: counted from the schedule's creation (2026-11-20T10:00Z), or, when older runs are
    // no longer among the recent ones, said so.
    const none: [string, ScheduledRunOutcome][] = [
      [NEWER, TIMED_OUT],
      [OLDER, TIMED_OUT],
    ];
    assert.equal(
      health(none, 2 * DAY).problems[1].text,
      'no successful run since the schedule was created 7d 2h ago; a backup is expected at least every 2d',
    );
    const many = backupOnly();
    many.info.numActionsTaken = 40;
    assert.equal(
      scheduleHealth(scheduleView(many, new Map(none)), now, 2 * DAY).problems[1].text,
      'none of the last 2 runs completed; a backup is expected at least every 2d',
    );
  });

  it('the default window: the longest gap between next runs, plus the deadline and the approval wait', () => {
    const withApproval = description(); // nightly, approval 2h, default deadline 6h
    assert.equal(defaultCheckWindowMs(withApproval), DAY + 6 * 3_600_000 + 7_200_000);
    assert.equal(defaultCheckWindowMs(backupOnly()), DAY + 6 * 3_600_000);
    const once = backupOnly();
    once.info.nextActionTimes = [new Date('2026-11-28T02:00:00Z')];
    assert.equal(defaultCheckWindowMs(once), undefined);
  });

  it('says lengths of time as people do', () => {
    assert.deepEqual([0, 59_000, 45 * 60_000, 26 * 3_600_000 + 5 * 60_000, 3 * DAY + 4 * 3_600_000 + 1, 2 * DAY].map(roughDuration), [
      'under a minute',
      'under a minute',
      '45m',
      '1d 2h',
      '3d 4h',
      '2d',
    ]);
  });
});
