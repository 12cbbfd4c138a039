// The default 6 h deadline, reached in virtual time on Temporal's time-skipping test server.
import { strict as assert } from 'assert';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEFAULT_POLL_POLICY } from '../../src/shared/poll-policy';
import { expectRunFailure } from '../support/expect-failure';
import { startHarness, type Harness } from '../support/harness';
import { timeSkippingEnv } from '../support/temporal';

describe('the default deadline (time-skipping server)', function () {
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

  it('gives up after 6 h of virtual time with BackupTimedOut and never restores', async () => {
    const handle = await h.start({ databaseId: 'db_demo' });
    const reason = await expectRunFailure(handle, 'BackupTimedOut');
    // Virtual time from the run's first event to its last (the server's clock may jump on after it).
    const { events } = await handle.fetchHistory();
    const seconds = (i: number) => Number(events!.at(i)!.eventTime!.seconds) * 1000;
    const elapsed = seconds(-1) - seconds(0);

    assert.match(reason.message, /still (pending|in_progress) at the deadline \(6h/);
    assert.ok(elapsed >= DEFAULT_POLL_POLICY.deadlineMs, `virtual time advanced ${elapsed} ms`);
    assert.ok(elapsed < DEFAULT_POLL_POLICY.deadlineMs + 5 * 60_000, `virtual time advanced ${elapsed} ms`);
    assert.equal(h.requestsFor('restoreDatabaseBackup').length, 0);
    // 6 h at up to one poll per ~2 min (after the first few shorter waits).
    const polls = h.requestsFor('listDatabaseBackups').length;
    assert.ok(polls >= 170 && polls <= 220, `${polls} polls`);
  });
});
