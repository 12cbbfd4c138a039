// The pure parts of verification: the SQL check's verdict (no finding quotes a value), comparing
// table inventories, the SQL errors said by SQLSTATE only, secrets kept out of messages, and the
// seed's PRISMA_DATABASE_URLS_FILE.
import { strict as assert } from 'assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { DatabaseError } from 'pg';
import { databaseUrlsFromFile, sqlErrorText, withoutSecrets } from '../../src/activities/database-access';
import { MAX_FINDINGS, MAX_INVENTORY_TABLES, readInventory, runSqlCheck, sqlCheckOutcome } from '../../src/activities/inventory';
import type { Inventory } from '../../src/activities/types';
import { ErrorType } from '../../src/shared/errors';
import { inventoryDifferences, listed, MAX_DIFFERENCES, totals, totalsText } from '../../src/workflows/inventory-diff';

const inventory = (...tables: [string, number, string][]): Inventory => ({
  tables: tables.map(([table, rows, checksum]) => ({ table, rows, checksum })),
});
const sides = { expected: 'in the backup', actual: 'in db_1' };
const SECRET_VALUES = ['secret@example.com', 'hunter2', '4111 1111 1111 1111', 42, 0, '', 'true', 't', 1n];

describe('the SQL check verdict', () => {
  it('passes when every column of every row is true', () => {
    assert.deepEqual(sqlCheckOutcome(['a', 'b'], [[true, true]]), { passed: true, rows: 1, findings: [] });
    assert.deepEqual(sqlCheckOutcome(['a'], [[true], [true]]), { passed: true, rows: 2, findings: [] });
  });

  it('says what is not true by column (and row, when there are several), never quoting a value', () => {
    assert.deepEqual(sqlCheckOutcome(['count_ok', 'recent'], [[false, null]]).findings, ['count_ok is false', 'recent is NULL']);
    assert.deepEqual(sqlCheckOutcome(['ok'], [[true], ['secret@example.com']]), {
      passed: false,
      rows: 2,
      findings: ['row 2: ok is not a boolean (write each column as a condition, e.g. count(*) > 0 AS has_rows)'],
    });
  });

  it('quotes no value whatever a row holds', () => {
    const outcome = sqlCheckOutcome(
      ['a', 'b'],
      SECRET_VALUES.map((value) => [value, { nested: value }]),
    );
    assert.equal(outcome.passed, false);
    const text = outcome.findings.join('\n');
    for (const value of SECRET_VALUES.filter((v) => String(v).length > 2))
      assert.ok(!text.includes(String(value)), `${String(value)} in ${text}`);
    for (const finding of outcome.findings)
      assert.match(
        finding,
        /^(row \d+: [ab] is (false|NULL|not a boolean \(write each column as a condition, e\.g\. count\(\*\) > 0 AS has_rows\))|and \d+ more)$/,
      );
  });

  it('no rows, or no columns, is no pass', () => {
    assert.deepEqual(sqlCheckOutcome(['ok'], []), {
      passed: false,
      rows: 0,
      findings: ['the query returned no rows (a check passes when it returns rows that are all true)'],
    });
    assert.deepEqual(sqlCheckOutcome([], [[], []]), { passed: false, rows: 2, findings: ['the query returned no columns to check'] });
  });

  it(`lists at most ${MAX_FINDINGS} findings, then counts the rest`, () => {
    const many = sqlCheckOutcome(
      ['ok'],
      Array.from({ length: MAX_FINDINGS + 5 }, () => [false]),
    );
    assert.equal(many.findings.length, MAX_FINDINGS + 1);
    assert.equal(many.findings.at(-1), 'and 5 more');
    assert.equal(
      sqlCheckOutcome(
        ['ok'],
        Array.from({ length: MAX_FINDINGS }, () => [false]),
      ).findings.length,
      MAX_FINDINGS,
    );
  });
});

describe('running the SQL check in a session', () => {
  it('asks for one statement by the extended protocol, rows as arrays, and judges them', async () => {
    let asked: unknown;
    const session = {
      query: async (config: unknown) => {
        asked = config;
        return { fields: [{ name: 'ok' }], rows: [[true]] };
      },
    };
    assert.deepEqual(await runSqlCheck(session as never, 'SELECT true AS ok'), { passed: true, rows: 1, findings: [] });
    assert.deepEqual(asked, { text: 'SELECT true AS ok', rowMode: 'array', queryMode: 'extended' });
  });

  it("a query error is a finding by SQLSTATE, never Postgres's message (which may quote the data)", async () => {
    const fail = (code: string) => ({
      query: async () => {
        throw Object.assign(new DatabaseError('invalid input syntax for type integer: "secret@example.com"', 0, 'error'), { code });
      },
    });
    for (const [code, finding] of [
      ['25006', 'the check tried to write, and it runs READ ONLY'],
      ['57014', 'the check took too long and was cancelled'],
      ['22P02', 'the query failed with SQLSTATE 22P02 (see the Postgres error codes; the message is not shown, as it may quote the data)'],
    ]) {
      assert.deepEqual(await runSqlCheck(fail(code) as never, 'SELECT 1'), { passed: false, rows: 0, findings: [finding] });
    }
    const other = { query: async () => Promise.reject(new Error('connection lost')) };
    await assert.rejects(runSqlCheck(other as never, 'SELECT 1'), /connection lost/);
    assert.equal(
      sqlErrorText(Object.assign(new DatabaseError('x', 0, 'error'), { code: '42P01' })),
      'the query failed with SQLSTATE 42P01 (see the Postgres error codes; the message is not shown, as it may quote the data)',
    );
  });
});

describe('reading an inventory', () => {
  it('one count and checksum per table, in code-point order, with progress after each', async () => {
    const queries: string[] = [];
    const session = {
      query: async (sql: string) => {
        queries.push(sql);
        if (queries.length === 1)
          return {
            rows: [
              { schema: 'public', name: 'b' },
              { schema: 'Public', name: 'a"x' },
            ],
          };
        return { rows: [{ rows: String(queries.length * 10), checksum: `c${queries.length}` }] };
      },
    };
    let progress = 0;
    const read = await readInventory(session as never, 'db_1', () => progress++);
    assert.deepEqual(read, {
      tables: [
        { table: 'Public.a"x', rows: 30, checksum: 'c3' },
        { table: 'public.b', rows: 20, checksum: 'c2' },
      ],
    });
    assert.equal(progress, 2);
    // Names are quoted as identifiers: a table name cannot change the query.
    assert.match(queries[2], /FROM ONLY "Public"\."a""x" AS t$/);
  });

  it(`refuses more than ${MAX_INVENTORY_TABLES} tables as inconclusive: a SQL check instead`, async () => {
    const session = {
      query: async () => ({ rows: Array.from({ length: MAX_INVENTORY_TABLES + 1 }, (_, i) => ({ schema: 'public', name: `t${i}` })) }),
    };
    await assert.rejects(
      readInventory(session as never, 'db_1', () => undefined),
      (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure);
        assert.deepEqual([err.type, err.nonRetryable], [ErrorType.VerificationInconclusive, true]);
        assert.match(err.message, /^db_1 has 2001 tables; an inventory holds at most 2000\. Give a SQL check of your own instead\.$/);
        return true;
      },
    );
  });
});

describe('comparing inventories', () => {
  it('lists every table that differs, by name: missing, extra, another row count, the same count with other content', () => {
    const expected = inventory(['public.a', 1, 'x'], ['public.b', 10, 'y'], ['public.c', 5, 'z'], ['public.same', 2, 's']);
    const actual = inventory(['public.b', 9, 'y'], ['public.c', 5, 'w'], ['public.d', 0, 'e'], ['public.same', 2, 's']);
    assert.deepEqual(inventoryDifferences(expected, actual, sides), [
      'public.a: not in db_1 (1 row in the backup)',
      'public.b: 10 rows in the backup, 9 in db_1',
      'public.c: 5 rows in the backup and in db_1, but other content (checksum z in the backup, w in db_1)',
      'public.d: not in the backup (0 rows in db_1)',
    ]);
    assert.deepEqual(inventoryDifferences(expected, expected, sides), []);
    assert.deepEqual(inventoryDifferences(inventory(), inventory(), sides), []);
  });

  it('finds the same differences whatever order the tables are listed in', () => {
    const a = inventory(['s.x', 1, 'a'], ['s.y', 2, 'b']);
    const b = inventory(['s.y', 3, 'b'], ['s.x', 1, 'a']);
    assert.deepEqual(inventoryDifferences(a, b, sides), ['s.y: 2 rows in the backup, 3 in db_1']);
  });

  it(`lists at most ${MAX_DIFFERENCES}, counting the rest; totals tables and rows`, () => {
    const many = Array.from({ length: MAX_DIFFERENCES + 3 }, (_, i) => `t${i}: missing`);
    assert.match(listed(many), /^t0: missing; .*; t19: missing; and 3 more$/);
    assert.equal(listed(['one']), 'one');
    assert.equal(listed([]), '');
    const inv = inventory(['a', 1, ''], ['b', 10_000, '']);
    assert.deepEqual(totals(inv), { tables: 2, rows: 10_001 });
    assert.equal(totalsText(inv), '2 tables, 10001 rows');
    assert.equal(totalsText(inventory(['a', 1, ''])), '1 table, 1 row');
    assert.equal(totalsText(inventory()), '0 tables, 0 rows');
  });
});

describe('connection strings stay secret', () => {
  const url = 'postgres://u_cabc123:p%40ss-w0rd@db.example.com:5432/postgres?sslmode=require';

  it('removes the string, its password and its user from a message; the host is no secret', () => {
    const message = `failed for ${url}: password authentication failed for user "u_cabc123" (p@ss-w0rd) at db.example.com:5432`;
    const clean = withoutSecrets(message, url);
    for (const secret of [url, 'p@ss-w0rd', 'p%40ss-w0rd', 'u_cabc123']) assert.ok(!clean.includes(secret), clean);
    assert.match(clean, /db\.example\.com/);
    assert.equal(withoutSecrets('x not-a-url y', 'not-a-url'), 'x [redacted] y');
    assert.equal(withoutSecrets('a b', 'postgres://h/db'), 'a b', 'no user or password: nothing else to hide');
  });

  describe('the seed’s PRISMA_DATABASE_URLS_FILE', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'urls-'));
    const file = (name: string, text: string) => {
      const at = path.join(dir, name);
      writeFileSync(at, text);
      return at;
    };
    const refused = async (urls: ReturnType<typeof databaseUrlsFromFile>, databaseId: string, why: RegExp) =>
      assert.rejects(urls(databaseId), (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure);
        assert.deepEqual([err.type, err.nonRetryable], [ErrorType.NoDatabaseUrl, true]);
        assert.match(err.message, why);
        assert.ok(!err.message.includes('u:p') && !err.message.includes('mysql'), err.message);
        return true;
      });

    it('gives the URL of a database, and none for one it does not list', async () => {
      const urls = databaseUrlsFromFile(file('ok.json', JSON.stringify({ db_1: url, db_2: 'postgresql://h/db' })));
      assert.equal(await urls('db_1'), url);
      assert.equal(await urls('db_2'), 'postgresql://h/db');
      assert.equal(await urls('db_3'), undefined);
    });

    it('is read at each use', async () => {
      const at = file('changing.json', JSON.stringify({}));
      const urls = databaseUrlsFromFile(at);
      assert.equal(await urls('db_1'), undefined);
      writeFileSync(at, JSON.stringify({ db_1: url }));
      assert.equal(await urls('db_1'), url);
    });

    it('names the file and the database in a refusal, never a value', async () => {
      await refused(
        databaseUrlsFromFile(file('bad.json', '{"db_1": "postgres://u:p@h')),
        'db_1',
        /\(.*bad\.json\) is not JSON: write \{"<database id>": "postgres:\/\/…"\}\.$/,
      );
      await refused(
        databaseUrlsFromFile(file('other-scheme.json', '{"db_1": "mysql://u:p@h/d"}')),
        'db_1',
        /holds no postgres:\/\/ URL for db_1\.$/,
      );
      await refused(databaseUrlsFromFile(file('number.json', '{"db_1": 5}')), 'db_1', /holds no postgres:\/\/ URL for db_1/);
      await refused(databaseUrlsFromFile(path.join(dir, 'missing.json')), 'db_1', /\(.*missing\.json\) cannot be read \(ENOENT\)\.$/);
    });
  });
});
