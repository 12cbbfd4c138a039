// A wait of hours writes a bounded history: its looks are retries of one activity, not timers and
// workflow tasks. On Temporal's time-skipping test server, the default 6 h deadline in virtual time.
import { strict as assert } from 'assert';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEFAULT_POLL_POLICY } from '../../src/shared/policy';
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
