// `schedule` against the real Temporal dev server: every operation, driven in-process through
// commander. Runs go to a task queue no worker polls (they are checked as started, then
// terminated), except in the last test, where a worker and the simulator run one to the end.
import { strict as assert } from 'assert';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { WORKFLOW_TYPE } from '../../src/shared/constants';
import { DATABASE_ID_KEY, PHASE_KEY } from '../../src/shared/search-attributes';
import type { BackupAndRestoreResult } from '../../src/shared/workflow-types';
import { EXIT } from '../../src/cli/context';
import { statusQuery } from '../../src/workflows/messages';
import { expectRunFailure } from '../support/expect-failure';
import { startHarness, uniqueId } from '../support/harness';
import { webUiBase } from '../../src/runs/web-ui';
import { connectTestClient, testNamespace, testTemporalAddress } from '../support/temporal';
import { cli as runCli, type CliRun } from '../support/cli';
import { describeWhenIdle, eventually, sleep } from '../support/eventually';

describe('schedule command (Temporal dev server)', function () {
  this.timeout(120_000);
  let client: Client;
  const taskQueue = uniqueId('sched');
  const created = new Set<string>();
  const run = (...args: string[]) => runCli({ client, taskQueue }, 'schedule', ...args);
  /** The command must fail before contacting Temporal. */
  const runOffline = (...args: string[]) => runCli({ taskQueue }, 'schedule', ...args);
  const describe_ = (id: string) => client.schedule.getHandle(id).describe();

  /** A unique schedule id (and database id), deleted after the test. */
  function ids(): { id: string; db: string } {
    const suffix = uniqueId('s').slice(2).replace(/-/g, '');
    const id = `test-${suffix}`;
    created.add(id);
    return { id, db: `db_${suffix}` };
  }

  const ok = (result: CliRun) => {
    assert.equal(result.code, EXIT.ok, result.text);
    return result;
  };

  before(async () => {
    client = await connectTestClient();
  });

  afterEach(async () => {
    const notFound = (err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    };
    for (const id of created) {
      const handle = client.schedule.getHandle(id);
      const d = await handle.describe().catch(notFound);
      await handle.delete().catch(notFound);
      // The runs it started (on the worker-less queue): end them, to keep the shared server clean.
      for (const { action } of d?.info.recentActions ?? []) {
        await client.workflow
          .getHandle(action.workflow.workflowId)
          .terminate('schedule test cleanup')
          .catch(() => undefined);
      }
    }
    created.clear();
    // And any run the schedules above no longer list (a deleted schedule's, say).
    for await (const execution of client.workflow.list({ query: `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"` })) {
      await client.workflow
        .getHandle(execution.workflowId)
        .terminate('schedule test cleanup')
        .catch(() => undefined);
    }
  });

  after(async () => {
    await client?.connection.close();
  });

  it('create: a nightly backup-only schedule in a time zone, with SKIP, a catch-up window, going on after a failure', async () => {
    const { id, db } = ids();
    const result = ok(
      await run('create', id, '--database-id', db, '--cron', '0 3 * * *', '--time-zone', 'Europe/Berlin', '--label', 'nightly'),
    );
    assert.match(
      result.out[0],
      new RegExp(
        `^Created schedule ${id}: Back up ${db} \\(no restore\\), cron "0 3 \\* \\* \\*": at 03:00 every day \\(Europe/Berlin\\)\\.$`,
      ),
    );
    assert.match(result.text, /Next runs: \d{4}-\d\d-\d\d 03:00 Europe\/Berlin, /);
    assert.match(result.text, new RegExp(`started as scheduled-${id}-<scheduled time, UTC> on task queue ${taskQueue}`));
    assert.match(
      result.text,
      new RegExp(`a failed run does not stop later backups \\(\`prisma-backup schedule check ${id}\` reports it\\)`),
    );

    const d = await describe_(id);
    assert.equal(d.spec.timezone, 'Europe/Berlin');
    assert.equal(d.spec.calendars?.[0].comment, 'cron: 0 3 * * *');
    assert.deepEqual(d.policies, { overlap: 'SKIP', catchupWindow: 3_600_000, pauseOnFailure: false });
    assert.equal(d.state.paused, false);
    assert.equal(d.action.workflowType, WORKFLOW_TYPE);
    assert.equal(d.action.workflowId, `scheduled-${id}`);
    assert.equal(d.action.taskQueue, taskQueue);
    assert.deepEqual(d.action.args, [{ profile: 'seed', databaseId: db, backupLabel: 'nightly', restore: false }]);
    assert.equal(d.typedSearchAttributes.get(DATABASE_ID_KEY), db);
    // 03:00 in Berlin is 02:00 UTC in winter and 01:00 UTC in summer.
    for (const next of d.info.nextActionTimes) {
      assert.equal(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(next),
        '03:00',
      );
    }
  });

  it('create: an interval with an offset, and the default schedule id backup-<database>', async () => {
    const db = `db_${uniqueId('i').slice(2).replace(/-/g, '')}`;
    created.add(`backup-${db}`);
    ok(await run('create', '--database-id', db, '--every', '12h', '--offset', '30m', '--catchup-window', '3h'));
    const d = await describe_(`backup-${db}`);
    assert.deepEqual(d.spec.intervals, [{ every: 43_200_000, offset: 1_800_000 }]);
    assert.equal(d.policies.catchupWindow, 10_800_000);
    assert.equal(d.action.workflowId, `scheduled-backup-${db}`);
    for (const next of d.info.nextActionTimes) assert.match(next.toISOString(), /T(00|12):30:00/);
  });

  it('create: bad flags are refused in flag terms before Temporal is contacted', async () => {
    const { id, db } = ids();
    const cases: [string[], RegExp][] = [
      [
        ['--cron', '0 3 * * *', '--time-zone', 'Europe/Berln'],
        /Nothing was created: --time-zone "Europe\/Berln" is not a time zone name; did you mean Europe\/Berlin\?/,
      ],
      [['--cron', '0 3 * *'], /--cron takes 5 fields/],
      [['--every', '24h', '--time-zone', 'Europe/Berlin'], /--time-zone applies to --cron only/],
      [
        ['--cron', '0 3 * * *', '--with-restore'],
        new RegExp(`--with-restore makes every scheduled run restore ${db} .* Add --confirm ${db} to confirm`),
      ],
      [
        ['--cron', '0 3 * * *', '--with-restore', '--confirm', 'db_other'],
        new RegExp(`--confirm "db_other" is not the target database: .* must be exactly ${db}`),
      ],
      [['--cron', '0 3 * * *', '--with-restore', '--yes'], /--yes no longer confirms a restore: .* --confirm <target database id>/],
      [['--cron', '0 3 * * *', '--approval-timeout', '2h'], /--approval-timeout guards the restore/],
      [['--cron', '0 3 * * *', '--poll-initial', '10m', '--poll-max', '1m'], /--poll-max must not be smaller than --poll-initial/],
      [['--cron', '0 3 * * *', '--deadline', 'soon'], /--deadline takes a duration with a unit/],
    ];
    for (const [flags, message] of cases) {
      const result = await runOffline('create', id, '--database-id', db, ...flags);
      assert.equal(result.code, EXIT.usage, result.text);
      assert.match(result.err.join('\n'), message);
    }
    const bad = await runOffline('create', '--database-id', 'db-1', '--cron', '0 3 * * *');
    assert.equal(bad.code, EXIT.usage);
    assert.match(bad.text, /--database-id "db-1" is not a valid database id/);
    const missing = await runOffline('create', '--cron', '0 3 * * *');
    assert.equal(missing.code, EXIT.usage);
    assert.match(missing.text, /Nothing was created: --database-id is required: pass the id of the database to back up/);
    await assert.rejects(describe_(id), ScheduleNotFoundError);
  });

  it("create: Temporal's own refusal of a spec is a usage error", async () => {
    const { id, db } = ids();
    const result = await run('create', id, '--database-id', db, '--cron', '0 25 * * *');
    assert.equal(result.code, EXIT.usage, result.text);
    assert.match(result.text, /Temporal refused the schedule: .*Nothing was changed/);
  });

  it('create on an existing id fails clearly; with --update it changes the schedule in place, keeping it paused', async () => {
    const { id, db } = ids();
    ok(await run('create', id, '--database-id', db, '--cron', '0 3 * * *'));
    const again = await run('create', id, '--database-id', db, '--cron', '0 4 * * *');
    assert.equal(again.code, EXIT.usage);
    assert.equal(
      again.err.join('\n'),
      `Schedule ${id} exists; use --update to change it or \`prisma-backup schedule delete ${id}\`. Nothing was changed.`,
    );
    assert.equal((await describe_(id)).spec.calendars?.[0].comment, 'cron: 0 3 * * *');

    ok(await run('pause', id, '--note', 'maintenance'));
    const updated = ok(
      await run(
        'create',
        id,
        '--database-id',
        db,
        '--cron',
        '0 4 * * 1-5',
        '--time-zone',
        'America/New_York',
        '--with-restore',
        '--confirm',
        db,
        '--update',
      ),
    );
    assert.match(
      updated.out[0],
      new RegExp(
        `^Updated schedule ${id}: Back up ${db}, then restore it \\(after approval\\), cron "0 4 \\* \\* 1-5": at 04:00 on Mon–Fri \\(America/New_York\\)\\.$`,
      ),
    );
    assert.match(updated.text, /It is paused: `prisma-backup schedule unpause /);
    assert.match(
      updated.text,
      new RegExp(
        `Every run restores into ${db}, replacing its data, once approved: \`prisma-backup approve <workflow id> --backup-id <id> --confirm ${db}\` within 1d`,
      ),
    );
    const d = await describe_(id);
    assert.equal(d.spec.calendars?.[0].comment, 'cron: 0 4 * * 1-5');
    assert.equal(d.spec.timezone, 'America/New_York');
    assert.deepEqual(d.action.args, [{ profile: 'seed', databaseId: db, restore: true, approval: { timeoutMs: 86_400_000 } }]);
    assert.equal(d.action.staticSummary, `Back up ${db}, then restore it (after approval)`);
    assert.deepEqual(d.state, { paused: true, note: 'maintenance', remainingActions: undefined });
  });

  it('create --update on a new id creates it; --paused creates it paused', async () => {
    const { id, db } = ids();
    const result = ok(await run('create', id, '--database-id', db, '--every', '1h', '--update', '--paused', '--json'));
    const printed = JSON.parse(result.out[0]);
    assert.equal(printed.created, true);
    assert.equal(printed.schedule.scheduleId, id);
    assert.equal(printed.schedule.paused, true);
    assert.equal((await describe_(id)).state.paused, true);
  });

  it('list: a table of backup schedules, --json lines, and --database-id', async () => {
    const first = ids();
    const second = ids();
    ok(await run('create', first.id, '--database-id', first.db, '--cron', '30 2 * * *', '--time-zone', 'Asia/Tokyo'));
    ok(await run('create', second.id, '--database-id', second.db, '--every', '6h', '--paused'));
    const table = await eventually(async () => {
      const result = ok(await run('list'));
      assert.ok(
        result.out.some((line) => line.startsWith(second.id)),
        result.text,
      );
      return result;
    });
    assert.match(table.out[0], /^SCHEDULE +DATABASE +ACTION +WHEN +TIME ZONE +STATE +NEXT RUN +LAST RUN$/);
    const firstLine = table.out.find((line) => line.startsWith(first.id));
    assert.match(
      firstLine ?? '',
      new RegExp(
        `^${first.id} +${first.db} +backup +cron "30 2 \\* \\* \\*": at 02:30 every day +Asia/Tokyo +active +\\d{4}-\\d\\d-\\d\\d 02:30 Asia/Tokyo`,
      ),
    );
    assert.match(table.out.find((line) => line.startsWith(second.id)) ?? '', / paused/);

    const json = ok(await run('list', '--json', '--database-id', first.db));
    const rows = json.out.map((line) => JSON.parse(line));
    assert.equal(rows.length, 1);
    assert.equal(rows[0].scheduleId, first.id);
    assert.equal(rows[0].spec.timeZone, 'Asia/Tokyo');
    const none = ok(await run('list', '--database-id', 'db_nothing_here'));
    assert.match(none.text, /No backup schedules for db_nothing_here/);
  });

  it('describe: spec in words, time zone, next runs, paused and note, recent runs with their outcome; --json', async () => {
    const { id, db } = ids();
    ok(
      await run(
        'create',
        id,
        '--database-id',
        db,
        '--cron',
        '0 3 * * *',
        '--time-zone',
        'Europe/Berlin',
        '--approval-timeout',
        '2h',
        '--with-restore',
        '--confirm',
        db,
      ),
    );
    ok(await run('trigger', id));
    ok(await run('pause', id, '--note', 'db migration'));
    const text = ok(await run('describe', id)).text;
    assert.match(text, new RegExp(`^Schedule ${id} \\(paused\\)$`, 'm'));
    assert.match(text, /When: +cron "0 3 \* \* \*": at 03:00 every day$/m);
    assert.match(text, /Time zone: +Europe\/Berlin$/m);
    assert.match(text, /Restore: +yes, after approval \(within 2h\)$/m);
    assert.match(text, /State: +paused: db migration$/m);
    assert.match(text, /Overlap: +SKIP: skip a run while the previous one is still running$/m);
    assert.match(text, /Catch-up window: +1h /m);
    assert.match(text, /On failure: +pause the schedule \(no further run starts until it is unpaused\)$/m);
    assert.match(text, /Next runs \(once unpaused\):\n {4}\d{4}-\d\d-\d\d 03:00 Europe\/Berlin {2}\(\d{4}-\d\d-\d\dT0[12]:00:00Z\)/);
    assert.match(text, new RegExp(`Recent runs \\(newest first\\):\\n {4}\\S+Z {2}scheduled-${id}-\\S+Z {2}running \\(starting\\)`));

    const view = JSON.parse(ok(await run('describe', id, '--json')).out[0]);
    assert.equal(view.paused, true);
    assert.equal(view.note, 'db migration');
    assert.equal(view.spec.timeZone, 'Europe/Berlin');
    assert.deepEqual(view.spec.cron, ['0 3 * * *']);
    assert.equal(view.catchupWindow, '1h');
    assert.equal(view.nextRuns.length, 10);
    assert.equal(view.recentRuns.length, 1);
    assert.match(view.recentRuns[0].workflowId, new RegExp(`^scheduled-${id}-`));
    assert.equal(view.recentRuns[0].status, 'running');
  });

  it('pause and unpause, with notes', async () => {
    const { id, db } = ids();
    ok(await run('create', id, '--database-id', db, '--cron', '0 3 * * *'));
    const paused = ok(await run('pause', id, '--note', 'quarterly freeze'));
    assert.match(paused.out[0], new RegExp(`^Paused schedule ${id} \\(quarterly freeze\\)\\. No run starts until`));
    assert.deepEqual((await describe_(id)).state, { paused: true, note: 'quarterly freeze', remainingActions: undefined });
    const unpaused = ok(await run('unpause', id));
    assert.match(unpaused.out[0], new RegExp(`^Unpaused schedule ${id}\\. Next run: \\d{4}-\\d\\d-\\d\\d 03:00 UTC\\.$`));
    const d = await describe_(id);
    assert.equal(d.state.paused, false);
    assert.equal(d.state.note, 'Unpaused with `prisma-backup schedule unpause`');
  });

  it('trigger: starts a run now with the scheduled id prefix, search attributes and summary; a second one is skipped while it runs', async () => {
    const { id, db } = ids();
    ok(await run('create', id, '--database-id', db, '--cron', '0 3 * * *', '--label', 'adhoc'));
    const first = ok(await run('trigger', id));
    const match = /^Started run (scheduled-\S+Z); follow it with `prisma-backup watch \1`\.$/.exec(first.out[1] ?? '');
    assert.ok(match, first.text);
    const workflowId = match[1];
    assert.match(workflowId, new RegExp(`^scheduled-${id}-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`));

    const handle = client.workflow.getHandle(workflowId);
    const wf = await handle.describe();
    assert.equal(wf.type, WORKFLOW_TYPE);
    assert.equal(wf.taskQueue, taskQueue);
    assert.equal(wf.status.name, 'RUNNING');
    assert.equal(wf.typedSearchAttributes.get(DATABASE_ID_KEY), db);
    assert.equal(wf.typedSearchAttributes.get(PHASE_KEY), 'starting');
    assert.equal(wf.searchAttributes.TemporalScheduledById?.[0], id);
    assert.equal(await wf.staticSummary(), `Back up ${db} (no restore)`);
    assert.match((await wf.staticDetails()) ?? '', /- \*\*Backup label\*\*: adhoc/);
    const history = await handle.fetchHistory();
    const started = history.events?.[0].workflowExecutionStartedEventAttributes;
    assert.ok(started?.input?.payloads?.[0]?.data);
    assert.deepEqual(JSON.parse(Buffer.from(started.input.payloads[0].data).toString()), {
      profile: 'seed',
      databaseId: db,
      backupLabel: 'adhoc',
      restore: false,
    });

    const second = ok(await run('trigger', id));
    assert.match(second.text, new RegExp(`Skipped 1 run: run ${workflowId} is still running, and the overlap policy is SKIP\\.`));
    const d = await describe_(id);
    assert.equal(d.info.numActionsTaken, 1);
    assert.equal(d.info.numActionsSkippedOverlap, 1);
  });

  it('backfill: takes a missed run for the range (the rest skipped while it runs); bad ranges are refused offline', async () => {
    const { id, db } = ids();
    ok(await run('create', id, '--database-id', db, '--cron', '0 3 * * *'));
    const now = Date.now();
    const from = new Date(now - 3 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
    const result = ok(await run('backfill', id, '--from', from, '--to', to));
    assert.match(result.out[0], new RegExp(`^Backfill of schedule ${id} from ${from}T00:00:00Z to ${to} requested\\.$`));
    const startedLine = result.out.find((line) => line.startsWith('Started run'));
    assert.match(startedLine ?? '', new RegExp(`^Started run scheduled-${id}-\\S+T03:00:00Z;`), result.text);
    assert.match(result.text, /Skipped [1-3] runs?: run scheduled-\S+ is still running, and the overlap policy is SKIP\./);

    for (const [fromText, toText, message] of [
      ['2026-11-25', '2026-11-20', /--from must be before --to/],
      ['2026-11-20T03:00', '2026-11-21', /--from takes an ISO 8601 date/],
      ['2020-01-01', '2999-01-01', /--to is in the future/],
    ] as const) {
      const bad = await runOffline('backfill', id, '--from', fromText, '--to', toText);
      assert.equal(bad.code, EXIT.usage, bad.text);
      assert.match(bad.text, message);
    }
  });

  it('delete: the schedule is gone, its running run is named, and a second delete is not found', async () => {
    const { id, db } = ids();
    ok(await run('create', id, '--database-id', db, '--cron', '0 3 * * *'));
    const triggered = ok(await run('trigger', id));
    const workflowId = /Started run (\S+);/.exec(triggered.text)?.[1];
    assert.ok(workflowId, triggered.text);
    const deleted = ok(await run('delete', id));
    assert.equal(deleted.out[0], `Deleted schedule ${id}. No backup was deleted.`);
    assert.equal(deleted.out[1], `  Run ${workflowId} is still running; \`prisma-backup cancel ${workflowId}\` stops it.`);
    await assert.rejects(describe_(id), ScheduleNotFoundError);
    assert.equal((await client.workflow.getHandle(workflowId).describe()).status.name, 'RUNNING');
    const again = await run('delete', id);
    assert.equal(again.code, EXIT.notFound);
  });

  it('an unknown schedule id is "not found" (exit 4) with a hint, for every operation', async () => {
    const id = `missing-${uniqueId('x')}`;
    for (const args of [
      ['describe', id],
      ['check', id],
      ['pause', id],
      ['unpause', id],
      ['trigger', id],
      ['backfill', id, '--from', '2026-01-01', '--to', '2026-01-02'],
      ['delete', id],
    ]) {
      const result = await run(...args);
      assert.equal(result.code, EXIT.notFound, `${args[0]}: ${result.text}`);
      assert.match(
        result.err.join('\n'),
        new RegExp(`^No schedule ${id} in namespace \\S+ at \\S+\\. \`prisma-backup schedule list\` shows the schedules\\.$`),
      );
    }
  });

  it('a triggered run completes on a worker: backup only, and describe shows its outcome', async () => {
    const harness = await startHarness();
    try {
      const id = `test-e2e-${uniqueId('e').slice(2)}`;
      created.add(id);
      const cli = (...args: string[]) => runCli({ client: harness.client, taskQueue: harness.taskQueue }, 'schedule', ...args);
      ok(
        await cli(
          'create',
          id,
          '--database-id',
          'db_demo',
          '--cron',
          '0 3 * * *',
          '--poll-initial',
          '100ms',
          '--poll-max',
          '200ms',
          '--deadline',
          '1m',
        ),
      );
      const triggered = ok(await cli('trigger', id));
      const workflowId = /Started run (\S+);/.exec(triggered.text)?.[1];
      assert.ok(workflowId, triggered.text);
      const result = (await harness.client.workflow.getHandle(workflowId).result()) as BackupAndRestoreResult;
      assert.equal(result.restoreStatus, 'skipped');
      assert.equal(harness.requestsFor('createDatabaseBackup').length, 1);
      assert.equal(harness.requestsFor('restoreDatabaseBackup').length, 0);
      const view = JSON.parse(ok(await cli('describe', id, '--json')).out[0]);
      assert.deepEqual(view.recentRuns[0], {
        workflowId,
        scheduledAt: view.recentRuns[0].scheduledAt,
        takenAt: view.recentRuns[0].takenAt,
        status: 'completed',
        detail: `backup ${result.backupId}`,
        endedAt: view.recentRuns[0].endedAt,
      });
      assert.ok(Date.parse(view.recentRuns[0].endedAt) >= Date.parse(view.recentRuns[0].takenAt));
      assert.deepEqual(view.lastRun, view.recentRuns[0]);
      const described = await describeWhenIdle(harness.client, id);
      assert.equal(described.info.runningActions.length, 0);
    } finally {
      await harness.close();
    }
  });

  it('a scheduled restore waits for approval, then restores', async () => {
    const harness = await startHarness();
    try {
      const id = `test-restore-${uniqueId('r').slice(2)}`;
      created.add(id);
      const cli = (...args: string[]) => runCli({ client: harness.client, taskQueue: harness.taskQueue }, 'schedule', ...args);
      ok(
        await cli(
          'create',
          id,
          '--database-id',
          'db_demo',
          '--cron',
          '0 3 * * *',
          '--with-restore',
          '--confirm',
          'db_demo',
          '--approval-timeout',
          '5m',
          '--poll-initial',
          '100ms',
          '--poll-max',
          '200ms',
        ),
      );
      const triggered = ok(await cli('trigger', id));
      const workflowId = /Started run (\S+);/.exec(triggered.text)?.[1];
      assert.ok(workflowId, triggered.text);
      const handle = harness.client.workflow.getHandle(workflowId);
      const waiting = await eventually(async () => {
        const status = await handle.query(statusQuery);
        assert.equal(status.phase, 'awaiting-approval');
        return status;
      });
      assert.match(ok(await cli('describe', id)).text, new RegExp(`${workflowId} {2}running \\(awaiting-approval\\)`));
      assert.equal(harness.requestsFor('restoreDatabaseBackup').length, 0);
      // Approving a scheduled run takes the target database's id, as creating the schedule did.
      const approve = (...args: string[]) =>
        runCli({ client: harness.client, taskQueue: harness.taskQueue }, 'approve', workflowId, '--backup-id', waiting.backupId!, ...args);
      const unconfirmed = await approve();
      assert.equal(unconfirmed.code, EXIT.usage);
      assert.match(unconfirmed.text, /Nothing was approved: add --confirm db_demo to the same command/);
      ok(await approve('--confirm', 'db_demo'));
      const result = (await handle.result()) as BackupAndRestoreResult;
      assert.equal(result.restoreStatus, 'restoring');
      assert.equal(harness.requestsFor('restoreDatabaseBackup').length, 1);
    } finally {
      await harness.close();
    }
  });

  it('a failed run of a backup-only schedule: it keeps going; list, describe, the Web UI and check say so until a run completes', async () => {
    const harness = await startHarness();
    try {
      const id = `test-fail-${uniqueId('f').slice(2)}`;
      created.add(id);
      const cli = (...args: string[]) => runCli({ client: harness.client, taskQueue: harness.taskQueue }, 'schedule', ...args);
      ok(await cli('create', id, '--database-id', 'db_demo', '--cron', '0 3 * * *', '--poll-initial', '100ms', '--poll-max', '200ms'));
      // The API answers the first backup request 404: that run fails with DatabaseNotFound.
      harness.sim.faults.add({ operation: 'createDatabaseBackup', kind: 'status', status: 404 });
      const failed = startedRun(ok(await cli('trigger', id)));
      const reason = await expectRunFailure(harness.client.workflow.getHandle(failed), 'DatabaseNotFound');
      const d = await describeWhenIdle(harness.client, id);
      assert.equal(d.state.paused, false, 'a failed backup does not stop later backups');
      assert.equal(d.policies.pauseOnFailure, false);
      // The Web UI's schedule page shows each recent run with this status (FAILED is 3 in Temporal's enum).
      await eventually(async () => {
        const raw = (await harness.client.schedule.getHandle(id).describe()).raw;
        assert.equal(raw.info?.recentActions?.at(-1)?.startWorkflowStatus, WORKFLOW_EXECUTION_STATUS_FAILED);
      });

      const failure = `FAILED: DatabaseNotFound: ${reason.message}`;
      const listed = await eventually(async () => {
        const result = ok(await cli('list', '--database-id', 'db_demo'));
        assert.ok(
          result.out.some((line) => line.startsWith(id)),
          result.text,
        );
        return result;
      });
      assert.match(
        listed.out.find((line) => line.startsWith(id)) ?? '',
        / active .* FAILED \(DatabaseNotFound\) \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC$/,
      );
      assert.ok(listed.out.includes(`${id}: last run ${failed} ${failure}`), listed.text);

      const described = ok(await cli('describe', id)).text;
      assert.match(described, new RegExp(`^Schedule ${id}$`, 'm'));
      assert.ok(described.includes(`  Last run:        ${failure} (${failed}, scheduled `), described);
      assert.match(described, /On failure: +keep going \(the next run starts as scheduled; the failure is shown until a run completes\)$/m);
      assert.ok(described.includes(`  ${failed}  FAILED (DatabaseNotFound: ${reason.message})`), described);
      const ui = webUiBase(testTemporalAddress());
      if (ui) assert.ok(described.includes(`  Web UI: ${ui}/namespaces/${testNamespace()}/schedules/${id}`), described);

      const check = await cli('check', id);
      assert.equal(check.code, EXIT.runFailed, check.text);
      assert.match(check.out[0], new RegExp(`^FAILED  ${id}: last run ${failed} \\(scheduled \\S+Z\\) ${escape(failure)}$`));
      assert.equal(check.out[1], '        no successful run yet');
      assert.match(check.out[2], new RegExp(`^ {8}\`prisma-backup schedule describe ${id}\` shows its recent runs`));
      const checkJson = JSON.parse((await cli('check', id, '--json')).out[0]);
      assert.equal(checkJson.healthy, false);
      assert.deepEqual(
        checkJson.problems.map((p: { kind: string }) => p.kind),
        ['failed'],
      );
      assert.equal(checkJson.lastRun.workflowId, failed);

      // The next run completes: the failure is cleared. (A triggered run is named by the second it starts in.)
      await sleep(1000 - (Date.now() % 1000) + 50);
      const later = startedRun(ok(await cli('trigger', id)));
      assert.notEqual(later, failed);
      const result = (await harness.client.workflow.getHandle(later).result()) as BackupAndRestoreResult;
      await describeWhenIdle(harness.client, id);
      const healthy = await cli('check', id);
      assert.equal(healthy.code, EXIT.ok, healthy.text);
      assert.match(healthy.out[0], new RegExp(`^OK {6}${id}: last successful run ${later} ended \\S+Z \\(backup ${result.backupId}\\)$`));
      assert.match(ok(await cli('describe', id)).text, /Last run: +completed: backup /);
      const relisted = ok(await cli('list', '--database-id', 'db_demo'));
      assert.match(relisted.out.find((line) => line.startsWith(id)) ?? '', / active .* completed \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC$/);
      assert.ok(!relisted.text.includes(`${id}: last run`), relisted.text);
    } finally {
      await harness.close();
    }
  });

  it('a failed run of a schedule that restores pauses it, so no further restore runs; describe and check say why', async () => {
    const harness = await startHarness();
    try {
      const id = `test-fail-restore-${uniqueId('f').slice(2)}`;
      created.add(id);
      const cli = (...args: string[]) => runCli({ client: harness.client, taskQueue: harness.taskQueue }, 'schedule', ...args);
      ok(
        await cli(
          'create',
          id,
          '--database-id',
          'db_not_in_the_simulator',
          '--cron',
          '0 3 * * *',
          '--with-restore',
          '--confirm',
          'db_not_in_the_simulator',
          '--no-approval',
        ),
      );
      const workflowId = startedRun(ok(await cli('trigger', id)));
      await expectRunFailure(harness.client.workflow.getHandle(workflowId), 'DatabaseNotFound');
      const paused = await eventually(async () => {
        const d = await harness.client.schedule.getHandle(id).describe();
        assert.equal(d.state.paused, true);
        return d;
      });
      assert.ok(paused.state.note, 'Temporal says why it paused the schedule');
      const text = ok(await cli('describe', id)).text;
      assert.match(text, new RegExp(`^Schedule ${id} \\(paused\\)$`, 'm'));
      assert.match(text, /Last run: +FAILED: DatabaseNotFound: /);
      assert.match(text, new RegExp(`${workflowId} {2}FAILED \\(DatabaseNotFound: `));
      const check = await cli('check', id, '--json');
      assert.equal(check.code, EXIT.runFailed);
      assert.deepEqual(
        JSON.parse(check.out[0]).problems.map((p: { kind: string }) => p.kind),
        ['failed', 'paused'],
      );
      const unpaused = ok(await cli('unpause', id));
      assert.match(unpaused.text, /^Unpaused schedule /);
    } finally {
      await harness.close();
    }
  });

  it('check: a bad --within is refused before Temporal is contacted', async () => {
    const bad = await runOffline('check', 'any', '--within', 'soon');
    assert.equal(bad.code, EXIT.usage);
    assert.match(bad.text, /Nothing was checked: --within takes a duration with a unit/);
  });
});

/** The run a `trigger` reported starting. */
function startedRun(triggered: CliRun): string {
  const workflowId = /Started run (\S+);/.exec(triggered.text)?.[1];
  assert.ok(workflowId, triggered.text);
  return workflowId;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED */
const WORKFLOW_EXECUTION_STATUS_FAILED = 3;
