// Activities in a mock activity context, calling the simulator over real HTTP.
import { strict as assert } from 'assert';
import { createServer } from 'node:net';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, type CreatedBackup } from '../../src/activities';
import { createManagementApi } from '../../src/api';
import { startSimulator, type PrismaSimulator, type Simulator } from '../../simulator';
import { officialApi } from '../support/openapi';

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

/** A loopback port nothing listens on: a request there is refused before it is sent. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/v1`;
}

const quietEnv = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

/** env.run with the activity's own result type (the SDK's run does not infer it). */
const call = <I, O>(env: MockActivityEnvironment, activity: (input: I) => Promise<O>, input: I) => env.run(activity, input) as Promise<O>;

describe('activities over HTTP (seed profile)', () => {
  let sim: Simulator;
  let env: MockActivityEnvironment;
  const activities = (token = TOKEN, requestTimeoutMs = 2_000, idempotencyKeysHonoured = false, baseUrl = sim.url) =>
    createActivities(createManagementApi({ profile: 'seed', idempotencyKeysHonoured, baseUrl, token, requestTimeoutMs }));

  before(async () => {
    sim = await startSimulator({ token: TOKEN, backupDurationMs: 10_000 });
  });
  beforeEach(() => {
    sim.reset();
    // Expected failures would each log a warning.
    env = quietEnv();
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

  describe('a restore that fails', () => {
    const restore = (acts: ReturnType<typeof activities>) => {
      const { id } = sim.addAutomaticBackup('db_demo', { status: 'completed' });
      return env.run(acts.restoreBackup, { databaseId: 'db_demo', backupId: id, idempotencyKey: 'wf/run/restore' });
    };

    it('never sent (connection refused) → RequestNotSent, retryable', async () => {
      const failure = await expectFailure(restore(activities(TOKEN, 2_000, false, await closedPortUrl())), 'RequestNotSent', false);
      assert.match(failure.message, /nothing was restored, and sending it again is safe/);
    });

    it('applied but its answer lost → RestoreOutcomeUnknown, not retried unless Idempotency-Key is declared honoured', async () => {
      sim.faults.add({ operation: 'restoreDatabaseBackup', kind: 'reset-after' });
      const undeclared = await expectFailure(restore(activities()), 'RestoreOutcomeUnknown', true);
      assert.match(undeclared.message, /may or may not have been applied\. Check the database .*PRISMA_API_IDEMPOTENCY_KEYS=honoured/);
      assert.equal(sim.effects.restoresApplied.length, 1);

      sim.faults.add({ operation: 'restoreDatabaseBackup', kind: 'reset-after' });
      const declared = await expectFailure(restore(activities(TOKEN, 2_000, true)), 'RestoreOutcomeUnknown', false);
      assert.match(declared.message, /Sending it again with the same Idempotency-Key/);
    });
  });

  it('prisma-profile activities fail with ProfileMismatch, sending nothing', async () => {
    for (const [name, input] of [
      ['chooseBackup', { databaseId: 'db_demo' }],
      ['restoreDatabase', { targetDatabaseId: 'db_demo', source: { databaseId: 'db_demo', backupId: 'b' } }],
      ['getDatabaseStatus', { databaseId: 'db_demo' }],
      ['deleteDatabase', { databaseId: 'db_demo' }],
    ] as const) {
      const failure = await expectFailure(env.run(activities()[name] as (i: unknown) => Promise<unknown>, input), 'ProfileMismatch', true);
      assert.match(failure.message, /PRISMA_API_PROFILE is seed.*PRISMA_API_PROFILE=prisma/);
    }
    assert.equal(sim.requests.length, 0);
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

describe('activities over HTTP (prisma profile)', () => {
  let sim: PrismaSimulator;
  let env: MockActivityEnvironment;
  const activities = (baseUrl = sim.url) =>
    createActivities(createManagementApi({ profile: 'prisma', baseUrl, token: TOKEN, requestTimeoutMs: 2_000 }));
  const requestsFor = (operation: string) => sim.requests.filter((r) => r.operation === operation);

  before(async () => {
    // Restores and creations stay in progress for the whole test: states are asserted, never waited for.
    sim = await startSimulator({
      profile: 'prisma',
      token: TOKEN,
      databases: ['db_demo', 'db_target'],
      recoveryMs: Infinity,
      provisioningMs: Infinity,
    });
  });
  beforeEach(() => {
    sim.reset();
    env = quietEnv();
  });
  after(() => sim.close());

  /** A completed backup of db_demo, and the restore of it into db_target. */
  const restoreInput = () => {
    const { id } = sim.addBackup('db_demo', { status: 'completed' });
    return { targetDatabaseId: 'db_target', source: { databaseId: 'db_demo', backupId: id } };
  };

  describe('chooseBackup', () => {
    it('takes the newest completed backup and says when it was taken', async () => {
      const old = sim.addBackup('db_demo', { status: 'completed', createdAt: new Date(Date.now() - 2 * 86_400_000) });
      const newest = sim.addBackup('db_demo', { status: 'completed', createdAt: new Date(Date.now() - 86_400_000) });
      sim.addBackup('db_demo', { status: 'unknown' });
      const chosen = await env.run(activities().chooseBackup, { databaseId: 'db_demo' });
      assert.deepEqual(chosen, { backupId: newest.id, status: 'completed', createdAt: newest.createdAt });
      assert.notEqual(old.id, newest.id);
      assert.equal(sim.requests[0].headers['idempotency-key'], undefined);
    });

    it('refuses a backup that is not listed, with a typed, non-retryable failure', async () => {
      const failure = await expectFailure(
        env.run(activities().chooseBackup, { databaseId: 'db_demo', backupId: 'bkp_nope' }),
        'BackupNotFound',
        true,
      );
      assert.match(failure.message, /Backup bkp_nope of database db_demo is not among the 0 backups listed/);
    });
  });

  describe('restoreDatabase', () => {
    it('restores into another database with one request, as described, without an Idempotency-Key', async () => {
      const input = restoreInput();
      assert.deepEqual(await env.run(activities().restoreDatabase, input), { status: 'recovering' });
      const [request, ...more] = requestsFor('postV1DatabasesByTargetDatabaseIdRestore');
      assert.equal(more.length, 0);
      assert.equal(request.path, '/v1/databases/db_target/restore');
      assert.equal(request.headers['idempotency-key'], undefined);
      assert.deepEqual(officialApi.validateRequestBody('postV1DatabasesByTargetDatabaseIdRestore', request.body), []);
      assert.deepEqual(
        sim.effects.restoresApplied.map((r) => [r.databaseId, r.sourceDatabaseId, r.backupId]),
        [['db_target', 'db_demo', input.source.backupId]],
      );
    });

    it('409 while the target recovers → RestoreConflict, and nothing more is applied', async () => {
      const input = restoreInput();
      await env.run(activities().restoreDatabase, input);
      const failure = await expectFailure(env.run(activities().restoreDatabase, input), 'RestoreConflict', true);
      assert.match(failure.message, /Do not send another/);
      assert.equal(sim.effects.restoresApplied.length, 1);
    });

    it('404 names what is missing: the backup, the target database', async () => {
      const missingBackup = { targetDatabaseId: 'db_target', source: { databaseId: 'db_demo', backupId: 'bkp_nope' } };
      const backup = await expectFailure(env.run(activities().restoreDatabase, missingBackup), 'BackupNotFound', true);
      assert.match(backup.message, /the backup bkp_nope does not exist/);
      const missingTarget = { ...restoreInput(), targetDatabaseId: 'db_gone' };
      const target = await expectFailure(env.run(activities().restoreDatabase, missingTarget), 'DatabaseNotFound', true);
      assert.match(target.message, /the target database db_gone does not exist/);
    });

    it('a backup still running → BackupNotUsable (422)', async () => {
      const { id } = sim.addBackup('db_demo', { status: 'running' });
      const input = { targetDatabaseId: 'db_target', source: { databaseId: 'db_demo', backupId: id } };
      await expectFailure(env.run(activities().restoreDatabase, input), 'BackupNotUsable', true);
    });

    it('never sent (connection refused) → RequestNotSent: safe to send again', async () => {
      await expectFailure(env.run(activities(await closedPortUrl()).restoreDatabase, restoreInput()), 'RequestNotSent', false);
    });

    describe('an unknown outcome, then the target read back', () => {
      for (const [fault, applied] of [
        ['reset-after', true],
        ['malformed-json', true],
        ['reset-before', false],
      ] as const) {
        it(`${fault}: RestoreOutcomeUnknown, and the read-back says ${applied ? 'applied' : 'not applied'}`, async () => {
          const input = restoreInput();
          const before = await call(env, activities().getDatabaseStatus, { databaseId: 'db_target' });
          sim.faults.add({ operation: 'postV1DatabasesByTargetDatabaseIdRestore', kind: fault });
          const failure = await expectFailure(env.run(activities().restoreDatabase, input), 'RestoreOutcomeUnknown', true);
          assert.match(failure.message, /Read the target database back before sending it again/);
          const readBack = await call(env, activities().readRestoreTarget, {
            databaseId: 'db_target',
            source: input.source,
            sourceBefore: before.source ?? null,
          });
          assert.equal(sim.effects.restoresApplied.length, applied ? 1 : 0);
          assert.deepEqual(
            readBack,
            applied ? { status: 'recovering', source: input.source, verdict: 'applied' } : { status: 'ready', verdict: 'not-applied' },
          );
        });
      }

      it('500: RestoreOutcomeUnknown (a server error proves nothing), read back as not applied', async () => {
        const input = restoreInput();
        sim.faults.add({ operation: 'postV1DatabasesByTargetDatabaseIdRestore', kind: 'status', status: 500 });
        await expectFailure(env.run(activities().restoreDatabase, input), 'RestoreOutcomeUnknown', true);
        const readBack = await call(env, activities().readRestoreTarget, { databaseId: 'db_target', source: input.source });
        assert.equal(readBack.verdict, 'not-applied');
      });
    });
  });

  it('getDatabaseStatus reports the status and the backup a database was restored from, never a url', async () => {
    assert.deepEqual(await env.run(activities().getDatabaseStatus, { databaseId: 'db_target' }), { status: 'ready' });
    const input = restoreInput();
    await env.run(activities().restoreDatabase, input);
    const state = await env.run(activities().getDatabaseStatus, { databaseId: 'db_target' });
    assert.deepEqual(state, { status: 'recovering', source: input.source });
    assert.ok(!JSON.stringify(state).includes('http'));
  });

  describe('createDatabaseFromBackup', () => {
    const input = (backupId: string) => ({ projectId: 'proj_demo', name: 'restore-wf-1', source: { databaseId: 'db_demo', backupId } });

    it('creates once: a retry after a lost answer finds the database by name', async () => {
      const { id } = sim.addBackup('db_demo', { status: 'completed' });
      sim.faults.add({ operation: 'postV1Databases', kind: 'reset-after' });
      await expectFailure(env.run(activities().createDatabaseFromBackup, input(id)), 'Transient', false);
      const retried = await env.run(activities().createDatabaseFromBackup, input(id));
      assert.equal(sim.effects.databasesCreated.length, 1);
      assert.deepEqual(retried, { databaseId: sim.effects.databasesCreated[0].databaseId, existed: true });
      assert.deepEqual(officialApi.validateRequestBody('postV1Databases', requestsFor('postV1Databases')[0].body), []);
    });

    it('creates and returns only the new id; a name taken by a database from another backup is refused', async () => {
      const first = sim.addBackup('db_demo', { status: 'completed' });
      const created = await call(env, activities().createDatabaseFromBackup, input(first.id));
      assert.deepEqual(Object.keys(created).sort(), ['databaseId', 'existed']);
      assert.equal(created.existed, false);
      const second = sim.addBackup('db_demo', { status: 'completed' });
      const failure = await expectFailure(env.run(activities().createDatabaseFromBackup, input(second.id)), 'DatabaseNameTaken', true);
      assert.match(
        failure.message,
        new RegExp(`named "restore-wf-1" \\(${created.databaseId}\\) that was not made from backup ${second.id}`),
      );
      assert.equal(sim.effects.databasesCreated.length, 1);
    });
  });

  it('deleteDatabase is idempotent: a database already gone counts as deleted', async () => {
    assert.deepEqual(await env.run(activities().deleteDatabase, { databaseId: 'db_target' }), { alreadyDeleted: false });
    assert.deepEqual(await env.run(activities().deleteDatabase, { databaseId: 'db_target' }), { alreadyDeleted: true });
    assert.equal(sim.effects.databasesDeleted.length, 1);
  });

  it('seed-profile activities fail with ProfileMismatch, sending nothing; no on-demand backup says why', async () => {
    const create = await expectFailure(
      env.run(activities().createBackup, { databaseId: 'db_demo', idempotencyKey: 'k' }),
      'ProfileMismatch',
      true,
    );
    assert.match(create.message, /no on-demand backup: backups are automatic and daily.*--backup-id.*newest completed/);
    await expectFailure(env.run(activities().getBackupStatus, { databaseId: 'db_demo', backupId: 'b' }), 'ProfileMismatch', true);
    await expectFailure(
      env.run(activities().restoreBackup, { databaseId: 'db_demo', backupId: 'b', idempotencyKey: 'k' }),
      'ProfileMismatch',
      true,
    );
    assert.equal(sim.requests.length, 0);
  });
});
