// The prisma profile with data 'postgres': connections a client obtains with the API token, backups
// that snapshot at completion, restores and creates from a backup, the bound on live databases.
import { strict as assert } from 'assert';
import { Client } from 'pg';
import type { PrismaSimulator } from '../../simulator';
import { call, prismaApi, prismaErrorEnvelope, startPrismaSimulator, waitForStatus } from './client';

describe('prisma profile with real data', () => {
  let sim: PrismaSimulator;
  before(async () => {
    sim = await startPrismaSimulator({ data: 'postgres', recoveryMs: 0, provisioningMs: 0, maxLiveDatabases: 2 });
  });
  beforeEach(async () => {
    sim.reset();
    await sim.settled();
    await sim.sql('db_demo', 'CREATE TABLE items (name text PRIMARY KEY, qty int NOT NULL)');
  });
  after(() => sim.close());

  const items = async (db = 'db_demo') =>
    (await sim.sql<{ name: string; qty: number }>(db, 'SELECT name, qty FROM items ORDER BY name')).map((r) => `${r.name}=${r.qty}`);
  const setQty = (name: string, qty: number) =>
    sim.sql('db_demo', 'INSERT INTO items VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET qty = $2', [name, qty]);
  const restore = async (backupId: string, target = 'db_demo') => {
    const res = await prismaApi.restore(sim, target, { databaseId: 'db_demo', backupId });
    assert.equal(res.status, 200);
    await waitForStatus(sim, target, 'ready');
  };

  it('gives a client with the API token a connection string that reaches the data', async () => {
    await setQty('apples', 3);
    const created = await prismaApi.createConnection(sim, 'db_demo', { name: 'reader' });
    assert.equal(created.status, 200);
    const { data } = created.json;
    assert.match(data.id, /^con_c[a-z0-9]+$/);
    assert.equal(data.endpoints.direct.connectionString, data.connectionString);
    assert.deepEqual([data.endpoints.direct.host, data.host], ['127.0.0.1', `127.0.0.1:${data.endpoints.direct.port}`]);
    assert.deepEqual(data.directConnection, { host: data.host, user: data.user, pass: data.pass });

    const client = new Client({ connectionString: data.connectionString });
    await client.connect();
    try {
      assert.deepEqual((await client.query('SELECT name, qty FROM items')).rows, [{ name: 'apples', qty: 3 }]);
    } finally {
      await client.end();
    }

    // Later answers show where to connect, never the credentials.
    const listed = await prismaApi.listConnections(sim, 'db_demo');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.json.pagination, { nextCursor: null, hasMore: false });
    const [shown] = listed.json.data;
    assert.deepEqual(shown.endpoints, { direct: { host: '127.0.0.1', port: data.endpoints.direct.port } });
    const database = await prismaApi.getDatabase(sim, 'db_demo');
    assert.deepEqual(database.json.data.connections, [shown]);
    for (const text of [listed.text, database.text]) assert.ok(!text.includes(data.pass), 'no password after the create');
  });

  it('pages connections, and answers 400 without a name and 404 for an unknown database', async () => {
    for (const name of ['a', 'b', 'c']) await prismaApi.createConnection(sim, 'db_demo', { name });
    const first = await prismaApi.listConnections(sim, 'db_demo', '?limit=2');
    assert.deepEqual(
      first.json.data.map((c: { name: string }) => c.name),
      ['a', 'b'],
    );
    assert.equal(first.json.pagination.hasMore, true);
    const rest = await prismaApi.listConnections(sim, 'db_demo', `?cursor=${first.json.pagination.nextCursor}`);
    assert.deepEqual(
      rest.json.data.map((c: { name: string }) => c.name),
      ['c'],
    );
    const unnamed = await call(sim, 'POST', '/databases/db_demo/connections', { body: {} });
    assert.equal(unnamed.status, 400);
    assert.deepEqual(prismaErrorEnvelope(unnamed.json), []);
    for (const method of ['GET', 'POST']) {
      const res = await call(sim, method, '/databases/db_missing/connections', method === 'POST' ? { body: { name: 'x' } } : {});
      assert.equal(res.status, 404, method);
      assert.deepEqual(prismaErrorEnvelope(res.json), []);
    }
  });

  it('deletes a connection (204), which no list shows any more; a second delete answers 404', async () => {
    const { json } = await prismaApi.createConnection(sim, 'db_demo', { name: 'short-lived' });
    assert.equal((await prismaApi.deleteConnection(sim, json.data.id)).status, 204);
    assert.deepEqual((await prismaApi.listConnections(sim, 'db_demo')).json.data, []);
    const again = await prismaApi.deleteConnection(sim, json.data.id);
    assert.equal(again.status, 404);
    assert.deepEqual(prismaErrorEnvelope(again.json), []);
  });

  it('restores the rows as they were when the backup completed: not at its creation, not the latest', async () => {
    await setQty('apples', 1);
    const backup = sim.addBackup('db_demo', { status: 'running' });
    await setQty('apples', 2);
    sim.finishBackup(backup.id, 'completed');
    await setQty('apples', 3);
    await setQty('pears', 9);
    await restore(backup.id);
    assert.deepEqual(await items(), ['apples=2']);
  });

  it('snapshots a backup at its completion even while an earlier snapshot is still being written', async () => {
    // Enough rows that the first dump takes a while, so the write below arrives during it.
    await sim.sql('db_demo', "INSERT INTO items SELECT 'bulk ' || g || ' ' || md5(g::text), g FROM generate_series(1, 20000) g");
    // A session already open, so the write reaches the database at once, during the first dump.
    const session = new Client({ connectionString: await sim.connectionString('db_demo') });
    await session.connect();
    let second;
    try {
      sim.addBackup('db_demo');
      second = sim.addBackup('db_demo');
      await session.query("INSERT INTO items VALUES ('apples', 1)");
    } finally {
      await session.end();
    }
    await restore(second.id);
    assert.deepEqual(await sim.sql('db_demo', "SELECT count(*)::int AS n FROM items WHERE name = 'apples'"), [{ n: 0 }]);
  });

  it('restores two backups with different contents to their own contents', async () => {
    await setQty('apples', 1);
    const first = sim.addBackup('db_demo');
    await setQty('apples', 5);
    await setQty('plums', 7);
    const second = sim.addBackup('db_demo');
    await setQty('apples', 99);
    await sim.settled();
    const sizes = (await prismaApi.listBackups(sim, 'db_demo')).json.data.map((b: { size: number }) => b.size);
    assert.ok(
      sizes.length === 2 && sizes.every((size: number) => Number.isInteger(size) && size > 0),
      `the snapshots' sizes, once written: ${sizes}`,
    );
    await restore(first.id);
    assert.deepEqual(await items(), ['apples=1']);
    await restore(second.id);
    assert.deepEqual(await items(), ['apples=5', 'plums=7']);
  });

  it('creates a database from a backup holding the snapshot, with an address of its own', async () => {
    await setQty('apples', 4);
    const backup = sim.addBackup('db_demo');
    await setQty('apples', 8);
    const created = await prismaApi.createDatabase(sim, {
      projectId: 'proj_demo',
      name: 'copy',
      source: { type: 'backup', databaseId: 'db_demo', backupId: backup.id },
    });
    assert.equal(created.status, 201);
    assert.equal(created.json.data.status, 'provisioning');
    const copy = created.json.data.id;
    await waitForStatus(sim, copy, 'ready');
    assert.deepEqual(await items(copy), ['apples=4']);
    assert.deepEqual(await items(), ['apples=8'], 'the source is untouched');
    assert.notEqual(await sim.connectionString(copy), await sim.connectionString('db_demo'));
  });

  it('restores into another database from the source database backup', async () => {
    await setQty('apples', 6);
    const backup = sim.addBackup('db_demo');
    const other = (await prismaApi.createDatabase(sim, { projectId: 'proj_demo' })).json.data.id;
    await waitForStatus(sim, other, 'ready');
    await sim.sql(other, 'CREATE TABLE unrelated (x int)');
    await restore(backup.id, other);
    assert.deepEqual(await items(other), ['apples=6']);
    assert.deepEqual(await sim.sql(other, "SELECT to_regclass('unrelated') AS t"), [{ t: null }], 'replaced, not merged');
  });

  it('leaves the data as it was when the restore is set to fail', async () => {
    await setQty('apples', 1);
    const backup = sim.addBackup('db_demo');
    await setQty('apples', 2);
    sim.failRestores({ databaseId: 'db_demo' });
    await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_demo', backupId: backup.id });
    await waitForStatus(sim, 'db_demo', 'failure');
    assert.deepEqual(await items(), ['apples=2']);
  });

  it('refuses a database beyond maxLiveDatabases with 403 naming the option; a delete closes one and frees its place', async () => {
    const second = await prismaApi.createDatabase(sim, { projectId: 'proj_demo' });
    assert.equal(second.status, 201);
    const refused = await prismaApi.createDatabase(sim, { projectId: 'proj_demo' });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.code, 'DATABASE_LIMIT_REACHED');
    assert.match(refused.json.error.message, /maxLiveDatabases/);
    assert.throws(() => sim.addDatabase('db_third'), /maxLiveDatabases/);

    await waitForStatus(sim, second.json.data.id, 'ready');
    const deletedUrl = await sim.connectionString(second.json.data.id);
    assert.equal((await prismaApi.deleteDatabase(sim, second.json.data.id)).status, 204);
    await sim.settled();
    const client = new Client({ connectionString: deletedUrl });
    client.on('error', () => {});
    await assert.rejects(client.connect(), /ECONNREFUSED/, 'a deleted database is closed');
    await assert.rejects(sim.connectionString(second.json.data.id), /No database/);

    const third = await prismaApi.createDatabase(sim, { projectId: 'proj_demo' });
    assert.equal(third.status, 201);
    await waitForStatus(sim, third.json.data.id, 'ready');
    assert.deepEqual(await sim.sql(third.json.data.id, 'SELECT 1 AS one'), [{ one: 1 }]);
  });
});

describe('prisma profile, metadata only (the default)', () => {
  it('leads every connection to one shared empty database on loopback, started by the first, stopped by close()', async () => {
    const sim = await startPrismaSimulator({ databases: ['db_demo', 'db_other'] });
    let address: string;
    try {
      await sim.settled();
      const first = await prismaApi.createConnection(sim, 'db_demo', { name: 'reader' });
      assert.equal(first.status, 200);
      const second = await prismaApi.createConnection(sim, 'db_other', { name: 'reader' });
      const { direct } = first.json.data.endpoints;
      assert.equal(direct.host, '127.0.0.1');
      assert.deepEqual(second.json.data.endpoints.direct, { ...direct, connectionString: second.json.data.connectionString });
      address = `${direct.host}:${direct.port}`;
      const client = new Client({ connectionString: first.json.data.connectionString });
      await client.connect();
      try {
        const tables =
          "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')";
        assert.deepEqual((await client.query(tables)).rows, [{ n: 0 }], 'a database without tables');
      } finally {
        await client.end();
      }
      assert.equal(new URL(await sim.connectionString('db_other')).port, String(direct.port), 'the handle reaches it too');
      assert.deepEqual(await sim.sql('db_demo', 'SELECT 1 AS one'), [{ one: 1 }]);
      assert.equal((await prismaApi.listConnections(sim, 'db_demo')).json.data.length, 1);
      sim.faults.add({ kind: 'reset-before', operation: 'getV1DatabasesByDatabaseIdConnections' });
      const backup = sim.addBackup('db_demo');
      assert.equal(typeof backup.size, 'number', 'a plausible size without a snapshot');
    } finally {
      await sim.close();
    }
    const after = new Client({ connectionString: `postgres://any:any@${address}/postgres` });
    after.on('error', () => {});
    await assert.rejects(after.connect(), /ECONNREFUSED/);
  });
});
