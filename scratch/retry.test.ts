import { startHarness } from '../test/support/harness';

describe('retry delay', function () {
  this.timeout(120_000);
  it('nextRetryDelay beyond maximumInterval', async () => {
    const h = await startHarness({ profile: 'seed', simulator: { backupDurationMs: Infinity } });
    try {
      const handle = await h.start({ databaseId: 'db_demo', poll: { initialIntervalMs: 300_000, maximumIntervalMs: 600_000, mode: 'backoff' } });
      await new Promise((r) => setTimeout(r, 4000));
      const d = await handle.describe();
      const p = d.raw.pendingActivities?.[0];
      console.log(JSON.stringify({ attempt: p?.attempt, state: p?.state, next: p?.nextAttemptScheduleTime, interval: p?.currentRetryInterval, last: p?.lastFailure?.message, hb: !!p?.heartbeatDetails }, null, 1));
      console.log('now', new Date().toISOString());
      await handle.cancel();
      await handle.result().catch((e) => console.log('ended', e.cause?.constructor?.name));
    } finally {
      await h.close();
    }
  });
});
