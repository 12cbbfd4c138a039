import { strict as assert } from 'assert';
import { FaultBook, type Simulator } from '../../simulator';
import { seedApi } from '../support/openapi';
import { createBackup, listBackups, restoreBackup, sleep, startTestSimulator, TOKEN } from './client';

/** The error fetch raises when the server drops the connection without answering. */
async function assertSocketDropped(request: Promise<unknown>): Promise<void> {
  await assert.rejects(request, (err: Error & { cause?: { code?: string } }) => {
    assert.equal(err.message, 'fetch failed');
    assert.equal(err.cause?.code, 'UND_ERR_SOCKET');
    return true;
  });
}

describe('simulator faults', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startTestSimulator({ backupDurationMs: 0 });
  });
  afterEach(() => sim.close());

  it('status 429 answers the RateLimited envelope with Retry-After, once, and applies nothing', async () => {
    sim.faults.add({ kind: 'status', status: 429, retryAfterSeconds: 3 });
    const limited = await createBackup(sim);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    assert.deepEqual(seedApi.validateResponse('createDatabaseBackup', 429, limited.json), []);
    assert.equal(limited.json.error.code, 'RATE_LIMITED');
    assert.equal(sim.effects.backupsCreated.length, 0);

    const next = await createBackup(sim);
    assert.equal(next.status, 202, 'times defaults to 1');
    assert.equal(sim.effects.backupsCreated.length, 1);
  });

  it('status 503 carries Retry-After; a status without it carries none', async () => {
    sim.faults.add({ kind: 'status', status: 503, retryAfterSeconds: 1 });
    sim.faults.add({ kind: 'status', status: 500 });
    const unavailable = await listBackups(sim);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), '1');
    assert.equal(unavailable.json.error.code, 'SERVICE_UNAVAILABLE');
    const failed = await listBackups(sim);
    assert.equal(failed.status, 500);
    assert.equal(failed.headers.get('retry-after'), null);
    assert.deepEqual(seedApi.validateResponse('listDatabaseBackups', 500, failed.json), []);
  });

  it('targets one operation and honours times', async () => {
    sim.faults.add({ operation: 'createDatabaseBackup', kind: 'status', status: 500, times: 2 });
    assert.equal((await listBackups(sim)).status, 200);
    assert.equal((await createBackup(sim)).status, 500);
    assert.equal((await createBackup(sim)).status, 500);
    assert.equal((await createBackup(sim)).status, 202);
    assert.equal(sim.faults.pending, 0);
  });

  it('rate 1 with no times fires on every request until cleared; rate 0 never fires', async () => {
    sim.faults.add({ kind: 'status', status: 500, rate: 0 });
    assert.equal((await listBackups(sim)).status, 200);
    sim.faults.add({ kind: 'status', status: 502, rate: 1 });
    for (let i = 0; i < 3; i++) assert.equal((await listBackups(sim)).status, 502);
    sim.faults.clear();
    assert.equal((await listBackups(sim)).status, 200);
  });

  it('delay answers normally after the delay', async () => {
    sim.faults.add({ kind: 'delay', ms: 150 });
    const res = await createBackup(sim);
    assert.ok(res.elapsedMs >= 145, `answered after ${res.elapsedMs} ms`);
    assert.equal(res.status, 202);
    assert.deepEqual(seedApi.validateResponse('createDatabaseBackup', 202, res.json), []);
    assert.equal(sim.effects.backupsCreated.length, 1);
  });

  it('delay still applies the effect when the client gives up first', async () => {
    sim.faults.add({ kind: 'delay', ms: 100 });
    await assert.rejects(
      fetch(`${sim.url}/databases/db_demo/backups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        signal: AbortSignal.timeout(20),
      }),
      { name: 'TimeoutError' },
    );
    assert.equal(sim.effects.backupsCreated.length, 0);
    await sleep(120);
    assert.equal(sim.effects.backupsCreated.length, 1);
  });

  it('reset-before drops the connection and applies nothing', async () => {
    sim.faults.add({ kind: 'reset-before', operation: 'createDatabaseBackup' });
    await assertSocketDropped(createBackup(sim));
    assert.equal(sim.effects.backupsCreated.length, 0);
    assert.equal(sim.requests.length, 1);
    assert.equal(sim.requests[0].status, undefined);
    assert.equal(sim.requests[0].fault, 'reset-before');
    assert.equal((await listBackups(sim)).json.data.length, 0);
  });

  it('reset-after applies the effect once; an idempotent retry gets the same backup and applies nothing new', async () => {
    sim.faults.add({ kind: 'reset-after', operation: 'createDatabaseBackup' });
    const headers = { 'idempotency-key': 'wf-1/create-backup' };
    await assertSocketDropped(createBackup(sim, 'db_demo', { headers }));
    assert.equal(sim.effects.backupsCreated.length, 1);
    const applied = sim.effects.backupsCreated[0];

    const retry = await createBackup(sim, 'db_demo', { headers });
    assert.equal(retry.status, 202);
    assert.equal(retry.json.id, applied.id);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.equal(sim.effects.backupsCreated.length, 1);
    assert.equal((await listBackups(sim)).json.data.length, 1);
  });

  it('reset-after on a restore applies the restore once across an idempotent retry', async () => {
    const { json: backup } = await createBackup(sim);
    await sleep(2);
    sim.faults.add({ kind: 'reset-after', operation: 'restoreDatabaseBackup' });
    const headers = { 'idempotency-key': 'wf-1/restore' };
    await assertSocketDropped(restoreBackup(sim, backup.id, 'db_demo', { headers }));
    const retry = await restoreBackup(sim, backup.id, 'db_demo', { headers });
    assert.equal(retry.status, 202);
    assert.equal(retry.json.status, 'restoring');
    assert.equal(sim.effects.restoresApplied.length, 1);
  });

  it('malformed-json answers the success status with a body that is not JSON, after applying the effect', async () => {
    sim.faults.add({ kind: 'malformed-json' });
    const res = await createBackup(sim);
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.ok(res.text.length > 0);
    assert.throws(() => JSON.parse(res.text), SyntaxError);
    assert.equal(sim.effects.backupsCreated.length, 1);

    sim.faults.add({ kind: 'malformed-json', operation: 'listDatabaseBackups' });
    const list = await listBackups(sim);
    assert.equal(list.status, 200);
    assert.throws(() => JSON.parse(list.text), SyntaxError);
  });

  it('invalid-body answers JSON that breaks the description, for each operation', async () => {
    const { json: backup } = await createBackup(sim);
    await sleep(2);
    sim.faults.add({ kind: 'invalid-body', times: 3 });
    const answers = {
      createDatabaseBackup: await createBackup(sim),
      listDatabaseBackups: await listBackups(sim),
      restoreDatabaseBackup: await restoreBackup(sim, backup.id),
    };
    for (const [operationId, res] of Object.entries(answers)) {
      assert.ok(res.json !== undefined, `${operationId} body is JSON`);
      const errors = seedApi.validateResponse(operationId, res.status, res.json);
      assert.ok(errors.length > 0, `${operationId} ${res.status} ${res.text} should break the description`);
    }
    assert.equal(answers.createDatabaseBackup.status, 202);
    assert.equal(answers.createDatabaseBackup.json.id, undefined);
    assert.equal(answers.listDatabaseBackups.status, 200);
    assert.equal(answers.restoreDatabaseBackup.status, 202);
  });

  it('counts injected faults by kind', async () => {
    sim.faults.add({ kind: 'status', status: 429, times: 2 });
    sim.faults.add({ kind: 'delay', ms: 1 });
    sim.faults.add({ kind: 'reset-before' });
    await listBackups(sim);
    await listBackups(sim);
    await listBackups(sim);
    await assertSocketDropped(listBackups(sim));
    await listBackups(sim);
    assert.deepEqual(sim.stats.faultsInjected, {
      status: 2,
      delay: 1,
      'reset-before': 1,
      'reset-after': 0,
      'malformed-json': 0,
      'invalid-body': 0,
    });
  });

  it('does not spend faults on unknown routes', async () => {
    sim.faults.add({ kind: 'status', status: 500 });
    const res = await fetch(`${sim.url}/nope`);
    assert.equal(res.status, 404);
    assert.equal(sim.faults.pending, 1);
  });

  it('rejects fault specs that could not behave as written', () => {
    assert.throws(() => sim.faults.add({ kind: 'status', status: 200 }), RangeError);
    assert.throws(() => sim.faults.add({ kind: 'status', status: 503, retryAfterSeconds: 1.5 }), RangeError);
    assert.throws(() => sim.faults.add({ kind: 'delay', ms: -1 }), RangeError);
    assert.throws(() => sim.faults.add({ kind: 'delay', ms: Infinity }), RangeError);
    assert.throws(() => sim.faults.add({ kind: 'reset-before', times: 0 }), RangeError);
    assert.throws(() => sim.faults.add({ kind: 'reset-before', rate: 1.5 }), RangeError);
    assert.throws(() => sim.faults.add({ kind: 'boom' } as never), RangeError);
    assert.throws(() => sim.faults.add({ kind: 'reset-before', operation: 'deleteDatabase' } as never), RangeError);
    assert.equal(sim.faults.pending, 0);
  });
});

describe('FaultBook', () => {
  it('fires a rated fault only when the draw is under the rate', () => {
    const draws = [0.9, 0.1, 0.5, 0.49];
    const book = new FaultBook(() => draws.shift()!);
    book.add({ kind: 'reset-after', rate: 0.5 });
    assert.deepEqual(
      [0, 1, 2, 3].map(() => book.take('listDatabaseBackups')?.kind),
      [undefined, 'reset-after', undefined, 'reset-after'],
    );
  });

  it('caps a rated fault with times', () => {
    const book = new FaultBook(() => 0);
    book.add({ kind: 'malformed-json', rate: 0.5, times: 2 });
    assert.equal(book.take('createDatabaseBackup')?.kind, 'malformed-json');
    assert.equal(book.take('createDatabaseBackup')?.kind, 'malformed-json');
    assert.equal(book.take('createDatabaseBackup'), undefined);
  });

  it('serves faults first in, first out, and skips those for other operations', () => {
    const book = new FaultBook();
    book.add({ kind: 'status', status: 500, operation: 'restoreDatabaseBackup' });
    book.add({ kind: 'delay', ms: 5, times: Infinity });
    assert.equal(book.take('listDatabaseBackups')?.kind, 'delay');
    assert.equal(book.take('restoreDatabaseBackup')?.kind, 'status');
    assert.equal(book.take('restoreDatabaseBackup')?.kind, 'delay');
    assert.equal(book.pending, 1);
  });
});
