import { strict as assert } from 'assert';
import type { Simulator } from '../../simulator';
import { call, createBackup, restoreBackup, sleep, startTestSimulator, TOKEN } from './client';

describe('simulator records', () => {
  let sim: Simulator;
  const logLines: string[] = [];
  beforeEach(async () => {
    logLines.length = 0;
    sim = await startTestSimulator({ backupDurationMs: 0, log: (line) => logLines.push(line) });
  });
  afterEach(() => sim.close());

  it('records every request with its operation, lowercased headers, parsed body, status and time', async () => {
    const before = Date.now();
    await createBackup(sim, 'db_demo', { body: { label: 'nightly' }, headers: { 'X-Trace-Id': 'abc' } });
    await call(sim, 'GET', '/databases/db_demo/backups?limit=5');
    await call(sim, 'PUT', '/elsewhere', { body: 'plain text' });
    const after = Date.now();

    assert.equal(sim.requests.length, 3);
    const [create, list, stray] = sim.requests;
    assert.equal(create.method, 'POST');
    assert.equal(create.path, '/v1/databases/db_demo/backups');
    assert.equal(create.operation, 'createDatabaseBackup');
    assert.equal(create.headers['x-trace-id'], 'abc');
    assert.equal(create.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(create.body, { label: 'nightly' });
    assert.equal(create.status, 202);
    assert.ok(create.time >= before && create.time <= after);

    assert.equal(list.path, '/v1/databases/db_demo/backups', 'the query string is not part of the path');
    assert.equal(list.operation, 'listDatabaseBackups');
    assert.equal(list.body, undefined);
    assert.equal(list.status, 200);

    assert.equal(stray.operation, undefined);
    assert.equal(stray.body, 'plain text');
    assert.equal(stray.status, 404);
  });

  it('records each effect: created backups as answered, and restores with the backup status', async () => {
    const { json: backup } = await createBackup(sim);
    await sleep(2);
    const before = Date.now();
    await restoreBackup(sim, backup.id);
    assert.deepEqual(sim.effects.backupsCreated, [backup]);
    assert.equal(sim.effects.restoresApplied.length, 1);
    const [restore] = sim.effects.restoresApplied;
    assert.deepEqual(
      { ...restore, at: 0 },
      {
        databaseId: 'db_demo',
        sourceDatabaseId: 'db_demo',
        backupId: backup.id,
        backupStatusAtRestore: 'completed',
        at: 0,
      },
    );
    assert.ok(restore.at >= before && restore.at <= Date.now());
  });

  it('logs one line per request, never the token', async () => {
    sim.faults.add({ kind: 'reset-before' });
    await assert.rejects(createBackup(sim));
    await createBackup(sim);
    assert.deepEqual(logLines, [
      'POST /v1/databases/db_demo/backups -> socket reset [fault: reset-before]',
      'POST /v1/databases/db_demo/backups -> 202',
    ]);
    assert.ok(!logLines.join('\n').includes(TOKEN));
  });

  it('reset() returns to the starting state and keeps held arrays live', async () => {
    const requests = sim.requests;
    const created = sim.effects.backupsCreated;
    sim.addDatabase('db_extra');
    await createBackup(sim, 'db_extra', { headers: { 'idempotency-key': 'k' } });
    sim.faults.add({ kind: 'status', status: 500, times: Infinity });
    await createBackup(sim);

    sim.reset();
    assert.equal(sim.requests.length, 0);
    assert.equal(sim.effects.backupsCreated.length, 0);
    assert.equal(sim.faults.pending, 0);
    assert.equal(sim.stats.faultsInjected.status, 0);

    assert.equal((await createBackup(sim, 'db_extra')).status, 404, 'added databases are gone');
    const again = await createBackup(sim, 'db_demo', { headers: { 'idempotency-key': 'k' } });
    assert.equal(again.headers.get('idempotent-replayed'), null);
    assert.equal(requests.length, 2);
    assert.equal(created.length, 1);
  });
});
