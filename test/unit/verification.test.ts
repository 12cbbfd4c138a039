// The pure parts of verification and drills: input checks, carried state, inventory comparison, the
// SQL check's verdict, the connection answers and the URL file, secrets kept out of messages, and
// the CLI flags of `drill`, `schedule create --drill`, `--verify` and `--sql`.
import { strict as assert } from 'assert';
import { ApplicationFailure } from '@temporalio/common';
import { withoutSecrets } from '../../src/activities/database-access';
import { parseDatabaseUrls } from '../../src/activities/database-urls';
import { MAX_FINDINGS, sqlCheckOutcome } from '../../src/activities/inventory';
import { ApiError } from '../../src/api/api-error';
import { parseConnectionPage, parseCreatedConnection } from '../../src/api/parse-prisma';
import { drillFields, drillProblems, inDrillFlagTerms } from '../../src/cli/drill-options';
import { inFlagTerms, inputFromRunOptions } from '../../src/cli/run-options';
import { createScheduleOptions } from '../../src/cli/schedule/schedule-options';
import { ScheduleFlagsError, scheduleRequestFromFlags, type ScheduleCreateFlags } from '../../src/cli/schedule/schedule-flags';
import { carriedStateProblems, inputProblems } from '../../src/shared/validate-input';
import { MAX_INVENTORY_TABLES } from '../../src/shared/verify-input';
import type { BackupAndRestoreInput, CarriedState, Inventory } from '../../src/shared/workflow-types';
import { inventoryDifferences, listed, MAX_DIFFERENCES, totals, totalsText } from '../../src/workflows/inventory-diff';
import { runDetails, runSummary } from '../../src/workflows/run-summary';

const problemsOf = (input: Partial<BackupAndRestoreInput>) => inputProblems({ databaseId: 'db_1', ...input } as BackupAndRestoreInput);
const prisma = (input: Partial<BackupAndRestoreInput> = {}) => problemsOf({ profile: 'prisma', ...input });
const inventory = (...tables: [string, number, string][]): Inventory => ({
  tables: tables.map(([table, rows, checksum]) => ({ table, rows, checksum })),
});
const sides = { expected: 'in the backup', actual: 'in db_1' };

describe('verification input', () => {
  it('accepts verify {} and verify {sql} in both profiles, and a drill into a new database in prisma', () => {
    assert.deepEqual(problemsOf({ verify: {} }), []);
    assert.deepEqual(problemsOf({ verify: { sql: 'SELECT count(*) > 0 AS ok FROM t' } }), []);
    assert.deepEqual(prisma({ verify: {} }), []);
    assert.deepEqual(prisma({ newDatabase: { projectId: 'proj_1' }, drill: true }), []);
    assert.deepEqual(
      prisma({ newDatabase: { projectId: 'proj_1' }, drill: true, verify: { sql: '/* c */ WITH x AS (SELECT 1) SELECT true' } }),
      [],
    );
    assert.deepEqual(prisma({ newDatabase: { projectId: 'proj_1' }, drill: false }), []);
  });

  it('refuses a verify that is not an object, an unknown field, and with restore: false', () => {
    assert.match(problemsOf({ verify: true as never })[0], /^verify, when given, must be an object/);
    assert.match(problemsOf({ verify: { query: 'x' } as never })[0], /^verify\.query is not a known field; the only one is sql\./);
    assert.match(
      problemsOf({ verify: {}, restore: false })[0],
      /^verify checks the restored database, so it cannot be combined with restore: false/,
    );
  });

  for (const [sql, why] of [
    ['', /must be a query/],
    ['DELETE FROM orders', /must be one query \(beginning with SELECT, WITH, VALUES or TABLE\)/],
    ['-- only a comment', /must be one query/],
    ['SELECT 1\u0000', /control characters/],
    ['SELECT ' + 'x'.repeat(10_000), /characters long; keep it to 10000/],
  ] as const) {
    it(`refuses verify.sql ${JSON.stringify(sql.slice(0, 20))}`, () => {
      assert.match(problemsOf({ verify: { sql } })[0], why);
    });
  }

  it('seed: the default check needs the run to take its own backup; a backupId needs a SQL check', () => {
    assert.match(
      problemsOf({ backupId: 'bkp_1', verify: {} })[0],
      /^verify without sql compares .* a run that restores an existing backup \(backupId\) has none\. Give verify\.sql/,
    );
    assert.deepEqual(problemsOf({ backupId: 'bkp_1', verify: { sql: 'SELECT true' } }), []);
  });

  it('a drill: prisma only (saying why), into a new database, with no approval', () => {
    const [seed] = problemsOf({ drill: true });
    assert.match(
      seed,
      /^drill needs the prisma profile .* the seed API cannot create a database \(it restores a backup only into its own database\)/,
    );
    assert.match(prisma({ drill: true })[0], /^drill restores into a new scratch database: give newDatabase: \{ projectId \}/);
    assert.match(
      prisma({ drill: true, newDatabase: { projectId: 'proj_1' }, approval: {} })[0],
      /^A drill replaces no data, so it takes no approval/,
    );
    assert.match(prisma({ drill: 'yes' as never })[0], /^drill, when given, must be true or false/);
  });

  const waiting: CarriedState = {
    backupId: 'bkp_1',
    backupStatus: 'pending',
    pollsMade: 2,
    unlistedPolls: 0,
    failedPolls: 0,
    startedAt: 1_000,
    deadlineAt: 100_000,
    continuedAsNew: 0,
    runStartedAt: 1_000,
  };

  it("carries the seed's inventory before the backup, and a prisma reference database while it is awaited, only when the run verifies", () => {
    const before = inventory(['public.t', 3, 'abc']);
    assert.deepEqual(carriedStateProblems({ ...waiting, verification: { before } }, { databaseId: 'db_1', verify: {} }), []);
    assert.equal(carriedStateProblems({ ...waiting, verification: { before } }, { databaseId: 'db_1' }).length, 1, 'not without verify');
    const tooMany = { tables: Array.from({ length: MAX_INVENTORY_TABLES + 1 }, (_, i) => ({ table: `t${i}`, rows: 0, checksum: '' })) };
    assert.equal(carriedStateProblems({ ...waiting, verification: { before: tooMany } }, { databaseId: 'db_1', verify: {} }).length, 1);

    const wait = { pollsMade: 0, failedPolls: 0, startedAt: 5_000, deadlineAt: 9_000 };
    const restore = {
      databaseId: 'db_1',
      created: false,
      step: 'applied' as const,
      requestsSent: 1,
      backupCompletedAt: 4_000,
      sourceBefore: null,
      wait,
    };
    const reference = { databaseId: 'db_ref', created: true, step: 'applied' as const, requestsSent: 0, backupCompletedAt: 4_000, wait };
    const input: BackupAndRestoreInput = { profile: 'prisma', databaseId: 'db_1', verify: {} };
    const carried = { ...waiting, backupStatus: 'completed' as const, restore, verification: { reference } };
    assert.deepEqual(carriedStateProblems(carried, input), []);
    assert.equal(carriedStateProblems({ ...carried, verification: { reference: { ...reference, step: 'check' } } }, input).length, 1);
    assert.equal(carriedStateProblems({ ...carried, verification: { reference: { ...reference, requestsSent: 1 } } }, input).length, 1);
  });

  it('says in words how a run verifies, and what a drill is', () => {
    const drill: BackupAndRestoreInput = { profile: 'prisma', databaseId: 'db_1', newDatabase: { projectId: 'proj_1' }, drill: true };
    assert.equal(
      runSummary(drill),
      "Drill: restore db_1's newest completed backup into a scratch database in proj_1, verify it, delete it",
    );
    assert.match(
      runDetails(drill),
      /- \*\*Verify\*\*: every table read in full .*\n- \*\*Drill\*\*: the new database is scratch: deleted at the end/,
    );
    assert.match(
      runDetails({ databaseId: 'db_1', verify: {} }),
      /\*\*Verify\*\*: table inventory \(rows, checksums\) against the source's, taken before and after the backup/,
    );
    assert.match(
      runDetails({ profile: 'prisma', databaseId: 'db_1', verify: {} }),
      /against a reference database created from the same backup/,
    );
    assert.match(runDetails({ databaseId: 'db_1', verify: { sql: 'SELECT true' } }), /\*\*Verify\*\*: the SQL check given/);
  });
});

describe('inventory comparison', () => {
  it('lists every table that differs: missing, extra, another row count, the same count with other content', () => {
    const expected = inventory(['public.a', 1, 'x'], ['public.b', 10, 'y'], ['public.c', 5, 'z'], ['public.same', 2, 's']);
    const actual = inventory(['public.b', 9, 'y'], ['public.c', 5, 'w'], ['public.d', 0, 'e'], ['public.same', 2, 's']);
    assert.deepEqual(inventoryDifferences(expected, actual, sides), [
      'public.a: not in db_1 (1 row in the backup)',
      'public.b: 10 rows in the backup, 9 in db_1',
      'public.c: 5 rows in the backup and in db_1, but other content (checksum z in the backup, w in db_1)',
      'public.d: not in the backup (0 rows in db_1)',
    ]);
    assert.deepEqual(inventoryDifferences(expected, expected, sides), []);
  });

  it('counts what it does not list, and totals tables and rows', () => {
    const many = Array.from({ length: MAX_DIFFERENCES + 3 }, (_, i) => `t${i}: missing`);
    assert.match(listed(many), /^t0: missing; .*; t19: missing; and 3 more$/);
    assert.equal(listed(['one']), 'one');
    const inv = inventory(['a', 1, ''], ['b', 10_000, '']);
    assert.deepEqual(totals(inv), { tables: 2, rows: 10_001 });
    assert.equal(totalsText(inv), '2 tables, 10001 rows');
    assert.equal(totalsText(inventory(['a', 1, ''])), '1 table, 1 row');
  });
});

describe('the SQL check verdict', () => {
  it('passes when every column of every row is true', () => {
    assert.deepEqual(sqlCheckOutcome(['a', 'b'], [[true, true]]), { passed: true, rows: 1, findings: [] });
    assert.deepEqual(sqlCheckOutcome(['a'], [[true], [true]]), { passed: true, rows: 2, findings: [] });
  });

  it('says what is not true, never quoting a value, and that no rows is no pass', () => {
    assert.deepEqual(sqlCheckOutcome(['count_ok', 'recent'], [[false, null]]).findings, ['count_ok is false', 'recent is NULL']);
    assert.deepEqual(sqlCheckOutcome(['ok'], [[true], ['secret@example.com']]).findings, [
      'row 2: ok is not a boolean (write each column as a condition, e.g. count(*) > 0 AS has_rows)',
    ]);
    assert.deepEqual(sqlCheckOutcome(['ok'], []), {
      passed: false,
      rows: 0,
      findings: ['the query returned no rows (a check passes when it returns rows that are all true)'],
    });
    const many = sqlCheckOutcome(
      ['ok'],
      Array.from({ length: MAX_FINDINGS + 5 }, () => [false]),
    );
    assert.equal(many.findings.length, MAX_FINDINGS + 1);
    assert.equal(many.findings.at(-1), 'and 5 more');
  });
});

describe('connection strings stay secret', () => {
  const url = 'postgres://u_cabc123:p%40ss-w0rd@db.example.com:5432/postgres?sslmode=require';

  it('takes the connection string from the create answer, and never quotes the body in a protocol error', () => {
    const body = (data: unknown) => JSON.stringify({ data });
    assert.deepEqual(parseCreatedConnection('POST x', body({ id: 'con_1', endpoints: { direct: { connectionString: url } } })), {
      id: 'con_1',
      connectionString: url,
    });
    assert.equal(
      parseCreatedConnection('POST x', body({ id: 'con_1', connectionString: url })).connectionString,
      url,
      'the deprecated field',
    );
    for (const broken of [
      body({ id: 'con_1', endpoints: { direct: { connectionString: 'mysql://u:p@h/db' } } }),
      body({ endpoints: {} }),
    ]) {
      assert.throws(
        () => parseCreatedConnection('POST x', broken),
        (err: unknown) =>
          err instanceof ApiError && err.type === 'ProtocolError' && !err.message.includes('u:p') && !err.message.includes('mysql'),
      );
    }
    const page = parseConnectionPage(
      'GET x',
      JSON.stringify({ data: [{ id: 'con_1', name: 'n', pass: 'p' }], pagination: { nextCursor: null, hasMore: false } }),
    );
    assert.deepEqual(page.data, [{ id: 'con_1', name: 'n' }]);
  });

  it('removes the string, its password and its user from a message', () => {
    const message = `failed for ${url}: password authentication failed for user "u_cabc123" (p@ss-w0rd) at db.example.com:5432`;
    const clean = withoutSecrets(message, url);
    for (const secret of [url, 'p@ss-w0rd', 'p%40ss-w0rd', 'u_cabc123']) assert.ok(!clean.includes(secret), clean);
    assert.match(clean, /db\.example\.com/, 'the host is no secret');
  });

  it('reads PRISMA_DATABASE_URLS_FILE, and its errors name the file and the database ids, never a value', () => {
    assert.deepEqual(parseDatabaseUrls(JSON.stringify({ db_1: url }), 'urls.json'), { db_1: url });
    for (const [text, why] of [
      ['{"db_1": "postgres://x', /\(urls\.json\) is not JSON/],
      ['["postgres://u:p@h/d"]', /is not a JSON object of database ids to connection strings/],
      ['{"db_1": "mysql://u:p@h/d", "db_2": 5}', /the entries for db_1, db_2 are not postgres:\/\/ connection strings/],
    ] as const) {
      assert.throws(
        () => parseDatabaseUrls(text, 'urls.json'),
        (err: unknown) =>
          err instanceof ApplicationFailure &&
          err.type === 'NoDatabaseUrl' &&
          err.nonRetryable &&
          why.test(err.message) &&
          !err.message.includes('u:p'),
      );
    }
  });
});

describe('CLI flags of verification and drills', () => {
  it('run and restore: --verify asks for the default check, --sql for a check of your own', () => {
    assert.deepEqual(inputFromRunOptions('run', { databaseId: 'db_1', verify: true }, 'seed').verify, {});
    assert.deepEqual(inputFromRunOptions('restore', { databaseId: 'db_1', sql: 'SELECT true' }, 'prisma').verify, { sql: 'SELECT true' });
    assert.equal(inputFromRunOptions('restore', { databaseId: 'db_1' }, 'prisma').verify, undefined);
    assert.equal(inFlagTerms('verify.sql must be one query; verify checks'), '--sql must be one query; --verify checks');
  });

  it('drill: a scratch database in --project, verified, deleted; refused in seed saying why', () => {
    assert.deepEqual(drillFields({ project: 'proj_1', sql: 'SELECT true', readyTimeout: '30m' }), {
      newDatabase: { projectId: 'proj_1' },
      drill: true,
      verify: { sql: 'SELECT true' },
      readyDeadlineMs: 1_800_000,
    });
    assert.deepEqual(drillFields({ project: 'proj_1', backupId: 'bkp_1' }).verify, {});
    assert.match(
      drillProblems({}, 'seed')[0],
      /^A drill restores into a new scratch database, so that it never touches the source, and the seed API .* cannot create a database/,
    );
    assert.match(drillProblems({ backupId: 'b', newerBackup: true }, 'prisma')[0], /either --backup-id .* or --newer-backup/);
    assert.deepEqual(drillProblems({}, 'prisma'), []);
    assert.equal(inDrillFlagTerms('newDatabase.projectId is required'), '--project is required');
  });

  const NIGHTLY: ScheduleCreateFlags = { databaseId: 'db_x', cron: '0 3 * * *' };
  const refused = (flags: ScheduleCreateFlags, profile: 'seed' | 'prisma' = 'prisma') => {
    try {
      scheduleRequestFromFlags(undefined, flags, profile);
    } catch (err) {
      assert.ok(err instanceof ScheduleFlagsError);
      return err.problems;
    }
    return assert.fail('expected a refusal');
  };

  it('schedule create --drill: every run a drill, id drill-<database>, no consent, and a failure does not pause it', () => {
    const request = scheduleRequestFromFlags(
      undefined,
      { ...NIGHTLY, drill: true, project: 'proj_1', sql: 'SELECT true', region: 'eu-central-1' },
      'prisma',
    );
    assert.equal(request.scheduleId, 'drill-db_x');
    assert.deepEqual(request.input, {
      profile: 'prisma',
      databaseId: 'db_x',
      newDatabase: { projectId: 'proj_1', region: 'eu-central-1' },
      drill: true,
      verify: { sql: 'SELECT true' },
    });
    assert.equal(createScheduleOptions(request, { taskQueue: 'q' }).policies?.pauseOnFailure, false);
    assert.match(refused({ ...NIGHTLY, drill: true }).join(' '), /--project is required/);
    assert.deepEqual(refused({ ...NIGHTLY, drill: true, project: 'p1', confirm: 'db_x', withRestore: true, approvalTimeout: '1h' }), [
      'Leave --with-restore out with --drill: every drill restores already.',
      'Leave --confirm out with --drill: a drill replaces no data.',
      'Leave --approval-timeout out with --drill: a drill replaces no data, so it waits for no approval.',
    ]);
    assert.deepEqual(refused({ ...NIGHTLY, drill: true, project: 'p1' }, 'seed').length, 1);
    assert.match(refused({ ...NIGHTLY, drill: true, project: 'p1' }, 'seed')[0], /^A drill restores into a new scratch database/);
    assert.match(refused({ ...NIGHTLY, withRestore: true, project: 'p1' })[0], /^--project describes a drill; add --drill/);
  });
});
