// The prisma profile holding a fleet (metadata only): several projects, many databases added at once,
// lists paged per project, and a database deleted by the test while a run goes on.
import { strict as assert } from 'assert';
import type { PrismaSimulator } from '../../simulator';
import { call, manualClock, prismaApi, prismaErrorEnvelope, startPrismaSimulator } from './client';

const HOUR_MS = 3_600_000;

/** Every id a list shows, page by page (each page checked against the description by prismaApi). */
async function walk(sim: PrismaSimulator, list: (query: string) => ReturnType<typeof prismaApi.listDatabases>, limit = 100) {
  const ids: string[] = [];
  let pages = 0;
  for (let cursor: string | null = null; ; pages++) {
    const res = await list(`?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`);
    assert.equal(res.status, 200);
    ids.push(...res.json.data.map((d: { id: string }) => d.id));
    cursor = res.json.pagination.nextCursor;
    assert.equal(res.json.pagination.hasMore, cursor !== null);
    if (cursor === null) return { ids, pages: pages + 1 };
  }
}

describe('prisma profile: a fleet', () => {
  let sim: PrismaSimulator;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    sim = await startPrismaSimulator({ clock: clock.now, projects: ['proj_demo', 'proj_blue'], recoveryMs: 1000 });
  });
  afterEach(() => sim.close());

  it('holds several projects: databases go where they are told, the first project by default', async () => {
    sim.addProject('proj_green');
    sim.addDatabase('db_blue', { projectId: 'proj_blue' });
    sim.addDatabase('db_green', { projectId: 'proj_green' });
    sim.addDatabase('db_plain');
    const projectOf = async (db: string) => (await prismaApi.getDatabase(sim, db)).json.data.project;
    assert.deepEqual(await projectOf('db_blue'), { id: 'proj_blue', url: `${sim.url}/projects/proj_blue`, name: 'proj_blue' });
    assert.equal((await projectOf('db_plain')).id, 'proj_demo');
    assert.equal((await projectOf('db_demo')).name, 'Demo project');
    for (const [project, ids] of [
      ['proj_demo', ['db_demo', 'db_plain']],
      ['proj_blue', ['db_blue']],
      ['proj_green', ['db_green']],
    ] as const) {
      assert.deepEqual((await walk(sim, (q) => prismaApi.listProjectDatabases(sim, project, q))).ids, ids, project);
      assert.deepEqual((await walk(sim, (q) => prismaApi.listDatabases(sim, `${q}&projectId=${project}`))).ids, ids, project);
    }
    assert.deepEqual((await walk(sim, (q) => prismaApi.listDatabases(sim, q))).ids, ['db_demo', 'db_blue', 'db_green', 'db_plain']);
    const created = await prismaApi.createProjectDatabase(sim, 'proj_green', {});
    assert.equal(created.json.data.project.id, 'proj_green');
    assert.equal((await prismaApi.listProjectDatabases(sim, 'proj_green')).json.data.length, 2);
  });

  it('answers 404 for an unknown project on its list, 403 on the filter, and 400 to a limit outside 1-100', async () => {
    const unknown = await prismaApi.listProjectDatabases(sim, 'proj_gone');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'PROJECT_NOT_FOUND');
    assert.equal((await prismaApi.listDatabases(sim, '?projectId=proj_gone')).status, 403);
    for (const limit of ['0', '101', '1000']) {
      const res = await call(sim, 'GET', `/projects/proj_demo/databases?limit=${limit}`);
      assert.equal(res.status, 400, limit);
      assert.deepEqual(prismaErrorEnvelope(res.json), []);
      assert.match(res.json.error.message, /limit must be a number from 1 to 100/);
    }
    assert.equal((await prismaApi.listDatabases(sim, '?limit=100')).status, 200);
  });

  it('refuses projects and databases it cannot hold, naming why', async () => {
    assert.throws(() => sim.addProject('proj-blue'), /does not match Prisma's pattern/);
    assert.throws(() => sim.addProject('proj_blue'), /already exists/);
    assert.throws(() => sim.addDatabase('db_x', { projectId: 'proj_gone' }), /No project proj_gone/);
    assert.throws(() => sim.addDatabases({ count: 2, projectId: 'proj_gone' }), /No project proj_gone/);
    assert.throws(() => sim.addDatabases({ count: 2, prefix: 'Fleet' }), /does not match Prisma's pattern/);
    assert.throws(() => sim.addDatabases({ count: -1 }), /count must be a whole number/);
    assert.throws(() => sim.addDatabases({ count: 2, backup: { createdAt: new Date(clock.now() + 1) } }), /createdAt/);
    assert.equal(sim.addDatabases({ count: 0 }).length, 0);
    assert.deepEqual(await allIds(sim), ['db_demo'], 'nothing was added by a refused call');
  });

  it('adds a thousand databases with a completed backup each in well under a second, numbered past taken ids', async () => {
    sim.addDatabase('db_fleet0002');
    const started = performance.now();
    const ids = sim.addDatabases({ count: 1000, projectId: 'proj_blue' });
    const elapsedMs = performance.now() - started;
    assert.ok(elapsedMs < 500, `took ${elapsedMs.toFixed(0)} ms`);
    assert.equal(ids.length, 1000);
    assert.deepEqual(ids.slice(0, 3), ['db_fleet0001', 'db_fleet0003', 'db_fleet0004']);
    assert.equal(ids[999], 'db_fleet1001');
    const backups = await prismaApi.listBackups(sim, ids[500]);
    assert.equal(backups.json.data.length, 1);
    assert.equal(backups.json.data[0].status, 'completed');
    assert.equal(backups.json.data[0].createdAt, new Date(clock.now()).toISOString());

    const more = sim.addDatabases({ count: 3, prefix: 'shard', backup: { createdAt: new Date(clock.now() - HOUR_MS), status: 'running' } });
    assert.deepEqual(more, ['db_shard0001', 'db_shard0002', 'db_shard0003']);
    const [running] = (await prismaApi.listBackups(sim, 'db_shard0002')).json.data;
    assert.deepEqual([running.status, running.createdAt], ['running', new Date(clock.now() - HOUR_MS).toISOString()]);
    assert.deepEqual(sim.addDatabases({ count: 1, prefix: 'bare', backup: false }), ['db_bare0001']);
    assert.deepEqual((await prismaApi.listBackups(sim, 'db_bare0001')).json.data, []);
  });

  it('pages 5,000 databases quickly: a page costs its own databases, not the fleet', async function () {
    this.timeout(20_000);
    sim.addDatabases({ count: 4000, projectId: 'proj_blue' });
    const mine = sim.addDatabases({ count: 1000, prefix: 'mine' });
    const started = performance.now();
    const walked = await walk(sim, (q) => prismaApi.listProjectDatabases(sim, 'proj_demo', q));
    assert.deepEqual(walked.ids, ['db_demo', ...mine]);
    assert.equal(walked.pages, 11);
    for (const id of mine.slice(0, 200)) {
      assert.equal((await prismaApi.listBackups(sim, id)).json.data.length, 1);
      assert.equal((await prismaApi.getDatabase(sim, id)).status, 200);
    }
    const elapsedMs = performance.now() - started;
    // Description checks take most of it; a scan of the fleet per request would take several times longer.
    assert.ok(elapsedMs < 5000, `took ${elapsedMs.toFixed(0)} ms`);
    assert.equal((await walk(sim, (q) => prismaApi.listDatabases(sim, q))).ids.length, 5001);
  });

  it('deleteDatabase mid-run: every operation on it answers 404, lists skip it, cursors stay valid; not an effect', async () => {
    const ids = sim.addDatabases({ count: 4, prefix: 'run' });
    const backupId = (await prismaApi.listBackups(sim, ids[1])).json.data[0].id;
    const connection = await prismaApi.createConnection(sim, ids[1], { name: 'reader' });
    const first = await prismaApi.listDatabases(sim, '?projectId=proj_demo&limit=2');
    assert.deepEqual(
      first.json.data.map((d: { id: string }) => d.id),
      ['db_demo', ids[0]],
    );
    // The database the next page would start with goes.
    sim.deleteDatabase(ids[1]);
    const next = await prismaApi.listDatabases(sim, `?projectId=proj_demo&limit=2&cursor=${first.json.pagination.nextCursor}`);
    assert.deepEqual(
      next.json.data.map((d: { id: string }) => d.id),
      [ids[2], ids[3]],
    );

    const gone = ids[1];
    const answers = [
      await prismaApi.getDatabase(sim, gone),
      await prismaApi.deleteDatabase(sim, gone),
      await prismaApi.listBackups(sim, gone),
      await prismaApi.restore(sim, gone, { databaseId: ids[0], backupId: (await prismaApi.listBackups(sim, ids[0])).json.data[0].id }),
      await prismaApi.restore(sim, ids[0], { databaseId: gone, backupId }),
      await prismaApi.deleteConnection(sim, connection.json.data.id),
      await call(sim, 'GET', `/databases/${gone}/connections`),
      await call(sim, 'POST', `/databases/${gone}/connections`, { body: { name: 'late' } }),
    ];
    for (const res of answers) {
      assert.equal(res.status, 404, res.text);
      assert.deepEqual(prismaErrorEnvelope(res.json), []);
    }
    const fromGone = await prismaApi.createDatabase(sim, {
      projectId: 'proj_demo',
      source: { type: 'backup', databaseId: gone, backupId },
    });
    assert.equal(fromGone.status, 400);
    assert.deepEqual(sim.effects.databasesDeleted, [], 'a test hook, not an effect of the API');
    assert.throws(() => sim.deleteDatabase(gone), /No database/);
    assert.equal((await prismaApi.listProjectDatabases(sim, 'proj_demo')).json.data.length, 4);
  });

  it('reset() returns to the initial projects and databases', async () => {
    sim.addProject('proj_green');
    sim.addDatabases({ count: 10, projectId: 'proj_blue' });
    sim.reset();
    assert.equal((await prismaApi.listProjectDatabases(sim, 'proj_green')).status, 404);
    assert.deepEqual((await prismaApi.listProjectDatabases(sim, 'proj_blue')).json.data, []);
    assert.deepEqual(await allIds(sim), ['db_demo']);
    await assert.rejects(startPrismaSimulator({ projects: [] }), /projects must name at least one project/);
  });
});

/** The ids of every database, as the workspace list shows them. */
async function allIds(sim: PrismaSimulator): Promise<string[]> {
  return (await walk(sim, (q) => prismaApi.listDatabases(sim, q))).ids;
}
