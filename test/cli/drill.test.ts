// `drill` and `schedule create --drill` through the CLI, against the real Temporal dev server, a
// worker and the simulator with real data: a drill's outcome is its exit code, and a failed
// scheduled drill is loud in `schedule list`, `describe`, `check` and the schedule's Web UI page.
import { strict as assert } from 'assert';
import { ScheduleNotFoundError } from '@temporalio/client';
import { EXIT } from '../../src/cli/context';
import type { PrismaSimulator } from '../../simulator';
import { cli, type CliRun } from '../support/cli';
import { expectRunFailure } from '../support/expect-failure';
import { startHarness, uniqueId, type Harness } from '../support/harness';
import { describeWhenIdle, eventually } from '../support/eventually';

const FAST = ['--poll-initial', '100ms', '--poll-max', '200ms'];

describe('drill refused before anything starts', () => {
  it('in the seed profile, saying why (exit 2, Temporal never contacted)', async () => {
    for (const argv of [
      ['drill', '--database-id', 'db_1', '--project', 'proj_1'],
      ['schedule', 'create', '--database-id', 'db_1', '--cron', '0 3 * * *', '--drill', '--project', 'proj_1'],
    ]) {
      const result = await cli({ profile: 'seed' }, ...argv);
      assert.equal(result.code, EXIT.usage, result.text);
      assert.match(
        result.err.join('\n'),
        /^Nothing was (started|created): A drill restores into a new scratch database, so that it never touches the source, and the seed API \(PRISMA_API_PROFILE=seed\) cannot create a database: it restores a backup only into its own database\./,
      );
    }
  });

  it('without --project, or with a --confirm it does not need', async () => {
    const noProject = await cli({ profile: 'prisma' }, 'drill', '--database-id', 'db_1');
    assert.equal(noProject.code, EXIT.usage);
    assert.match(noProject.text, /--project is required: the id of the project to create the database in/);
    const consent = await cli({ profile: 'prisma' }, 'drill', '--database-id', 'db_1', '--project', 'p1', '--confirm', 'db_1');
    assert.equal(consent.code, EXIT.usage, 'no such flag: a drill takes no consent');
  });
});

describe('drill and scheduled drills on a worker, with real data', function () {
  this.timeout(180_000);
  let h: Harness<PrismaSimulator>;
  const run = (...argv: string[]): Promise<CliRun> => cli({ client: h.client, taskQueue: h.taskQueue, profile: 'prisma' }, ...argv);
  const schedules = new Set<string>();

  before(async () => {
    h = await startHarness({ profile: 'prisma', simulator: { data: 'postgres' } });
    await h.sim.sql('db_demo', 'CREATE TABLE items (name text)');
    await h.sim.sql('db_demo', "INSERT INTO items VALUES ('a'), ('b')");
    h.sim.addBackup('db_demo', { createdAt: new Date(Date.now() - 3_600_000) });
  });
  after(async () => {
    for (const id of schedules) {
      await h.client.schedule
        .getHandle(id)
        .delete()
        .catch((err: unknown) => {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
        });
    }
    await h.close();
  });

  it('drill: exit 0 once the scratch database is verified and deleted; exit 1, the scratch database deleted too, when it fails', async () => {
    const passed = await run(
      'drill',
      '--database-id',
      'db_demo',
      '--project',
      'proj_demo',
      '--sql',
      'SELECT count(*) = 2 AS two_items FROM items',
      ...FAST,
    );
    assert.equal(passed.code, EXIT.ok, passed.text);
    assert.match(passed.text, /^Started run drill-db_demo-\d{8}T\d{6}Z \(database db_demo\)\.$/m);
    const [first] = h.sim.effects.databasesCreated;
    assert.match(
      passed.text,
      new RegExp(`"message": "Drill: created scratch database ${first.databaseId} .* Deleted scratch database ${first.databaseId}\\."`),
    );
    assert.match(passed.text, /"check": "sql"/);

    h.sim.failRestores();
    const failed = await run('drill', '--database-id', 'db_demo', '--project', 'proj_demo', ...FAST);
    assert.equal(failed.code, EXIT.runFailed, failed.text);
    const second = h.sim.effects.databasesCreated[1];
    assert.match(
      failed.text,
      new RegExp(`Run failed: RestoreFailed: .* The drill's scratch database ${second.databaseId} has been deleted\\.$`, 'm'),
    );
    assert.deepEqual(
      h.sim.effects.databasesDeleted.map((d) => d.databaseId),
      [first.databaseId, second.databaseId],
    );
    assert.equal(h.sim.effects.restoresApplied.length, 0, 'the source is never restored');
  });

  it('schedule create --drill: a failed drill is loud in list, describe, check and the Web UI, and the schedule keeps going', async () => {
    const id = `drill-test-${uniqueId('d').slice(2)}`;
    schedules.add(id);
    const created = await run(
      'schedule',
      'create',
      id,
      '--database-id',
      'db_demo',
      '--cron',
      '0 3 * * *',
      '--drill',
      '--project',
      'proj_demo',
      ...FAST,
    );
    assert.equal(created.code, EXIT.ok, created.text);
    assert.match(
      created.text,
      /Every run restores into a scratch database in project proj_demo, verified, then deleted \(a drill: replacing nothing\), without approval\./,
    );
    assert.match(created.text, /a failed run does not stop later drills/);

    h.sim.failRestores();
    const triggered = await run('schedule', 'trigger', id);
    const workflowId = /Started run (\S+);/.exec(triggered.text)?.[1];
    assert.ok(workflowId, triggered.text);
    const reason = await expectRunFailure(h.client.workflow.getHandle(workflowId), 'RestoreFailed');
    const described = await describeWhenIdle(h.client, id);
    assert.equal(described.state.paused, false);
    assert.equal(described.policies.pauseOnFailure, false);
    // The schedule's Web UI page shows the run as Failed (3 in Temporal's enum).
    await eventually(async () => {
      const raw = (await h.client.schedule.getHandle(id).describe()).raw;
      assert.equal(raw.info?.recentActions?.at(-1)?.startWorkflowStatus, 3);
    });

    const listed = await eventually(async () => {
      const result = await run('schedule', 'list', '--database-id', 'db_demo');
      assert.match(result.out.find((line) => line.startsWith(id)) ?? '', / drill .* FAILED \(RestoreFailed\) /, result.text);
      return result;
    });
    assert.ok(listed.out.includes(`${id}: last run ${workflowId} FAILED: RestoreFailed: ${reason.message}`), listed.text);
    const describe = await run('schedule', 'describe', id);
    assert.match(describe.text, new RegExp(`^  Last run: +FAILED: RestoreFailed: `, 'm'));
    assert.match(describe.text, /Restores into: +a scratch database in project proj_demo, verified, then deleted/);
    const check = await run('schedule', 'check', id);
    assert.equal(check.code, EXIT.runFailed, check.text);
    assert.match(check.out[0], new RegExp(`^FAILED  ${id}: last run ${workflowId} .* FAILED: RestoreFailed: `));
  });
});
