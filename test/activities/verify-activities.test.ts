// The verification activities in a mock activity context, against the simulator's real data over
// real connections: what an inventory holds, what a SQL check may do, and where connection strings
// come from (and that they go away).
import { strict as assert } from 'assert';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, type Inventory, type ReadDatabaseInput, type SqlCheckOutcome } from '../../src/activities';
import { createManagementApi } from '../../src/api/client';
import { startSimulator, type PrismaSimulator, type Simulator } from '../../simulator';

const TOKEN = 'tok_verify_activity_tests_0123456789';
const quietEnv = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
const reading = (databaseId = 'db_demo'): ReadDatabaseInput => ({ databaseId, connectionName: 'wf-1-abcdef12-verify' });

describe('verification activities, prisma profile with real data', function () {
  this.timeout(60_000);
  let sim: PrismaSimulator;
  let activities: ReturnType<typeof createActivities>;
  const inventoryOf = (databaseId = 'db_demo') => quietEnv().run(activities.readInventory, reading(databaseId)) as Promise<Inventory>;
  const check = (sql: string) =>
    quietEnv().run(activities.checkSql, { ...reading(), sql } satisfies ReadDatabaseInput & { sql: string }) as Promise<SqlCheckOutcome>;

  before(async () => {
    sim = await startSimulator({ profile: 'prisma', token: TOKEN, data: 'postgres', provisioningMs: 0 });
    activities = createActivities(createManagementApi({ profile: 'prisma', baseUrl: sim.url, token: TOKEN }));
    await sim.sql('db_demo', 'CREATE SCHEMA shop');
    await sim.sql(
      'db_demo',
      'CREATE TABLE shop.orders (id int PRIMARY KEY, note text, at timestamptz, amount numeric, ratio float8, raw bytea, meta jsonb)',
    );
    await sim.sql(
      'db_demo',
      "INSERT INTO shop.orders SELECT g, 'n' || g, '2026-01-01'::timestamptz + g * interval '1 minute', g * 1.5, g / 3.0, '\\x00ff', '{\"a\": 1}' FROM generate_series(1, 1000) g",
    );
    await sim.sql('db_demo', 'CREATE TABLE public.empty (x int)');
  });
  after(() => sim.close());

  it('inventories every user table: rows, and checksums equal for equal data wherever it lives', async () => {
    const inventory = await inventoryOf();
    assert.deepEqual(
      inventory.tables.map(({ table, rows }) => [table, rows]),
      [
        ['public.empty', 0],
        ['shop.orders', 1000],
      ],
    );
    assert.match(inventory.tables[1].checksum, /^[0-9a-f]{16}$/);

    // A database created from a backup holds the same data: the same inventory.
    const backup = sim.addBackup('db_demo');
    const res = await fetch(`${sim.url}/databases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        projectId: 'proj_demo',
        name: 'copy',
        source: { type: 'backup', databaseId: 'db_demo', backupId: backup.id },
      }),
    });
    const copy = ((await res.json()) as { data: { id: string } }).data.id;
    assert.deepEqual(await inventoryOf(copy), inventory);

    // The same row count with one value changed: another checksum.
    await sim.sql(copy, "UPDATE shop.orders SET note = 'changed' WHERE id = 500");
    const changed = await inventoryOf(copy);
    assert.equal(changed.tables[1].rows, 1000);
    assert.notEqual(changed.tables[1].checksum, inventory.tables[1].checksum);
  });

  it('makes one connection per read through the API, named as asked, and deletes it; a leftover of that name goes first', async () => {
    const connections = async () =>
      (
        (await (await fetch(`${sim.url}/databases/db_demo/connections`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
          data: { name: string }[];
        }
      ).data;
    // An attempt whose worker died left this one behind.
    await fetch(`${sim.url}/databases/db_demo/connections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: reading().connectionName }),
    });
    assert.equal((await connections()).length, 1);
    const before = sim.requests.length;
    await inventoryOf();
    const made = sim.requests.slice(before);
    assert.deepEqual(
      made.map((r) => [r.method, r.operation, r.status]),
      [
        ['GET', 'getV1DatabasesByDatabaseIdConnections', 200],
        ['DELETE', 'deleteV1ConnectionsById', 204],
        ['POST', 'postV1DatabasesByDatabaseIdConnections', 200],
        ['DELETE', 'deleteV1ConnectionsById', 204],
      ],
    );
    assert.deepEqual(made[2].body, { name: reading().connectionName });
    assert.deepEqual(await connections(), []);
  });

  it('a SQL check passes when every column is true, and says what is not', async () => {
    assert.deepEqual(await check('SELECT count(*) = 1000 AS all_orders, bool_and(amount > 0) AS positive FROM shop.orders'), {
      passed: true,
      rows: 1,
      findings: [],
    });
    assert.deepEqual(await check('SELECT count(*) = 999 AS nine_hundred_ninety_nine, NULL::boolean AS unknown FROM shop.orders'), {
      passed: false,
      rows: 1,
      findings: ['nine_hundred_ninety_nine is false', 'unknown is NULL'],
    });
    assert.deepEqual((await check('SELECT id > 0 AS ok FROM shop.orders WHERE id < 0')).findings, [
      'the query returned no rows (a check passes when it returns rows that are all true)',
    ]);
    assert.match((await check('SELECT nope FROM shop.orders')).findings[0], /^the query failed with SQLSTATE 42703 \(see the Postgres/);
  });

  it("a failed check's finding never quotes the data: the SQLSTATE only", async () => {
    const failed = await check('SELECT note::int > 0 AS numeric_note FROM shop.orders WHERE id = 7');
    assert.equal(failed.passed, false);
    assert.match(failed.findings[0], /^the query failed with SQLSTATE 22P02 /);
    assert.ok(!failed.findings.join(' ').includes('n7'), failed.findings.join(' '));
  });

  it('a SQL check cannot write: READ ONLY refuses it, one statement only, and the data stays', async () => {
    const writes = await check('WITH gone AS (DELETE FROM shop.orders RETURNING 1) SELECT count(*) = 0 AS nothing FROM gone');
    assert.equal(writes.passed, false);
    assert.deepEqual(writes.findings, ['the check tried to write, and it runs READ ONLY']);
    const smuggled = await check('SELECT true AS ok; COMMIT; DELETE FROM shop.orders');
    assert.equal(smuggled.passed, false);
    // Postgres: "cannot insert multiple commands into a prepared statement".
    assert.match(smuggled.findings[0], /^the query failed with SQLSTATE 42601 /);
    assert.deepEqual(await sim.sql('db_demo', 'SELECT count(*)::int AS n FROM shop.orders'), [{ n: 1000 }]);
  });
});

describe('verification activities, seed profile', function () {
  this.timeout(60_000);
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ token: TOKEN, data: 'postgres' });
  });
  after(() => sim.close());
  const api = () => createManagementApi({ profile: 'seed', baseUrl: sim.url, token: TOKEN });

  it("reads the worker's connection strings (PRISMA_DATABASE_URLS_FILE); without one for the database it says where to put it", async () => {
    const configured = createActivities(api(), { databaseUrls: async (id) => (id === 'db_demo' ? sim.connectionString(id) : undefined) });
    await sim.sql('db_demo', 'CREATE TABLE t (x int)');
    const inventory = (await quietEnv().run(configured.readInventory, reading())) as Inventory;
    assert.deepEqual(
      inventory.tables.map((t) => t.table),
      ['public.t'],
    );

    for (const [activities, why] of [
      [configured, /which has no entry for it/],
      [createActivities(api()), /which is not set/],
    ] as const) {
      const err = await (quietEnv().run(activities.readInventory, reading('db_other')) as Promise<unknown>).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.type, 'NoDatabaseUrl');
      assert.equal(err.nonRetryable, true);
      assert.match(
        err.message,
        /^No connection string for db_other: the seed API gives none, so the worker reads them from PRISMA_DATABASE_URLS_FILE \(\{"db_other": "postgres:\/\/…"\}\)/,
      );
      assert.match(err.message, why);
    }
  });
});
