// The seed profile with data 'postgres': rows written over a real socket, snapshots at completion, restores.
import { strict as assert } from 'assert';
import { Client } from 'pg';
import type { Simulator } from '../../simulator';
import { seedApi } from '../support/openapi';
import { createBackup, listBackups, restoreBackup, sleep, startTestSimulator } from './client';

describe('seed profile with real data', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startTestSimulator({ data: 'postgres', backupDurationMs: Infinity, maxLiveDatabases: 1 });
  });
  beforeEach(async () => {
    sim.reset();
    await sim.settled();
    await sim.sql('db_demo', 'CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
  });
  after(() => sim.close());

  const notes = async () =>
    (await sim.sql<{ id: number; body: string }>('db_demo', 'SELECT id, body FROM notes ORDER BY id')).map((r) => `${r.id}:${r.body}`);
  const write = (id: number, body: string) =>
    sim.sql('db_demo', 'INSERT INTO notes VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET body = $2', [id, body]);

  it('restores the rows as they were when the backup completed: not at its creation, not the latest', async () => {
    await write(1, 'before the backup');
    const { json: created } = await createBackup(sim);
    await write(2, 'while it runs');
    const completed = sim.completeBackup(created.id);
    assert.equal(completed.status, 'completed');
    await write(3, 'after it completed');
    await write(1, 'changed after');
    const listed = (await listBackups(sim)).json;
    assert.deepEqual(seedApi.validateResponse('listDatabaseBackups', 200, listed), []);
    assert.ok(listed.data[0].sizeBytes > 0, "the snapshot's size, once written");

    const restore = await restoreBackup(sim, created.id);
    assert.equal(restore.status, 202);
    assert.deepEqual(seedApi.validateResponse('restoreDatabaseBackup', 202, restore.json), []);
    assert.deepEqual(await notes(), ['1:before the backup', '2:while it runs'], 'the 202 comes once the data is restored');
  });

  it('ends a backup by its timer, snapshotting then', async () => {
    const timed = await startTestSimulator({ data: 'postgres', backupDurationMs: 50 });
    try {
      await timed.sql('db_demo', 'CREATE TABLE t (v text)');
      await timed.sql('db_demo', "INSERT INTO t VALUES ('kept')");
      const { json: created } = await createBackup(timed);
      let status = created.status;
      while (status !== 'completed') {
        await sleep(20);
        status = (await listBackups(timed)).json.data[0].status;
      }
      await timed.sql('db_demo', "UPDATE t SET v = 'lost'");
      assert.equal((await restoreBackup(timed, created.id)).status, 202);
      assert.deepEqual(await timed.sql('db_demo', 'SELECT v FROM t'), [{ v: 'kept' }]);
    } finally {
      await timed.close();
    }
  });

  it('snapshots an automatic backup when it is added', async () => {
    await write(1, 'at the automatic backup');
    const auto = sim.addAutomaticBackup('db_demo');
    await write(1, 'later');
    assert.equal((await restoreBackup(sim, auto.id)).status, 202);
    assert.deepEqual(await notes(), ['1:at the automatic backup']);
  });

  it('keeps the address across a restore and ends the sessions open during it', async () => {
    await write(1, 'one');
    const backup = sim.addAutomaticBackup('db_demo');
    const before = await sim.connectionString('db_demo');
    const session = new Client({ connectionString: before });
    session.on('error', () => {});
    await session.connect();
    await session.query('BEGIN');
    await session.query("INSERT INTO notes VALUES (2, 'uncommitted')");
    try {
      assert.equal((await restoreBackup(sim, backup.id)).status, 202);
      await assert.rejects(session.query('SELECT 1'), 'the restore ended the open session');
    } finally {
      await session.end().catch(() => {});
    }
    assert.equal(await sim.connectionString('db_demo'), before);
    const after = new Client({ connectionString: before });
    await after.connect();
    try {
      assert.deepEqual((await after.query('SELECT body FROM notes')).rows, [{ body: 'one' }]);
    } finally {
      await after.end();
    }
  });

  it('answers a replayed restore (same Idempotency-Key) without restoring again', async () => {
    await write(1, 'backed up');
    const backup = sim.addAutomaticBackup('db_demo');
    const headers = { 'idempotency-key': 'restore-once' };
    assert.equal((await restoreBackup(sim, backup.id, 'db_demo', { headers })).status, 202);
    await write(1, 'written after the restore');
    const replay = await restoreBackup(sim, backup.id, 'db_demo', { headers });
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await notes(), ['1:written after the restore']);
  });

  it('refuses a database beyond maxLiveDatabases, naming the option', async () => {
    assert.throws(() => sim.addDatabase('db_more'), /maxLiveDatabases/);
    await assert.rejects(
      startTestSimulator({ data: 'postgres', databases: ['db_a', 'db_b'], maxLiveDatabases: 1 }),
      /holds 1 databases with real data \(maxLiveDatabases/,
    );
  });
});

describe('seed profile with real data: releasing a database', () => {
  it('frees its place under maxLiveDatabases; the database and its backups stay as records, and a restore changes records only', async () => {
    const sim = await startTestSimulator({ data: 'postgres', backupDurationMs: Infinity, maxLiveDatabases: 1 });
    try {
      await sim.sql('db_demo', 'CREATE TABLE notes (id int PRIMARY KEY)');
      const backup = sim.addAutomaticBackup('db_demo');
      await sim.settled();
      const size = ((await listBackups(sim)).json as { data: { sizeBytes: number }[] }).data[0].sizeBytes;
      assert.throws(() => sim.addDatabase('db_more'), /maxLiveDatabases/);

      sim.releaseData('db_demo');
      sim.addDatabase('db_more');
      await sim.settled();
      assert.deepEqual(await sim.sql('db_more', 'SELECT 1 AS one'), [{ one: 1 }]);
      await assert.rejects(sim.connectionString('db_demo'), /No database db_demo/);
      assert.deepEqual(
        ((await listBackups(sim)).json as { data: { id: string; sizeBytes: number }[] }).data.map((b) => [b.id, b.sizeBytes]),
        [[backup.id, size]],
        'the backup stays, its size kept',
      );
      assert.equal((await restoreBackup(sim, backup.id)).status, 202);
      assert.equal(sim.effects.restoresApplied.length, 1);
    } finally {
      await sim.close();
    }
  });
});

describe('seed profile, metadata only (the default)', () => {
  it('has no data to reach and no maxLiveDatabases', async () => {
    const sim = await startTestSimulator();
    try {
      await assert.rejects(sim.connectionString('db_demo'), /metadata only; start it with data: 'postgres'/);
      await assert.rejects(sim.sql('db_demo', 'SELECT 1'), /metadata only/);
      await sim.settled();
    } finally {
      await sim.close();
    }
    await assert.rejects(startTestSimulator({ maxLiveDatabases: 2 }), /maxLiveDatabases applies with data: 'postgres' only/);
    await assert.rejects(startTestSimulator({ data: 'sqlite' as never }), /data must be metadata or postgres/);
  });
});
