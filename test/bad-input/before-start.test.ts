// Bad input, through the CLI and through the client API: each gets a clear error that says what is
// wrong and what to do, and is refused before anything reaches Temporal or the API. The CLI prints
// `✖ [CODE] what happened` and `→ what to do` on stderr, or commander's own `error: …` for a flag or
// command it does not know; either way exit 2.
import { strict as assert } from 'assert';
import { InvalidInputError, runStartOptions, startRun } from '../../src/runs/start';
import type { ApiProfile, RunInput } from '../../src/shared/input';
import type { Client } from '@temporalio/client';
import { cli } from '../support/cli';

/** No Temporal client is given: every case must be refused before one is asked for. */
async function cliRefuses(argv: string[], profile: ApiProfile): Promise<{ code: number; err: string }> {
  const { code, err } = await cli({ profile }, ...argv);
  return { code, err: err.join('\n') };
}

const LONG = 'x'.repeat(201);
const db = (id: string) => ['backup', '--database-id', id];
/** A refusal in the CLI's shape: its code, and the one line of what to do. */
const refused = (code: string, summary: RegExp) => new RegExp(`^✖ \\[${code}\\] ${summary.source}[^\\n]*\\n→ .+`);
const input = (summary: RegExp) => refused('INVALID_INPUT', new RegExp(`Nothing was started: ${summary.source}`));
const NOT_A_DATABASE_ID = /--database-id is not a database id: use letters, digits and _ \(at most 128\)\./;
const UNIT = /takes a duration with a unit, such as 250ms, 30s, 5m, 6h or 1d; got/;

/** [what, argv, what stderr must say]: 2 is the exit code of all of them. */
const CLI_CASES: [string, string[], RegExp][] = [
  ['a missing database id', ['backup'], input(/--database-id is required\./)],
  ['an empty database id', db(''), input(NOT_A_DATABASE_ID)],
  ['a blank database id', db('   '), input(NOT_A_DATABASE_ID)],
  ['a database id with ../', db('../db_1'), input(NOT_A_DATABASE_ID)],
  ['a database id with %2F', db('db%2F1'), input(NOT_A_DATABASE_ID)],
  ['a database id with ?', db('db_1?x=1'), input(NOT_A_DATABASE_ID)],
  ['a database id with a space', db('db 1'), input(NOT_A_DATABASE_ID)],
  ['a database id with /', db('db/1'), input(NOT_A_DATABASE_ID)],
  ['an oversized database id', db('d'.repeat(129)), input(NOT_A_DATABASE_ID)],
  ['an empty label', [...db('db_1'), '--label', ''], input(/--label is empty\./)],
  ['an oversized label', [...db('db_1'), '--label', LONG], input(/--label is longer than 200 characters\./)],
  ['a label with a newline', [...db('db_1'), '--label', 'a\nb'], input(/--label contains control characters\./)],
  ['a label with a C1 control', [...db('db_1'), '--label', 'a\u0085b'], input(/--label contains control characters\./)],
  ['a zero poll interval', [...db('db_1'), '--poll-initial', '0s'], input(/--poll-initial must be whole milliseconds from 100ms to 1h\./)],
  ['a negative poll interval', [...db('db_1'), '--poll-initial', '-5s'], input(new RegExp(`--poll-initial ${UNIT.source} "-5s"`))],
  ['an absurd poll interval', [...db('db_1'), '--poll-max', '100d'], input(/--poll-max must be whole milliseconds from 100ms to 1h\./)],
  [
    'a longest wait below the first',
    [...db('db_1'), '--poll-initial', '10m', '--poll-max', '1m'],
    input(/--poll-max must not be smaller than --poll-initial\./),
  ],
  ['an unknown poll mode', [...db('db_1'), '--poll-mode', 'eager'], input(/--poll-mode must be predictive or backoff/)],
  ['a zero deadline (already past)', [...db('db_1'), '--deadline', '0s'], input(/--deadline must be whole milliseconds from 1s to 30d\./)],
  ['a negative deadline', [...db('db_1'), '--deadline', '-1h'], input(new RegExp(`--deadline ${UNIT.source}`))],
  ['an absurd deadline', [...db('db_1'), '--deadline', '1000d'], input(/--deadline must be whole milliseconds from 1s to 30d\./)],
  ['a duration without a unit', [...db('db_1'), '--deadline', '3600'], input(new RegExp(`--deadline ${UNIT.source} "3600"`))],
  ['a misspelt flag', ['backup', '--databse-id', 'db_1'], /error: unknown option '--databse-id'\n\(Did you mean --database-id\?\)/],
  ['an unknown command', ['bakup', '--database-id', 'db_1'], /error: unknown command 'bakup'\n\(Did you mean backup\?\)/],
  [
    '--sql, which is --verify-sql now',
    ['run', '--database-id', 'db_1', '--confirm', 'db_1', '--sql', 'SELECT true'],
    /error: unknown option '--sql'/,
  ],
  [
    'a check that is not a query',
    ['run', '--database-id', 'db_1', '--confirm', 'db_1', '--verify-sql', 'DELETE FROM t'],
    input(/--verify-sql must be one query beginning with SELECT, WITH, VALUES or TABLE \(it runs READ ONLY\)\./),
  ],
  [
    'a restore without its backup (seed)',
    ['restore', '--database-id', 'db_1', '--confirm', 'db_1'],
    refused('INVALID_INPUT', /`restore` needs --backup-id with the seed API: the completed backup to restore from\./),
  ],
  [
    'a backup id with path characters',
    ['restore', '--database-id', 'db_1', '--backup-id', '../bkp', '--confirm', 'db_1'],
    input(/--backup-id is not a backup id: use letters, digits, _ and - \(at most 128\)\./),
  ],
  [
    'a zero approval timeout',
    ['run', '--database-id', 'db_1', '--approval-timeout', '0s', '--confirm', 'db_1'],
    input(/--approval-timeout must be whole milliseconds from 1s to 30d\./),
  ],
  [
    'a restore without confirmation',
    ['run', '--database-id', 'db_1'],
    refused('NOT_CONFIRMED', /This replaces all data of db_1, and nothing confirmed it; nothing was started\./),
  ],
  [
    'a restore from a backup without confirmation',
    ['restore', '--database-id', 'db_1', '--backup-id', 'bkp_1'],
    /^✖ \[NOT_CONFIRMED\] This replaces all data of db_1, and nothing confirmed it; nothing was started\.\n→ Add --confirm db_1 to the same command, or run it on a terminal to be asked\.$/,
  ],
  [
    'a confirmation naming another database',
    ['run', '--database-id', 'db_1', '--confirm', 'db_2'],
    /^✖ \[NOT_CONFIRMED\] --confirm db_2 does not name a database this replaces: it replaces the data of db_1; nothing was started\.\n→ Give --confirm db_1\.$/,
  ],
  [
    '--yes instead of --confirm',
    ['run', '--database-id', 'db_1', '--yes'],
    refused('CONFIRM_BY_ID', /--yes confirms nothing: a restore is confirmed with the exact id of the database whose data it replaces\./),
  ],
  ['--yes on approve', ['approve', 'wf-1', '--backup-id', 'bkp_1', '--yes'], refused('CONFIRM_BY_ID', /--yes confirms nothing/)],
  ['approve without the backup it approves', ['approve', 'wf-1'], /error: required option '--backup-id <id>' not specified/],
  [
    'another target database (seed)',
    ['run', '--database-id', 'db_1', '--target-database', 'db_2', '--confirm', 'db_2'],
    input(/--target-database must be --database-id: the seed API restores a backup only into its own database\./),
  ],
  [
    'a new database (seed)',
    ['restore', '--database-id', 'db_1', '--backup-id', 'bkp_1', '--new-database-in', 'proj_1'],
    input(/--new-database-in needs the prisma profile: the seed API cannot create databases or report their status\./),
  ],
  [
    'waiting for a newer backup (seed)',
    ['restore', '--database-id', 'db_1', '--backup-id', 'bkp_1', '--newer-backup', '--confirm', 'db_1'],
    input(/--newer-backup needs the prisma profile/),
  ],
  [
    'a readiness timeout (seed)',
    ['restore', '--database-id', 'db_1', '--backup-id', 'bkp_1', '--ready-timeout', '1h', '--confirm', 'db_1'],
    input(/--ready-timeout needs the prisma profile/),
  ],
  [
    'a hold window (seed)',
    ['restore', '--database-id', 'db_1', '--backup-id', 'bkp_1', '--hold-window', '20m', '--confirm', 'db_1'],
    input(/--hold-window needs the prisma profile/),
  ],
  [
    'a drill (seed)',
    ['drill', '--database-id', 'db_1', '--project', 'proj_1'],
    refused('PROFILE_CANNOT', /A drill restores into a new scratch database, and the seed API cannot create one\./),
  ],
  [
    'a fleet drill (seed)',
    ['fleet', 'drill', '--project', 'proj_1'],
    input(/action drill needs the prisma profile\. --project needs the prisma profile: the seed API lists no databases\./),
  ],
  ['status without a run id', ['status'], /error: missing required argument 'workflow-id'/],
  [
    'an empty --workflow-id',
    [...db('db_1'), '--workflow-id', ''],
    input(/--workflow-id must be 1 to 1000 characters without control characters\./),
  ],
  ['an oversized --workflow-id', [...db('db_1'), '--workflow-id', 'w'.repeat(1001)], input(/--workflow-id must be 1 to 1000 characters/)],
  [
    'a list limit of zero',
    ['list', '--limit', '0'],
    /error: option '--limit <n>' argument '0' is invalid\. give a whole number from 1 to 1000\./,
  ],
  [
    'a list of a database id that is none',
    ['list', '--database-id', "x' OR '1'='1"],
    refused('INVALID_INPUT', /--database-id is not a database id\./),
  ],
  [
    'a list of a phase that is none',
    ['list', '--phase', 'finding-backup'],
    refused('INVALID_INPUT', /--phase "finding-backup" is not a phase\./),
  ],
  ['schedule list, which is `temporal schedule list` now', ['schedule', 'list'], /error: unknown command 'list'/],
  [
    'a schedule with both --cron and --every',
    ['schedule', 'create', '--database-id', 'db_1', '--cron', '0 3 * * *', '--every', '1h'],
    refused('INVALID_INPUT', /Nothing was created: give exactly one of --cron and --every\./),
  ],
];

/** The same, for what Prisma's Management API (the prisma profile) cannot do or would do destructively. */
const PRISMA_CASES: [string, string[], RegExp][] = [
  [
    'an on-demand backup',
    ['backup', '--database-id', 'db_1'],
    /^✖ \[PROFILE_CANNOT\] `backup` takes an on-demand backup, which Prisma's Management API cannot: its backups are automatic and daily\.\n→ Use `restore` \(the newest completed backup, or --backup-id\), or PRISMA_API_PROFILE=seed for an API with on-demand backups\.$/,
  ],
  [
    'a backup, then a restore (run)',
    ['run', '--database-id', 'db_1', '--confirm', 'db_1'],
    refused('PROFILE_CANNOT', /`run` takes an on-demand backup/),
  ],
  ['a label', ['run', '--database-id', 'db_1', '--label', 'nightly'], refused('PROFILE_CANNOT', /`run` takes an on-demand backup/)],
  [
    'a restore into another database without confirmation',
    ['restore', '--database-id', 'db_1', '--target-database', 'db_2'],
    refused('NOT_CONFIRMED', /This replaces all data of db_2, and nothing confirmed it; nothing was started\./),
  ],
  [
    'a restore into another database confirmed with the source',
    ['restore', '--database-id', 'db_1', '--target-database', 'db_2', '--confirm', 'db_1'],
    refused('NOT_CONFIRMED', /--confirm db_1 does not name a database this replaces: it replaces the data of db_2; nothing was started\./),
  ],
  ['--yes on a restore', ['restore', '--database-id', 'db_1', '--yes'], refused('CONFIRM_BY_ID', /--yes confirms nothing/)],
  [
    'a confirmation of a restore into a new database',
    ['restore', '--database-id', 'db_1', '--new-database-in', 'proj_1', '--confirm', 'db_1'],
    /^✖ \[NOT_CONFIRMED\] --confirm db_1 does not name a database this replaces: nothing existing is replaced; nothing was started\.\n→ Leave --confirm out\.$/,
  ],
  [
    'both a target and a new database',
    ['restore', '--database-id', 'db_1', '--target-database', 'db_2', '--new-database-in', 'proj_1'],
    input(/--target-database cannot be combined with --new-database-in\./),
  ],
  [
    'a region without a new database',
    ['restore', '--database-id', 'db_1', '--region', 'eu-central-1'],
    input(/--new-database-in is required\./),
  ],
  [
    'a region that is none',
    ['restore', '--database-id', 'db_1', '--new-database-in', 'proj_1', '--region', 'mars'],
    input(/--region must be one of .*eu-central-1/),
  ],
  [
    'a backup id and --newer-backup',
    ['restore', '--database-id', 'db_1', '--backup-id', 'b_1', '--newer-backup'],
    input(/--newer-backup cannot be combined with --backup-id\./),
  ],
  [
    'a readiness timeout without a unit',
    ['restore', '--database-id', 'db_1', '--new-database-in', 'proj_1', '--ready-timeout', '60'],
    input(new RegExp(`--ready-timeout ${UNIT.source} "60"`)),
  ],
  [
    'a zero hold window',
    ['restore', '--database-id', 'db_1', '--confirm', 'db_1', '--hold-window', '0s'],
    input(/--hold-window must be whole milliseconds from 1s to 30d\./),
  ],
  [
    'a drill without its project',
    ['drill', '--database-id', 'db_1'],
    input(/--project is required by a drill: the project its scratch database is created in\./),
  ],
  [
    'a fleet of seed backups',
    ['fleet', 'backup', '--databases', 'db_a'],
    input(/action backup needs the seed profile: Prisma's backups are automatic\./),
  ],
  ['a fleet restore map without a target', ['fleet', 'restore', '--map', 'db_a'], input(/--map takes source=target; got "db_a"\./)],
  [
    'a fleet restore not confirmed',
    ['fleet', 'restore', '--map', 'db_a=db_b'],
    refused('NOT_CONFIRMED', /This replaces all data of db_b, and nothing confirmed it; nothing was started\./),
  ],
  [
    'a fleet concurrency that is no number',
    ['fleet', 'drill', '--project', 'proj_1', '--concurrency', 'x'],
    input(/--concurrency takes a whole number; got "x"\./),
  ],
  [
    'a backup-only schedule',
    ['schedule', 'create', '--database-id', 'db_1', '--cron', '0 3 * * *'],
    refused(
      'PROFILE_CANNOT',
      /Prisma takes its backups itself, daily: a schedule of ours restores \(--with-restore\) or drills \(--drill\) them\./,
    ),
  ],
  [
    'a scheduled restore without confirmation',
    ['schedule', 'create', '--database-id', 'db_1', '--cron', '0 3 * * *', '--with-restore'],
    refused('NOT_CONFIRMED', /This replaces all data of db_1, and nothing confirmed it; nothing was created\./),
  ],
];

describe('bad input is refused before anything starts', () => {
  for (const [profile, cases] of [
    ['seed', CLI_CASES],
    ['prisma', PRISMA_CASES],
  ] as const) {
    describe(`through the CLI, ${profile} profile (exit 2, Temporal never contacted)`, () => {
      for (const [what, argv, message] of cases) {
        it(what, async () => {
          const { code, err } = await cliRefuses(argv, profile);
          assert.equal(code, 2, err);
          assert.match(err, message);
          assert.doesNotMatch(err, /contacted Temporal/);
        });
      }
    });
  }

  // SRC BUG: an empty workflow id goes to Temporal, which refuses it: exit 1, "[TEMPORAL_REFUSED] … Check the namespace and your permissions".
  for (const argv of [
    ['status', ''],
    ['watch', ''],
    ['cancel', ''],
    ['approve', '', '--backup-id', 'bkp_1'],
  ]) {
    it(`an empty run id (${argv[0]}): refused, exit 2, Temporal never contacted`, async () => {
      const { code, err } = await cliRefuses(argv, 'seed');
      assert.equal(code, 2, err);
      assert.doesNotMatch(err, /contacted Temporal/);
    });
  }

  describe('through the client API (InvalidInputError, nothing sent)', () => {
    // The client's start is never reached: the input is checked first.
    const client = {
      workflow: {
        start: () => {
          throw new Error('the client was used');
        },
      },
    } as unknown as Client;
    const seed = { profile: 'seed', databaseId: 'db_1' };
    const cases: [string, unknown, RegExp][] = [
      ['no input', undefined, /input must be an object of fields/],
      ['no profile', { databaseId: 'db_1' }, /profile must be prisma or seed: the API the workers speak \(PRISMA_API_PROFILE\)/],
      ['an unknown profile', { ...seed, profile: 'mock' }, /profile must be prisma or seed/],
      ['a numeric database id', { ...seed, databaseId: 42 }, /databaseId .*expected string/],
      ['a path in the database id', { ...seed, databaseId: 'db_1/../db_2' }, /databaseId is not a database id/],
      [
        'a NaN poll interval',
        { ...seed, poll: { initialIntervalMs: Number.NaN } },
        /poll\.initialIntervalMs must be whole milliseconds from 100ms/,
      ],
      ['an infinite deadline', { ...seed, poll: { deadlineMs: Number.POSITIVE_INFINITY } }, /poll\.deadlineMs must be whole milliseconds/],
      ['a deadline in the past', { ...seed, poll: { deadlineMs: -60_000 } }, /poll\.deadlineMs must be whole milliseconds from 1s/],
      ['a jitter above 1', { ...seed, poll: { jitter: 2 } }, /poll\.jitter must be from 0 to 1/],
      [
        'a token in the input',
        { ...seed, apiToken: 'secret' },
        /apiToken must not be in the input, which is kept in workflow history: give the worker PRISMA_API_TOKEN/,
      ],
      ['an unknown field', { ...seed, databaseID: 'db_2' }, /databaseID is not a known field/],
      ['internal resume state', { ...seed, resume: {} }, /resume is not a known field/],
      ['a hold window (seed)', { ...seed, holdWindowMs: 60_000 }, /holdWindowMs needs the prisma profile/],
      ['a drill without its project', { profile: 'prisma', databaseId: 'db_1', drill: true }, /newDatabase is required by a drill/],
    ];
    for (const [what, given, message] of cases) {
      it(what, async () => {
        assert.throws(
          () => startRun(client, given as RunInput, 'wf-bad'),
          (err: unknown) => {
            assert.ok(err instanceof InvalidInputError, String(err));
            assert.match(err.message, /^Nothing was started: /);
            assert.match(err.message, message);
            assert.doesNotMatch(err.message, /secret/);
            assert.ok(err.problems.length > 0);
            return true;
          },
        );
        // A schedule's action is made with the same check.
        assert.throws(() => runStartOptions(given as RunInput), InvalidInputError);
      });
    }
  });
});
