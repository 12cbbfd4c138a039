import { strict as assert } from 'assert';
import { startSimulator, type PrismaSimulator } from '../../simulator';
import { call, manualClock, prismaApi, prismaErrorEnvelope, startPrismaSimulator, TOKEN } from './client';

describe('prisma profile: auth, routes and options', () => {
  let sim: PrismaSimulator;
  const logLines: string[] = [];
  beforeEach(async () => {
    logLines.length = 0;
    sim = await startPrismaSimulator({ log: (line) => logLines.push(line) });
  });
  afterEach(() => sim.close());

  it('answers 401 with the described envelope on every operation, never echoing the token', async () => {
    const presented = 'wrong-token-Q7z';
    const backupId = sim.addBackup('db_demo').id;
    const source = { databaseId: 'db_demo', backupId };
    const answers = [
      await prismaApi.listBackups(sim, 'db_demo', '', { token: presented }),
      await prismaApi.restore(sim, 'db_demo', source, { token: null }),
      await prismaApi.getDatabase(sim, 'db_demo', { token: presented }),
      await prismaApi.listDatabases(sim, '', { token: presented }),
      await prismaApi.listProjectDatabases(sim, 'proj_demo', '', { token: presented }),
      await prismaApi.createDatabase(sim, { projectId: 'proj_demo' }, { token: presented }),
      await prismaApi.createProjectDatabase(sim, 'proj_demo', {}, { token: presented }),
      await prismaApi.deleteDatabase(sim, 'db_demo', { token: presented }),
    ];
    for (const res of answers) {
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      assert.ok(!res.text.includes(presented));
    }
    assert.deepEqual(sim.effects, { backupsCreated: [], restoresApplied: [], databasesCreated: [], databasesDeleted: [] });
    assert.ok(!logLines.join('\n').includes(presented) && !logLines.join('\n').includes(TOKEN));
  });

  it('answers 404 outside the described paths, 405 with Allow for a method the path lacks', async () => {
    const seedPath = await call(sim, 'POST', '/databases/db_demo/backups');
    assert.equal(seedPath.status, 405, 'Prisma has no on-demand backup');
    assert.equal(seedPath.headers.get('allow'), 'GET');
    const put = await call(sim, 'PUT', '/databases/db_demo');
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, DELETE, PATCH');
    for (const path of ['/databases/db_demo/backups/cx/restore', '/nope', '/projects']) {
      const res = await call(sim, 'GET', path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(prismaErrorEnvelope(res.json), []);
    }
  });

  it('answers 501 for described operations it does not simulate yet', async () => {
    for (const [method, path] of [
      ['PATCH', '/databases/db_demo'],
      ['GET', '/connections/con_x'],
    ]) {
      const res = await call(sim, method, path, method === 'GET' ? {} : { body: {} });
      assert.equal(res.status, 501, `${method} ${path}`);
      assert.equal(res.json.error.code, 'NOT_SIMULATED');
      assert.deepEqual(prismaErrorEnvelope(res.json), []);
    }
  });

  it('ignores Idempotency-Key: Prisma has none, so the same key applies twice', async () => {
    const headers = { 'idempotency-key': 'k1' };
    const first = await prismaApi.createDatabase(sim, { projectId: 'proj_demo' }, { headers });
    const second = await prismaApi.createDatabase(sim, { projectId: 'proj_demo' }, { headers });
    assert.notEqual(first.json.data.id, second.json.data.id);
    assert.equal(second.headers.get('idempotent-replayed'), null);
    assert.equal(sim.effects.databasesCreated.length, 2);
  });

  it('reset() returns to the initial databases with no backups, effects, records or armed failures', async () => {
    const clock = manualClock();
    const local = await startPrismaSimulator({ clock: clock.now, recoveryMs: 10 });
    try {
      const requests = local.requests;
      const backupId = local.addBackup('db_demo').id;
      local.addDatabase('db_extra');
      local.failRestores({ times: Infinity });
      await prismaApi.createDatabase(local, { projectId: 'proj_demo' });
      await prismaApi.restore(local, 'db_demo', { databaseId: 'db_demo', backupId });
      local.reset();
      assert.deepEqual(local.effects, { backupsCreated: [], restoresApplied: [], databasesCreated: [], databasesDeleted: [] });
      assert.equal(local.requests.length, 0);
      assert.equal(local.stats.requestsReceived, 0);
      assert.equal((await prismaApi.getDatabase(local, 'db_extra')).status, 404);
      assert.deepEqual(
        (await prismaApi.listDatabases(local)).json.data.map((d: { id: string }) => d.id),
        ['db_demo'],
      );
      assert.equal((await prismaApi.getDatabase(local, 'db_demo')).json.data.status, 'ready');
      const fresh = local.addBackup('db_demo').id;
      await prismaApi.restore(local, 'db_demo', { databaseId: 'db_demo', backupId: fresh });
      clock.advance(10);
      assert.equal((await prismaApi.getDatabase(local, 'db_demo')).json.data.status, 'ready', 'armed failures are gone');
      assert.equal(requests.length, 5, 'the held array is still the live one');
    } finally {
      await local.close();
    }
  });

  it('refuses options that could not behave as written', async () => {
    const prisma = { token: TOKEN, profile: 'prisma' } as const;
    await assert.rejects(startSimulator({ ...prisma, recoveryMs: -1 }), /recoveryMs must be >= 0/);
    await assert.rejects(startSimulator({ ...prisma, provisioningMs: NaN }), /provisioningMs/);
    await assert.rejects(startSimulator({ ...prisma, backupRetentionDays: 1.5 }), /backupRetentionDays/);
    await assert.rejects(startSimulator({ ...prisma, databases: ['db_a_b'] }), /does not match Prisma's pattern/);
    await assert.rejects(startSimulator({ ...prisma, honourIdempotencyKeys: true as never }), /no Idempotency-Key/);
    await assert.rejects(startSimulator({ token: TOKEN, profile: 'stripe' as never }), /profile must be seed or prisma/);
  });
});
