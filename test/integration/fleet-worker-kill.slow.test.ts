// A fleet whose worker process is SIGKILLed mid-run (`npm run test:all`): another worker finishes it,
// starting no child and no drill twice (counted from the simulator's records).
import { strict as assert } from 'assert';
import type { Client } from '@temporalio/client';
import { startFleet } from '../../src/runs/start';
import type { FleetReport } from '../../src/shared/types';
import { fleetQuery } from '../../src/workflows/messages';
import type { PrismaSimulator } from '../../simulator';
import { workerProcessFor } from '../support/cli';
import { startHarness, uniqueId, until, type Harness } from '../support/harness';

const POLL = { initialIntervalMs: 200, maximumIntervalMs: 400 };

describe('a fleet whose worker is SIGKILLed mid-run', function () {
  this.timeout(240_000);
  let h: Harness<PrismaSimulator>;
  let client: Client;
  before(async () => {
    h = await startHarness({ profile: 'prisma', simulator: { recoveryMs: 300, provisioningMs: 2_000 } });
    client = h.client;
  });
  after(() => h.close());

  it('finishes on another worker, starting no child and no drill twice', async () => {
    const project = `proj_${uniqueId('k').slice(2).replace(/-/g, '')}`;
    h.sim.addProject(project);
    const ids = h.sim.addDatabases({ projectId: project, count: 6, prefix: `k${project.slice(-5)}` });
    const taskQueue = uniqueId('fleet-kill');
    const worker = () => workerProcessFor(h, taskQueue, 'fleet');
    let w = worker();
    await w.start();
    const handle = await startFleet(
      client,
      { profile: 'prisma', action: 'drill', projectId: project, concurrency: 2, poll: POLL },
      uniqueId('fleet'),
      { taskQueue },
    );
    await until(
      () => h.sim.effects.databasesCreated.filter((d) => ids.includes((d.source as { databaseId: string }).databaseId)).length >= 3,
      60_000,
    );
    await w.kill();
    w = worker();
    await w.start();
    try {
      const report = (await handle.result()) as FleetReport;
      assert.equal(report.totals.passed, 6, JSON.stringify(report.totals));
      const drills = h.sim.effects.databasesCreated.filter((d) => ids.includes((d.source as { databaseId: string }).databaseId));
      assert.equal(drills.length, 6, 'one scratch database per database, none twice');
      const children = await client.workflow.count(`WorkflowId STARTS_WITH '${handle.workflowId}-'`).catch(() => undefined);
      if (children) assert.equal(children.count, 6);
      assert.equal((await handle.query(fleetQuery)).entries.length, 6);
    } finally {
      await w.stop();
    }
  });
});
