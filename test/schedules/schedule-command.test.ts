// `schedule create` and `schedule check` against the real Temporal dev server, driven in-process
// through commander. Runs go to a task queue no worker polls (checked as started, then terminated);
// runs on a worker are in schedule-command.slow.test.ts. `schedule list|describe|pause|unpause|
// trigger|backfill|delete` are gone: `temporal schedule …` and the Web UI do them, so the tests do
// those steps with the client, as those tools do.
import { strict as assert } from 'assert';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { DATABASE_ID_KEY, PHASE_KEY, WORKFLOW_TYPE } from '../../src/shared/constants';
import { EXIT } from '../../src/cli/context';
import { uniqueId } from '../support/harness';
import { connectTestClient } from '../support/temporal';
import { cli as runCli } from '../support/cli';
import { ok, scheduleCleanup } from './schedule-support';
import { eventually } from '../support/eventually';

describe('schedule create and check (Temporal dev server)', function () {
  this.timeout(120_000);
  let client: Client;
  const taskQueue = uniqueId('sched');
  const cleanup = scheduleCleanup(() => client, taskQueue);
  const run = (...args: string[]) => runCli({ client, taskQueue }, 'schedule', ...args);
  /** The command must fail before contacting Temporal. */
  const runOffline = (...args: string[]) => runCli({ taskQueue }, 'schedule', ...args);
  const describe_ = (id: string) => client.schedule.getHandle(id).describe();

  /** A unique schedule id (and database id), deleted after the test. */
  function ids(): { id: string; db: string } {
    const suffix = uniqueId('s').slice(2).replace(/-/g, '');
    const id = `test-${suffix}`;
    cleanup.created.add(id);
    return { id, db: `db_${suffix}` };
  }

  before(async () => {
    client = await connectTestClient();
  });
  afterEach(() => cleanup.clean());
  after(async () => {
    await client?.connection.close();
  });

  it('create then check: a nightly backup-only schedule in a time zone, with SKIP, a catch-up window, going on after a failure; healthy', async () => {
    const { id, db } = ids();
    const result = ok(
      await run('create', id, '--database-id', db, '--cron', '0 3 * * *', '--time-zone', 'Europe/Berlin', '--label', 'nightly'),
    );
    assert.match(
      result.out[0],
      new RegExp(`^Schedule ${id} created: Back up ${db} \\(no restore\\)\\. Next runs: \\S+Z, \\S+Z, \\S+Z\\.$`),
    );
    assert.equal(
      result.out[1],
      `Pause, trigger, backfill or delete it with \`temporal schedule toggle|trigger|backfill|delete --schedule-id ${id}\`, or in the Web UI's Schedules page.`,
    );

    const d = await describe_(id);
    assert.equal(d.spec.timezone, 'Europe/Berlin');
    assert.deepEqual(d.policies, { overlap: 'SKIP', catchupWindow: 3_600_000, pauseOnFailure: false });
    assert.equal(d.state.paused, false);
    assert.equal(d.action.type, 'startWorkflow');
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

    // No run yet, and the first is not due: healthy.
    const check = ok(await run('check', id));
    assert.match(check.out[0], new RegExp(`^${id}: healthy \\(last completed run ended \\S+Z\\)$`));
    const json = JSON.parse(ok(await run('check', id, '--json')).out[0]);
    assert.deepEqual(json, { scheduleId: id, healthy: true, problems: [], lastSuccess: json.lastSuccess });
    assert.equal(json.lastSuccess, d.info.createdAt.toISOString(), 'until a run completes, the window counts from the creation');
  });

  it('create: an interval with an offset, the default schedule id backup-<database>, --paused and --json; check says paused, and --within', async () => {
    const db = `db_${uniqueId('i').slice(2).replace(/-/g, '')}`;
    const id = `backup-${db}`;
    cleanup.created.add(id);
    const created = ok(
      await run('create', '--database-id', db, '--every', '12h', '--offset', '30m', '--catchup-window', '3h', '--paused', '--json'),
    );
    const printed = JSON.parse(created.out[0]);
    assert.deepEqual(printed, { scheduleId: id, saved: 'created', kind: 'backup', nextActionTimes: printed.nextActionTimes });
    const d = await describe_(id);
    assert.deepEqual(d.spec.intervals, [{ every: 43_200_000, offset: 1_800_000 }]);
    assert.equal(d.policies.catchupWindow, 10_800_000);
    assert.equal(d.action.workflowId, `scheduled-${id}`);
    assert.equal(d.state.paused, true);
    for (const next of d.info.nextActionTimes) assert.match(next.toISOString(), /T(00|12):30:00/);

    const paused = await run('check', id);
    assert.equal(paused.code, EXIT.failed, paused.text);
    assert.match(paused.out[0], new RegExp(`^${id}: UNHEALTHY: paused`));
    await client.schedule.getHandle(id).unpause('test');
    ok(await run('check', id));
    const within = await run('check', id, '--within', '1ms', '--json');
    assert.equal(within.code, EXIT.failed);
    assert.deepEqual(JSON.parse(within.out[0]).problems, ['no run completed within 1ms']);
  });

  it('create: bad flags are refused in flag terms before Temporal is contacted', async () => {
    const { id, db } = ids();
    const cases: [string[], RegExp][] = [
      [
        ['--cron', '0 3 * * *', '--time-zone', 'Europe/Berln'],
        /^✖ \[INVALID_INPUT\] Nothing was created: --time-zone "Europe\/Berln" is not a time zone\./,
      ],
      [['--every', '24h', '--time-zone', 'Europe/Berlin'], /--time-zone applies to --cron; --every counts from 1970-01-01 UTC\./],
      [['--cron', '0 3 * * *', '--every', '1h'], /give exactly one of --cron and --every/],
      [[], /give exactly one of --cron and --every/],
      [['--every', '1 day'], /--every takes a duration with a unit/],
      [['--cron', '0 3 * * *', '--catchup-window', 'soon'], /--catchup-window takes a duration with a unit/],
      [
        ['--cron', '0 3 * * *', '--with-restore'],
        new RegExp(`NOT_CONFIRMED\\] This replaces all data of ${db}, and nothing confirmed it; nothing was created\\.`),
      ],
      [
        ['--cron', '0 3 * * *', '--with-restore', '--confirm', 'db_other'],
        new RegExp(`--confirm db_other does not name a database this replaces: it replaces the data of ${db}; nothing was created\\.`),
      ],
      [['--cron', '0 3 * * *', '--with-restore', '--yes'], /^✖ \[CONFIRM_BY_ID\] --yes confirms nothing/],
      [['--cron', '0 3 * * *', '--approval-timeout', '2h'], /--approval-timeout does not apply to a schedule of backup runs\./],
      [['--cron', '0 3 * * *', '--no-approval'], /--no-approval only applies with --with-restore\./],
      [
        ['--cron', '0 3 * * *', '--drill', '--with-restore'],
        /--drill replaces no data and --with-restore does: a schedule is one or the other\./,
      ],
      [['--cron', '0 3 * * *', '--poll-initial', '10m', '--poll-max', '1m'], /--poll-max must not be smaller than --poll-initial/],
      [['--cron', '0 3 * * *', '--deadline', 'soon'], /--deadline takes a duration with a unit/],
    ];
    for (const [flags, message] of cases) {
      const result = await runOffline('create', id, '--database-id', db, ...flags);
      assert.equal(result.code, EXIT.usage, `${flags.join(' ')}: ${result.text}`);
      assert.match(result.err.join('\n'), message, flags.join(' '));
    }
    const bad = await runOffline('create', '--database-id', 'db-1', '--cron', '0 3 * * *');
    assert.equal(bad.code, EXIT.usage);
    assert.match(bad.text, /--database-id is not a database id/);
    const missing = await runOffline('create', '--cron', '0 3 * * *');
    assert.equal(missing.code, EXIT.usage);
    assert.match(missing.text, /--database-id is required/);
    await assert.rejects(describe_(id), ScheduleNotFoundError);
  });

  it('create: a cron Temporal refuses is bad input, exit 2, naming --cron', async () => {
    for (const cron of ['0 3 * *', '0 25 * * *']) {
      const { id, db } = ids();
      const result = await run('create', id, '--database-id', db, '--cron', cron);
      assert.equal(result.code, EXIT.usage, result.text);
      assert.match(result.err.join('\n'), /--cron/);
      assert.doesNotMatch(result.err.join('\n'), /UNEXPECTED/);
    }
  });

  it('create on an existing id fails clearly; with --update it changes the schedule in place, keeping it paused', async () => {
    const { id, db } = ids();
    ok(await run('create', id, '--database-id', db, '--cron', '0 3 * * *'));
    const again = await run('create', id, '--database-id', db, '--cron', '0 4 * * *');
    assert.equal(again.code, EXIT.usage);
    assert.equal(
      again.err.join('\n'),
      `✖ [ALREADY_EXISTS] Schedule ${id} exists; nothing was created.\n→ Add --update to change it, or \`temporal schedule delete\` it first.`,
    );
    assert.deepEqual((await describe_(id)).spec.calendars?.[0].hour, [{ start: 3, end: 3, step: 1 }]);

    // As `temporal schedule toggle --pause --reason maintenance` does.
    await client.schedule.getHandle(id).pause('maintenance');
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
        `^Schedule ${id} updated: Back up ${db}, then restore it \\(after approval\\), each restore after \`approve\`\\. Next runs: `,
      ),
    );
    const d = await describe_(id);
    assert.deepEqual(d.spec.calendars?.[0].hour, [{ start: 4, end: 4, step: 1 }]);
    assert.deepEqual(d.spec.calendars?.[0].dayOfWeek, [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }]);
    assert.equal(d.spec.timezone, 'America/New_York');
    assert.deepEqual(d.action.args, [{ profile: 'seed', databaseId: db, approval: {} }]);
    assert.equal(d.action.type === 'startWorkflow' && d.action.staticSummary, `Back up ${db}, then restore it (after approval)`);
    // A failed restore pauses a schedule that restores, so none follows before someone looked.
    assert.equal(d.policies.pauseOnFailure, true);
    assert.deepEqual(d.state, { paused: true, note: 'maintenance', remainingActions: undefined });
  });

  it('create --update on a new id creates it', async () => {
    const { id, db } = ids();
    const result = ok(await run('create', id, '--database-id', db, '--every', '1h', '--update', '--json'));
    assert.equal(JSON.parse(result.out[0]).saved, 'created');
    await describe_(id);
  });

  it('a run it starts (as `temporal schedule trigger` starts one) has the scheduled id prefix, search attributes, summary and details; a second is skipped while it runs', async () => {
    const { id, db } = ids();
    ok(await run('create', id, '--database-id', db, '--cron', '0 3 * * *', '--label', 'adhoc'));
    const schedule = client.schedule.getHandle(id);
    // `temporal schedule trigger` applies the schedule's overlap policy, SKIP (the client's default would allow all).
    await schedule.trigger(ScheduleOverlapPolicy.SKIP);
    const workflowId = await eventually(async () => {
      const [action] = (await schedule.describe()).info.recentActions;
      assert.ok(action, 'no run started yet');
      return action.action.workflow.workflowId;
    });
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
    assert.match((await wf.staticDetails()) ?? '', /- \*\*Restore\*\*: no/);
    const history = await handle.fetchHistory();
    const started = history.events?.[0].workflowExecutionStartedEventAttributes;
    assert.ok(started?.input?.payloads?.[0]?.data);
    assert.deepEqual(JSON.parse(Buffer.from(started.input.payloads[0].data).toString()), {
      profile: 'seed',
      databaseId: db,
      backupLabel: 'adhoc',
      restore: false,
    });

    await schedule.trigger(ScheduleOverlapPolicy.SKIP);
    await eventually(async () => {
      const d = await schedule.describe();
      assert.equal(d.info.numActionsTaken, 1);
      assert.equal(d.info.numActionsSkippedOverlap, 1);
    });
  });

  it('check: an unknown schedule id is "not found" (exit 4) with a hint; a bad --within is refused before Temporal is contacted', async () => {
    const id = `missing-${uniqueId('x')}`;
    const result = await run('check', id);
    assert.equal(result.code, EXIT.notFound, result.text);
    assert.equal(result.err.join('\n'), `✖ [NOT_FOUND] No schedule ${id}.\n→ \`temporal schedule list\` shows them.`);
    const bad = await runOffline('check', 'any', '--within', 'soon');
    assert.equal(bad.code, EXIT.usage);
    assert.match(bad.text, /--within takes a duration with a unit/);
  });

  it('list, describe, pause, unpause, trigger, backfill and delete are not commands of ours any more', async () => {
    for (const gone of ['list', 'describe', 'pause', 'unpause', 'trigger', 'backfill', 'delete']) {
      const result = await runOffline(gone, 'any');
      assert.equal(result.code, EXIT.usage, gone);
      assert.match(result.err.join('\n'), new RegExp(`unknown command '${gone}'`));
    }
    const help = ok(await runOffline('--help'));
    assert.match(help.text, /list, pause, trigger, backfill or delete\s+them with `temporal schedule`/);
  });
});
