// Content-level tests on a real Temporal server, with the simulator holding real data (PGlite per
// database): after a run, the database holds the data of *our* backup; verification passes on a
// correct restore and says what differs otherwise; a drill deletes its scratch database whether it
// succeeds, fails or is cancelled. No connection string ever enters a run's history.
import { strict as assert } from 'assert';
import type { WorkflowHandle } from '@temporalio/client';
import type { RunInput as BackupAndRestoreInput } from '../../src/shared/input';
import { approveRestoreUpdate, statusQuery } from '../../src/workflows/messages';
import type { PrismaSimulator, PrismaSimulatorOptions, Simulator } from '../../simulator';
import { expectRunFailure } from '../support/expect-failure';
import { currentDetailsOf, FAST_POLL, startHarness, until, untilStatus, type Harness } from '../support/harness';

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms);

type AnyHarness = Harness<PrismaSimulator> | Harness<Simulator>;

/** A table whose rows say which state of the database they belong to. */
async function seedItems(h: AnyHarness, ...names: string[]): Promise<void> {
  await h.sim.sql('db_demo', 'CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, added timestamptz DEFAULT now())');
  await addItems(h, 'db_demo', ...names);
}

async function addItems(h: AnyHarness, databaseId: string, ...names: string[]): Promise<void> {
  for (const name of names) await h.sim.sql(databaseId, 'INSERT INTO items (name) VALUES ($1)', [name]);
}

const itemsOf = async (h: AnyHarness, databaseId: string) =>
  (await h.sim.sql<{ name: string }>(databaseId, 'SELECT name FROM items ORDER BY id')).map((row) => row.name);

/** No connection string, nor the simulator's password, nor a credential field anywhere in the run's history. */
async function assertNoSecretsInHistory(h: AnyHarness, handle: WorkflowHandle): Promise<void> {
  const history = JSON.stringify(await handle.fetchHistory());
  const password = new URL(await h.sim.connectionString('db_demo')).password;
  assert.ok(!/postgres(ql)?:\/\//.test(history), 'no connection string in the history');
  assert.ok(!history.includes(password), "the simulator's database password is not in the history");
  assert.ok(!/"(pass|connectionString)"/.test(history), 'no credential field in the history');
  assert.ok(!history.includes(h.token), 'no token in the history');
}

const prisma = (input: Partial<BackupAndRestoreInput> = {}): BackupAndRestoreInput => ({
  profile: 'prisma',
  databaseId: 'db_demo',
  poll: FAST_POLL,
  ...input,
});

const drill = (input: Partial<BackupAndRestoreInput> = {}) => prisma({ newDatabase: { projectId: 'proj_demo' }, drill: true, ...input });

describe('real data, prisma profile: our backup, verified; restore drills', function () {
  this.timeout(120_000);
  let h: Harness<PrismaSimulator>;
  const open = async (simulator: Partial<PrismaSimulatorOptions> = {}) => {
    h = await startHarness({ profile: 'prisma', simulator: { data: 'postgres', ...simulator } });
  };
  afterEach(async () => {
    await h.close();
  });

  /** The connections the run made: each one deleted once used. */
  const assertConnectionsDeleted = () => {
    const made = h.requestsFor('postV1DatabasesByDatabaseIdConnections').filter((r) => r.status === 200);
    const deleted = h.requestsFor('deleteV1ConnectionsById').filter((r) => r.status === 204);
    assert.ok(made.length > 0, 'the run made connections to read the data');
    assert.equal(deleted.length, made.length, 'every connection deleted');
  };

  it('restores the backup it names, not a newer one listed first, and verifies it against a reference copy of that backup', async () => {
    await open();
    await seedItems(h, 'ours-1', 'ours-2', 'ours-3');
    const ours = h.sim.addBackup('db_demo', { createdAt: ago(2 * HOUR) });
    await addItems(h, 'db_demo', 'newer-1');
    const newer = h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    await addItems(h, 'db_demo', 'since-1');

    const handle = await h.start(prisma({ backupId: ours.id, verify: {} }));
    const result = await handle.result();

    assert.equal(result.backupId, ours.id);
    assert.notEqual(newer.id, ours.id);
    assert.deepEqual(await itemsOf(h, 'db_demo'), ['ours-1', 'ours-2', 'ours-3'], 'the database holds exactly our backup');
    assert.deepEqual(result.verification, {
      check: 'inventory',
      databaseId: 'db_demo',
      tables: 1,
      rows: 3,
      message: result.verification!.message,
    });
    assert.match(result.message, /Verified db_demo: 1 table, 3 rows, each table's row count and checksum equal to a reference database/);
    // The reference: created from our backup beside db_demo, deleted once read; db_demo itself never deleted.
    const [reference, ...more] = h.sim.effects.databasesCreated;
    assert.equal(more.length, 0);
    assert.deepEqual(reference.source, { type: 'backup', databaseId: 'db_demo', backupId: ours.id });
    assert.deepEqual(
      h.sim.effects.databasesDeleted.map((d) => d.databaseId),
      [reference.databaseId],
    );
    assertConnectionsDeleted();
    await assertNoSecretsInHistory(h, handle);
  });

  it('lists what differs when the restored database is not what the backup holds', async () => {
    await open();
    await seedItems(h, 'ours-1', 'ours-2', 'ours-3');
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    // The reference copy is not created until the test has written to the restored database.
    h.sim.faults.add({ operation: 'postV1Databases', kind: 'status', status: 503, times: Infinity });
    const handle = await h.start(prisma({ verify: {} }));
    await until(() => h.requestsFor('postV1Databases').some((r) => r.status === 503), 60_000);
    assert.equal((await handle.query(statusQuery)).phase, 'verifying');
    assert.match(await currentDetailsOf(handle), /\*\*Verifying\*\* `db_demo`/);
    await addItems(h, 'db_demo', 'written-after-the-restore');
    h.sim.faults.clear();

    const reason = await expectRunFailure(handle, 'VerificationFailed');
    assert.match(reason.message, /^db_demo, restored from backup \w+ of db_demo, is ready, but its data is not the backup's/);
    assert.match(reason.message, /public\.items: 3 rows in the backup, 4 in db_demo/);
    assert.equal((await handle.query(statusQuery)).phase, 'failed');
    const [reference] = h.sim.effects.databasesCreated;
    assert.deepEqual(
      h.sim.effects.databasesDeleted.map((d) => d.databaseId),
      [reference.databaseId],
      'the reference is deleted',
    );
  });

  it('drill: restores the newest completed backup into a scratch database, checks it with SQL, deletes it, and never touches the source', async () => {
    await open();
    await seedItems(h, 'ours-1', 'ours-2');
    h.sim.addBackup('db_demo', { createdAt: ago(2 * HOUR) });
    const newest = h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    h.sim.addBackup('db_demo', { status: 'running' });
    await addItems(h, 'db_demo', 'since-1');
    const sql = "SELECT count(*) = 2 AS two_items, bool_and(name LIKE 'ours-%') AS only_ours FROM items";

    const handle = await h.start(drill({ verify: { sql } }));
    const result = await handle.result();

    assert.equal(result.backupId, newest.id);
    const [scratch, ...more] = h.sim.effects.databasesCreated;
    assert.equal(more.length, 0);
    assert.equal(result.createdDatabaseId, scratch.databaseId);
    assert.equal(result.deletedDatabaseId, scratch.databaseId);
    assert.deepEqual(result.verification, {
      check: 'sql',
      databaseId: scratch.databaseId,
      rows: 1,
      message: `Verified ${scratch.databaseId}: the SQL check passed (1 row, every column true).`,
    });
    assert.match(result.message, /^Drill: created scratch database .* Deleted scratch database /);
    assert.deepEqual(
      h.sim.effects.databasesDeleted.map((d) => d.databaseId),
      [scratch.databaseId],
    );
    // The source: no restore, no connection, its data as it was.
    assert.equal(h.sim.effects.restoresApplied.length, 0);
    assert.ok(h.requestsFor('postV1DatabasesByDatabaseIdConnections').every((r) => r.path.includes(scratch.databaseId)));
    assert.deepEqual(await itemsOf(h, 'db_demo'), ['ours-1', 'ours-2', 'since-1']);
    assertConnectionsDeleted();
    await assertNoSecretsInHistory(h, handle);
  });

  it('drill: a check that does not pass fails the drill, saying what is not true, and still deletes the scratch database', async () => {
    await open();
    await seedItems(h, 'ours-1', 'ours-2');
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    const handle = await h.start(drill({ verify: { sql: 'SELECT count(*) = 3 AS three_items, true AS reachable FROM items' } }));
    const reason = await expectRunFailure(handle, 'VerificationFailed');
    const [scratch] = h.sim.effects.databasesCreated;
    const { backupId } = scratch.source as { backupId: string };
    assert.equal(
      reason.message,
      `${scratch.databaseId}, created from backup ${backupId} of db_demo, is ready, but the SQL check did not pass: three_items is false. ` +
        `The drill's scratch database ${scratch.databaseId} has been deleted.`,
    );
    assert.deepEqual(
      h.sim.effects.databasesDeleted.map((d) => d.databaseId),
      [scratch.databaseId],
    );
    assert.equal((await handle.query(statusQuery)).phase, 'failed');
  });

  it('drill: a restore that ends in failure fails the drill loudly and still deletes the scratch database', async () => {
    await open();
    await seedItems(h, 'ours-1');
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    h.sim.failRestores();
    const handle = await h.start(drill());
    const reason = await expectRunFailure(handle, 'RestoreFailed');
    const [scratch] = h.sim.effects.databasesCreated;
    assert.match(reason.message, new RegExp(`^${scratch.databaseId}, created from backup \\w+ of db_demo, ended in status failure`));
    assert.match(reason.message, new RegExp(`The drill's scratch database ${scratch.databaseId} has been deleted\\.$`));
    assert.deepEqual(
      h.sim.effects.databasesDeleted.map((d) => d.databaseId),
      [scratch.databaseId],
    );
    assert.equal((await handle.query(statusQuery)).phase, 'failed');
  });

  it('drill: cancelled while its scratch database is provisioning, it still deletes it', async () => {
    await open({ provisioningMs: 10 * 60_000 });
    await seedItems(h, 'ours-1');
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    const handle = await h.start(drill());
    const waiting = await untilStatus(handle, (s) => s.phase === 'waiting-for-database', 60_000);
    assert.equal(waiting.drill, true);
    await handle.cancel();
    await expectRunFailure(handle, 'Cancelled');
    assert.deepEqual(
      h.sim.effects.databasesDeleted.map((d) => d.databaseId),
      [waiting.createdDatabaseId],
    );
    assert.equal((await handle.query(statusQuery)).phase, 'cancelled');
  });
});

describe('real data, seed profile: the run restores its own backup, verified against the source around it', function () {
  this.timeout(120_000);
  let h: Harness<Simulator>;
  beforeEach(async () => {
    // Backups end only when the test completes them.
    h = await startHarness({ simulator: { data: 'postgres', backupDurationMs: Infinity } });
  });
  afterEach(async () => {
    await h.close();
  });

  const ownBackup = async (handle: WorkflowHandle) =>
    (await untilStatus(handle, (s) => s.phase === 'waiting-for-backup' && s.backupId !== undefined, 60_000)).backupId!;

  it('restores its own backup, not a newer automatic one with other data, and verifies it', async () => {
    await seedItems(h, 'ours-1', 'ours-2');
    const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL, approval: {}, verify: {} });
    const ours = await ownBackup(handle);
    // A newer automatic backup with other data; the source is as it was by the time ours completes.
    await addItems(h, 'db_demo', 'automatic-1');
    const automatic = h.sim.addAutomaticBackup('db_demo');
    await h.sim.sql('db_demo', "DELETE FROM items WHERE name = 'automatic-1'");
    h.sim.completeBackup(ours);
    const listed = await fetch(`${h.sim.url}/databases/db_demo/backups`, { headers: { authorization: `Bearer ${h.token}` } });
    assert.equal(((await listed.json()) as { data: { id: string }[] }).data[0].id, automatic.id, 'the automatic backup is listed first');

    // Written after the backup: the restore takes it away.
    await untilStatus(handle, (s) => s.phase === 'awaiting-approval', 60_000);
    await addItems(h, 'db_demo', 'after-the-backup');
    await handle.executeUpdate(approveRestoreUpdate, { args: [{ backupId: ours }] });
    const result = await handle.result();

    assert.equal(result.backupId, ours);
    assert.deepEqual(await itemsOf(h, 'db_demo'), ['ours-1', 'ours-2'], 'the database holds exactly our backup');
    assert.equal(result.verification?.check, 'inventory');
    assert.match(
      result.verification!.message,
      /^Verified db_demo: 1 table, 2 rows, each table's row count and checksum equal to the source's inventory when backup \S+ was taken/,
    );
    assert.deepEqual(
      h.sim.effects.restoresApplied.map((r) => r.backupId),
      [ours],
    );
    await assertNoSecretsInHistory(h, handle);
  });

  it('says it cannot verify when the source was written to while the backup was taken, naming what changed; the restore is done', async () => {
    await seedItems(h, 'ours-1', 'ours-2');
    const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL, verify: {} });
    const ours = await ownBackup(handle);
    await addItems(h, 'db_demo', 'during-the-backup');
    h.sim.completeBackup(ours);
    const reason = await expectRunFailure(handle, 'VerificationInconclusive');
    assert.match(
      reason.message,
      new RegExp(
        `^The restore of db_demo from backup ${ours} was accepted, but it could not be verified: db_demo was written to while backup ${ours} was taken, ` +
          'so no inventory tells what the backup holds \\(public\\.items: 2 rows before the backup, 3 once it completed\\)',
      ),
    );
    assert.equal(h.sim.effects.restoresApplied.length, 1);
    assert.deepEqual(await itemsOf(h, 'db_demo'), ['ours-1', 'ours-2', 'during-the-backup']);
    await assertNoSecretsInHistory(h, handle);
  });
});
