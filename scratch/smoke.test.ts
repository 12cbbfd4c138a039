import assert from 'node:assert/strict';
import { startHarness, FAST_POLL } from '../test/support/harness';

describe('smoke', function () {
  this.timeout(120_000);
  it('seed', async () => {
    const h = await startHarness({ profile: 'seed' });
    try {
      const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
      const result = await handle.result();
      console.log(JSON.stringify(result, null, 1));
      const history = await handle.fetchHistory();
      console.log('events', history.events?.length);
    } finally {
      await h.close();
    }
  });
  it('prisma', async () => {
    const h = await startHarness({ profile: 'prisma' });
    try {
      h.sim.addBackup('db_demo', { createdAt: new Date(Date.now() - 60000) });
      const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
      const result = await handle.result();
      console.log(JSON.stringify(result, null, 1));
      const history = await handle.fetchHistory();
      console.log('events', history.events?.length);
      assert.equal(h.sim.effects.restoresApplied.length, 1);
    } finally {
      await h.close();
    }
  });
});
