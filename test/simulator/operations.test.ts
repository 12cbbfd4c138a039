import { strict as assert } from 'assert';
import type { Simulator } from '../../simulator';
import { seedApi } from '../support/openapi';
import { call, createBackup, listBackups, restoreBackup, sleep, startTestSimulator } from './client';

describe('simulator operations', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startTestSimulator({ databases: ['db_demo', 'db_other'], backupDurationMs: 100 });
  });
  afterEach(() => sim.close());

  it('binds to loopback on an ephemeral port under /v1', () => {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.notEqual(sim.url, 'http://127.0.0.1:0/v1');
  });

  it('createDatabaseBackup answers 202 with a pending manual backup', async () => {
    const res = await createBackup(sim, 'db_demo', { body: { label: 'before-migration' } });
    assert.equal(res.status, 202);
    assert.deepEqual(seedApi.validateResponse('createDatabaseBackup', 202, res.json), []);
    assert.equal(res.json.databaseId, 'db_demo');
    assert.equal(res.json.type, 'manual');
    assert.equal(res.json.status, 'pending');
    assert.match(res.json.id, /^bkp_/);
    assert.ok(Math.abs(Date.parse(res.json.createdAt) - Date.now()) < 1000);
    assert.equal(res.json.completedAt, undefined);
  });

  it('createDatabaseBackup accepts no body at all', async () => {
    const res = await createBackup(sim);
    assert.equal(res.status, 202);
    assert.deepEqual(seedApi.validateResponse('createDatabaseBackup', 202, res.json), []);
  });

  it('listDatabaseBackups answers 200 with the database backups, newest first', async () => {
    const first = await createBackup(sim);
    await sleep(2);
    const second = await createBackup(sim);
    await createBackup(sim, 'db_other');
    const res = await listBackups(sim);
    assert.equal(res.status, 200);
    assert.deepEqual(seedApi.validateResponse('listDatabaseBackups', 200, res.json), []);
    assert.deepEqual(
      res.json.data.map((b: { id: string }) => b.id),
      [second.json.id, first.json.id],
    );
  });

  it('listDatabaseBackups answers an empty list for a database without backups', async () => {
    const res = await listBackups(sim, 'db_other');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { data: [] });
  });

  it('restoreDatabaseBackup answers 202 restoring once the backup is completed', async () => {
    const created = await createBackup(sim);
    await sleep(110);
    const res = await restoreBackup(sim, created.json.id);
    assert.equal(res.status, 202);
    assert.deepEqual(seedApi.validateResponse('restoreDatabaseBackup', 202, res.json), []);
    assert.equal(res.json.status, 'restoring');
    assert.equal(typeof res.json.message, 'string');
    assert.equal(sim.effects.restoresApplied.length, 1);
  });

  it('restoreDatabaseBackup refuses a backup that is not completed with 409 BACKUP_NOT_COMPLETED', async () => {
    const created = await createBackup(sim);
    const res = await restoreBackup(sim, created.json.id);
    assert.equal(res.status, 409);
    assert.deepEqual(seedApi.validateComponent('Error', res.json), []);
    assert.equal(res.json.error.code, 'BACKUP_NOT_COMPLETED');
    assert.deepEqual(res.json.error.details, { backupId: created.json.id, status: 'pending' });
    assert.equal(sim.effects.restoresApplied.length, 0);
  });

  it('restoreDatabaseBackup answers 404 for an unknown backup or one of another database', async () => {
    const unknown = await restoreBackup(sim, 'bkp_nope');
    assert.equal(unknown.status, 404);
    assert.deepEqual(seedApi.validateResponse('restoreDatabaseBackup', 404, unknown.json), []);
    assert.equal(unknown.json.error.code, 'BACKUP_NOT_FOUND');

    const other = await createBackup(sim, 'db_other');
    const crossed = await restoreBackup(sim, other.json.id, 'db_demo');
    assert.equal(crossed.status, 404);
    assert.equal(crossed.json.error.code, 'BACKUP_NOT_FOUND');
    assert.equal(sim.effects.restoresApplied.length, 0);
  });

  it('answers 404 DATABASE_NOT_FOUND on every operation for an unknown database', async () => {
    const answers = {
      createDatabaseBackup: await createBackup(sim, 'db_missing'),
      listDatabaseBackups: await listBackups(sim, 'db_missing'),
      restoreDatabaseBackup: await restoreBackup(sim, 'bkp_x', 'db_missing'),
    };
    for (const [operationId, res] of Object.entries(answers)) {
      assert.equal(res.status, 404, operationId);
      assert.deepEqual(seedApi.validateResponse(operationId, 404, res.json), [], operationId);
      assert.equal(res.json.error.code, 'DATABASE_NOT_FOUND', operationId);
    }
    assert.equal(sim.effects.backupsCreated.length, 0);
  });

  it('decodes percent-encoded path parameters', async () => {
    sim.addDatabase('db with space');
    const res = await createBackup(sim, encodeURIComponent('db with space'));
    assert.equal(res.status, 202);
    assert.equal(res.json.databaseId, 'db with space');
  });

  it('answers unknown routes with a 404 envelope', async () => {
    for (const path of ['/databases', '/databases/db_demo/backups/', '/nope', '/databases/db_demo/backups/b/restore/x']) {
      const res = await call(sim, 'GET', path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(seedApi.validateComponent('Error', res.json), [], path);
      assert.equal(res.json.error.code, 'NOT_FOUND', path);
    }
  });

  it('answers a wrong method with a 405 envelope and an Allow header', async () => {
    const del = await call(sim, 'DELETE', '/databases/db_demo/backups');
    assert.equal(del.status, 405);
    assert.equal(del.headers.get('allow'), 'GET, POST');
    assert.deepEqual(seedApi.validateComponent('Error', del.json), []);
    assert.equal(del.json.error.code, 'METHOD_NOT_ALLOWED');

    const get = await call(sim, 'GET', '/databases/db_demo/backups/bkp_1/restore');
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });

  it('answers 400 to a body that is not JSON or not a BackupCreate, creating nothing', async () => {
    const notJson = await createBackup(sim, 'db_demo', { body: '{"label": ' });
    assert.equal(notJson.status, 400);
    assert.deepEqual(seedApi.validateComponent('Error', notJson.json), []);
    assert.equal(notJson.json.error.code, 'INVALID_JSON');

    for (const body of [{ label: 7 }, [], 'null', '"text"']) {
      const res = await createBackup(sim, 'db_demo', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.error.code, 'VALIDATION_ERROR', JSON.stringify(body));
    }
    assert.equal(sim.effects.backupsCreated.length, 0);
  });
});
