// Activities in a mock activity context, calling the simulator over real HTTP. A wait activity
// (awaitBackup, awaitDatabase) looks once per attempt: done, it returns; not yet, it fails as a
// benign NotYet that Temporal retries. The look-by-look logic is in test/unit/waits.test.ts against
// a fake API; here each activity meets the real HTTP client and the simulator.
import { strict as assert } from 'assert';
import { createServer } from 'node:net';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, type AwaitBackupInput, type AwaitDatabaseInput } from '../../src/activities';
import { createManagementApi } from '../../src/api/client';
import { ErrorType } from '../../src/shared/errors';
import { DEFAULT_POLL_POLICY } from '../../src/shared/policy';
import { startSimulator, type PrismaSimulator, type Simulator } from '../../simulator';
import { officialApi } from '../support/openapi';

const TOKEN = 'tok_activity_tests_0123456789';

async function expectFailure(promise: Promise<unknown>, type: string, nonRetryable: boolean): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApplicationFailure, `not an ApplicationFailure: ${String(err)}`);
  assert.equal(err.type, type, err.message);
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

/** An attempt's environment; `heartbeatDetails` is what the attempt before it heartbeated last. */
const quietEnv = (info: { attempt?: number; heartbeatDetails?: unknown } = {}) =>
  new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') });

/** env.run with the activity's own result type (the SDK's run does not infer it). */
const call = <I, O>(env: MockActivityEnvironment, activity: (input: I) => Promise<O>, input: I) => env.run(activity, input) as Promise<O>;

/** What a wait activity's attempt heartbeated last. */
function lastBeat(env: MockActivityEnvironment): () => Record<string, unknown> | undefined {
  let last: Record<string, unknown> | undefined;
  env.on('heartbeat', (details: unknown) => (last = details === undefined ? last : JSON.parse(JSON.stringify(details))));
  return () => last;
}

/** A wait that looks again after 100 ms, backing off, for a minute. */
const wait = () => {
  const startedAt = Date.now();
  return {
    policy: { ...DEFAULT_POLL_POLICY, initialIntervalMs: 100, mode: 'backoff' as const },
    startedAt,
    deadlineAt: startedAt + 60_000,
  };
};

describe('activities over HTTP (seed profile)', () => {
  let sim: Simulator;
  let env: MockActivityEnvironment;
  const activities = (token = TOKEN, requestTimeoutMs = 2_000, idempotencyKeysHonoured = false, baseUrl = sim.url) =>
    createActivities(createManagementApi({ profile: 'seed', idempotencyKeysHonoured, baseUrl, token, requestTimeoutMs }));
  const awaitInput = (backupId: string, databaseId = 'db_demo', more: Partial<AwaitBackupInput> = {}): AwaitBackupInput => ({
    ...wait(),
    profile: 'seed',
    databaseId,
    backupId,
    ...more,
  });

  before(async () => {
    sim = await startSimulator({ token: TOKEN, backupDurationMs: 10_000 });
  });
  beforeEach(() => {
    sim.reset();
    // Expected failures would each log a warning.
    env = quietEnv();
  });
  after(() => sim.close());

  it('createBackup returns the new backup id, status and creation time, sending the idempotency key', async () => {
    const created = await env.run(activities().createBackup, { databaseId: 'db_demo', idempotencyKey: 'wf/run/create-backup' });
    const [made] = sim.effects.backupsCreated;
    assert.deepEqual(created, { backupId: made.id, status: 'pending', createdAt: (created as { createdAt: string }).createdAt });
    assert.ok(!Number.isNaN(Date.parse((created as { createdAt: string }).createdAt)));
    assert.equal(sim.requests[0].headers['idempotency-key'], 'wf/run/create-backup');
    assert.deepEqual(sim.requests[0].body, {});
  });

  describe('awaitBackup: one look per attempt', () => {
    it('finds our backup among newer ones: pending is a benign NotYet that heartbeats the looks made', async () => {
      const { backupId } = await call(env, activities().createBackup, { databaseId: 'db_demo', idempotencyKey: 'k1' });
      sim.addAutomaticBackup('db_demo', { status: 'completed' });
      const beat = lastBeat(env);
      const notYet = await expectFailure(env.run(activities().awaitBackup, awaitInput(backupId)), ErrorType.NotYet, false);
      assert.match(notYet.message, new RegExp(`Backup ${backupId} of db_demo is pending, .* in \\(look 1\\); next look in`));
      assert.ok(Number(notYet.nextRetryDelay) > 0);
      assert.equal(beat()?.looks, 1);
      assert.deepEqual(
        sim.requests.map((r) => r.operation),
        ['createDatabaseBackup', 'listDatabaseBackups'],
      );
    });

    it('returns a completed backup with the looks made, counting those of earlier attempts', async () => {
      const { id } = sim.addAutomaticBackup('db_demo', { status: 'completed' });
      const next = quietEnv({ attempt: 4, heartbeatDetails: { looks: 3 } });
      const found = await call(next, activities().awaitBackup, awaitInput(id, 'db_demo', { existing: true }));
      assert.equal(found.backupId, id);
      assert.equal(found.looks, 4);
    });

    it('not listed: NotYet for a backup of the run, BackupNotFound at once for one that existed before it', async () => {
      const beat = lastBeat(env);
      await expectFailure(env.run(activities().awaitBackup, awaitInput('bkp_other')), ErrorType.NotYet, false);
      assert.equal(beat()?.unlisted, 1);
      const failure = await expectFailure(
        quietEnv().run(activities().awaitBackup, awaitInput('bkp_other', 'db_demo', { existing: true })),
        'BackupNotFound',
        true,
      );
      assert.match(failure.message, /Backup bkp_other is not in the backup list of db_demo; nothing was restored/);
    });
  });

  it('maps 401 to a non-retryable Unauthorized without the token', async () => {
    const failure = await expectFailure(
      env.run(activities('tok_wrong').createBackup, { databaseId: 'db_demo', idempotencyKey: 'k' }),
      'Unauthorized',
      true,
    );
    assert.ok(!failure.message.includes('tok_wrong'));
    // A wait ends on it too: a refusal is not a failed look.
    await expectFailure(quietEnv().run(activities('tok_wrong').awaitBackup, awaitInput('b')), 'Unauthorized', true);
  });

  it('maps 429 to a retryable failed look whose next attempt waits for Retry-After', async () => {
    sim.faults.add({ kind: 'status', status: 429, retryAfterSeconds: 7 });
    const beat = lastBeat(env);
    const failure = await expectFailure(env.run(activities().awaitBackup, awaitInput('b')), 'RateLimited', false);
    assert.equal(failure.nextRetryDelay, 7000);
    assert.match(failure.message, /^Look 1 at Backup b of db_demo failed \(failing since/);
    assert.equal(typeof beat()?.failingSince, 'number');
  });

  it('maps a reset and a timeout to retryable Transient failures', async () => {
    sim.faults.add({ kind: 'reset-before' });
    await expectFailure(env.run(activities().awaitBackup, awaitInput('b')), 'Transient', false);
    sim.faults.add({ kind: 'delay', ms: 1_000 });
    const failure = await expectFailure(quietEnv().run(activities(TOKEN, 200).awaitBackup, awaitInput('b')), 'Transient', false);
    assert.match(failure.message, /timed out/);
  });

  it('maps malformed and off-description bodies to ProtocolError: retried at first, not on the third attempt', async () => {
    sim.faults.add({ kind: 'malformed-json' });
    // A look whose answer is garbled is a failed look, retried.
    await expectFailure(env.run(activities().awaitBackup, awaitInput('b')), 'ProtocolError', false);
    sim.faults.add({ kind: 'invalid-body' });
    const failure = await expectFailure(
      quietEnv({ attempt: 3 }).run(activities().createBackup, { databaseId: 'db_demo', idempotencyKey: 'k2' }),
      'ProtocolError',
      true,
    );
    assert.match(failure.message, /The request may have been carried out: check before sending it again/);
  });

  it('refuses to restore an unfinished backup (409 → InvalidRequest) and applies nothing', async () => {
    const { backupId } = await call(env, activities().createBackup, { databaseId: 'db_demo', idempotencyKey: 'k3' });
    await expectFailure(
      env.run(activities().restoreBackup, { databaseId: 'db_demo', backupId, idempotencyKey: 'r' }),
      'InvalidRequest',
      true,
    );
    assert.equal(sim.effects.restoresApplied.length, 0);
  });

  it('encodes ids into one path segment', async () => {
    await expectFailure(env.run(activities().awaitBackup, awaitInput('b', '../x?y')), 'DatabaseNotFound', true);
    assert.equal(sim.requests[0].path, '/v1/databases/..%2Fx%3Fy/backups');
  });

  describe('a restore that fails', () => {
    const restore = (acts: ReturnType<typeof activities>, afterUnknownOutcome?: boolean) => {
      const { id } = sim.addAutomaticBackup('db_demo', { status: 'completed' });
      return env.run(acts.restoreBackup, { databaseId: 'db_demo', backupId: id, idempotencyKey: 'wf/run/restore', afterUnknownOutcome });
    };

    it('never sent (connection refused) → RequestNotSent, retryable', async () => {
      const failure = await expectFailure(restore(activities(TOKEN, 2_000, false, await closedPortUrl())), 'RequestNotSent', false);
      assert.match(failure.message, /before the request was sent: nothing was restored/);
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

    it('after an unknown outcome, nothing is sent again unless Idempotency-Key is declared honoured', async () => {
      const failure = await expectFailure(restore(activities(), true), 'RestoreOutcomeUnknown', true);
      assert.match(failure.message, /nothing was sent again/);
      assert.equal(sim.requests.length, 0);
      await env.run(activities(TOKEN, 2_000, true).restoreBackup, {
        databaseId: 'db_demo',
        backupId: sim.addAutomaticBackup('db_demo', { status: 'completed' }).id,
        idempotencyKey: 'wf/run/restore',
        afterUnknownOutcome: true,
      });
      assert.equal(sim.effects.restoresApplied.length, 1);
    });
  });

  it('prisma-profile activities fail with ProfileMismatch, sending nothing', async () => {
    const source = { databaseId: 'db_demo', backupId: 'b' };
    for (const [name, input] of [
      ['restoreDatabase', { targetDatabaseId: 'db_demo', source }],
      ['awaitDatabase', { ...wait(), databaseId: 'db_demo', mode: 'idle', source }],
      ['createDatabaseFromBackup', { projectId: 'proj_demo', name: 'n', source }],
      ['deleteDatabase', { databaseId: 'db_demo' }],
      ['listDatabases', { projectId: 'proj_demo' }],
    ] as const) {
      const acts = activities() as unknown as Record<string, (i: unknown) => Promise<unknown>>;
      const failure = await expectFailure(quietEnv().run(acts[name], input), 'ProfileMismatch', true);
      assert.match(
        failure.message,
        new RegExp(`${name} speaks the prisma API, but this worker's PRISMA_API_PROFILE is seed.*PRISMA_API_PROFILE=prisma`),
      );
    }
    assert.equal(sim.requests.length, 0);
  });

  it('aborts the request when the activity is cancelled', async () => {
    sim.faults.add({ kind: 'delay', ms: 1_500 });
    const started = Date.now();
    const running = env.run(activities(TOKEN, 5_000).awaitBackup, awaitInput('b'));
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
  const databaseInput = (
    mode: AwaitDatabaseInput['mode'],
    more: Partial<AwaitDatabaseInput> & Pick<AwaitDatabaseInput, 'source'>,
  ): AwaitDatabaseInput => ({
    ...wait(),
    databaseId: 'db_target',
    mode,
    ...more,
  });

  describe('awaitBackup (which backup a restore takes)', () => {
    it('takes the newest completed backup at the first look, and says when it was taken', async () => {
      const old = sim.addBackup('db_demo', { status: 'completed', createdAt: new Date(Date.now() - 2 * 86_400_000) });
      const newest = sim.addBackup('db_demo', { status: 'completed', createdAt: new Date(Date.now() - 86_400_000) });
      sim.addBackup('db_demo', { status: 'unknown' });
      const chosen = await env.run(activities().awaitBackup, { ...wait(), profile: 'prisma' as const, databaseId: 'db_demo' });
      assert.deepEqual(chosen, { backupId: newest.id, createdAt: newest.createdAt, looks: 1 });
      assert.notEqual(old.id, newest.id);
      assert.equal(sim.requests[0].headers['idempotency-key'], undefined);
    });

    it('refuses a backup that is not listed, with a typed, non-retryable failure', async () => {
      const failure = await expectFailure(
        env.run(activities().awaitBackup, { ...wait(), profile: 'prisma' as const, databaseId: 'db_demo', backupId: 'bkp_nope' }),
        'BackupNotFound',
        true,
      );
      assert.match(failure.message, /Backup bkp_nope of database db_demo is not among the 0 backups listed/);
    });

    it('a running backup is waited for (NotYet), never restored yet', async () => {
      const { id } = sim.addBackup('db_demo', { status: 'running' });
      const failure = await expectFailure(
        env.run(activities().awaitBackup, { ...wait(), profile: 'prisma' as const, databaseId: 'db_demo' }),
        ErrorType.NotYet,
        false,
      );
      assert.match(failure.message, new RegExp(`Backup ${id} of db_demo is running`));
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
      assert.match(failure.message, /no second one is sent/);
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

    describe('an unknown outcome, then the target read back (awaitDatabase read-back)', () => {
      for (const [fault, applied] of [
        ['reset-after', true],
        ['malformed-json', true],
        ['reset-before', false],
      ] as const) {
        it(`${fault}: RestoreOutcomeUnknown, and the read-back says ${applied ? 'applied' : 'not applied'}`, async () => {
          const input = restoreInput();
          const before = await call(env, activities().awaitDatabase, databaseInput('idle', { source: input.source }));
          sim.faults.add({ operation: 'postV1DatabasesByTargetDatabaseIdRestore', kind: fault });
          const failure = await expectFailure(env.run(activities().restoreDatabase, input), 'RestoreOutcomeUnknown', true);
          assert.match(failure.message, /The target is read back before anything is sent again/);
          const readBack = await call(
            env,
            activities().awaitDatabase,
            databaseInput('read-back', { source: input.source, sourceBefore: before.source ?? null }),
          );
          assert.equal(sim.effects.restoresApplied.length, applied ? 1 : 0);
          assert.deepEqual(
            readBack,
            applied
              ? { status: 'recovering', source: input.source, verdict: 'applied', looks: 1 }
              : { status: 'ready', verdict: 'not-applied', looks: 1 },
          );
        });
      }

      it('500: RestoreOutcomeUnknown (a server error proves nothing), read back as not applied', async () => {
        const input = restoreInput();
        sim.faults.add({ operation: 'postV1DatabasesByTargetDatabaseIdRestore', kind: 'status', status: 500 });
        await expectFailure(env.run(activities().restoreDatabase, input), 'RestoreOutcomeUnknown', true);
        const readBack = await call(env, activities().awaitDatabase, databaseInput('read-back', { source: input.source }));
        assert.equal(readBack.verdict, 'not-applied');
      });

      it('within the hold window, "not applied" is not an answer yet: NotYet, and nothing is sent', async () => {
        const input = restoreInput();
        sim.faults.add({ operation: 'postV1DatabasesByTargetDatabaseIdRestore', kind: 'reset-before' });
        await expectFailure(env.run(activities().restoreDatabase, input), 'RestoreOutcomeUnknown', true);
        const holdUntil = Date.now() + 60_000;
        const failure = await expectFailure(
          env.run(activities().awaitDatabase, databaseInput('read-back', { source: input.source, holdUntil })),
          ErrorType.NotYet,
          false,
        );
        assert.match(
          failure.message,
          /no sign of our restore yet; a request the API still holds could apply it until .*nothing is sent before/,
        );
        assert.equal(requestsFor('postV1DatabasesByTargetDatabaseIdRestore').length, 1);
      });
    });
  });

  it('awaitDatabase reports the status and the backup a database was restored from, never a url', async () => {
    const input = restoreInput();
    assert.deepEqual(await env.run(activities().awaitDatabase, databaseInput('idle', { source: input.source })), {
      status: 'ready',
      looks: 1,
    });
    await env.run(activities().restoreDatabase, input);
    // Recovering is busy: an idle wait looks again, a ready wait too, and neither sends anything.
    const busy = await expectFailure(
      env.run(activities().awaitDatabase, databaseInput('idle', { source: input.source })),
      ErrorType.NotYet,
      false,
    );
    assert.match(
      busy.message,
      new RegExp(`db_target is recovering \\(from backup ${input.source.backupId} of db_demo\\): nothing is sent while it is busy`),
    );
    const seen = await call(env, activities().awaitDatabase, databaseInput('read-back', { source: input.source, sourceBefore: null }));
    assert.deepEqual(seen, { status: 'recovering', source: input.source, verdict: 'applied', looks: 1 });
    assert.ok(!JSON.stringify(seen).includes('http'));
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
      assert.match(failure.message, new RegExp(`named "restore-wf-1" \\(${created.databaseId}\\) not made from backup ${second.id}`));
      assert.equal(sim.effects.databasesCreated.length, 1);
    });

    it("beside a database: created in that database's project", async () => {
      const { id } = sim.addBackup('db_demo', { status: 'completed' });
      const { projectId: _, ...beside } = input(id);
      await env.run(activities().createDatabaseFromBackup, { ...beside, besideDatabaseId: 'db_demo' });
      assert.deepEqual(
        sim.effects.databasesCreated.map((d) => d.projectId),
        ['proj_demo'],
      );
    });
  });

  it('deleteDatabase is idempotent: a database already gone counts as deleted', async () => {
    assert.deepEqual(await env.run(activities().deleteDatabase, { databaseId: 'db_target' }), { alreadyDeleted: false });
    assert.deepEqual(await env.run(activities().deleteDatabase, { databaseId: 'db_target' }), { alreadyDeleted: true });
    assert.equal(sim.effects.databasesDeleted.length, 1);
  });

  it("listDatabases lists a project's database ids; an unknown project is ProjectNotFound", async () => {
    assert.deepEqual(((await env.run(activities().listDatabases, { projectId: 'proj_demo' })) as string[]).sort(), [
      'db_demo',
      'db_target',
    ]);
    await expectFailure(env.run(activities().listDatabases, { projectId: 'proj_nope' }), 'ProjectNotFound', true);
  });

  it('seed-profile activities fail with ProfileMismatch, sending nothing', async () => {
    const create = await expectFailure(
      env.run(activities().createBackup, { databaseId: 'db_demo', idempotencyKey: 'k' }),
      'ProfileMismatch',
      true,
    );
    assert.match(
      create.message,
      /createBackup speaks the seed API, but this worker's PRISMA_API_PROFILE is prisma.*PRISMA_API_PROFILE=seed/,
    );
    await expectFailure(
      env.run(activities().restoreBackup, { databaseId: 'db_demo', backupId: 'b', idempotencyKey: 'k' }),
      'ProfileMismatch',
      true,
    );
    assert.equal(sim.requests.length, 0);
  });
});
