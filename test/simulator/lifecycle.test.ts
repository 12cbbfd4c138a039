import { strict as assert } from 'assert';
import type { Simulator } from '../../simulator';
import { backupAt, statusAt, type StoredBackup } from '../../simulator/seed/backup-lifecycle';
import { seedApi } from '../support/openapi';
import { createBackup, listBackups, restoreBackup, sleep, startTestSimulator } from './client';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const stored = (overrides: Partial<StoredBackup> = {}): StoredBackup => ({
  id: 'bkp_1',
  databaseId: 'db_demo',
  type: 'manual',
  createdAtMs: T0,
  seq: 0,
  durationMs: 300,
  outcome: 'completed',
  sizeBytes: 1234,
  ...overrides,
});

describe('backup lifecycle (pure)', () => {
  it('is pending for the first third, in progress until the duration, then completed', () => {
    const b = stored();
    assert.equal(statusAt(b, T0), 'pending');
    assert.equal(statusAt(b, T0 + 99), 'pending');
    assert.equal(statusAt(b, T0 + 100), 'in_progress');
    assert.equal(statusAt(b, T0 + 299), 'in_progress');
    assert.equal(statusAt(b, T0 + 300), 'completed');
  });

  it('shows size and completion time only once completed', () => {
    assert.deepEqual(backupAt(stored(), T0 + 150), {
      id: 'bkp_1',
      databaseId: 'db_demo',
      type: 'manual',
      status: 'in_progress',
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    const done = backupAt(stored(), T0 + 5000);
    assert.equal(done.sizeBytes, 1234);
    assert.equal(done.completedAt, '2025-01-01T00:00:00.300Z');
  });

  it('ends failed, without size, when the outcome is failed', () => {
    const failed = backupAt(stored({ outcome: 'failed' }), T0 + 300);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.sizeBytes, undefined);
    assert.equal(failed.completedAt, undefined);
  });

  it('never finishes with an infinite duration', () => {
    assert.equal(statusAt(stored({ durationMs: Infinity }), T0 + 10 * 365 * 86_400_000), 'pending');
  });

  it('is pending at the instant of creation even with a zero duration', () => {
    assert.equal(statusAt(stored({ durationMs: 0 }), T0), 'pending');
    assert.equal(statusAt(stored({ durationMs: 0 }), T0 + 1), 'completed');
  });

  it('lets a fixed status override the clock', () => {
    assert.equal(statusAt(stored({ fixedStatus: 'failed' }), T0 + 5000), 'failed');
    assert.equal(statusAt(stored({ fixedStatus: 'completed' }), T0), 'completed');
  });
});

describe('backup lifecycle over HTTP', () => {
  let sim: Simulator | undefined;
  afterEach(() => sim?.close());

  const statusOf = async (s: Simulator, id: string) => {
    const res = await listBackups(s);
    assert.deepEqual(seedApi.validateResponse('listDatabaseBackups', 200, res.json), []);
    return res.json.data.find((b: { id: string }) => b.id === id);
  };

  it('moves pending → in_progress → completed on the real clock', async () => {
    // Pending until 80 ms, in progress until 240 ms; the checks sit well inside each window.
    sim = await startTestSimulator({ backupDurationMs: 240 });
    const { json: created } = await createBackup(sim);
    assert.equal((await statusOf(sim, created.id)).status, 'pending');
    await sleep(120);
    assert.equal((await statusOf(sim, created.id)).status, 'in_progress');
    await sleep(140);
    const done = await statusOf(sim, created.id);
    assert.equal(done.status, 'completed');
    assert.ok(Number.isInteger(done.sizeBytes) && done.sizeBytes > 0);
    assert.equal(Date.parse(done.completedAt) - Date.parse(created.createdAt), 240);
  });

  it('ends failed with backupOutcome failed, and the restore is refused', async () => {
    sim = await startTestSimulator({ backupDurationMs: 60, backupOutcome: 'failed' });
    const { json: created } = await createBackup(sim);
    await sleep(80);
    assert.equal((await statusOf(sim, created.id)).status, 'failed');
    const restore = await restoreBackup(sim, created.id);
    assert.equal(restore.status, 409);
    assert.equal(restore.json.error.details.status, 'failed');
  });

  it('failBackup makes a backup failed at once, even a completed one', async () => {
    sim = await startTestSimulator({ backupDurationMs: 0 });
    const { json: created } = await createBackup(sim);
    await sleep(5);
    assert.equal((await statusOf(sim, created.id)).status, 'completed');
    sim.failBackup(created.id);
    assert.equal((await statusOf(sim, created.id)).status, 'failed');
    assert.throws(() => sim!.failBackup('bkp_missing'), /bkp_missing/);
  });

  it('completeBackup ends an unfinished backup now; a finished one is refused', async () => {
    sim = await startTestSimulator({ backupDurationMs: Infinity });
    const { json: created } = await createBackup(sim);
    await sleep(5);
    const completed = sim.completeBackup(created.id);
    assert.equal(completed.status, 'completed');
    assert.deepEqual(await statusOf(sim, created.id), completed);
    assert.throws(() => sim!.completeBackup(created.id), /is completed; only an unfinished backup can complete/);
    assert.equal((await restoreBackup(sim, created.id)).status, 202);
  });

  it('keeps backups pending forever with an infinite duration', async () => {
    sim = await startTestSimulator({ backupDurationMs: Infinity });
    const { json: created } = await createBackup(sim);
    await sleep(30);
    assert.equal((await statusOf(sim, created.id)).status, 'pending');
  });

  it('lists automatic backups added later first, so data[0] is not the caller backup', async () => {
    sim = await startTestSimulator({ backupDurationMs: 0 });
    const { json: mine } = await createBackup(sim);
    const auto = sim.addAutomaticBackup('db_demo');
    const running = sim.addAutomaticBackup('db_demo', { status: 'in_progress' });
    const res = await listBackups(sim);
    assert.deepEqual(seedApi.validateResponse('listDatabaseBackups', 200, res.json), []);
    assert.deepEqual(
      res.json.data.map((b: { id: string }) => b.id),
      [running.id, auto.id, mine.id],
    );
    assert.equal(res.json.data[0].type, 'automatic');
    assert.equal(res.json.data[0].status, 'in_progress');
    assert.equal(res.json.data[1].status, 'completed');
    assert.equal(typeof res.json.data[1].sizeBytes, 'number');
    assert.equal(sim.effects.backupsCreated.length, 1, 'automatic backups are not effects of API calls');
  });

  it('addDatabase makes a database usable; unknown databases are refused', async () => {
    sim = await startTestSimulator();
    assert.throws(() => sim!.addAutomaticBackup('db_new'), /db_new/);
    sim.addDatabase('db_new');
    assert.equal(sim.addAutomaticBackup('db_new').databaseId, 'db_new');
    assert.equal((await createBackup(sim, 'db_new')).status, 202);
  });
});
