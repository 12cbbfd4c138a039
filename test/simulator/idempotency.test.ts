import { strict as assert } from 'assert';
import type { Simulator } from '../../simulator';
import { createBackup, listBackups, restoreBackup, sleep, startTestSimulator } from './client';

describe('simulator Idempotency-Key', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startTestSimulator({ databases: ['db_demo', 'db_other'], backupDurationMs: 60 });
  });
  afterEach(() => sim.close());

  const key = (k: string) => ({ headers: { 'idempotency-key': k } });

  it('replays the first answer to a POST with the same key and applies nothing new', async () => {
    const first = await createBackup(sim, 'db_demo', key('k1'));
    await sleep(70); // The backup completes meanwhile; the replay must still show the first answer.
    const second = await createBackup(sim, 'db_demo', key('k1'));
    assert.equal(second.status, first.status);
    assert.equal(second.text, first.text);
    assert.equal(second.json.status, 'pending');
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.equal(sim.effects.backupsCreated.length, 1);
    assert.deepEqual(
      sim.requests.map((r) => r.replayed),
      [undefined, true],
    );
  });

  it('treats different keys, or no key, as different requests', async () => {
    const a = await createBackup(sim, 'db_demo', key('k1'));
    const b = await createBackup(sim, 'db_demo', key('k2'));
    const c = await createBackup(sim);
    const d = await createBackup(sim);
    assert.equal(new Set([a.json.id, b.json.id, c.json.id, d.json.id]).size, 4);
    assert.equal(sim.effects.backupsCreated.length, 4);
  });

  it('scopes a key to its path', async () => {
    const demo = await createBackup(sim, 'db_demo', key('shared'));
    const other = await createBackup(sim, 'db_other', key('shared'));
    assert.equal(other.json.databaseId, 'db_other');
    assert.notEqual(other.json.id, demo.json.id);
  });

  it('applies a restore once for repeated requests with the same key', async () => {
    const { json: backup } = await createBackup(sim);
    await sleep(70);
    const first = await restoreBackup(sim, backup.id, 'db_demo', key('r1'));
    const second = await restoreBackup(sim, backup.id, 'db_demo', key('r1'));
    assert.equal(first.status, 202);
    assert.deepEqual(second.json, first.json);
    assert.equal(sim.effects.restoresApplied.length, 1);
  });

  it('does not replay a refusal: a 409 before the backup completed, the restore once it has', async () => {
    const { json: backup } = await createBackup(sim);
    const early = await restoreBackup(sim, backup.id, 'db_demo', key('r2'));
    assert.equal(early.status, 409);
    await sleep(70);
    const later = await restoreBackup(sim, backup.id, 'db_demo', key('r2'));
    assert.equal(later.status, 202);
    assert.equal(later.headers.get('idempotent-replayed'), null);
    assert.equal(sim.effects.restoresApplied.length, 1);
    const again = await restoreBackup(sim, backup.id, 'db_demo', key('r2'));
    assert.equal(again.headers.get('idempotent-replayed'), 'true', 'the success is what the key keeps');
    assert.equal(sim.effects.restoresApplied.length, 1);
  });

  it('does not replay a 404: the same key works once the database exists', async () => {
    assert.equal((await createBackup(sim, 'db_late', key('k4'))).status, 404);
    sim.addDatabase('db_late');
    assert.equal((await createBackup(sim, 'db_late', key('k4'))).status, 202);
    assert.equal(sim.effects.backupsCreated.length, 1);
  });

  it('does not store a 401 or an injected fault, so the key stays usable', async () => {
    const denied = await createBackup(sim, 'db_demo', { token: null, ...key('k3') });
    assert.equal(denied.status, 401);
    sim.faults.add({ kind: 'status', status: 503 });
    assert.equal((await createBackup(sim, 'db_demo', key('k3'))).status, 503);
    const accepted = await createBackup(sim, 'db_demo', key('k3'));
    assert.equal(accepted.status, 202);
    assert.equal(accepted.headers.get('idempotent-replayed'), null);
    assert.equal(sim.effects.backupsCreated.length, 1);
  });

  it('ignores the header on GET: each read sees the current state', async () => {
    assert.equal((await listBackups(sim, 'db_demo', key('g'))).json.data.length, 0);
    await createBackup(sim);
    const second = await listBackups(sim, 'db_demo', key('g'));
    assert.equal(second.json.data.length, 1);
    assert.equal(second.headers.get('idempotent-replayed'), null);
  });
});

describe('simulator with Idempotency-Keys not honoured', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startTestSimulator({ backupDurationMs: 0, honourIdempotencyKeys: false });
  });
  afterEach(() => sim.close());

  it('applies every POST, whatever key it carries, and never replays', async () => {
    const headers = { 'idempotency-key': 'same' };
    const first = await createBackup(sim, 'db_demo', { headers });
    const second = await createBackup(sim, 'db_demo', { headers });
    assert.notEqual(first.json.id, second.json.id);
    assert.equal(second.headers.get('idempotent-replayed'), null);
    assert.equal(sim.effects.backupsCreated.length, 2);

    await sleep(2);
    await restoreBackup(sim, first.json.id, 'db_demo', { headers });
    await restoreBackup(sim, first.json.id, 'db_demo', { headers });
    assert.equal(sim.effects.restoresApplied.length, 2);
    assert.ok(sim.requests.every((r) => r.replayed === undefined));
  });

  it('a reset-after then loses the answer and a retry applies the request again', async () => {
    sim.faults.add({ kind: 'reset-after', operation: 'createDatabaseBackup' });
    const headers = { 'idempotency-key': 'wf-1/create-backup' };
    await assert.rejects(createBackup(sim, 'db_demo', { headers }));
    assert.equal((await createBackup(sim, 'db_demo', { headers })).status, 202);
    assert.equal(sim.effects.backupsCreated.length, 2);
  });
});
