// The activities other than the waits (src/activities/index.ts), each run in a MockActivityEnvironment
// against a fake API (a plain object with the methods used) and, for history, a fake Temporal client.
import { strict as assert } from 'assert';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, PAST_RUNS_READ } from '../../src/activities';
import type { ManagementApi } from '../../src/api/client';
import { ApiError } from '../../src/api/errors';
import { ErrorType } from '../../src/shared/errors';
import { PREDICTION } from '../../src/shared/policy';

const run = <T>(fn: () => Promise<T>) =>
  new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) }).run(fn);

/** Fails with an ApplicationFailure of this type and retryability. */
async function failsWith(promise: Promise<unknown>, type: string, nonRetryable: boolean, message?: RegExp) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ApplicationFailure, String(err));
    assert.deepEqual([err.type, err.nonRetryable], [type, nonRetryable], err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

/** A fake API: each method records its call and answers with `answers[name]` (a function of the arguments). */
function fakeApi(profile: 'seed' | 'prisma', answers: Record<string, (...args: unknown[]) => unknown>, honoured = false) {
  const calls: [string, ...unknown[]][] = [];
  const api = new Proxy(
    { profile, idempotencyKeysHonoured: honoured },
    {
      get(target, name: string) {
        if (name in target) return target[name as keyof typeof target];
        return async (...args: unknown[]) => {
          calls.push([name, ...args.slice(0, -1)]);
          const answer = answers[name];
          if (!answer) throw new Error(`unexpected call of ${name}`);
          return answer(...args);
        };
      },
    },
  );
  return { api: api as unknown as ManagementApi, calls };
}

const source = { databaseId: 'db_src', backupId: 'c1' };

describe('seed activities', () => {
  it('createBackup sends the run’s Idempotency-Key and returns the backup, no more', async () => {
    let options: unknown;
    const { api, calls } = fakeApi('seed', {
      createBackup: async (_id, _label, given) => {
        options = given;
        return { id: 'bkp_1', databaseId: 'db_1', type: 'manual', status: 'pending', createdAt: '2026-11-27T10:00:00Z', sizeBytes: 1 };
      },
    });
    const created = await run(() =>
      createActivities(api).createBackup({ databaseId: 'db_1', label: 'nightly', idempotencyKey: 'wf/run/create-backup' }),
    );
    assert.deepEqual(created, { backupId: 'bkp_1', status: 'pending', createdAt: '2026-11-27T10:00:00Z' });
    assert.deepEqual(calls, [['createBackup', 'db_1', 'nightly']]);
    assert.equal((options as { idempotencyKey?: string }).idempotencyKey, 'wf/run/create-backup');
    assert.ok((options as { signal?: unknown }).signal instanceof AbortSignal, "the activity's cancellation aborts the request");
  });

  describe('restoreBackup', () => {
    const request = { databaseId: 'db_1', backupId: 'bkp_1', idempotencyKey: 'wf/run/restore' };
    const restoring = async () => ({ status: 'restoring' as const, message: undefined });

    it('sends the restore once and says it is restoring', async () => {
      const { api, calls } = fakeApi('seed', { restoreBackup: restoring });
      assert.deepEqual(await run(() => createActivities(api).restoreBackup(request)), { status: 'restoring', message: '' });
      assert.deepEqual(calls, [['restoreBackup', 'db_1', 'bkp_1']]);
    });

    it('after an unknown outcome, sends nothing unless the API is declared to honour Idempotency-Key', async () => {
      const { api, calls } = fakeApi('seed', { restoreBackup: restoring });
      await failsWith(
        run(() => createActivities(api).restoreBackup({ ...request, afterUnknownOutcome: true })),
        ErrorType.RestoreOutcomeUnknown,
        true,
        /may or may not have been applied; nothing was sent again\. .*PRISMA_API_IDEMPOTENCY_KEYS=honoured/,
      );
      assert.deepEqual(calls, []);
      const honoured = fakeApi('seed', { restoreBackup: restoring }, true);
      await run(() => createActivities(honoured.api).restoreBackup({ ...request, afterUnknownOutcome: true }));
      assert.equal(honoured.calls.length, 1);
    });

    it('a request that never left is RequestNotSent, retryable; a lost answer is not retried', async () => {
      const notSent = fakeApi('seed', {
        restoreBackup: async () => {
          throw new ApiError(ErrorType.RequestNotSent, 'refused before it was sent', true);
        },
      });
      await failsWith(
        run(() => createActivities(notSent.api).restoreBackup(request)),
        ErrorType.RequestNotSent,
        false,
      );
      const lost = fakeApi('seed', {
        restoreBackup: async () => {
          throw new ApiError(ErrorType.RestoreOutcomeUnknown, 'reset after it was sent', false);
        },
      });
      await failsWith(
        run(() => createActivities(lost.api).restoreBackup(request)),
        ErrorType.RestoreOutcomeUnknown,
        true,
      );
    });
  });

  it('refuses the prisma-only activities with ProfileMismatch before any request', async () => {
    const { api, calls } = fakeApi('seed', {});
    const activities = createActivities(api);
    for (const attempt of [
      (): Promise<unknown> => activities.restoreDatabase({ targetDatabaseId: 'db_1', source }),
      () => activities.createDatabaseFromBackup({ projectId: 'p', name: 'n', source }),
      () => activities.deleteDatabase({ databaseId: 'db_1' }),
      () => activities.listDatabases({ projectId: 'p' }),
    ]) {
      await failsWith(run(attempt), ErrorType.ProfileMismatch, true, /speaks the prisma API, but this worker's PRISMA_API_PROFILE is seed/);
    }
    assert.deepEqual(calls, []);
  });
});

describe('prisma activities', () => {
  it('refuse the seed-only activities with ProfileMismatch before any request', async () => {
    const { api, calls } = fakeApi('prisma', {});
    const activities = createActivities(api);
    await failsWith(
      run(() => activities.createBackup({ databaseId: 'db_1', idempotencyKey: 'k' })),
      ErrorType.ProfileMismatch,
      true,
    );
    await failsWith(
      run(() => activities.restoreBackup({ databaseId: 'db_1', backupId: 'b', idempotencyKey: 'k' })),
      ErrorType.ProfileMismatch,
      true,
    );
    assert.deepEqual(calls, []);
  });

  it('restoreDatabase sends one request and returns only the status', async () => {
    const { api, calls } = fakeApi('prisma', {
      restoreDatabase: async () => ({ id: 'db_2', name: 'db_2', status: 'recovering', source, projectId: 'p' }),
    });
    assert.deepEqual(await run(() => createActivities(api).restoreDatabase({ targetDatabaseId: 'db_2', source })), {
      status: 'recovering',
    });
    assert.deepEqual(calls, [['restoreDatabase', 'db_2', source]]);
  });

  describe('createDatabaseFromBackup: once across retries, found by name first', () => {
    const db = (id: string, name: string, from?: typeof source) => ({ id, name, status: 'ready', ...(from ? { source: from } : {}) });
    const create = (existing: ReturnType<typeof db>[], extra: Record<string, (...args: unknown[]) => unknown> = {}) =>
      fakeApi('prisma', {
        listProjectDatabases: async () => existing,
        createDatabaseFromBackup: async () => db('db_new', 'run-1', source),
        ...extra,
      });

    it('creates it when the name is free, in the region asked for', async () => {
      const { api, calls } = create([db('db_a', 'other', source)]);
      const created = await run(() =>
        createActivities(api).createDatabaseFromBackup({ projectId: 'proj_1', name: 'run-1', region: 'eu-central-1', source }),
      );
      assert.deepEqual(created, { databaseId: 'db_new', existed: false });
      assert.deepEqual(calls, [
        ['listProjectDatabases', 'proj_1'],
        ['createDatabaseFromBackup', { projectId: 'proj_1', name: 'run-1', region: 'eu-central-1', source }],
      ]);
    });

    it('finds the one an earlier attempt created from our backup, creating none', async () => {
      const { api, calls } = create([db('db_made', 'run-1', source)]);
      assert.deepEqual(await run(() => createActivities(api).createDatabaseFromBackup({ projectId: 'proj_1', name: 'run-1', source })), {
        databaseId: 'db_made',
        existed: true,
      });
      assert.equal(calls.length, 1);
    });

    it('refuses a name taken by a database not made from our backup alone: DatabaseNameTaken, nothing created', async () => {
      for (const existing of [
        [db('db_x', 'run-1')],
        [db('db_x', 'run-1', { ...source, backupId: 'c0' })],
        [db('db_made', 'run-1', source), db('db_twin', 'run-1', source)],
      ]) {
        const { api, calls } = create(existing);
        await failsWith(
          run(() => createActivities(api).createDatabaseFromBackup({ projectId: 'proj_1', name: 'run-1', source })),
          ErrorType.DatabaseNameTaken,
          true,
          /^Project proj_1 already has .*named "run-1" \(db_.*\) not made from backup c1 alone; nothing was created\. Choose another name\.$/,
        );
        assert.ok(!calls.some(([name]) => name === 'createDatabaseFromBackup'));
      }
    });

    it('beside a database: in that database’s project; one that names none is a protocol error', async () => {
      const beside = create([], { getDatabase: async () => ({ id: 'db_t', name: 't', status: 'ready', projectId: 'proj_9' }) });
      await run(() => createActivities(beside.api).createDatabaseFromBackup({ besideDatabaseId: 'db_t', name: 'ref', source }));
      assert.deepEqual(beside.calls[1], ['listProjectDatabases', 'proj_9']);
      const orphan = create([], { getDatabase: async () => ({ id: 'db_t', name: 't', status: 'ready' }) });
      await failsWith(
        run(() => createActivities(orphan.api).createDatabaseFromBackup({ besideDatabaseId: 'db_t', name: 'ref', source })),
        ErrorType.ProtocolError,
        true,
        /does not name its project/,
      );
    });
  });

  it('deleteDatabase: a database already gone counts as deleted; other failures are failures', async () => {
    const gone = fakeApi('prisma', {
      deleteDatabase: async () => {
        throw new ApiError(ErrorType.DatabaseNotFound, 'gone', false, undefined, 404);
      },
    });
    assert.deepEqual(await run(() => createActivities(gone.api).deleteDatabase({ databaseId: 'db_s' })), { alreadyDeleted: true });
    const deleted = fakeApi('prisma', { deleteDatabase: async () => undefined });
    assert.deepEqual(await run(() => createActivities(deleted.api).deleteDatabase({ databaseId: 'db_s' })), { alreadyDeleted: false });
    const down = fakeApi('prisma', {
      deleteDatabase: async () => {
        throw new ApiError(ErrorType.Transient, 'answered 503', true, undefined, 503);
      },
    });
    await failsWith(
      run(() => createActivities(down.api).deleteDatabase({ databaseId: 'db_s' })),
      ErrorType.Transient,
      false,
    );
  });

  it('listDatabases: the ids only', async () => {
    const { api } = fakeApi('prisma', {
      listProjectDatabases: async () => [
        { id: 'db_a', name: 'a', status: 'ready' },
        { id: 'db_b', name: 'b', status: 'provisioning' },
      ],
    });
    assert.deepEqual(await run(() => createActivities(api).listDatabases({ projectId: 'proj_1' })), ['db_a', 'db_b']);
  });
});

describe('history: how long earlier runs took', () => {
  /** A client whose visibility lists these runs, each with its result (an Error: a purged one). */
  function runs(results: unknown[]) {
    const queries: string[] = [];
    let read = 0;
    const client = {
      workflow: {
        list({ query }: { query: string }) {
          queries.push(query);
          return (async function* () {
            for (let i = 0; i < results.length; i++) {
              read++;
              yield { workflowId: `wf-${i}`, runId: `r-${i}` };
            }
          })();
        },
        getHandle: (workflowId: string) => ({
          result: async () => {
            const result = results[Number(workflowId.slice(3))];
            if (result instanceof Error) throw result;
            return result;
          },
        }),
      },
    };
    return { client: client as unknown as Client, queries, read: () => read };
  }
  const api = { profile: 'prisma' } as ManagementApi;
  const into = (targetDatabaseId: string, readyWaitMs: unknown) => ({ profile: 'prisma', targetDatabaseId, timings: { readyWaitMs } });
  const created = (readyWaitMs: number) => ({ profile: 'prisma', createdDatabaseId: 'db_new', timings: { readyWaitMs } });

  it("ready waits: earlier completed runs' into the same target, or that created a database; newest first; anything else skipped", async () => {
    const results: unknown[] = [
      into('db_1', 5_000),
      into('db_other', 1_000),
      created(9_000),
      // Runs from before the field, and whatever a result cannot be.
      { profile: 'prisma', targetDatabaseId: 'db_1', timings: {} },
      into('db_1', '6000'),
      into('db_1', -1),
      null,
      undefined,
      'text',
      new Error('purged since it was listed'),
      into('db_1', 7_000),
    ];
    const { client, queries } = runs(results);
    const activities = createActivities(api, { runs: client });
    assert.deepEqual(await activities.pastDurations({ databaseId: 'db_1', kind: 'ready', targetDatabaseId: 'db_1' }), [5_000, 7_000]);
    assert.deepEqual(await activities.pastDurations({ databaseId: 'db_1', kind: 'ready' }), [9_000]);
    assert.equal(queries[0], "WorkflowType = 'backupAndRestoreDatabase' AND DatabaseId = 'db_1' AND ExecutionStatus = 'Completed'");
  });

  it("backups: earlier runs' backupTookMs", async () => {
    const { client } = runs([{ timings: { backupTookMs: 60_000 } }, { timings: { backupTookMs: 'x' } }, { timings: {} }]);
    assert.deepEqual(await createActivities(api, { runs: client }).pastDurations({ databaseId: 'db_1', kind: 'backup' }), [60_000]);
  });

  it(`reads at most ${PAST_RUNS_READ} runs and keeps the newest ${PREDICTION.maxSamples} durations`, async () => {
    const { client, read } = runs(Array.from({ length: 50 }, (_, i) => into('db_1', 1_000 + i)));
    const past = await createActivities(api, { runs: client }).pastDurations({
      databaseId: 'db_1',
      kind: 'ready',
      targetDatabaseId: 'db_1',
    });
    assert.deepEqual(
      past,
      Array.from({ length: PREDICTION.maxSamples }, (_, i) => 1_000 + i),
    );
    assert.equal(read(), PAST_RUNS_READ);
  });

  it('none without a client, and none for an id that could change the visibility query', async () => {
    assert.deepEqual(await createActivities(api).pastDurations({ databaseId: 'db_1', kind: 'backup' }), []);
    const { client, queries } = runs([{ timings: { backupTookMs: 1 } }]);
    assert.deepEqual(await createActivities(api, { runs: client }).pastDurations({ databaseId: "db' OR '1'='1", kind: 'backup' }), []);
    assert.deepEqual(queries, []);
  });

  it("a fleet's retried child: the outcome of the run that exists, its result or its typed failure", async () => {
    const failed = new Error('Workflow execution failed', {
      cause: ApplicationFailure.create({ type: 'BackupFailed', message: 'bkp_1 failed', nonRetryable: true }),
    });
    const { client } = runs([{ backupId: 'bkp_0' }, failed]);
    const activities = createActivities(api, { runs: client });
    assert.deepEqual(await run(() => activities.runOutcome({ workflowId: 'wf-0' })), { result: { backupId: 'bkp_0' }, error: undefined });
    assert.deepEqual(await run(() => activities.runOutcome({ workflowId: 'wf-1' })), {
      result: undefined,
      error: { type: 'BackupFailed', message: 'bkp_1 failed' },
    });
  });
});
