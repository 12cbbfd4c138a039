// `schedule create` and `schedule check` (src/cli/commands/schedule.ts) through runCli, with a fake
// context and a fake client (plain objects) that records the schedule it would create and answers
// descriptions of schedules and their runs.
import { strict as assert } from 'assert';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type ScheduleOptions } from '@temporalio/client';
import { EXIT, type CliContext } from '../../src/cli/context';
import { runCli } from '../../src/cli/program';
import { FLEET_WORKFLOW_TYPE, WORKFLOW_TYPE } from '../../src/shared/constants';
import type { ApiProfile, RunInput } from '../../src/shared/input';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Run {
  status: 'RUNNING' | 'COMPLETED' | 'FAILED' | 'TERMINATED' | 'TIMED_OUT';
  closedAgoMs?: number;
}

interface Existing {
  paused?: boolean;
  note?: string;
  /** The runs it started, oldest first. */
  runs?: Run[];
  createdAgoMs?: number;
  /** Gaps between its next action times; one time when empty. */
  everyMs?: number[];
  input?: Partial<RunInput>;
  workflowType?: string;
}

/** A client with these schedules; it records what is created or updated. */
function scheduleClient(schedules: Record<string, Existing> = {}) {
  const now = Date.now();
  const created: ScheduleOptions[] = [];
  const updated: unknown[] = [];
  const runs = new Map<string, Run>();
  const describe = async (id: string) => {
    const s = schedules[id];
    if (!s) {
      // A schedule just created: its next runs.
      const made = created.find((c) => c.scheduleId === id);
      if (!made) throw new ScheduleNotFoundError('not found', id);
      return { info: { nextActionTimes: [new Date(now + HOUR), new Date(now + DAY)] } };
    }
    const times = [new Date(now + HOUR)];
    for (const gap of s.everyMs ?? [DAY, DAY]) times.push(new Date(times.at(-1)!.getTime() + gap));
    const recentActions = (s.runs ?? []).map((run, i) => {
      runs.set(`${id}-${i}`, run);
      return { action: { type: 'startWorkflow', workflow: { workflowId: `${id}-${i}`, firstExecutionRunId: `r${i}` } } };
    });
    return {
      scheduleId: id,
      state: { paused: s.paused ?? false, note: s.note },
      info: { nextActionTimes: times, recentActions, createdAt: new Date(now - (s.createdAgoMs ?? 7 * DAY)) },
      action: {
        type: 'startWorkflow',
        workflowType: s.workflowType ?? WORKFLOW_TYPE,
        args: [{ profile: 'seed', databaseId: 'db_x', ...s.input }],
      },
    };
  };
  const client = {
    schedule: {
      create: async (options: ScheduleOptions) => {
        if (schedules[options.scheduleId]) throw new ScheduleAlreadyRunning('exists', options.scheduleId);
        created.push(options);
      },
      getHandle: (id: string) => ({
        describe: () => describe(id),
        update: async (change: (previous: unknown) => unknown) => {
          if (!schedules[id]) throw new ScheduleNotFoundError('not found', id);
          updated.push(
            change({
              spec: {},
              action: {},
              policies: { overlap: 'ALLOW_ALL', catchupWindow: 1, pauseOnFailure: false },
              state: { paused: true },
            }),
          );
        },
      }),
      list: () =>
        (async function* () {
          for (const [scheduleId, s] of Object.entries(schedules))
            yield { scheduleId, action: { type: 'startWorkflow', workflowType: s.workflowType ?? WORKFLOW_TYPE } };
        })(),
    },
    workflow: {
      getHandle: (workflowId: string) => ({
        describe: async () => {
          const run = runs.get(workflowId)!;
          return { status: { name: run.status }, closeTime: run.closedAgoMs === undefined ? undefined : new Date(now - run.closedAgoMs) };
        },
      }),
    },
  };
  return { client, created, updated };
}

async function cli(argv: string[], client: object | undefined, profile: ApiProfile = 'seed') {
  const out: string[] = [];
  const err: string[] = [];
  let contacted = false;
  const ctx: CliContext = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    isTTY: false,
    client: async () => {
      contacted = true;
      if (!client) throw new Error('contacted Temporal');
      return client as never;
    },
    temporal: { address: 'temporal.example:7233', namespace: 'default' },
    taskQueue: 'q1',
    apiProfile: () => profile,
    followIntervalMs: 10,
  };
  const code = await runCli(argv, ctx);
  return { code, out, err, contacted, text: [...out, ...err].join('\n') };
}

const NIGHTLY = ['--database-id', 'db_x', '--cron', '0 3 * * *'];
const attributes = (list: unknown) => (list as { key: { name: string }; value: unknown }[]).map(({ key, value }) => [key.name, value]);

describe('schedule create', () => {
  async function creates(argv: string[], profile: ApiProfile = 'seed') {
    const { client, created, updated } = scheduleClient();
    const run = await cli(['schedule', 'create', ...argv], client, profile);
    assert.equal(run.code, EXIT.ok, run.text);
    assert.equal(created.length + updated.length, 1);
    return { schedule: created[0], run, updated };
  }
  async function refused(argv: string[], code: string, message: RegExp, profile: ApiProfile = 'seed') {
    const run = await cli(['schedule', 'create', ...argv], undefined, profile);
    assert.equal(run.code, EXIT.usage, run.text);
    assert.match(run.err.join('\n'), new RegExp(`^✖ \\[${code}\\] `));
    assert.match(run.err.join('\n'), message);
    assert.equal(run.contacted, false, 'refused before contacting Temporal');
  }

  it('seed, by default: backups only, id backup-<database>, SKIP, 1h catch-up, going on after a failure', async () => {
    const { schedule, run } = await creates([...NIGHTLY, '--time-zone', 'Europe/Berlin', '--label', 'nightly']);
    assert.equal(schedule.scheduleId, 'backup-db_x');
    assert.deepEqual(schedule.spec, { cronExpressions: ['0 3 * * *'], timezone: 'Europe/Berlin' });
    assert.deepEqual(schedule.policies, { overlap: 'SKIP', catchupWindow: HOUR, pauseOnFailure: false });
    assert.deepEqual(schedule.state, { paused: false });
    const action = schedule.action as Record<string, unknown>;
    assert.deepEqual(
      [action.type, action.workflowType, action.workflowId, action.taskQueue],
      ['startWorkflow', WORKFLOW_TYPE, 'scheduled-backup-db_x', 'q1'],
    );
    assert.deepEqual(action.args, [{ profile: 'seed', databaseId: 'db_x', backupLabel: 'nightly', restore: false }]);
    assert.equal(action.staticSummary, 'Back up db_x (no restore)');
    assert.match(String(action.staticDetails), /- \*\*Restore\*\*: no/);
    assert.deepEqual(attributes(action.typedSearchAttributes), [
      ['DatabaseId', 'db_x'],
      ['BackupPhase', 'starting'],
    ]);
    assert.deepEqual(attributes(schedule.typedSearchAttributes), [['DatabaseId', 'db_x']]);
    assert.match(run.out[0], /^Schedule backup-db_x created: Back up db_x \(no restore\)\. Next runs: \d{4}-.*Z, \d{4}-.*Z\.$/);
    assert.match(run.out[1], /temporal schedule toggle\|trigger\|backfill\|delete --schedule-id backup-db_x/);
  });

  it('an interval with an offset, a catch-up window, poll settings, paused; the time zone is UTC for cron by default', async () => {
    const { schedule } = await creates([
      '--database-id',
      'db_x',
      '--every',
      '12h',
      '--offset',
      '30m',
      '--catchup-window',
      '3h',
      '--poll-initial',
      '10s',
      '--poll-mode',
      'backoff',
      '--paused',
    ]);
    assert.deepEqual(schedule.spec, { intervals: [{ every: 12 * HOUR, offset: 30 * 60_000 }] });
    assert.equal(schedule.policies?.catchupWindow, 3 * HOUR);
    assert.deepEqual(schedule.state, { paused: true });
    assert.deepEqual((schedule.action as { args: unknown[] }).args[0], {
      profile: 'seed',
      databaseId: 'db_x',
      restore: false,
      poll: { initialIntervalMs: 10_000, mode: 'backoff' },
    });
    assert.deepEqual((await creates(NIGHTLY)).schedule.spec, { cronExpressions: ['0 3 * * *'], timezone: 'UTC' });
    assert.equal((await creates(['my-id', ...NIGHTLY])).schedule.scheduleId, 'my-id');
  });

  it('when: exactly one of --cron and --every, a time zone only with --cron and a real one, durations with a unit', async () => {
    await refused(['--database-id', 'db_x'], 'INVALID_INPUT', /give exactly one of --cron and --every/);
    await refused([...NIGHTLY, '--every', '1d'], 'INVALID_INPUT', /give exactly one of --cron and --every/);
    await refused(
      ['--database-id', 'db_x', '--every', '1d', '--time-zone', 'Europe/Berlin'],
      'INVALID_INPUT',
      /--time-zone applies to --cron; --every counts from 1970-01-01 UTC/,
    );
    await refused([...NIGHTLY, '--time-zone', 'Mars/Olympus'], 'INVALID_INPUT', /--time-zone "Mars\/Olympus" is not a time zone/);
    await refused(['--database-id', 'db_x', '--every', 'daily'], 'INVALID_INPUT', /--every takes a duration with a unit/);
  });

  it("checks each run's input with the workflow's own rules, in flag terms", async () => {
    await refused(
      ['--database-id', 'db x', '--cron', '0 3 * * *', '--poll-initial', '10m', '--poll-max', '1m'],
      'INVALID_INPUT',
      /--database-id is not a database id.*--poll-max must not be smaller than --poll-initial/,
    );
    await refused(['--cron', '0 3 * * *'], 'INVALID_INPUT', /--database-id is required/);
  });

  it('a scheduled seed restore needs --confirm <the database>, then waits for approval unless --no-approval; a failure pauses it', async () => {
    await refused(
      [...NIGHTLY, '--with-restore'],
      'NOT_CONFIRMED',
      /This replaces all data of db_x, and nothing confirmed it; nothing was created\./,
    );
    await refused(
      [...NIGHTLY, '--with-restore', '--confirm', 'db_y'],
      'NOT_CONFIRMED',
      /--confirm db_y does not name a database this replaces/,
    );
    await refused([...NIGHTLY, '--with-restore', '--confirm', 'db_x', '--yes'], 'CONFIRM_BY_ID', /--yes confirms nothing/);
    const { schedule, run } = await creates([...NIGHTLY, '--with-restore', '--confirm', 'db_x']);
    assert.equal(schedule.scheduleId, 'run-db_x');
    assert.deepEqual((schedule.action as { args: unknown[] }).args, [{ profile: 'seed', databaseId: 'db_x', approval: {} }]);
    assert.equal(schedule.policies?.pauseOnFailure, true);
    assert.match(run.out[0], /, each restore after `approve`\. Next runs:/);
    const timed = await creates([...NIGHTLY, '--with-restore', '--confirm', 'db_x', '--approval-timeout', '2h']);
    assert.deepEqual((timed.schedule.action as { args: RunInput[] }).args[0].approval, { timeoutMs: 2 * HOUR });
    const unapproved = await creates([...NIGHTLY, '--with-restore', '--confirm', 'db_x', '--no-approval']);
    assert.deepEqual((unapproved.schedule.action as { args: unknown[] }).args, [{ profile: 'seed', databaseId: 'db_x' }]);
    assert.equal(unapproved.schedule.policies?.pauseOnFailure, true);
  });

  it("prisma: a schedule restores or drills (its backups are Prisma's own)", async () => {
    await refused(NIGHTLY, 'PROFILE_CANNOT', /Prisma takes its backups itself, daily/, 'prisma');
    const restore = await creates(
      [...NIGHTLY, '--with-restore', '--target-database', 'db_stage', '--newer-backup', '--ready-timeout', '2h', '--confirm', 'db_stage'],
      'prisma',
    );
    assert.equal(restore.schedule.scheduleId, 'restore-db_x');
    assert.deepEqual((restore.schedule.action as { args: unknown[] }).args, [
      {
        profile: 'prisma',
        databaseId: 'db_x',
        targetDatabaseId: 'db_stage',
        waitForNewerBackup: true,
        readyDeadlineMs: 2 * HOUR,
        approval: {},
      },
    ]);
    assert.equal(restore.schedule.policies?.pauseOnFailure, true);
    await refused(
      [...NIGHTLY, '--with-restore', '--target-database', 'db_stage', '--confirm', 'db_x'],
      'NOT_CONFIRMED',
      /replaces the data of db_stage/,
      'prisma',
    );
    await refused(
      [...NIGHTLY, '--with-restore', '--label', 'x', '--confirm', 'db_x'],
      'INVALID_INPUT',
      /--label does not apply to a schedule of restore runs/,
      'prisma',
    );
  });

  it('drills: of one database (drill-<database>), or of every database of a project (a fleet); no consent, no pause', async () => {
    const one = await creates(
      [...NIGHTLY, '--drill', '--project', 'proj_1', '--verify-sql', 'SELECT true', '--region', 'eu-central-1'],
      'prisma',
    );
    assert.equal(one.schedule.scheduleId, 'drill-db_x');
    assert.deepEqual((one.schedule.action as { args: unknown[] }).args, [
      {
        profile: 'prisma',
        databaseId: 'db_x',
        drill: true,
        verify: { sql: 'SELECT true' },
        newDatabase: { projectId: 'proj_1', region: 'eu-central-1' },
      },
    ]);
    assert.equal(one.schedule.policies?.pauseOnFailure, false);
    const fleet = await creates(['--drill', '--project', 'proj_1', '--cron', '0 4 * * *', '--concurrency', '2'], 'prisma');
    assert.equal(fleet.schedule.scheduleId, 'drill-proj_1');
    const action = fleet.schedule.action as Record<string, unknown>;
    assert.deepEqual([action.workflowType, action.workflowId], [FLEET_WORKFLOW_TYPE, 'scheduled-drill-proj_1']);
    assert.deepEqual(action.args, [{ profile: 'prisma', action: 'drill', projectId: 'proj_1', concurrency: 2 }]);
    assert.equal(action.staticSummary, 'Fleet drill over project proj_1');
    assert.equal(fleet.schedule.typedSearchAttributes, undefined);
    await refused([...NIGHTLY, '--drill'], 'INVALID_INPUT', /--project is required by a drill/, 'prisma');
    await refused(
      [...NIGHTLY, '--drill', '--project', 'p', '--confirm', 'db_x'],
      'NOT_CONFIRMED',
      /nothing existing is replaced; nothing was created/,
      'prisma',
    );
    await refused(
      [...NIGHTLY, '--drill', '--project', 'p', '--approval-timeout', '1h'],
      'INVALID_INPUT',
      /--approval-timeout does not apply to a schedule of drill runs/,
      'prisma',
    );
    await refused(
      [...NIGHTLY, '--drill', '--project', 'p'],
      'PROFILE_CANNOT',
      /the seed API cannot create one; nothing was created/,
      'seed',
    );
  });

  it('refuses, never drops, a flag the schedule would not use (BUG: --with-restore with --drill, and --no-approval without --with-restore, are silently ignored)', async () => {
    await refused([...NIGHTLY, '--drill', '--project', 'p', '--with-restore'], 'INVALID_INPUT', /--with-restore/, 'prisma');
    await refused([...NIGHTLY, '--no-approval'], 'INVALID_INPUT', /--no-approval/);
  });

  it('refuses a flag the runs would not use', async () => {
    await refused(
      [...NIGHTLY, '--hold-window', '5m'],
      'INVALID_INPUT',
      /^✖ \[INVALID_INPUT\] Nothing was created: --hold-window does not apply to a schedule of backup runs\./,
    );
    await refused([...NIGHTLY, '--map', 'a=b'], 'INVALID_INPUT', /--map does not apply/);
  });

  it('an existing schedule is changed only with --update', async () => {
    const { client, created, updated } = scheduleClient({ 'backup-db_x': {} });
    const exists = await cli(['schedule', 'create', ...NIGHTLY], client);
    assert.equal(exists.code, EXIT.usage);
    assert.match(exists.err[0], /^✖ \[ALREADY_EXISTS\] Schedule backup-db_x exists; nothing was created\.\n→ Add --update to change it/);
    const update = await cli(['schedule', 'create', ...NIGHTLY, '--update', '--json'], client);
    assert.equal(update.code, EXIT.ok, update.text);
    assert.deepEqual(created, []);
    const [changed] = updated as { policies: Record<string, unknown>; spec: unknown; state: unknown }[];
    assert.deepEqual(changed.policies, { overlap: 'SKIP', catchupWindow: HOUR, pauseOnFailure: false });
    assert.deepEqual(changed.spec, { cronExpressions: ['0 3 * * *'], timezone: 'UTC' });
    assert.deepEqual(changed.state, { paused: true }, 'its paused state is kept');
    assert.deepEqual(Object.keys(JSON.parse(update.out[0])), ['scheduleId', 'saved', 'kind', 'nextActionTimes']);
    assert.equal(JSON.parse(update.out[0]).saved, 'updated');
    // --update of one that does not exist creates it.
    const fresh = scheduleClient();
    assert.equal((await cli(['schedule', 'create', ...NIGHTLY, '--update'], fresh.client)).code, EXIT.ok);
    assert.equal(fresh.created.length, 1);
  });
});

describe('schedule check', () => {
  async function check(schedules: Record<string, Existing>, ...argv: string[]) {
    const { client } = scheduleClient(schedules);
    const run = await cli(['schedule', 'check', ...argv], client);
    return { ...run, lines: run.out };
  }

  it('healthy: the newest ended run completed within the window (the gap between runs plus a run’s deadline)', async () => {
    const healthy = await check(
      {
        'backup-db_x': {
          runs: [
            { status: 'FAILED', closedAgoMs: 2 * DAY },
            { status: 'COMPLETED', closedAgoMs: HOUR },
          ],
        },
      },
      'backup-db_x',
    );
    assert.equal(healthy.code, EXIT.ok, healthy.text);
    assert.match(healthy.lines[0], /^backup-db_x: healthy \(last completed run ended \d{4}-\d\d-\d\dT.*Z\)$/);
  });

  it('a running run neither clears nor raises a failure', async () => {
    const running = await check({ s: { runs: [{ status: 'COMPLETED', closedAgoMs: 2 * HOUR }, { status: 'RUNNING' }] } }, 's');
    assert.equal(running.code, EXIT.ok, running.text);
    const failedThenRunning = await check({ s: { runs: [{ status: 'FAILED', closedAgoMs: HOUR }, { status: 'RUNNING' }] } }, 's');
    assert.equal(failedThenRunning.code, EXIT.failed);
    assert.match(failedThenRunning.lines[0], /UNHEALTHY: its last ended run failed/);
  });

  it('unhealthy when the newest ended run failed, even after an older success, saying why', async () => {
    const failed = await check(
      {
        s: {
          runs: [
            { status: 'COMPLETED', closedAgoMs: 3 * HOUR },
            { status: 'TIMED_OUT', closedAgoMs: HOUR },
          ],
        },
      },
      's',
    );
    assert.equal(failed.code, EXIT.failed);
    assert.match(failed.lines[0], /^s: UNHEALTHY: its last ended run timed_out \(last completed run ended /);
  });

  it('unhealthy when paused (with its note), or when no run completed within the window', async () => {
    const paused = await check({ s: { paused: true, note: 'a restore failed', runs: [{ status: 'COMPLETED', closedAgoMs: HOUR }] } }, 's');
    assert.equal(paused.code, EXIT.failed);
    assert.match(paused.lines[0], /UNHEALTHY: paused \(a restore failed\)/);
    const silent = await check({ s: { createdAgoMs: 3 * DAY } }, 's');
    assert.equal(silent.code, EXIT.failed);
    assert.match(silent.lines[0], /UNHEALTHY: no run completed within 30h/);
    const young = await check({ s: { createdAgoMs: HOUR } }, 's');
    assert.equal(young.code, EXIT.ok, 'counted from its creation');
  });

  it('the window: --within, or the longest gap plus the deadline and the approval wait; none with a single next time', async () => {
    const recent = { runs: [{ status: 'COMPLETED' as const, closedAgoMs: 2 * HOUR }] };
    assert.match((await check({ s: recent }, 's', '--within', '1h')).lines[0], /UNHEALTHY: no run completed within 1h/);
    const withApproval = {
      runs: [{ status: 'COMPLETED' as const, closedAgoMs: DAY + 7 * HOUR }],
      input: { approval: { timeoutMs: 2 * HOUR } },
    };
    assert.equal((await check({ s: withApproval }, 's')).code, EXIT.ok, '1d + 6h + 2h');
    assert.equal((await check({ s: { ...withApproval, input: {} } }, 's')).code, EXIT.failed, '1d + 6h');
    const uneven = { runs: [{ status: 'COMPLETED' as const, closedAgoMs: 2 * DAY }], everyMs: [HOUR, 2 * DAY] };
    assert.equal((await check({ s: uneven }, 's')).code, EXIT.ok, 'the longest gap counts');
    assert.equal((await check({ s: { createdAgoMs: 300 * DAY, everyMs: [] } }, 's')).code, EXIT.ok);
  });

  it('every schedule of ours when no id is given, one JSON line each; a missing one is NOT_FOUND', async () => {
    const all = await check(
      {
        a: { runs: [{ status: 'COMPLETED', closedAgoMs: HOUR }] },
        b: { paused: true, workflowType: FLEET_WORKFLOW_TYPE, createdAgoMs: HOUR },
        theirs: { workflowType: 'somethingElse', paused: true },
      },
      '--json',
    );
    assert.equal(all.code, EXIT.failed);
    const results = all.lines.map((line) => JSON.parse(line) as { scheduleId: string; healthy: boolean; problems: string[] });
    assert.deepEqual(
      results.map((r) => [r.scheduleId, r.healthy]),
      [
        ['a', true],
        ['b', false],
      ],
    );
    assert.deepEqual(results[1].problems, ['paused']);
    const missing = await check({}, 'nope');
    assert.equal(missing.code, EXIT.notFound);
    assert.match(missing.err[0], /^✖ \[NOT_FOUND\] No schedule nope\./);
  });
});
