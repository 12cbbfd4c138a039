// Activities in a mock activity context, calling the simulator over real HTTP.
import { strict as assert } from 'assert';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, type CreatedBackup } from '../../src/activities';
import { createManagementApi } from '../../src/api';
import { startSimulator, type Simulator } from '../../simulator';

const TOKEN = 'tok_activity_tests_0123456789';

async function expectFailure(promise: Promise<unknown>, type: string, nonRetryable: boolean): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApplicationFailure, `not an ApplicationFailure: ${String(err)}`);
  assert.equal(err.type, type);
  assert.equal(err.nonRetryable, nonRetryable);
  assert.ok(!err.message.includes(TOKEN));
  return err;
}

describe('activities over HTTP', () => {
  let sim: Simulator;
  let env: MockActivityEnvironment;
  const activities = (token = TOKEN, requestTimeoutMs = 2_000) =>
    createActivities(createManagementApi({ baseUrl: sim.url, token, requestTimeoutMs }));

  before(async () => {
    sim = await startSimulator({ token: TOKEN, backupDurationMs: 10_000 });
  });
  beforeEach(() => {
    sim.reset();
    // Expected failures would each log a warning.
    env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  });
  after(() => sim.close());

  it('createBackup returns the new backup id and status, sending the idempotency key', async () => {
    const created = await env.run(activities().createBackup, { databaseId: 'db_demo', idempotencyKey: 'wf/run/create-backup' });
    assert.deepEqual(created, { backupId: sim.effects.backupsCreated[0].id, status: 'pending' });
    assert.equal(sim.requests[0].headers['idempotency-key'], 'wf/run/create-backup');
    assert.deepEqual(sim.requests[0].body, {});
  });

  it('getBackupStatus finds our backup among newer ones, and says when it is not listed', async () => {
    const { backupId } = (await env.run(activities().createBackup, { databaseId: 'db_demo', idempotencyKey: 'k1' })) as CreatedBackup;
    sim.addAutomaticBackup('db_demo', { status: 'completed' });
    assert.deepEqual(await env.run(activities().getBackupStatus, { databaseId: 'db_demo', backupId }), { found: true, status: 'pending' });
    assert.deepEqual(await env.run(activities().getBackupStatus, { databaseId: 'db_demo', backupId: 'bkp_other' }), { found: false });
  });

  it('maps 401 to a non-retryable Unauthorized without the token', async () => {
    const failure = await expectFailure(
      env.run(activities('tok_wrong').createBackup, { databaseId: 'db_demo', idempotencyKey: 'k' }),
      'Unauthorized',
      true,
    );
    assert.ok(!failure.message.includes('tok_wrong'));
  });

  it('maps 429 to a retryable failure whose next retry waits for Retry-After', async () => {
    sim.faults.add({ kind: 'status', status: 429, retryAfterSeconds: 7 });
    const failure = await expectFailure(
      env.run(activities().getBackupStatus, { databaseId: 'db_demo', backupId: 'b' }),
      'RateLimited',
      false,
    );
    assert.equal(failure.nextRetryDelay, 7000);
  });

  it('maps a reset and a timeout to retryable Transient failures', async () => {
    sim.faults.add({ kind: 'reset-before' });
    await expectFailure(env.run(activities().getBackupStatus, { databaseId: 'db_demo', backupId: 'b' }), 'Transient', false);
    sim.faults.add({ kind: 'delay', ms: 1_000 });
    const failure = await expectFailure(
      env.run(activities(TOKEN, 200).getBackupStatus, { databaseId: 'db_demo', backupId: 'b' }),
      'Transient',
      false,
    );
    assert.match(failure.message, /timed out/);
  });

  it('maps malformed and off-description bodies to ProtocolError: retried at first, not on the third attempt', async () => {
    sim.faults.add({ kind: 'malformed-json' });
    await expectFailure(env.run(activities().getBackupStatus, { databaseId: 'db_demo', backupId: 'b' }), 'ProtocolError', false);
    sim.faults.add({ kind: 'invalid-body' });
    const third = new MockActivityEnvironment({ attempt: 3 }, { logger: new DefaultLogger('ERROR') });
    const failure = await expectFailure(
      third.run(activities().createBackup, { databaseId: 'db_demo', idempotencyKey: 'k2' }),
      'ProtocolError',
      true,
    );
    assert.match(failure.message, /The request may have been carried out: check the database before sending it again/);
  });

  it('refuses to restore an unfinished backup (409 → InvalidRequest) and applies nothing', async () => {
    const { backupId } = (await env.run(activities().createBackup, { databaseId: 'db_demo', idempotencyKey: 'k3' })) as CreatedBackup;
    await expectFailure(
      env.run(activities().restoreBackup, { databaseId: 'db_demo', backupId, idempotencyKey: 'r' }),
      'InvalidRequest',
      true,
    );
    assert.equal(sim.effects.restoresApplied.length, 0);
  });

  it('encodes ids into one path segment', async () => {
    await expectFailure(env.run(activities().getBackupStatus, { databaseId: '../x?y', backupId: 'b' }), 'DatabaseNotFound', true);
    assert.equal(sim.requests[0].path, '/v1/databases/..%2Fx%3Fy/backups');
  });

  it('aborts the request when the activity is cancelled', async () => {
    sim.faults.add({ kind: 'delay', ms: 1_500 });
    const started = Date.now();
    const running = env.run(activities(TOKEN, 5_000).getBackupStatus, { databaseId: 'db_demo', backupId: 'b' });
    setTimeout(() => env.cancel(), 100);
    await assert.rejects(running, CancelledFailure);
    assert.ok(Date.now() - started < 1_000, 'the HTTP request was not aborted');
  });
});
