// Verification and drills across continue-as-new, on a dedicated dev server that suggests it after
// 20 history events: a database the run made only to use (a reference, a drill's scratch database)
// is carried into the new runs while it is awaited, and deleted exactly once.
import { strict as assert } from 'assert';
import type { WorkflowHandle } from '@temporalio/client';
import type { CarriedState } from '../../src/shared/workflow-types';
import type { PrismaSimulator } from '../../simulator';
import { startHarness, type Harness } from '../support/harness';
import { continueAsNewTemporal } from '../support/temporal';

const POLL = { initialIntervalMs: 100, maximumIntervalMs: 100 };

/** What the run's last execution was started with: the state its predecessor carried. */
async function lastCarried(handle: WorkflowHandle): Promise<CarriedState> {
  const [started] = (await handle.fetchHistory()).events ?? [];
  const payload = started.workflowExecutionStartedEventAttributes?.input?.payloads?.[1];
  assert.ok(payload?.data, 'the last execution is a continuation');
  return JSON.parse(Buffer.from(payload.data).toString('utf8')) as CarriedState;
}

describe('verification across continue-as-new', function () {
  this.timeout(180_000);
  let temporal: Awaited<ReturnType<typeof continueAsNewTemporal>>;
  let h: Harness<PrismaSimulator>;

  before(async () => {
    temporal = await continueAsNewTemporal();
    // Databases stay provisioning long enough for several continuations while they are awaited.
    h = await startHarness({
      profile: 'prisma',
      simulator: { data: 'postgres', provisioningMs: 6_000 },
      temporal,
    });
    await h.sim.sql('db_demo', 'CREATE TABLE items (name text)');
    await h.sim.sql('db_demo', "INSERT INTO items VALUES ('a'), ('b'), ('c')");
    h.sim.addBackup('db_demo', { createdAt: new Date(Date.now() - 3_600_000) });
  });

  after(async () => {
    await h?.close();
    await temporal?.close();
  });

  it('a verified restore carries its reference database while it is awaited: one created, verified, deleted once', async () => {
    const handle = await h.start({ profile: 'prisma', databaseId: 'db_demo', poll: POLL, verify: {} });
    const result = await handle.result();
    assert.ok(result.continuedAsNew >= 1, `continued as new ${result.continuedAsNew} times`);
    assert.equal(result.verification?.check, 'inventory');
    assert.equal(result.verification?.rows, 3);
    const [reference, ...more] = h.sim.effects.databasesCreated;
    assert.equal((await lastCarried(handle)).verification?.reference?.databaseId, reference.databaseId, 'carried while awaited');
    assert.equal(more.length, 0, 'one reference database, whatever the continuations');
    assert.deepEqual(
      h.sim.effects.databasesDeleted.map((d) => d.databaseId),
      [reference.databaseId],
    );
    assert.equal(h.sim.effects.restoresApplied.length, 1);
  });

  it('a drill carries its scratch database while it provisions, and deletes it once', async () => {
    const created = h.sim.effects.databasesCreated.length;
    const deleted = h.sim.effects.databasesDeleted.length;
    const handle = await h.start({
      profile: 'prisma',
      databaseId: 'db_demo',
      poll: POLL,
      newDatabase: { projectId: 'proj_demo' },
      drill: true,
    });
    const result = await handle.result();
    assert.ok(result.continuedAsNew >= 1, `continued as new ${result.continuedAsNew} times`);
    const scratch = h.sim.effects.databasesCreated.slice(created);
    assert.equal(scratch.length, 1);
    assert.equal((await lastCarried(handle)).restore?.databaseId, scratch[0].databaseId, 'carried while it provisions');
    assert.equal(result.deletedDatabaseId, scratch[0].databaseId);
    assert.deepEqual(
      h.sim.effects.databasesDeleted.slice(deleted).map((d) => d.databaseId),
      [scratch[0].databaseId],
    );
  });
});
