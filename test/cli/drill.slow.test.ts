// `drill` and `schedule create --drill` through the CLI, against the real Temporal dev server, a
// worker and the simulator with real data: a drill's outcome is its exit code, and a failed
// scheduled drill is loud in `schedule check` and the schedule's Web UI page. (`schedule list`,
// `describe` and `trigger` are Temporal's own now: `temporal schedule …` and the Web UI.)
import { strict as assert } from 'assert';
import { ScheduleNotFoundError } from '@temporalio/client';
import { EXIT } from '../../src/cli/context';
import type { PrismaSimulator } from '../../simulator';
import { cli, type CliRun } from '../support/cli';
import { expectRunFailure } from '../support/expect-failure';
import { startHarness, uniqueId, type Harness } from '../support/harness';
import { expectScheduleKeptGoing, triggerSchedule } from '../support/eventually';

const FAST = ['--poll-initial', '100ms', '--poll-max', '200ms', '--poll-mode', 'backoff'];

describe('drill refused before anything starts', () => {
  it('in the seed profile, saying why (exit 2, Temporal never contacted)', async () => {
    const drill = await cli({ profile: 'seed' }, 'drill', '--database-id', 'db_1', '--project', 'proj_1');
    assert.equal(drill.code, EXIT.usage, drill.text);
    assert.equal(
      drill.err.join('\n'),
      '✖ [PROFILE_CANNOT] A drill restores into a new scratch database, and the seed API cannot create one.\n→ Use `run --verify`, or PRISMA_API_PROFILE=prisma.',
    );
    const scheduled = await cli(
      { profile: 'seed' },
      ...['schedule', 'create', '--database-id', 'db_1', '--cron', '0 3 * * *', '--drill', '--project', 'proj_1'],
    );
    assert.equal(scheduled.code, EXIT.usage, scheduled.text);
    assert.match(
      scheduled.err.join('\n'),
      /^✖ \[PROFILE_CANNOT\] A drill restores into a new scratch database, and the seed API cannot create one; nothing was created\./,
    );
    assert.doesNotMatch(drill.text + scheduled.text, /contacted Temporal/);
  });

  it('without --project, or with a consent or approval it does not take', async () => {
    const noProject = await cli({ profile: 'prisma' }, 'drill', '--database-id', 'db_1');
    assert.equal(noProject.code, EXIT.usage);
    assert.match(noProject.text, /--project is required by a drill: the project its scratch database is created in\./);
    for (const flag of ['--confirm', '--require-approval']) {
      const extra = await cli({ profile: 'prisma' }, 'drill', '--database-id', 'db_1', '--project', 'p1', flag, 'db_1');
      assert.equal(extra.code, EXIT.usage, `no such flag: a drill replaces no data (${flag})`);
      assert.match(extra.err.join('\n'), new RegExp(`unknown option '${flag}'`));
    }
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
      '--verify-sql',
      'SELECT count(*) = 2 AS two_items FROM items',
      ...FAST,
    );
    assert.equal(passed.code, EXIT.ok, passed.text);
    assert.match(passed.text, /^Started drill-db_demo-\d{8}T\d{6}Z \(database db_demo\)\.$/m);
    const [first] = h.sim.effects.databasesCreated;
    assert.match(
      passed.text,
      new RegExp(
        `"message": "Drill: created scratch database ${first.databaseId} in project proj_demo .* Deleted scratch database ${first.databaseId}\\."`,
      ),
    );
    assert.match(passed.text, new RegExp(`"deletedDatabaseId": "${first.databaseId}"`));
    assert.match(passed.text, /"check": "sql"/);

    h.sim.failRestores();
    const failed = await run('drill', '--database-id', 'db_demo', '--project', 'proj_demo', ...FAST);
    assert.equal(failed.code, EXIT.failed, failed.text);
    const second = h.sim.effects.databasesCreated[1];
    assert.match(
      failed.text,
      new RegExp(`^✖ \\[RestoreFailed\\] ${second.databaseId}, created from backup \\S+ of db_demo, ended in status failure`, 'm'),
    );
    assert.deepEqual(
      h.sim.effects.databasesDeleted.map((d) => d.databaseId),
      [first.databaseId, second.databaseId],
    );
    assert.equal(h.sim.effects.restoresApplied.length, 0, 'the source is never restored');
  });

  it("a failed drill's message says its scratch database was deleted", async () => {
    h.sim.failRestores();
    const failed = await run('drill', '--database-id', 'db_demo', '--project', 'proj_demo', ...FAST);
    const scratch = h.sim.effects.databasesCreated.at(-1)!.databaseId;
    assert.match(failed.text, new RegExp(`^✖ \\[RestoreFailed\\] .* The drill's scratch database ${scratch} has been deleted\\.$`, 'm'));
  });

  it('schedule create --drill: a failed drill is loud in check and the Web UI, and the schedule keeps going', async () => {
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
      created.out[0],
      new RegExp(
        `^Schedule ${id} created: Drill: restore the newest completed backup of db_demo into a scratch database in proj_demo, verify it, delete it\\. Next runs: `,
      ),
    );
    assert.match(created.out[1], new RegExp(`\`temporal schedule toggle\\|trigger\\|backfill\\|delete --schedule-id ${id}\``));
    const healthy = await run('schedule', 'check', id);
    assert.equal(healthy.code, EXIT.ok, healthy.text);
    assert.match(healthy.out[0], new RegExp(`^${id}: healthy `));

    h.sim.failRestores();
    const started = await triggerSchedule(h.client, id);
    assert.match(started, new RegExp(`^scheduled-${id}`));
    await expectRunFailure(h.client.workflow.getHandle(started), 'RestoreFailed');
    await expectScheduleKeptGoing(h.client, id, 'drill');

    const check = await run('schedule', 'check', id);
    assert.equal(check.code, EXIT.failed, check.text);
    assert.match(check.out[0], new RegExp(`^${id}: UNHEALTHY: its last ended run failed \\(last completed run ended `));
    const json = await run('schedule', 'check', id, '--json');
    assert.deepEqual(JSON.parse(json.out[0]).problems, ['its last ended run failed']);
  });
});
