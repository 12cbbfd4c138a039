import { strict as assert } from 'assert';
import type { PrismaSimulator } from '../../simulator';
import { officialApi } from '../support/openapi';
import { call, manualClock, prismaApi, prismaErrorEnvelope, startPrismaSimulator } from './client';

const PROVISIONING_MS = 4000;

describe('prisma profile: databases', () => {
  let sim: PrismaSimulator;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    sim = await startPrismaSimulator({ clock: clock.now, provisioningMs: PROVISIONING_MS, databases: ['db_demo', 'db_other'] });
  });
  afterEach(() => sim.close());

  const statusOf = async (db: string) => (await prismaApi.getDatabase(sim, db)).json.data.status;

  it('GET answers the database object: ready, in the project, links into the simulator', async () => {
    const res = await prismaApi.getDatabase(sim, 'db_demo');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.data, {
      id: 'db_demo',
      type: 'database',
      url: `${sim.url}/databases/db_demo`,
      name: 'db_demo',
      status: 'ready',
      createdAt: new Date(clock.now()).toISOString(),
      isDefault: false,
      defaultConnectionId: null,
      connections: [],
      project: { id: 'proj_demo', url: `${sim.url}/projects/proj_demo`, name: 'Demo project' },
      region: { id: 'us-east-1', name: 'US East (N. Virginia)' },
      source: null,
    });
  });

  it('GET answers 404 naming an unknown database', async () => {
    const res = await prismaApi.getDatabase(sim, 'db_missing');
    assert.equal(res.status, 404);
    assert.equal(res.json.error.code, 'DATABASE_NOT_FOUND');
    assert.match(res.json.error.message, /db_missing/);
  });

  it('POST /v1/databases creates an empty database, provisioning and then ready', async () => {
    const res = await prismaApi.createDatabase(sim, { projectId: 'proj_demo', name: 'staging', region: 'eu-central-1' });
    assert.equal(res.status, 201);
    const created = res.json.data;
    assert.match(created.id, /^db_c[a-z0-9]+$/);
    assert.equal(created.name, 'staging');
    assert.equal(created.status, 'provisioning');
    assert.deepEqual(created.region, { id: 'eu-central-1', name: 'Europe (Frankfurt)' });
    assert.deepEqual(created.source, { type: 'empty' });
    assert.equal(await statusOf(created.id), 'provisioning');
    clock.advance(PROVISIONING_MS);
    assert.equal(await statusOf(created.id), 'ready');
    assert.deepEqual(sim.effects.databasesCreated, [
      { databaseId: created.id, projectId: 'proj_demo', source: { type: 'empty' }, at: clock.now() - PROVISIONING_MS },
    ]);
  });

  it('creates a database from a backup, provisioning then ready, on both create paths', async () => {
    const backup = sim.addBackup('db_demo');
    const source = { type: 'backup', databaseId: 'db_demo', backupId: backup.id };
    const plain = await prismaApi.createDatabase(sim, { projectId: 'proj_demo', source });
    const scoped = await prismaApi.createProjectDatabase(sim, 'proj_demo', { source, region: 'inherit' });
    const deprecated = await prismaApi.createProjectDatabase(sim, 'proj_demo', { fromDatabase: { id: 'db_demo', backupId: backup.id } });
    for (const res of [plain, scoped, deprecated]) {
      assert.equal(res.status, 201);
      assert.equal(res.json.data.status, 'provisioning');
      assert.deepEqual(res.json.data.source, source);
    }
    assert.deepEqual(scoped.json.data.region, { id: 'us-east-1', name: 'US East (N. Virginia)' });
    assert.deepEqual([scoped.json.data.apiKeys, scoped.json.data.connectionString, scoped.json.data.directConnection], [[], null, null]);
    // A database that is provisioning cannot be restored yet.
    const busy = await prismaApi.restore(sim, plain.json.data.id, { databaseId: 'db_demo', backupId: backup.id });
    assert.equal(busy.status, 409);
    assert.match(busy.json.error.message, /is provisioning/);
    clock.advance(PROVISIONING_MS);
    for (const res of [plain, scoped, deprecated]) assert.equal(await statusOf(res.json.data.id), 'ready');
    assert.equal(sim.effects.databasesCreated.length, 3);
    assert.ok(sim.effects.databasesCreated.every((c) => c.source.type === 'backup'));
  });

  it('clones a database (source type database), and takes the deprecated fromDatabase without backupId as that', async () => {
    const clone = await prismaApi.createDatabase(sim, { projectId: 'proj_demo', source: { type: 'database', databaseId: 'db_other' } });
    const old = await prismaApi.createProjectDatabase(sim, 'proj_demo', { fromDatabase: { id: 'db_other' } });
    for (const res of [clone, old]) assert.deepEqual(res.json.data.source, { type: 'database', databaseId: 'db_other' });
  });

  it('answers 400 naming the problem to a create it cannot carry out, creating nothing', async () => {
    const running = sim.addBackup('db_demo', { status: 'running' });
    const cases: [unknown, RegExp, boolean][] = [
      // [body, message, whether the description itself refuses the body]
      [{}, /projectId is required/, true],
      [{ projectId: 'proj-demo' }, /projectId "proj-demo" does not match/, true],
      [{ projectId: 'proj_demo', region: 'mars-1' }, /region must be one of/, true],
      [{ projectId: 'proj_demo', name: '' }, /name must be a non-empty string/, true],
      [{ projectId: 'proj_demo', isDefault: 'yes' }, /isDefault must be a boolean/, true],
      [{ projectId: 'proj_demo', source: { type: 'copy' } }, /source.type must be empty, backup or database/, true],
      [
        { projectId: 'proj_demo', source: { type: 'backup', databaseId: 'db_gone', backupId: 'c1' } },
        /Source database db_gone not found/,
        false,
      ],
      [{ projectId: 'proj_demo', source: { type: 'backup', databaseId: 'db_demo', backupId: 'cnone' } }, /Backup cnone not found/, false],
      [{ projectId: 'proj_demo', source: { type: 'backup', databaseId: 'db_demo', backupId: running.id } }, /is running/, false],
    ];
    for (const [body, message, breaksDescription] of cases) {
      assert.equal(officialApi.validateRequestBody('postV1Databases', body).length > 0, breaksDescription, JSON.stringify(body));
      const res = await prismaApi.createDatabase(sim, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.json.error.message, message);
    }
    const notJson = await prismaApi.createDatabase(sim, '{"projectId"');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.json.error.code, 'INVALID_JSON');
    const both = await prismaApi.createProjectDatabase(sim, 'proj_demo', { source: { type: 'empty' }, fromDatabase: { id: 'db_demo' } });
    assert.equal(both.status, 400);
    assert.equal(sim.effects.databasesCreated.length, 0);
  });

  it('answers 404 to an unknown project on POST /v1/databases, 403 on the project-scoped create', async () => {
    const plain = await prismaApi.createDatabase(sim, { projectId: 'proj_other' });
    assert.equal(plain.status, 404);
    assert.equal(plain.json.error.code, 'PROJECT_NOT_FOUND');
    assert.match(plain.json.error.message, /proj_other/);
    const scoped = await prismaApi.createProjectDatabase(sim, 'proj_other', {});
    assert.equal(scoped.status, 403);
    assert.match(scoped.json.error.message, /proj_other/);
    assert.equal(sim.effects.databasesCreated.length, 0);
  });

  it('DELETE answers 204 without a body; the database, its backups and restores from them are gone', async () => {
    const backup = sim.addBackup('db_other');
    const res = await prismaApi.deleteDatabase(sim, 'db_other');
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.equal(res.headers.get('content-type'), null);
    assert.equal((await prismaApi.getDatabase(sim, 'db_other')).status, 404);
    assert.equal((await prismaApi.listBackups(sim, 'db_other')).status, 404);
    const restore = await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_other', backupId: backup.id });
    assert.equal(restore.status, 404);
    assert.match(restore.json.error.message, /Source database db_other not found/);
    assert.equal((await prismaApi.deleteDatabase(sim, 'db_other')).status, 404);
    assert.deepEqual(sim.effects.databasesDeleted, [{ databaseId: 'db_other', at: clock.now() }]);
  });

  it('DELETE refuses the default database with 403', async () => {
    const { json } = await prismaApi.createDatabase(sim, { projectId: 'proj_demo', isDefault: true });
    const res = await prismaApi.deleteDatabase(sim, json.data.id);
    assert.equal(res.status, 403);
    assert.match(res.json.error.message, /default/);
    assert.equal(sim.effects.databasesDeleted.length, 0);
  });

  it('lists databases in creation order, a page at a time, on both list paths', async () => {
    const created = [];
    for (let i = 0; i < 3; i++) created.push((await prismaApi.createDatabase(sim, { projectId: 'proj_demo' })).json.data.id);
    const ids = ['db_demo', 'db_other', ...created];
    const all = await prismaApi.listDatabases(sim);
    assert.deepEqual(
      all.json.data.map((d: { id: string }) => d.id),
      ids,
    );
    assert.deepEqual(all.json.pagination, { hasMore: false, nextCursor: null });

    const seen: string[] = [];
    let query = '?limit=2';
    for (let page = 0; page < 3; page++) {
      const res = await prismaApi.listProjectDatabases(sim, 'proj_demo', query);
      seen.push(...res.json.data.map((d: { id: string }) => d.id));
      assert.equal(res.json.pagination.hasMore, page < 2);
      if (!res.json.pagination.hasMore) break;
      query = `?limit=2&cursor=${res.json.pagination.nextCursor}`;
    }
    assert.deepEqual(seen, ids);
    assert.deepEqual((await prismaApi.listDatabases(sim, '?projectId=proj_demo&limit=1')).json.data.length, 1);
  });

  it('answers the lists 404 (project path) or 403 (filter) for an unknown project, 400 to a bad page', async () => {
    assert.equal((await prismaApi.listProjectDatabases(sim, 'proj_other')).status, 404);
    assert.equal((await prismaApi.listDatabases(sim, '?projectId=proj_other')).status, 403);
    for (const query of ['?limit=0', '?limit=x', '?cursor=abc']) {
      // The description lists no answer for a bad page, so only the envelope is checked.
      const res = await call(sim, 'GET', `/databases${query}`);
      assert.equal(res.status, 400, query);
      assert.deepEqual(prismaErrorEnvelope(res.json), []);
      assert.match(res.json.error.message, /limit|cursor/);
    }
  });
});
