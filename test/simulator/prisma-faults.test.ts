import { strict as assert } from 'assert';
import { PRISMA_OPERATIONS, type PrismaSimulator } from '../../simulator';
import { officialApi } from '../support/openapi';
import { call, manualClock, prismaApi, prismaErrorEnvelope, startPrismaSimulator, startTestSimulator } from './client';

async function assertSocketDropped(request: Promise<unknown>): Promise<void> {
  await assert.rejects(request, (err: Error & { cause?: { code?: string } }) => {
    assert.equal(err.cause?.code, 'UND_ERR_SOCKET');
    return true;
  });
}

describe('prisma profile: faults', () => {
  let sim: PrismaSimulator;
  let clock: ReturnType<typeof manualClock>;
  let backupId: string;
  beforeEach(async () => {
    clock = manualClock();
    sim = await startPrismaSimulator({ clock: clock.now, recoveryMs: 1000, provisioningMs: 1000 });
    backupId = sim.addBackup('db_demo').id;
  });
  afterEach(() => sim.close());

  const restoreRequest = () =>
    call(sim, 'POST', '/databases/db_demo/restore', { body: { source: { type: 'backup', databaseId: 'db_demo', backupId } } });

  it('reset-after on the restore POST: the answer is lost, the restore happened once, a retry answers 409', async () => {
    sim.faults.add({ kind: 'reset-after', operation: 'postV1DatabasesByTargetDatabaseIdRestore' });
    await assertSocketDropped(restoreRequest());
    assert.equal(sim.effects.restoresApplied.length, 1);
    const db = await prismaApi.getDatabase(sim, 'db_demo');
    assert.equal(db.json.data.status, 'recovering');
    assert.deepEqual(db.json.data.source, { type: 'backup', databaseId: 'db_demo', backupId });

    const retry = await prismaApi.restore(sim, 'db_demo', { databaseId: 'db_demo', backupId });
    assert.equal(retry.status, 409);
    assert.equal(sim.effects.restoresApplied.length, 1);
    assert.deepEqual(
      sim.requests.map((r) => [r.operation, r.status, r.fault]),
      [
        ['postV1DatabasesByTargetDatabaseIdRestore', undefined, 'reset-after'],
        ['getV1DatabasesByDatabaseId', 200, undefined],
        ['postV1DatabasesByTargetDatabaseIdRestore', 409, undefined],
      ],
    );
  });

  it('reset-before on the restore POST applies nothing', async () => {
    sim.faults.add({ kind: 'reset-before', operation: 'postV1DatabasesByTargetDatabaseIdRestore' });
    await assertSocketDropped(restoreRequest());
    assert.equal(sim.effects.restoresApplied.length, 0);
    assert.equal((await prismaApi.getDatabase(sim, 'db_demo')).json.data.status, 'ready');
  });

  it('status faults answer the envelope with Retry-After and apply nothing', async () => {
    sim.faults.add({ kind: 'status', status: 503, retryAfterSeconds: 2, operation: 'postV1DatabasesByTargetDatabaseIdRestore' });
    sim.faults.add({ kind: 'status', status: 429, retryAfterSeconds: 1, operation: 'postV1Databases' });
    const unavailable = await restoreRequest();
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), '2');
    assert.deepEqual(prismaErrorEnvelope(unavailable.json), []);
    const limited = await call(sim, 'POST', '/databases', { body: { projectId: 'proj_demo' } });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.deepEqual(sim.effects, { backupsCreated: [], restoresApplied: [], databasesCreated: [], databasesDeleted: [] });
  });

  it('delay answers normally afterwards', async () => {
    sim.faults.add({ kind: 'delay', ms: 50, operation: 'getV1DatabasesByDatabaseIdBackups' });
    const res = await prismaApi.listBackups(sim, 'db_demo');
    assert.ok(res.elapsedMs >= 45, `answered after ${res.elapsedMs} ms`);
    assert.equal(res.status, 200);
    assert.equal(sim.requests[0].fault, 'delay');
  });

  it('malformed-json answers the success status with a cut body, after applying the request', async () => {
    sim.faults.add({ kind: 'malformed-json', operation: 'postV1DatabasesByTargetDatabaseIdRestore' });
    const res = await restoreRequest();
    assert.equal(res.status, 200);
    assert.throws(() => JSON.parse(res.text), SyntaxError);
    assert.equal(sim.effects.restoresApplied.length, 1);
  });

  it('invalid-body answers JSON that breaks the description, for every operation with a body', async () => {
    const requests: Record<string, () => ReturnType<typeof call>> = {
      getV1Databases: () => call(sim, 'GET', '/databases'),
      postV1Databases: () => call(sim, 'POST', '/databases', { body: { projectId: 'proj_demo' } }),
      getV1DatabasesByDatabaseId: () => call(sim, 'GET', '/databases/db_demo'),
      getV1DatabasesByDatabaseIdBackups: () => call(sim, 'GET', '/databases/db_demo/backups'),
      postV1DatabasesByTargetDatabaseIdRestore: restoreRequest,
      getV1ProjectsByProjectIdDatabases: () => call(sim, 'GET', '/projects/proj_demo/databases'),
      postV1ProjectsByProjectIdDatabases: () => call(sim, 'POST', '/projects/proj_demo/databases', { body: {} }),
    };
    assert.deepEqual(Object.keys(requests).sort(), PRISMA_OPERATIONS.filter((op) => op !== 'deleteV1DatabasesByDatabaseId').sort());
    for (const [operationId, send] of Object.entries(requests)) {
      sim.faults.add({ kind: 'invalid-body', operation: operationId as (typeof PRISMA_OPERATIONS)[number] });
      const res = await send();
      assert.ok(res.status === 200 || res.status === 201, `${operationId} ${res.status}`);
      assert.notDeepEqual(officialApi.validateResponse(operationId, res.status, res.json), [], `${operationId} ${res.text}`);
      clock.advance(1000); // let the restore and creates settle so the next request is not refused
    }
  });

  it('body faults pass a delete by (it answers 204 without a body) and cannot be aimed at it', async () => {
    sim.faults.add({ kind: 'malformed-json' });
    sim.addDatabase('db_old');
    const res = await prismaApi.deleteDatabase(sim, 'db_old');
    assert.equal(res.status, 204);
    assert.equal(sim.faults.pending, 1, 'the fault waits for an operation with a body');
    assert.equal((await call(sim, 'GET', '/databases/db_demo')).status, 200);
    assert.equal(sim.faults.pending, 0);
    assert.throws(() => sim.faults.add({ kind: 'invalid-body', operation: 'deleteV1DatabasesByDatabaseId' }), /204 without a body/);
  });

  it('refuses faults aimed at the other profile operations', async () => {
    assert.throws(
      () => sim.faults.add({ kind: 'reset-before', operation: 'restoreDatabaseBackup' }),
      /Unknown operation for this simulator/,
    );
    const seed = await startTestSimulator();
    try {
      assert.throws(() => seed.faults.add({ kind: 'reset-before', operation: 'postV1DatabasesByTargetDatabaseIdRestore' }), RangeError);
    } finally {
      await seed.close();
    }
  });
});
