import { strict as assert } from 'assert';
import type { ScheduleDescription } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { scheduleLines, scheduleRow, scheduleTable, scheduleView } from '../../src/cli/schedule/schedule-view';

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

describe('schedule view', () => {
  const outcomes = new Map([
    ['scheduled-backup-db_x-2026-11-26T02:00:00Z', { status: 'failed', detail: 'ApprovalTimedOut' }],
    ['scheduled-backup-db_x-2026-11-27T02:00:00Z', { status: 'running', detail: 'awaiting-approval' }],
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
        ['scheduled-backup-db_x-2026-11-27T02:00:00Z', 'running', 'awaiting-approval'],
        ['scheduled-backup-db_x-2026-11-26T02:00:00Z', 'failed', 'ApprovalTimedOut'],
      ],
    );
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
    assert.match(text, /2026-11-26T02:00:00Z {2}scheduled-backup-db_x-2026-11-26T02:00:00Z {2}failed \(ApprovalTimedOut\)/);
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
      lastRun: 'scheduled-backup-db_x-2026-11-27T02:00:00Z',
    });
    assert.equal(rows[1].action, 'backup');
    assert.equal(rows[1].nextRun, '');
    const table = scheduleTable(rows);
    assert.match(table[0], /^SCHEDULE +DATABASE +ACTION +WHEN +TIME ZONE +STATE +NEXT RUN +LAST RUN$/);
    assert.equal(table.length, 3);
  });
});
