import { strict as assert } from 'assert';
import type { PrismaSimulator } from '../../simulator';
import { officialApi } from '../support/openapi';
import { call, manualClock, prismaApi, startPrismaSimulator } from './client';

const RECOVERY_MS = 5000;

describe('prisma profile: restore', () => {
  let sim: PrismaSimulator;
  let clock: ReturnType<typeof manualClock>;
  let backupId: string;
  beforeEach(async () => {
    clock = manualClock();
    sim = await startPrismaSimulator({ clock: clock.now, recoveryMs: RECOVERY_MS, databases: ['db_demo', 'db_other'] });
    backupId = sim.addBackup('db_demo', { createdAt: new Date(clock.now() - 60_000) }).id;
  });
  afterEach(() => sim.close());

  const statusOf = async (db: string) => (await prismaApi.getDatabase(sim, db)).json.data.status;

  it('answers 200 with the database recovering from the backup, then it is ready after recoveryMs', async () => {
    const res = await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_demo', backupId });
    assert.equal(res.status, 200);
    assert.equal(res.json.data.id, 'db_demo');
    assert.equal(res.json.data.status, 'recovering');
    assert.deepEqual(res.json.data.source, { type: 'backup', databaseId: 'db_demo', backupId });

    assert.equal(await statusOf('db_demo'), 'recovering');
    clock.advance(RECOVERY_MS - 1);
    assert.equal(await statusOf('db_demo'), 'recovering');
    clock.advance(1);
    const ready = await prismaApi.getDatabase(sim, 'db_demo');
    assert.equal(ready.json.data.status, 'ready');
    assert.deepEqual(ready.json.data.source, { type: 'backup', databaseId: 'db_demo', backupId }, 'GET keeps the source');

    assert.deepEqual(sim.effects.restoresApplied, [
      {
        databaseId: 'db_demo',
        sourceDatabaseId: 'db_demo',
        backupId,
        backupStatusAtRestore: 'completed',
        at: clock.now() - RECOVERY_MS,
        recoveryOutcome: 'ready',
      },
    ]);
  });

  it('restores into another database from the source database backup', async () => {
    const res = await prismaApi.restore(sim, 'db_other', { databaseId: 'db_demo', backupId });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.data.source, { type: 'backup', databaseId: 'db_demo', backupId });
    assert.equal(await statusOf('db_demo'), 'ready', 'the source is untouched');
    assert.deepEqual(
      sim.effects.restoresApplied.map((r) => [r.databaseId, r.sourceDatabaseId]),
      [['db_other', 'db_demo']],
    );
  });

  it('answers 409 with a hint while the target is recovering, and applies nothing', async () => {
    await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_demo', backupId });
    const again = await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_demo', backupId });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'DATABASE_BUSY');
    assert.match(again.json.error.message, /db_demo is recovering/);
    assert.match(again.json.error.hint, /GET \/v1\/databases\/db_demo/);
    assert.equal(sim.effects.restoresApplied.length, 1);
    clock.advance(RECOVERY_MS);
    assert.equal((await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_demo', backupId })).status, 200);
    assert.equal(sim.effects.restoresApplied.length, 2);
  });

  it('stays recovering with an infinite recoveryMs', async () => {
    const stuck = await startPrismaSimulator({ clock: clock.now, recoveryMs: Infinity });
    try {
      const b = stuck.addBackup('db_demo');
      await prismaApi.restore(stuck, 'db_demo', { databaseId: 'db_demo', backupId: b.id });
      clock.advance(365 * 86_400_000);
      assert.equal((await prismaApi.getDatabase(stuck, 'db_demo')).json.data.status, 'recovering');
    } finally {
      await stuck.close();
    }
  });

  it('failRestores(): the next restore ends in failure, the one after in ready; a failed database can be restored', async () => {
    sim.failRestores();
    const res = await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_demo', backupId });
    assert.equal(res.json.data.status, 'recovering', 'the failure shows only when the recovery ends');
    clock.advance(RECOVERY_MS);
    assert.equal(await statusOf('db_demo'), 'failure');

    assert.equal((await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_demo', backupId })).status, 200);
    clock.advance(RECOVERY_MS);
    assert.equal(await statusOf('db_demo'), 'ready');
    assert.deepEqual(
      sim.effects.restoresApplied.map((r) => r.recoveryOutcome),
      ['failure', 'ready'],
    );
  });

  it('failRestores() without a database: a database created from a backup is a restore too, and ends provisioning in failure', async () => {
    sim.failRestores();
    const created = await prismaApi.createDatabase(sim, {
      projectId: 'proj_demo',
      source: { type: 'backup', databaseId: 'db_demo', backupId },
    });
    assert.equal(created.json.data.status, 'provisioning');
    clock.advance(60 * 60_000);
    assert.equal(await statusOf(created.json.data.id), 'failure');
    const next = await prismaApi.createDatabase(sim, {
      projectId: 'proj_demo',
      source: { type: 'backup', databaseId: 'db_demo', backupId },
    });
    clock.advance(60 * 60_000);
    assert.equal(await statusOf(next.json.data.id), 'ready', 'only the next one');
  });

  it('failRestores({databaseId, times}) fails only that database, that many times', async () => {
    sim.failRestores({ databaseId: 'db_other', times: Infinity });
    for (let i = 0; i < 2; i++) {
      await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_demo', backupId });
      await prismaApi.restore(sim, 'db_other', { databaseId: 'db_demo', backupId });
      clock.advance(RECOVERY_MS);
      assert.deepEqual([await statusOf('db_demo'), await statusOf('db_other')], ['ready', 'failure']);
    }
    assert.throws(() => sim.failRestores({ times: 0 }), RangeError);
  });

  it('answers 404 naming the missing target, source database or backup', async () => {
    const otherBackup = sim.addBackup('db_other').id;
    const cases: [string, { databaseId: string; backupId: string }, RegExp][] = [
      ['db_missing', { databaseId: 'db_demo', backupId }, /Target database db_missing not found/],
      ['db_demo', { databaseId: 'db_gone', backupId }, /Source database db_gone not found/],
      ['db_demo', { databaseId: 'db_demo', backupId: 'cnosuchbackup' }, /Backup cnosuchbackup not found for database db_demo/],
      ['db_demo', { databaseId: 'db_demo', backupId: otherBackup }, new RegExp(`Backup ${otherBackup} not found for database db_demo`)],
    ];
    for (const [target, source, message] of cases) {
      const res = await prismaApi.restore(sim, target, source);
      assert.equal(res.status, 404, res.text);
      assert.match(res.json.error.message, message);
    }
    assert.equal(sim.effects.restoresApplied.length, 0);
  });

  it('answers 422 to a backup that is not completed', async () => {
    for (const status of ['running', 'failed', 'unknown'] as const) {
      const b = sim.addBackup('db_demo', { status });
      const res = await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_demo', backupId: b.id });
      assert.equal(res.status, 422, status);
      assert.equal(res.json.error.code, 'BACKUP_NOT_USABLE');
      assert.match(res.json.error.message, new RegExp(`is ${status}; only a completed backup`));
    }
    assert.equal(sim.effects.restoresApplied.length, 0);
  });

  it('answers 422 naming the field to a body the description refuses', async () => {
    const bodies: [unknown, RegExp][] = [
      [{}, /source must be an object/],
      [{ source: { type: 'database', databaseId: 'db_demo' } }, /source.type must be "backup"/],
      [{ source: { type: 'backup', databaseId: 'db-demo', backupId } }, /source.databaseId "db-demo" does not match/],
      [{ source: { type: 'backup', databaseId: 'db_demo' } }, /source.backupId must be a string/],
      [[], /must be a JSON object/],
    ];
    for (const [body, message] of bodies) {
      assert.notDeepEqual(officialApi.validateRequestBody('postV1DatabasesByTargetDatabaseIdRestore', body), [], JSON.stringify(body));
      const res = await call(sim, 'POST', '/databases/db_demo/restore', { body });
      assert.deepEqual(officialApi.validateResponse('postV1DatabasesByTargetDatabaseIdRestore', res.status, res.json), []);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.json.error.code, 'VALIDATION_ERROR');
      assert.match(res.json.error.message, message);
    }
    for (const body of ['{"source": ', undefined]) {
      const res = await call(sim, 'POST', '/databases/db_demo/restore', { body });
      assert.equal(res.status, 422, String(body));
      assert.deepEqual(officialApi.validateResponse('postV1DatabasesByTargetDatabaseIdRestore', 422, res.json), []);
    }
    assert.deepEqual(
      officialApi.validateRequestBody('postV1DatabasesByTargetDatabaseIdRestore', {
        source: { type: 'backup', databaseId: 'db_demo', backupId },
      }),
      [],
      'the request the helpers send is the described one',
    );
    assert.equal(sim.effects.restoresApplied.length, 0);
  });
});
