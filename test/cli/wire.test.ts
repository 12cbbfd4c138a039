// Every option of every command that starts or changes a run reaches what Temporal records: the
// workflow input in the started run's history, the schedule's action, or the command's own effect
// (workflow id, detach, JSON, consent). An option parsed and dropped fails here; so does an option
// with no row (the table is held against `--help`). The CLI runs in-process against the real server,
// with no worker: started runs stay queued and are terminated after each row.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Client, ScheduleDescription } from '@temporalio/client';
import type { Command } from 'commander';
import { buildProgram, runCli } from '../../src/cli/program';
import type { CliContext } from '../../src/cli/context';
import type { ApiProfile } from '../../src/shared/input';
import { uniqueId } from '../support/harness';
import { connectTestClient, testNamespace, testTemporalAddress } from '../support/temporal';

interface Seen {
  code: number;
  out: string;
  err: string;
  workflowId?: string;
  /** The started run's (or fleet's) first argument, as its history holds it; or the schedule's. */
  input?: Record<string, any>;
  schedule?: ScheduleDescription;
  running?: boolean;
}

interface Row {
  args: string[];
  profile: ApiProfile;
  check(seen: Seen): void;
}

const DB = 'db_wire';
const detach = ['--detach'];
const base: Record<string, { profile: ApiProfile; args: string[] }> = {
  run: { profile: 'seed', args: ['run', '--database-id', DB, '--confirm', DB, ...detach] },
  backup: { profile: 'seed', args: ['backup', '--database-id', DB, ...detach] },
  restore: { profile: 'prisma', args: ['restore', '--database-id', DB, '--confirm', DB, ...detach] },
  drill: { profile: 'prisma', args: ['drill', '--database-id', DB, '--project', 'proj_wire', ...detach] },
  'fleet drill': { profile: 'prisma', args: ['fleet', 'drill', '--project', 'proj_wire', ...detach] },
  'fleet restore': { profile: 'prisma', args: ['fleet', 'restore', '--map', 'db_a=db_b', '--confirm', 'db_b', ...detach] },
  'fleet backup': { profile: 'seed', args: ['fleet', 'backup', '--databases', 'db_a,db_b', ...detach] },
  'schedule create': {
    profile: 'prisma',
    args: ['schedule', 'create', '--database-id', DB, '--drill', '--project', 'proj_wire', '--cron', '0 3 * * *'],
  },
};

/** A row: the command's base args plus `extra`, checking the recorded input at `path` against `value`. */
const sets = (command: string, extra: string[], path: string, value: unknown, profile = base[command].profile): Row => ({
  args: [...base[command].args, ...extra],
  profile,
  check: (seen) => {
    assert.equal(seen.code, 0, `${extra.join(' ')}: exit ${seen.code}: ${seen.err}`);
    const got = path.split('.').reduce<any>((at, key) => at?.[key], seen.input);
    assert.deepEqual(got, value, `${extra.join(' ')} → ${path}`);
  },
});

const exits = (code: number, pattern: RegExp) => (seen: Seen) => {
  assert.equal(seen.code, code, seen.err);
  assert.match(seen.err, pattern);
};

/** The rows every starting command shares: its id, detach, JSON; and, where it replaces data, consent. */
function common(command: string): Record<string, Row> {
  const { args, profile } = base[command];
  const id = uniqueId('wire-id');
  const rows: Record<string, Row> = {
    '--workflow-id': { args: [...args, '--workflow-id', id], profile, check: (s) => assert.equal(s.workflowId, id) },
    '--detach': { args, profile, check: (s) => assert.ok(s.running && /Follow it with/.test(s.out), s.out) },
    '--json': { args: [...args, '--json'], profile, check: (s) => assert.equal(JSON.parse(s.out.split('\n')[0]).event, 'started') },
  };
  if (args.includes('--confirm')) {
    const without = args.filter((a, i) => a !== '--confirm' && args[i - 1] !== '--confirm');
    rows['--confirm'] = { args: without, profile, check: exits(2, /\[NOT_CONFIRMED\]/) };
    rows['--yes'] = { args: [...without, '--yes'], profile, check: exits(2, /\[CONFIRM_BY_ID\]/) };
  }
  return rows;
}

const POLL = (command: string): Record<string, Row> => ({
  '--poll-initial': sets(command, ['--poll-initial', '7s'], 'poll.initialIntervalMs', 7000),
  '--poll-max': sets(command, ['--poll-max', '3m'], 'poll.maximumIntervalMs', 180_000),
  '--deadline': sets(command, ['--deadline', '26h'], 'poll.deadlineMs', 26 * 3_600_000),
  '--poll-failing-limit': sets(command, ['--poll-failing-limit', '90m'], 'poll.failingLimitMs', 5_400_000),
  '--poll-mode': sets(command, ['--poll-mode', 'backoff'], 'poll.mode', 'backoff'),
});

const ROWS: Record<string, Record<string, Row>> = {
  run: {
    ...common('run'),
    ...POLL('run'),
    '--database-id': sets('run', [], 'databaseId', DB),
    '--label': sets('run', ['--label', 'before migration'], 'backupLabel', 'before migration'),
    '--target-database': sets('run', ['--target-database', DB], 'targetDatabaseId', DB),
    '--verify': sets('run', ['--verify'], 'verify', {}),
    '--verify-sql': sets('run', ['--verify-sql', 'SELECT true AS ok'], 'verify.sql', 'SELECT true AS ok'),
    '--require-approval': sets('run', ['--require-approval'], 'approval', {}),
    '--approval-timeout': sets('run', ['--approval-timeout', '6h'], 'approval.timeoutMs', 6 * 3_600_000),
  },
  backup: {
    ...common('backup'),
    ...POLL('backup'),
    '--database-id': sets('backup', [], 'restore', false),
    '--label': sets('backup', ['--label', 'nightly'], 'backupLabel', 'nightly'),
  },
  restore: {
    ...common('restore'),
    ...POLL('restore'),
    '--database-id': sets('restore', [], 'databaseId', DB),
    '--backup-id': sets('restore', ['--backup-id', 'bkp-wire'], 'backupId', 'bkp-wire'),
    '--target-database': {
      args: ['restore', '--database-id', DB, '--target-database', 'db_other', '--confirm', 'db_other', ...detach],
      profile: 'prisma',
      check: (s) => assert.equal(s.input?.targetDatabaseId, 'db_other', s.err),
    },
    '--new-database-in': {
      args: ['restore', '--database-id', DB, '--new-database-in', 'proj_x', ...detach],
      profile: 'prisma',
      check: (s) => assert.deepEqual(s.input?.newDatabase, { projectId: 'proj_x' }, s.err),
    },
    '--new-database-name': {
      args: ['restore', '--database-id', DB, '--new-database-in', 'proj_x', '--new-database-name', 'copy', ...detach],
      profile: 'prisma',
      check: (s) => assert.equal(s.input?.newDatabase?.name, 'copy', s.err),
    },
    '--region': {
      args: ['restore', '--database-id', DB, '--new-database-in', 'proj_x', '--region', 'eu-west-3', ...detach],
      profile: 'prisma',
      check: (s) => assert.equal(s.input?.newDatabase?.region, 'eu-west-3', s.err),
    },
    '--newer-backup': sets('restore', ['--newer-backup'], 'waitForNewerBackup', true),
    '--ready-timeout': sets('restore', ['--ready-timeout', '2h'], 'readyDeadlineMs', 7_200_000),
    '--hold-window': sets('restore', ['--hold-window', '20m'], 'holdWindowMs', 1_200_000),
    '--verify': sets('restore', ['--verify'], 'verify', {}),
    '--verify-sql': sets(
      'restore',
      ['--verify-sql', 'SELECT count(*) > 0 AS has_rows FROM t'],
      'verify.sql',
      'SELECT count(*) > 0 AS has_rows FROM t',
    ),
    '--require-approval': sets('restore', ['--require-approval'], 'approval', {}),
    '--approval-timeout': sets('restore', ['--approval-timeout', '2h'], 'approval.timeoutMs', 7_200_000),
  },
  drill: {
    ...common('drill'),
    ...POLL('drill'),
    '--database-id': sets('drill', [], 'drill', true),
    '--backup-id': sets('drill', ['--backup-id', 'bkp-wire'], 'backupId', 'bkp-wire'),
    '--project': sets('drill', [], 'newDatabase.projectId', 'proj_wire'),
    '--region': sets('drill', ['--region', 'us-east-1'], 'newDatabase.region', 'us-east-1'),
    '--verify-sql': sets('drill', ['--verify-sql', 'SELECT true AS ok'], 'verify.sql', 'SELECT true AS ok'),
    '--newer-backup': sets('drill', ['--newer-backup'], 'waitForNewerBackup', true),
    '--ready-timeout': sets('drill', ['--ready-timeout', '10m'], 'readyDeadlineMs', 600_000),
  },
  'fleet drill': {
    ...common('fleet drill'),
    ...POLL('fleet drill'),
    '--project': sets('fleet drill', [], 'projectId', 'proj_wire'),
    '--databases': sets('fleet drill', ['--databases', 'db_a, db_b'], 'databaseIds', ['db_a', 'db_b']),
    '--map': {
      args: [...base['fleet drill'].args, '--map', 'db_a=db_b'],
      profile: 'prisma',
      check: exits(2, /--map is only for restore/),
    },
    '--concurrency': sets('fleet drill', ['--concurrency', '7'], 'concurrency', 7),
    '--verify-sql': sets('fleet drill', ['--verify-sql', 'SELECT true AS ok'], 'verify.sql', 'SELECT true AS ok'),
    '--ready-timeout': sets('fleet drill', ['--ready-timeout', '30m'], 'readyDeadlineMs', 1_800_000),
  },
  'fleet restore': {
    ...common('fleet restore'),
    ...POLL('fleet restore'),
    '--map': sets('fleet restore', ['--map', 'db_c=db_d', '--confirm', 'db_d'], 'targets', { db_a: 'db_b', db_c: 'db_d' }),
    '--project': sets('fleet restore', ['--project', 'proj_wire'], 'projectId', 'proj_wire'),
    '--databases': {
      args: [...base['fleet restore'].args, '--databases', 'db_a'],
      profile: 'prisma',
      check: (s) => assert.deepEqual(s.input?.databaseIds, ['db_a'], s.err),
    },
    '--concurrency': sets('fleet restore', ['--concurrency', '2'], 'concurrency', 2),
    '--verify-sql': sets('fleet restore', ['--verify-sql', 'SELECT true AS ok'], 'verify.sql', 'SELECT true AS ok'),
    '--ready-timeout': sets('fleet restore', ['--ready-timeout', '30m'], 'readyDeadlineMs', 1_800_000),
  },
  'fleet backup': {
    ...common('fleet backup'),
    ...POLL('fleet backup'),
    '--databases': sets('fleet backup', [], 'databaseIds', ['db_a', 'db_b']),
    '--project': {
      args: [...base['fleet backup'].args, '--project', 'proj_x'],
      profile: 'seed',
      check: exits(2, /projectId needs the prisma profile|--project needs/),
    },
    '--map': { args: [...base['fleet backup'].args, '--map', 'db_a=db_a'], profile: 'seed', check: exits(2, /--map is only for restore/) },
    '--concurrency': sets('fleet backup', ['--concurrency', '3'], 'concurrency', 3),
    '--verify-sql': {
      args: [...base['fleet backup'].args, '--verify-sql', 'SELECT true AS ok'],
      profile: 'seed',
      check: exits(2, /verify/),
    },
    '--ready-timeout': {
      args: [...base['fleet backup'].args, '--ready-timeout', '1h'],
      profile: 'seed',
      check: exits(2, /needs the prisma profile/),
    },
  },
};

const schedule = (extra: string[], path: string, value: unknown, profile: ApiProfile = 'prisma'): Row => ({
  ...sets('schedule create', [], path, value, profile),
  args: ['schedule', 'create', uniqueId('sched'), ...extra],
});
/** A row whose effect is on the schedule itself (its spec, policies, state), not the runs' input. */
const scheduled = (extra: string[], check: (s: ScheduleDescription) => void): Row => ({
  args: ['schedule', 'create', uniqueId('sched'), ...extra],
  profile: 'prisma',
  check: (seen) => {
    assert.equal(seen.code, 0, seen.err);
    check(seen.schedule!);
  },
});
const refused = (extra: string[], pattern: RegExp, profile: ApiProfile = 'prisma'): Row => ({
  args: ['schedule', 'create', uniqueId('sched'), ...extra],
  profile,
  check: exits(2, pattern),
});
const DRILL = ['--database-id', DB, '--drill', '--project', 'proj_wire', '--cron', '0 3 * * *'];
const RESTORE = ['--database-id', DB, '--with-restore', '--confirm', DB, '--cron', '0 3 * * *'];
const SEED = ['--database-id', DB, '--cron', '0 3 * * *'];
const FLEET = ['--drill', '--project', 'proj_wire', '--cron', '0 3 * * *'];

/** schedule create's options: the action's input recorded by Temporal, the schedule's own settings, or a refusal of what would be dropped. */
const SCHEDULE_ROWS: Record<string, Row> = {
  '--database-id': schedule(DRILL, 'databaseId', DB),
  '--project': schedule(FLEET, 'projectId', 'proj_wire'),
  '--drill': schedule(DRILL, 'drill', true),
  '--with-restore': {
    ...schedule(RESTORE, 'approval', {}),
    check: (s) => assert.ok(s.code === 0 && s.input?.drill === undefined && s.input?.restore === undefined, s.err),
  },
  '--no-approval': schedule([...RESTORE, '--no-approval'], 'approval', undefined),
  '--require-approval': refused([...RESTORE, '--no-approval', '--require-approval'], /--require-approval/),
  '--approval-timeout': schedule([...RESTORE, '--approval-timeout', '3h'], 'approval.timeoutMs', 3 * 3_600_000),
  '--confirm': refused(['--database-id', DB, '--with-restore', '--cron', '0 3 * * *'], /NOT_CONFIRMED/),
  '--yes': refused([...RESTORE, '--yes'], /CONFIRM_BY_ID/),
  '--label': schedule([...SEED, '--label', 'nightly'], 'backupLabel', 'nightly', 'seed'),
  '--backup-id': schedule([...DRILL, '--backup-id', 'bkp-wire'], 'backupId', 'bkp-wire'),
  '--target-database': schedule(
    ['--database-id', DB, '--with-restore', '--target-database', 'db_t', '--confirm', 'db_t', '--cron', '0 3 * * *'],
    'targetDatabaseId',
    'db_t',
  ),
  '--new-database-in': schedule(
    ['--database-id', DB, '--with-restore', '--new-database-in', 'proj_n', '--cron', '0 3 * * *'],
    'newDatabase.projectId',
    'proj_n',
  ),
  '--new-database-name': schedule(
    ['--database-id', DB, '--with-restore', '--new-database-in', 'proj_n', '--new-database-name', 'n', '--cron', '0 3 * * *'],
    'newDatabase.name',
    'n',
  ),
  '--region': schedule([...DRILL, '--region', 'eu-central-1'], 'newDatabase.region', 'eu-central-1'),
  '--newer-backup': schedule([...DRILL, '--newer-backup'], 'waitForNewerBackup', true),
  '--ready-timeout': schedule([...DRILL, '--ready-timeout', '2h'], 'readyDeadlineMs', 7_200_000),
  '--hold-window': schedule([...RESTORE, '--hold-window', '30m'], 'holdWindowMs', 1_800_000),
  '--verify': schedule([...RESTORE, '--verify'], 'verify', {}),
  '--verify-sql': schedule([...DRILL, '--verify-sql', 'SELECT true AS ok'], 'verify.sql', 'SELECT true AS ok'),
  '--databases': schedule([...FLEET, '--databases', 'db_a,db_b'], 'databaseIds', ['db_a', 'db_b']),
  '--concurrency': schedule([...FLEET, '--concurrency', '5'], 'concurrency', 5),
  '--map': refused([...DRILL, '--map', 'a=b'], /--map does not apply/),
  '--poll-initial': schedule([...DRILL, '--poll-initial', '7s'], 'poll.initialIntervalMs', 7000),
  '--poll-max': schedule([...DRILL, '--poll-max', '3m'], 'poll.maximumIntervalMs', 180_000),
  '--deadline': schedule([...DRILL, '--deadline', '26h'], 'poll.deadlineMs', 26 * 3_600_000),
  '--poll-failing-limit': schedule([...DRILL, '--poll-failing-limit', '90m'], 'poll.failingLimitMs', 5_400_000),
  '--poll-mode': schedule([...DRILL, '--poll-mode', 'backoff'], 'poll.mode', 'backoff'),
  '--cron': scheduled(DRILL, (d) => assert.deepEqual(d.spec.calendars?.length, 1)),
  '--time-zone': scheduled([...DRILL, '--time-zone', 'Europe/Berlin'], (d) => assert.equal(d.spec.timezone, 'Europe/Berlin')),
  '--every': scheduled(['--database-id', DB, '--drill', '--project', 'proj_wire', '--every', '24h'], (d) =>
    assert.equal(d.spec.intervals?.[0].every, 86_400_000),
  ),
  '--offset': scheduled(['--database-id', DB, '--drill', '--project', 'proj_wire', '--every', '24h', '--offset', '2h'], (d) =>
    assert.equal(d.spec.intervals?.[0].offset, 7_200_000),
  ),
  '--catchup-window': scheduled([...DRILL, '--catchup-window', '2h'], (d) => assert.equal(d.policies.catchupWindow, 7_200_000)),
  '--paused': scheduled([...DRILL, '--paused'], (d) => assert.equal(d.state.paused, true)),
  '--update': scheduled([...DRILL, '--update'], (d) => assert.equal(d.state.paused, false)),
  '--json': {
    args: ['schedule', 'create', uniqueId('sched'), ...DRILL, '--json'],
    profile: 'prisma',
    check: (s) => assert.equal(JSON.parse(s.out).saved, 'created', s.err),
  },
};

/** approve's options are checked on a real worker in test/integration (approval), here only that --help lists these. */
const APPROVE_FLAGS = ['--backup-id', '--confirm', '--yes'];

/** docs/cli.md, which says it lists every option. */
const CLI_DOC = readFileSync(path.join(__dirname, '..', '..', 'docs', 'cli.md'), 'utf8').split('\n');

/** The lines under a heading of docs/cli.md, to the next heading of the same or a higher level. */
function docSection(heading: string): string {
  const level = heading.indexOf(' ');
  const start = CLI_DOC.indexOf(heading);
  assert.ok(start >= 0, `docs/cli.md has no heading ${heading}`);
  const end = CLI_DOC.findIndex((line, i) => i > start && /^#+ /.test(line) && line.indexOf(' ') <= level);
  return CLI_DOC.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

const mentions = (text: string, flag: string) => new RegExp(`[\`\\s,]${flag}(?![\\w-])`).test(text);

/**
 * Where docs/cli.md lists a command's option: for the commands that start runs, a row of the Run options
 * table ticked in the command's column, or the Start options table; for `schedule create`, its section or
 * the Run options; for `approve`, the section of the commands on a run.
 */
function documented(command: string, flag: string): boolean {
  const [runOptions, startOptions] = docSection('## Run options').split('**Start options**');
  if (command === 'approve') return mentions(docSection('## Commands on a run'), flag);
  if (command === 'schedule create') return mentions(docSection('### `schedule create [id]`'), flag) || mentions(runOptions, flag);
  const header = runOptions.split('\n').find((line) => line.startsWith('| option '));
  const column = header?.split('|').findIndex((cell) => cell.trim() === `\`${command.split(' ')[0]}\``) ?? -1;
  assert.ok(column > 0, `docs/cli.md's Run options table has no column for ${command}`);
  const row = runOptions.split('\n').find((line) => line.startsWith(`| \`${flag}`) && mentions(line.split('|')[1], flag));
  return row?.split('|')[column].trim() === '✓' || mentions(startOptions, flag);
}

describe('every option reaches the run (the wire)', function () {
  this.timeout(120_000);
  let client: Client;
  let program: Command;
  const ctxFor = (profile: ApiProfile, taskQueue: string, lines: { out: string[]; err: string[] }): CliContext => ({
    out: (line) => lines.out.push(line),
    err: (line) => lines.err.push(line),
    isTTY: false,
    client: async () => client,
    temporal: { address: testTemporalAddress(), namespace: testNamespace() },
    taskQueue,
    apiProfile: () => profile,
    followIntervalMs: 100,
  });

  before(async () => {
    client = await connectTestClient();
    program = buildProgram(ctxFor('prisma', 'x', { out: [], err: [] }));
  });
  after(() => client.connection.close());

  /** Runs the CLI and reads what Temporal recorded of the run (or schedule) it started. */
  async function seen(row: Row): Promise<Seen> {
    const lines = { out: [] as string[], err: [] as string[] };
    const taskQueue = uniqueId('wire');
    const code = await runCli(row.args, ctxFor(row.profile, taskQueue, lines));
    const out = lines.out.join('\n');
    const result: Seen = { code, out, err: lines.err.join('\n') };
    const started = /Started (\S+) \(/.exec(out)?.[1] ?? (out.startsWith('{') ? JSON.parse(out.split('\n')[0]).workflowId : undefined);
    if (started) {
      const handle = client.workflow.getHandle(started);
      const { history } = await client.workflowService.getWorkflowExecutionHistory({
        namespace: testNamespace(),
        execution: { workflowId: started },
        maximumPageSize: 1,
      });
      const [payload] = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
      Object.assign(result, {
        workflowId: started,
        input: defaultPayloadConverter.fromPayload(payload),
        running: (await handle.describe()).status.name === 'RUNNING',
      });
      await handle.terminate('wire test').catch(() => undefined);
    }
    const scheduleId =
      /^Schedule (\S+) (created|updated)/m.exec(out)?.[1] ?? (out.startsWith('{"scheduleId"') ? JSON.parse(out).scheduleId : undefined);
    if (scheduleId) {
      const schedule = client.schedule.getHandle(scheduleId);
      result.schedule = await schedule.describe();
      result.input = (result.schedule.action as { args?: Record<string, any>[] }).args?.[0];
      await schedule.delete();
    }
    return result;
  }

  const commandOf = (path: string) => path.split(' ').reduce<Command>((at, name) => at.commands.find((c) => c.name() === name)!, program);

  it('has a row for every option `--help` lists, and no row for an option that does not exist; docs/cli.md lists each', () => {
    for (const path of [...Object.keys(ROWS), 'schedule create', 'approve']) {
      const listed = commandOf(path)
        .options.map((o) => o.long!)
        .filter((f) => f !== '--help');
      const rows = path === 'schedule create' ? Object.keys(SCHEDULE_ROWS) : path === 'approve' ? APPROVE_FLAGS : Object.keys(ROWS[path]);
      assert.deepEqual([...rows].sort(), [...listed].sort(), path);
      // ... and docs/cli.md lists each of them, where it lists that command's options.
      const undocumented = listed.filter((flag) => !documented(path, flag));
      assert.deepEqual(undocumented, [], `${path}: options --help lists that docs/cli.md does not`);
    }
  });

  for (const [command, rows] of Object.entries(ROWS)) {
    describe(command, () => {
      for (const [flag, row] of Object.entries(rows)) it(flag, async () => row.check(await seen(row)));
    });
  }

  describe('schedule create', () => {
    for (const [flag, row] of Object.entries(SCHEDULE_ROWS)) it(flag, async () => row.check(await seen(row)));
  });
});
