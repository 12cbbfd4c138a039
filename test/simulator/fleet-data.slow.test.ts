// A metadata fleet in the prisma profile with a few databases that hold real rows: each of those its
// own in-memory Postgres (within maxLiveDatabases), every other reached at the shared empty database.
import { strict as assert } from 'assert';
import { Client } from 'pg';
import type { PrismaSimulator } from '../../simulator';
import { prismaApi, startPrismaSimulator, waitForStatus } from './client';

const TABLES = "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')";

describe('prisma profile: a metadata fleet with a few databases holding rows', () => {
  let sim: PrismaSimulator;
  before(async () => {
    sim = await startPrismaSimulator({ recoveryMs: 0, provisioningMs: 0, maxLiveDatabases: 2 });
  });
  beforeEach(async () => {
    sim.reset();
    await sim.settled();
  });
  after(() => sim.close());

  const items = async (db: string) => (await sim.sql<{ name: string }>(db, 'SELECT name FROM items ORDER BY name')).map((r) => r.name);
  const restore = async (target: string, source: { databaseId: string; backupId: string }) => {
    assert.equal((await prismaApi.restore(sim, target, source)).status, 200);
    await waitForStatus(sim, target, 'ready');
  };

  it('keeps rows in the databases added with data postgres, backs them up and restores them', async () => {
    const fleet = sim.addDatabases({ count: 200 });
    sim.addDatabase('db_rows', { data: 'postgres' });
    await sim.sql('db_rows', 'CREATE TABLE items (name text PRIMARY KEY)');
    await sim.sql('db_rows', "INSERT INTO items VALUES ('apples')");
    const backup = sim.addBackup('db_rows');
    await sim.sql('db_rows', "INSERT INTO items VALUES ('pears')");
    await restore('db_rows', { databaseId: 'db_rows', backupId: backup.id });
    assert.deepEqual(await items('db_rows'), ['apples']);

    // Through the API: its own address for the one with rows, the shared empty database for the fleet.
    const own = (await prismaApi.createConnection(sim, 'db_rows', { name: 'drill' })).json.data;
    const shared = (await prismaApi.createConnection(sim, fleet[7], { name: 'drill' })).json.data;
    assert.notEqual(own.endpoints.direct.port, shared.endpoints.direct.port);
    for (const [connection, tables] of [
      [own, 1],
      [shared, 0],
    ] as const) {
      const client = new Client({ connectionString: connection.connectionString });
      await client.connect();
      try {
        assert.deepEqual((await client.query(TABLES)).rows, [{ n: tables }]);
      } finally {
        await client.end();
      }
    }
  });

  it('holds at most maxLiveDatabases with rows: the handle throws, a create that would hold rows answers 403', async () => {
    sim.addDatabases({ count: 50 });
    sim.addDatabase('db_rows', { data: 'postgres' });
    sim.addDatabase('db_more', { data: 'postgres' });
    assert.throws(() => sim.addDatabase('db_third', { data: 'postgres' }), /maxLiveDatabases/);
    assert.throws(() => sim.addDatabases({ count: 1, prefix: 'live', data: 'postgres' }), /maxLiveDatabases: 0 places are free/);
    sim.addDatabase('db_plain');
    await sim.sql('db_rows', 'CREATE TABLE items (name text PRIMARY KEY)');
    await sim.sql('db_rows', "INSERT INTO items VALUES ('plums')");
    const withRows = sim.addBackup('db_rows');
    const withoutRows = sim.addBackup('db_plain');

    const full = await prismaApi.createDatabase(sim, {
      projectId: 'proj_demo',
      source: { type: 'backup', databaseId: 'db_rows', backupId: withRows.id },
    });
    assert.equal(full.status, 403);
    assert.equal(full.json.error.code, 'DATABASE_LIMIT_REACHED');
    const metadataCopy = await prismaApi.createDatabase(sim, {
      projectId: 'proj_demo',
      source: { type: 'backup', databaseId: 'db_plain', backupId: withoutRows.id },
    });
    assert.equal(metadataCopy.status, 201, 'a copy of a database without rows holds none, so it needs no place');

    sim.deleteDatabase('db_more');
    const copy = await prismaApi.createDatabase(sim, {
      projectId: 'proj_demo',
      source: { type: 'backup', databaseId: 'db_rows', backupId: withRows.id },
    });
    assert.equal(copy.status, 201);
    await waitForStatus(sim, copy.json.data.id, 'ready');
    assert.deepEqual(await items(copy.json.data.id), ['plums'], 'a copy of a backup with rows holds them');

    // A backup without rows restored into a database with rows leaves it empty, as that backup's database is.
    await restore('db_rows', { databaseId: 'db_plain', backupId: withoutRows.id });
    assert.deepEqual(await sim.sql('db_rows', TABLES), [{ n: 0 }]);
  });

  it('takes data metadata for one database in a simulator with data postgres', async () => {
    const postgres = await startPrismaSimulator({ data: 'postgres', maxLiveDatabases: 1 });
    try {
      postgres.addDatabase('db_records', { data: 'metadata' });
      assert.equal(typeof postgres.addBackup('db_records').size, 'number', 'a plausible size: nothing to snapshot');
      assert.deepEqual(await postgres.sql('db_records', TABLES), [{ n: 0 }], 'reached at the shared empty database');
      assert.throws(() => postgres.addDatabase('db_other'), /maxLiveDatabases/, 'db_demo holds the one place');
    } finally {
      await postgres.close();
    }
  });
});
