import { strict as assert } from 'assert';
import type { PrismaSimulator } from '../../simulator';
import { manualClock, prismaApi, startPrismaSimulator } from './client';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe('prisma profile: backup list', () => {
  let sim: PrismaSimulator;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    sim = await startPrismaSimulator({ clock: clock.now, databases: ['db_demo', 'db_other'] });
  });
  afterEach(() => sim.close());

  /** `count` backups an hour apart, the newest an hour old; returned newest first. */
  const addHourly = (count: number, db = 'db_demo') =>
    Array.from({ length: count }, (_, i) => sim.addBackup(db, { createdAt: new Date(clock.now() - (count - i) * HOUR_MS) })).reverse();

  it('answers data, meta and pagination, newest first, 25 by default', async () => {
    const added = addHourly(30);
    const res = await prismaApi.listBackups(sim, 'db_demo');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.json.data.map((b: { id: string }) => b.id),
      added.slice(0, 25).map((b) => b.id),
    );
    assert.deepEqual(res.json.meta, { backupRetentionDays: 7 });
    assert.deepEqual(res.json.pagination, { hasMore: true, limit: 25 });
  });

  it('honours limit from 1 to 100; hasMore only when more backups exist', async () => {
    const added = addHourly(30);
    const five = await prismaApi.listBackups(sim, 'db_demo', '?limit=5');
    assert.deepEqual(
      five.json.data.map((b: { id: string }) => b.id),
      added.slice(0, 5).map((b) => b.id),
    );
    assert.deepEqual(five.json.pagination, { hasMore: true, limit: 5 });
    const all = await prismaApi.listBackups(sim, 'db_demo', '?limit=100');
    assert.equal(all.json.data.length, 30);
    assert.deepEqual(all.json.pagination, { hasMore: false, limit: 100 });
    const exact = await prismaApi.listBackups(sim, 'db_demo', '?limit=30');
    assert.equal(exact.json.pagination.hasMore, false);
    const one = await prismaApi.listBackups(sim, 'db_demo', '?limit=1');
    assert.equal(one.json.data.length, 1);
  });

  it('answers an empty page for a database without backups', async () => {
    const res = await prismaApi.listBackups(sim, 'db_other');
    assert.deepEqual(res.json, { data: [], meta: { backupRetentionDays: 7 }, pagination: { hasMore: false, limit: 25 } });
  });

  it('refuses a limit outside 1–100 with 422 naming it', async () => {
    for (const limit of ['0', '101', 'abc', '2.5', '', '-1']) {
      const res = await prismaApi.listBackups(sim, 'db_demo', `?limit=${limit}`);
      assert.equal(res.status, 422, limit);
      assert.equal(res.json.error.code, 'VALIDATION_ERROR');
      assert.match(res.json.error.message, /limit must be an integer from 1 to 100/);
    }
  });

  it('shows each status and type as described; size only once completed', async () => {
    const completed = sim.addBackup('db_demo', { backupType: 'incremental', size: 4096, createdAt: new Date(clock.now() - 4) });
    const running = sim.addBackup('db_demo', { status: 'running', createdAt: new Date(clock.now() - 3) });
    const failed = sim.addBackup('db_demo', { status: 'failed', createdAt: new Date(clock.now() - 2) });
    const unknown = sim.addBackup('db_demo', { status: 'unknown', createdAt: new Date(clock.now() - 1) });
    const { json } = await prismaApi.listBackups(sim, 'db_demo');
    assert.deepEqual(json.data, [unknown, failed, running, completed]);
    assert.deepEqual(completed, {
      id: completed.id,
      backupType: 'incremental',
      createdAt: new Date(clock.now() - 4).toISOString(),
      size: 4096,
      status: 'completed',
      type: 'backup',
    });
    assert.match(completed.id, /^c[a-z0-9]+$/);
    for (const backup of [running, failed, unknown]) assert.equal(backup.size, undefined);
    assert.equal(running.backupType, 'full');
  });

  it('finishBackup ends a running backup completed or failed, and nothing else', async () => {
    const a = sim.addBackup('db_demo', { status: 'running' });
    const b = sim.addBackup('db_demo', { status: 'running' });
    assert.equal(sim.finishBackup(a.id, 'completed').status, 'completed');
    assert.equal(sim.finishBackup(b.id, 'failed').status, 'failed');
    const { json } = await prismaApi.listBackups(sim, 'db_demo');
    assert.deepEqual(json.data.map((x: { status: string }) => x.status).sort(), ['completed', 'failed']);
    assert.throws(() => sim.finishBackup(a.id, 'failed'), /is completed; only a running backup can finish/);
    assert.throws(() => sim.finishBackup('cmissing', 'completed'), /No backup cmissing/);
  });

  it('lists and restores only backups inside the retention window', async () => {
    const old = sim.addBackup('db_demo', { createdAt: new Date(clock.now() - 8 * DAY_MS) });
    const recent = sim.addBackup('db_demo', { createdAt: new Date(clock.now() - 6 * DAY_MS) });
    assert.deepEqual(
      (await prismaApi.listBackups(sim, 'db_demo')).json.data.map((b: { id: string }) => b.id),
      [recent.id],
    );
    const expired = await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_demo', backupId: old.id });
    assert.equal(expired.status, 404);
    assert.match(expired.json.error.hint, /retention/);
    clock.advance(DAY_MS);
    assert.deepEqual((await prismaApi.listBackups(sim, 'db_demo')).json.data, [], 'a day later the other one has expired too');
  });

  it('keeps no backups with a retention of 0 days (the free plan)', async () => {
    const free = await startPrismaSimulator({ backupRetentionDays: 0 });
    try {
      free.addBackup('db_demo');
      const res = await prismaApi.listBackups(free, 'db_demo');
      assert.deepEqual(res.json.data, []);
      assert.deepEqual(res.json.meta, { backupRetentionDays: 0 });
    } finally {
      await free.close();
    }
  });

  it('answers 404 naming an unknown database', async () => {
    const res = await prismaApi.listBackups(sim, 'db_missing');
    assert.equal(res.status, 404);
    assert.equal(res.json.error.code, 'DATABASE_NOT_FOUND');
    assert.match(res.json.error.message, /db_missing/);
  });

  it('refuses hooks that could not happen', () => {
    assert.throws(() => sim.addBackup('db_missing'), /No database db_missing/);
    assert.throws(() => sim.addBackup('db_demo', { createdAt: new Date(clock.now() + 1) }), /not in the future/);
    assert.throws(() => sim.addBackup('db_demo', { size: -1 }), RangeError);
    assert.throws(() => sim.addDatabase('db_two_parts'), /does not match Prisma's pattern/);
    assert.throws(() => sim.addDatabase('db_demo'), /already exists/);
  });
});
