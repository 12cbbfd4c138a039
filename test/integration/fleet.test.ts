// Fleets on a real Temporal server against the simulator: a report of mixed outcomes and its exit
// code, through the CLI; concurrency within its bound; and no child started twice by a fleet
// restarted under its id (counted from the simulator's records). A worker SIGKILLed mid-fleet:
// fleet-worker-kill.slow.test.ts.
import { strict as assert } from 'assert';
import { startFleet } from '../../src/runs/start';
import type { FleetInput } from '../../src/shared/input';
import type { FleetReport } from '../../src/shared/types';
import type { PrismaSimulator } from '../../simulator';
import { cli } from '../support/cli';
import { startHarness, uniqueId, until, type Harness } from '../support/harness';

const POLL = { initialIntervalMs: 200, maximumIntervalMs: 400 };
const ROWS = 'CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, ';

/** A live picture of scratch databases: how many existed at once, from the simulator's effects. */
function mostAtOnce(sim: PrismaSimulator): number {
  const events = [
    ...sim.effects.databasesCreated.map((d) => ({ at: d.at, step: 1 })),
    ...sim.effects.databasesDeleted.map((d) => ({ at: d.at, step: -1 })),
  ].sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const e of events) most = Math.max(most, (now += e.step));
  return most;
}

describe('a fleet of databases, on a real Temporal server', function () {
  this.timeout(180_000);
  let h: Harness<PrismaSimulator>;
  before(async () => {
    h = await startHarness({ profile: 'prisma', simulator: { recoveryMs: 300, provisioningMs: 300, maxLiveDatabases: 6 } });
  });
  after(() => h.close());

  it('reports each database (passed, verification failed, no backup, gone) and exits 1 when any failed', async () => {
    const project = `proj_${uniqueId('m').slice(2).replace(/-/g, '')}`;
    h.sim.addProject(project);
    const [good, short, empty, doomed] = ['a', 'b', 'c', 'd'].map((x) => `db_mix${project.slice(-6)}${x}`);
    for (const [db, rows] of [
      [good, 3],
      [short, 2],
    ] as const) {
      h.sim.addDatabase(db, { projectId: project, data: 'postgres' });
      await h.sim.sql(db, `${ROWS}${rows})`);
      h.sim.addBackup(db);
    }
    h.sim.addDatabase(empty, { projectId: project });
    h.sim.addDatabase(doomed, { projectId: project });
    h.sim.addBackup(doomed);
    const ended = cli(
      { client: h.client, taskQueue: h.taskQueue, profile: 'prisma' },
      'fleet',
      'drill',
      '--project',
      project,
      '--concurrency',
      '1',
      '--verify-sql',
      'SELECT count(*) = 3 AS three FROM items',
      '--poll-initial',
      '200ms',
      '--poll-max',
      '400ms',
    );
    // One at a time, in id order: the last is deleted while the fleet runs.
    await until(() => h.sim.effects.databasesCreated.some((d) => d.source.type === 'backup' && d.source.databaseId === good), 60_000);
    h.sim.deleteDatabase(doomed);
    const { code, text: out } = await ended;
    assert.equal(code, 1, out);
    assert.match(out, new RegExp(`${good}\\s+passed · backup \\w+ \\(\\S+ old\\)`));
    assert.match(out, new RegExp(`${short}\\s+failed .*VerificationFailed: .*the SQL check did not pass: three is false`));
    assert.match(out, new RegExp(`${empty}\\s+failed .*BackupNotFound: `));
    assert.match(out, new RegExp(`${doomed}\\s+gone .*DatabaseNotFound`));
    assert.match(out, /fleet drill · 1 passed · 2 failed · 1 gone/);
    // The failed databases by name with their error types, in id order, as README's fleet report shows them.
    assert.match(
      out,
      new RegExp(`^✖ \\[FleetFailed\\] 2 of 4 databases failed: ${short} \\(VerificationFailed\\), ${empty} \\(BackupNotFound\\)\\.$`, 'm'),
    );
    // Every drill's scratch database was deleted, the failed ones' too.
    const scratch = h.sim.effects.databasesCreated.filter((d) =>
      [good, short].includes((d.source as { databaseId?: string }).databaseId ?? ''),
    );
    assert.equal(scratch.length, 2);
    for (const d of scratch)
      assert.ok(
        h.sim.effects.databasesDeleted.some((x) => x.databaseId === d.databaseId),
        `${d.databaseId} left behind`,
      );
  });

  it('runs at most `concurrency` databases at once, and each exactly once', async () => {
    const project = `proj_${uniqueId('c').slice(2).replace(/-/g, '')}`;
    h.sim.addProject(project);
    const ids = h.sim.addDatabases({ projectId: project, count: 9, prefix: `c${project.slice(-5)}` });
    const createdBefore = h.sim.effects.databasesCreated.length;
    const fleet: FleetInput = { profile: 'prisma', action: 'drill', projectId: project, concurrency: 3, poll: POLL };
    const handle = await startFleet(h.client, fleet, uniqueId('fleet'), { taskQueue: h.taskQueue });
    const report = (await handle.result()) as FleetReport;
    assert.equal(report.totals.passed, 9, JSON.stringify(report.totals));
    const created = h.sim.effects.databasesCreated.slice(createdBefore);
    assert.deepEqual(
      created.map((d) => (d.source as { databaseId: string }).databaseId).sort(),
      ids.sort(),
      'one scratch database per database',
    );
    const most = mostAtOnce({
      effects: {
        databasesCreated: created,
        databasesDeleted: h.sim.effects.databasesDeleted.filter((d) => created.some((c) => c.databaseId === d.databaseId)),
      },
    } as PrismaSimulator);
    assert.ok(most <= 3 && most >= 2, `${most} drills at once`);
  });

  it('restarted under its id, starts no child again: it reports the runs it had started', async () => {
    const project = `proj_${uniqueId('r').slice(2).replace(/-/g, '')}`;
    h.sim.addProject(project);
    const ids = h.sim.addDatabases({ projectId: project, count: 3, prefix: `r${project.slice(-5)}` });
    const fleet: FleetInput = { profile: 'prisma', action: 'drill', projectId: project, concurrency: 3, poll: POLL };
    const id = uniqueId('fleet');
    const first = (await (await startFleet(h.client, fleet, id, { taskQueue: h.taskQueue })).result()) as FleetReport;
    // Each child is the workflow `<fleet id>-<database id>`, started by this fleet: the name a restarted fleet finds.
    assert.deepEqual(first.entries.map((e) => e.databaseId).sort(), [...ids].sort());
    for (const { databaseId, workflowId } of first.entries) {
      assert.equal(workflowId, `${id}-${databaseId}`);
      const child = await h.client.workflow.getHandle(`${id}-${databaseId}`).describe();
      assert.equal(child.parentExecution?.workflowId, id, `${id}-${databaseId} is the fleet's child`);
    }
    const created = h.sim.effects.databasesCreated.length;
    const again = (await (await startFleet(h.client, fleet, id, { taskQueue: h.taskQueue })).result()) as FleetReport;
    assert.equal(h.sim.effects.databasesCreated.length, created, 'no drill ran again');
    assert.deepEqual(
      again.entries.map((e) => [e.databaseId, e.outcome, e.backupId]),
      first.entries.map((e) => [e.databaseId, e.outcome, e.backupId]),
    );
  });
});

describe('a fleet without a concurrency', function () {
  this.timeout(120_000);
  let h: Harness<PrismaSimulator>;
  before(async () => {
    // Scratch databases provision for 2 s: the drills started together are surely alive together.
    h = await startHarness({ profile: 'prisma', simulator: { recoveryMs: 300, provisioningMs: 2_000 } });
  });
  after(() => h.close());

  it('runs 4 databases at once (the default), and each exactly once', async () => {
    const project = `proj_${uniqueId('d').slice(2).replace(/-/g, '')}`;
    h.sim.addProject(project);
    const ids = h.sim.addDatabases({ projectId: project, count: 6, prefix: `d${project.slice(-5)}` });
    const fleet: FleetInput = { profile: 'prisma', action: 'drill', projectId: project, poll: POLL };
    const report = (await (await startFleet(h.client, fleet, uniqueId('fleet'), { taskQueue: h.taskQueue })).result()) as FleetReport;
    assert.equal(report.totals.passed, 6, JSON.stringify(report.totals));
    const created = h.sim.effects.databasesCreated.filter((d) => ids.includes((d.source as { databaseId: string }).databaseId));
    assert.equal(created.length, 6, 'one scratch database per database');
    const most = mostAtOnce({
      effects: {
        databasesCreated: created,
        databasesDeleted: h.sim.effects.databasesDeleted.filter((d) => created.some((c) => c.databaseId === d.databaseId)),
      },
    } as PrismaSimulator);
    assert.equal(most, 4, `${most} drills at once`);
  });
});

describe('a scheduled fleet', function () {
  this.timeout(120_000);
  let h: Harness<PrismaSimulator>;
  before(async () => {
    h = await startHarness({ profile: 'prisma', simulator: { recoveryMs: 300, provisioningMs: 300 } });
  });
  after(() => h.close());

  it('`schedule create --project --drill` drills the databases the project has at each run: one created since is in the next', async () => {
    const project = `proj_${uniqueId('s').slice(2).replace(/-/g, '')}`;
    h.sim.addProject(project);
    h.sim.addDatabases({ projectId: project, count: 2, prefix: `s${project.slice(-5)}` });
    const scheduleId = uniqueId('drills');
    const args = [
      'schedule',
      'create',
      scheduleId,
      '--project',
      project,
      '--drill',
      '--cron',
      '0 4 * * *',
      '--poll-initial',
      '200ms',
      '--paused',
    ];
    const created = await cli({ client: h.client, taskQueue: h.taskQueue, profile: 'prisma' }, ...args);
    assert.equal(created.code, 0, created.text);
    const schedule = h.client.schedule.getHandle(scheduleId);
    const runOnce = async () => {
      const before = (await schedule.describe()).info.recentActions.length;
      await schedule.trigger();
      for (let recent = before; recent === before; await new Promise((r) => setTimeout(r, 200)))
        recent = (await schedule.describe()).info.recentActions.length;
      const { workflowId } = (await schedule.describe()).info.recentActions.at(-1)!.action.workflow;
      return (await h.client.workflow.getHandle(workflowId).result()) as FleetReport;
    };
    try {
      assert.equal((await runOnce()).entries.length, 2);
      const [added] = h.sim.addDatabases({ projectId: project, count: 1, prefix: `s${project.slice(-5)}` });
      const next = await runOnce();
      assert.equal(next.entries.length, 3);
      assert.equal(next.entries.find((e) => e.databaseId === added)?.outcome, 'passed');
    } finally {
      await schedule.delete();
    }
  });
});
