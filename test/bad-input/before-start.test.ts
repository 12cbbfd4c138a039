// Bad input, through the CLI and through the client API: each gets a clear error that says what is
// wrong and what to do, and is refused before anything reaches Temporal or the API.
import { strict as assert } from 'assert';
import type { Client } from '@temporalio/client';
import { InvalidInputError, startBackupRun } from '../../src/runs/start-run';
import type { ApiProfile } from '../../src/shared/api-types';
import type { BackupAndRestoreInput } from '../../src/shared/workflow-types';
import { cli } from '../support/cli';

/** No Temporal client is given: every case must be refused before one is asked for. */
async function cliRefuses(argv: string[], profile: ApiProfile): Promise<{ code: number; err: string }> {
  const { code, err } = await cli({ profile }, ...argv);
  return { code, err: err.join('\n') };
}

const LONG = 'x'.repeat(201);
const db = (id: string) => ['backup', '--database-id', id];

/** [what, argv, what the message must say]: 2 is the exit code of all of them. */
const CLI_CASES: [string, string[], RegExp][] = [
  ['a missing database id', ['backup'], /Nothing was started: --database-id is required: pass the id of the database to back up/],
  ['an empty database id', db(''), /--database-id is required: pass the id of the database to back up/],
  ['a blank database id', db('   '), /--database-id is required/],
  ['a database id with ../', db('../db_1'), /--database-id "..\/db_1" is not a valid database id: use only letters, digits and _/],
  ['a database id with %2F', db('db%2F1'), /--database-id "db%2F1" is not a valid database id/],
  ['a database id with ?', db('db_1?x=1'), /--database-id "db_1\?x=1" is not a valid database id/],
  ['a database id with a space', db('db 1'), /--database-id "db 1" is not a valid database id/],
  ['a database id with /', db('db/1'), /--database-id "db\/1" is not a valid database id/],
  ['an oversized database id', db('d'.repeat(129)), /is not a valid database id: use only letters, digits and _ \(at most 128\)/],
  ['an empty label', [...db('db_1'), '--label', ''], /--label, when given, must be a non-empty string/],
  ['an oversized label', [...db('db_1'), '--label', LONG], /--label is 201 characters long; shorten it to at most 200/],
  [
    'a label with a newline',
    [...db('db_1'), '--label', 'a\nb'],
    /--label contains control characters \(such as newlines or tabs\); remove them/,
  ],
  ['a label with a C1 control', [...db('db_1'), '--label', 'a\u0085b'], /--label contains control characters/],
  ['a zero poll interval', [...db('db_1'), '--poll-initial', '0s'], /--poll-initial must be a number from 100 ms to 3600000 ms; got 0/],
  [
    'a negative poll interval',
    [...db('db_1'), '--poll-initial', '-5s'],
    /--poll-initial takes a duration with a unit, such as 250ms, 30s, 5m, 6h or 1d; got "-5s"/,
  ],
  [
    'an absurd poll interval',
    [...db('db_1'), '--poll-max', '100d'],
    /--poll-max must be a number from 100 ms to 3600000 ms; got 8640000000/,
  ],
  [
    'a longest wait below the first',
    [...db('db_1'), '--poll-initial', '10m', '--poll-max', '1m'],
    /--poll-max must not be smaller than --poll-initial/,
  ],
  [
    'a zero deadline (already past)',
    [...db('db_1'), '--deadline', '0s'],
    /--deadline must be a number from 1000 ms to 2592000000 ms; got 0/,
  ],
  ['a negative deadline', [...db('db_1'), '--deadline', '-1h'], /--deadline takes a duration with a unit/],
  ['an absurd deadline', [...db('db_1'), '--deadline', '1000d'], /--deadline must be a number from 1000 ms to 2592000000 ms/],
  [
    'a duration without a unit',
    [...db('db_1'), '--deadline', '3600'],
    /--deadline takes a duration with a unit, such as 250ms, 30s, 5m, 6h or 1d; got "3600"/,
  ],
  ['a misspelt flag', ['backup', '--databse-id', 'db_1'], /unknown option '--databse-id'\n\(Did you mean --database-id\?\)/],
  ['an unknown command', ['bakup', '--database-id', 'db_1'], /unknown command 'bakup'\n\(Did you mean backup\?\)/],
  [
    'a restore without its backup (seed)',
    ['restore', '--database-id', 'db_1', '--confirm', 'db_1'],
    /restore needs --backup-id: the id of the completed backup to restore from/,
  ],
  [
    'a backup id with path characters',
    ['restore', '--database-id', 'db_1', '--backup-id', '../bkp', '--confirm', 'db_1'],
    /--backup-id "..\/bkp" is not a valid backup id: use only letters, digits, _ and -/,
  ],
  [
    'a zero approval timeout',
    ['run', '--database-id', 'db_1', '--approval-timeout', '0s', '--confirm', 'db_1'],
    /--approval-timeout must be a whole number from 1000 ms/,
  ],
  [
    'a restore without confirmation',
    ['run', '--database-id', 'db_1'],
    /Nothing was started: add --confirm db_1 to the same command \(e\.g\. `prisma-backup run --database-id db_1 --confirm db_1`\), or run it on a terminal to be asked\. To back up without restoring, use `backup`\./,
  ],
  [
    'a restore from a backup without confirmation',
    ['restore', '--database-id', 'db_1', '--backup-id', 'bkp_1'],
    /^This restores database db_1 from backup bkp_1, replacing all of its current data\. Nothing was started: add --confirm db_1 to the same command \(e\.g\. `prisma-backup restore --database-id db_1 --backup-id bkp_1 --confirm db_1`\), or run it on a terminal to be asked\.$/,
  ],
  [
    'a confirmation naming another database',
    ['run', '--database-id', 'db_1', '--confirm', 'db_2'],
    /^--confirm "db_2" is not the target database: this restore replaces the data of db_1, so --confirm must be exactly db_1\. Nothing was started\.$/,
  ],
  [
    '--yes instead of --confirm',
    ['run', '--database-id', 'db_1', '--yes'],
    /^Nothing was started: --yes no longer confirms a restore: give the exact id of the database whose data it replaces, --confirm <target database id>/,
  ],
  ['--yes on approve', ['approve', 'wf-1', '--backup-id', 'bkp_1', '--yes'], /^Nothing was approved: --yes no longer confirms a restore/],
  [
    'another target database (seed)',
    ['run', '--database-id', 'db_1', '--target-database', 'db_2', '--confirm', 'db_2'],
    /--target-database "db_2" differs from --database-id "db_1": the seed API restores a backup only into its own database and cannot create databases/,
  ],
  [
    'a new database (seed)',
    ['restore', '--database-id', 'db_1', '--backup-id', 'bkp_1', '--new-database-in', 'proj_1'],
    /--new-database-in restores into a new database, and the seed API restores a backup only into its own database and cannot create databases/,
  ],
  [
    'waiting for a newer backup (seed)',
    ['restore', '--database-id', 'db_1', '--newer-backup', '--confirm', 'db_1'],
    /--newer-backup waits for one of Prisma's automatic daily backups, which the seed API does not take: `run` takes a new backup and restores from it/,
  ],
  [
    'a readiness timeout (seed)',
    ['restore', '--database-id', 'db_1', '--backup-id', 'bkp_1', '--ready-timeout', '1h', '--confirm', 'db_1'],
    /--ready-timeout bounds the wait for the restored database to be ready, and the seed API reports no database status/,
  ],
  ['status without a run id', ['status'], /missing required argument 'workflow-id'/],
  ['an empty run id', ['status', ''], /The workflow id is empty: give the run's workflow id, as `run` or `list` printed it\./],
  ['an empty --workflow-id', [...db('db_1'), '--workflow-id', ''], /Nothing was started: --workflow-id is empty/],
  [
    'an oversized --workflow-id',
    [...db('db_1'), '--workflow-id', 'w'.repeat(1001)],
    /--workflow-id is 1001 characters long; Temporal allows at most 1000/,
  ],
  ['a list limit of zero', ['list', '--limit', '0'], /option '--limit <n>' argument '0' is invalid\. give a whole number from 1 to 1000\./],
];

/** The same, for what Prisma's Management API (the prisma profile) cannot do or would do destructively. */
const PRISMA_CASES: [string, string[], RegExp][] = [
  [
    'an on-demand backup',
    ['backup', '--database-id', 'db_1'],
    /^Nothing was started: `backup` takes an on-demand backup, which Prisma's Management API \(PRISMA_API_PROFILE=prisma, the default\) cannot: Prisma's backups are automatic and daily, .* To restore, restore from the newest completed one with `restore`, from a named one with --backup-id, or wait for a newer one with --newer-backup\.$/,
  ],
  [
    'a backup, then a restore (run)',
    ['run', '--database-id', 'db_1', '--confirm', 'db_1'],
    /`run` backs up, then restores from that new backup, .* Use `restore`/,
  ],
  [
    'a label',
    ['run', '--database-id', 'db_1', '--label', 'nightly'],
    /--label labels an on-demand backup, which Prisma's Management API .* cannot take/,
  ],
  [
    'a restore into another database without confirmation',
    ['restore', '--database-id', 'db_1', '--target-database', 'db_2'],
    /^This restores database db_2 from the newest completed backup of db_1, replacing all of its current data\. Nothing was started: add --confirm db_2 to the same command \(e\.g\. `prisma-backup restore --database-id db_1 --target-database db_2 --confirm db_2`\), or run it on a terminal to be asked\. To restore into a new database instead, replacing nothing, use --new-database-in <project id>\.$/,
  ],
  [
    'a restore into another database confirmed with the source',
    ['restore', '--database-id', 'db_1', '--target-database', 'db_2', '--confirm', 'db_1'],
    /--confirm "db_1" is not the target database: this restore replaces the data of db_2, so --confirm must be exactly db_2\. Nothing was started\./,
  ],
  ['--yes on a restore', ['restore', '--database-id', 'db_1', '--yes'], /^Nothing was started: --yes no longer confirms a restore/],
  [
    'a confirmation of a restore into a new database',
    ['restore', '--database-id', 'db_1', '--new-database-in', 'proj_1', '--confirm', 'db_1'],
    /--confirm names the existing database a restore replaces, and a restore into a new database \(--new-database-in\) replaces none: leave --confirm out\./,
  ],
  [
    'both a target and a new database',
    ['restore', '--database-id', 'db_1', '--target-database', 'db_2', '--new-database-in', 'proj_1'],
    /Give either --target-database .* or --new-database-in .*, not both/,
  ],
  [
    'a region without a new database',
    ['restore', '--database-id', 'db_1', '--region', 'eu-central-1'],
    /--region describes the new database of --new-database-in/,
  ],
  [
    'a backup id and --newer-backup',
    ['restore', '--database-id', 'db_1', '--backup-id', 'b_1', '--newer-backup'],
    /Give either --backup-id .* or --newer-backup/,
  ],
  [
    'a readiness timeout without a unit',
    ['restore', '--database-id', 'db_1', '--new-database-in', 'proj_1', '--ready-timeout', '60'],
    /--ready-timeout takes a duration with a unit/,
  ],
  [
    'a backup-only schedule',
    ['schedule', 'create', '--database-id', 'db_1', '--cron', '0 3 * * *'],
    /^Nothing was created: A schedule of Prisma's Management API .* can only restore or drill: Prisma's backups are automatic and daily/,
  ],
  [
    'a scheduled restore without confirmation',
    ['schedule', 'create', '--database-id', 'db_1', '--cron', '0 3 * * *', '--with-restore'],
    /--with-restore makes every scheduled run restore db_1 from the newest completed backup of db_1, once someone approves it with `approve`, replacing all data written since\. Add --confirm db_1/,
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

  describe('through the client API (InvalidInputError, nothing sent)', () => {
    const client = new Proxy({} as Client, {
      get: () => {
        throw new Error('the client was used');
      },
    });
    const cases: [string, unknown, RegExp][] = [
      ['no input', undefined, /The input must be an object with a databaseId/],
      ['a numeric database id', { databaseId: 42 }, /databaseId is required/],
      ['a path in the database id', { databaseId: 'db_1/../db_2' }, /is not a valid database id/],
      [
        'a NaN poll interval',
        { databaseId: 'db_1', poll: { initialIntervalMs: Number.NaN } },
        /poll\.initialIntervalMs must be a number from 100 ms/,
      ],
      ['an infinite deadline', { databaseId: 'db_1', poll: { deadlineMs: Number.POSITIVE_INFINITY } }, /poll\.deadlineMs must be a number/],
      ['a deadline in the past', { databaseId: 'db_1', poll: { deadlineMs: -60_000 } }, /poll\.deadlineMs must be a number from 1000 ms/],
      ['a jitter above 1', { databaseId: 'db_1', poll: { jitter: 2 } }, /poll\.jitter must be a number from 0 to 1/],
      ['a token in the input', { databaseId: 'db_1', apiToken: 'secret' }, /apiToken must not be part of the input .* PRISMA_API_TOKEN/],
      [
        'an unknown field',
        { databaseId: 'db_1', databaseID: 'db_2' },
        /databaseID is not a known field; the known ones are [\w, ]*databaseId/,
      ],
      ['internal resume state', { databaseId: 'db_1', resume: {} }, /resume is internal/],
    ];
    for (const [what, input, message] of cases) {
      it(what, async () => {
        await assert.rejects(startBackupRun(client, input as BackupAndRestoreInput), (err: unknown) => {
          assert.ok(err instanceof InvalidInputError, String(err));
          assert.match(err.message, /^Nothing was started: /);
          assert.match(err.message, message);
          assert.doesNotMatch(err.message, /secret/);
          return true;
        });
      });
    }
  });
});
