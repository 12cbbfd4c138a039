// A wait of hours writes a bounded history: its looks are retries of one activity, not timers and
// workflow tasks. On Temporal's time-skipping test server, in virtual time: the seed backup wait's
// default 6 h deadline; in prisma, a restored database that recovers for 3 h (the simulator's clock
// follows the server's), and an approval given after 20 h.
import { strict as assert } from 'assert';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PrismaSimulator } from '../../simulator';
import { approveRestoreUpdate, statusQuery } from '../../src/workflows/messages';
import { DEFAULT_POLL_POLICY } from '../../src/shared/policy';
import { eventually } from '../support/eventually';
import { expectRunFailure } from '../support/expect-failure';
import { startHarness, type Harness } from '../support/harness';
import { timeSkippingEnv } from '../support/temporal';

/** The goal of issue "the wait on retries": a 6 h wait with no earlier backups in one execution of at most this many events. */
const MAX_EVENTS = 60;

describe('a 6 h wait (time-skipping server)', function () {
  this.timeout(180_000);
  let env: TestWorkflowEnvironment;
  let h: Harness;

  before(async () => {
    env = await timeSkippingEnv();
    h = await startHarness({
      simulator: { backupDurationMs: Number.POSITIVE_INFINITY },
      // The time-skipping server has no custom search attributes: the run must work without them.
      searchAttributes: false,
      temporal: { client: env.client, connection: env.nativeConnection, namespace: env.namespace ?? 'default' },
    });
  });

  after(async () => {
    await h?.close();
    await env?.teardown();
  });

  it(`gives up after 6 h with BackupTimedOut, never restoring, in one execution of at most ${MAX_EVENTS} events`, async () => {
    const handle = await h.start({ databaseId: 'db_demo', poll: { mode: 'backoff' } });
    const reason = await expectRunFailure(handle, 'BackupTimedOut');
    const { events } = await handle.fetchHistory();
    const at = (i: number) => Number(events!.at(i)!.eventTime!.seconds) * 1000;
    const elapsed = at(-1) - at(0);

    assert.match(
      reason.message,
      /was not completed by its deadline, 6h after the wait began; nothing was restored\. The last look: Backup bkp_\w+ of db_demo is (pending|in_progress)/,
    );
    // It ends when the next look would come after the deadline: within one longest wait of it.
    const { deadlineMs, maximumIntervalMs } = DEFAULT_POLL_POLICY;
    assert.ok(elapsed >= deadlineMs - maximumIntervalMs && elapsed <= deadlineMs + 60_000, `virtual time ${elapsed} ms`);
    assert.equal(h.requestsFor('restoreDatabaseBackup').length, 0);
    // 6 h at up to one look per ~2 min, after the first few shorter waits: each a retry, none an event.
    const looks = h.requestsFor('listDatabaseBackups').length;
    assert.ok(looks >= 170 && looks <= 220, `${looks} looks`);
    assert.ok(events!.length <= MAX_EVENTS, `${events!.length} events for ${looks} looks`);
    assert.equal((await handle.describe()).runId, handle.firstExecutionRunId, 'one execution: no continue-as-new');
  });
});

describe('prisma: a restore whose database recovers for 3 h, and an approval given after 20 h (time-skipping server)', function () {
  this.timeout(180_000);
  const HOUR = 3_600_000;
  let env: TestWorkflowEnvironment;
  let h: Harness<PrismaSimulator>;
  /** The server's virtual time, which the simulator's clock follows: read again and again while the tests run. */
  let virtualNow = 0;
  let reading: Promise<void> | undefined;
  let stopped = false;

  before(async () => {
    env = await timeSkippingEnv();
    virtualNow = await env.currentTimeMs();
    reading = (async () => {
      while (!stopped) {
        virtualNow = Math.max(virtualNow, await env.currentTimeMs().catch(() => virtualNow));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    h = await startHarness({
      profile: 'prisma',
      // A restore keeps its target recovering for 3 h of the server's virtual time.
      simulator: { recoveryMs: 3 * HOUR, clock: () => virtualNow },
      searchAttributes: false,
      temporal: { client: env.client, connection: env.nativeConnection, namespace: env.namespace ?? 'default' },
    });
  });

  after(async () => {
    stopped = true;
    await reading;
    await h?.close();
    await env?.teardown();
  });

  /** The run's result; a failure says its root cause. */
  const resultOf = (handle: Awaited<ReturnType<Harness['start']>>) =>
    handle.result().catch((err: Error) => {
      let root = err;
      while (root.cause instanceof Error) root = root.cause;
      return assert.fail(`${handle.workflowId} failed: ${root.message}`);
    });

  /** The run's history: its events, the virtual time from first to last, and whether it is one execution. */
  async function historyOf(handle: Awaited<ReturnType<Harness['start']>>) {
    const { events } = await handle.fetchHistory();
    const at = (i: number) => Number(events!.at(i)!.eventTime!.seconds) * 1000;
    return {
      events: events!.length,
      elapsed: at(-1) - at(0),
      oneExecution: (await handle.describe()).runId === handle.firstExecutionRunId,
    };
  }

  it(`waits 3 h for the restored database to be ready, in one execution of at most ${MAX_EVENTS} events`, async () => {
    const backup = h.sim.addBackup('db_demo');
    const handle = await h.start({ databaseId: 'db_demo', readyDeadlineMs: 4 * HOUR, poll: { mode: 'backoff' } });
    const result = await resultOf(handle);
    assert.deepEqual([result.restoreStatus, result.backupId], ['ready', backup.id]);
    assert.ok(result.timings.readyWaitMs! >= 3 * HOUR, `ready after ${result.timings.readyWaitMs} ms of virtual time`);
    assert.equal(h.requestsFor('postV1DatabasesByTargetDatabaseIdRestore').length, 1);
    // 3 h at up to one look per ~2 min: each a retry of one activity, none an event.
    const looks = h.requestsFor('getV1DatabasesByDatabaseId').length;
    assert.ok(looks >= 85, `${looks} looks`);
    const history = await historyOf(handle);
    assert.ok(history.elapsed >= 3 * HOUR, `virtual time ${history.elapsed} ms`);
    assert.ok(history.events <= MAX_EVENTS, `${history.events} events for ${looks} looks`);
    assert.ok(history.oneExecution, 'one execution: no continue-as-new');
  });

  it(`waits 20 h for approval, then restores once approved, in one execution of at most ${MAX_EVENTS} events`, async () => {
    const backup = h.sim.addBackup('db_demo');
    const restores = () => h.requestsFor('postV1DatabasesByTargetDatabaseIdRestore').length;
    const restoresBefore = restores();
    const handle = await h.start({ databaseId: 'db_demo', approval: {}, readyDeadlineMs: 4 * HOUR, poll: { mode: 'backoff' } });
    await eventually(async () => {
      const status = await handle.query(statusQuery);
      assert.equal(status.phase, 'awaiting-approval', JSON.stringify(status));
    });
    await env.sleep(20 * HOUR);
    assert.equal((await handle.query(statusQuery)).phase, 'awaiting-approval', 'still waiting after 20 h');
    assert.equal(restores(), restoresBefore, 'nothing restored before the approval');
    await handle.executeUpdate(approveRestoreUpdate, { args: [{ backupId: backup.id }] });
    const result = await resultOf(handle);
    assert.deepEqual([result.restoreStatus, result.backupId], ['ready', backup.id]);
    assert.equal(restores(), restoresBefore + 1);
    const history = await historyOf(handle);
    assert.ok(history.elapsed >= 23 * HOUR, `virtual time ${history.elapsed} ms: 20 h waiting for approval, then 3 h recovering`);
    assert.ok(history.events <= MAX_EVENTS, `${history.events} events`);
    assert.ok(history.oneExecution, 'one execution: no continue-as-new');
  });
});
