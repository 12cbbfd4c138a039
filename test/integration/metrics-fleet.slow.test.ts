// A fleet's drill on a compiled worker process (./compiled-worker.ts), scraped after it: each database
// is counted by the fleet's action and its outcome (prisma_backup_fleet_databases_total), and each
// database's last drill shows by its id (prisma_backup_last_drill_passed), 0 for the one whose
// restore ended in failure, 1 for the other. The fleet fails, exit 1, since one database failed.
import { strict as assert } from 'assert';
import { randomBytes } from 'node:crypto';
import { eventually } from '../support/eventually';
import { sampleValue } from '../support/prometheus';
import { jsonLines, SECRET_PATTERNS, startCompiledWorker, type CompiledWorker } from './compiled-worker';

const FAILS = 'db_fleeta';
const PASSES = 'db_fleetb';
const PROJECT = 'proj_demo';

describe('metrics of a fleet drill on a compiled worker process', function () {
  this.timeout(240_000);
  let w: CompiledWorker | undefined;

  before(async () => {
    w = await startCompiledWorker({ databases: [FAILS, PASSES] });
  });
  after(async () => {
    await w?.stop();
  });

  it('counts each database by action and outcome, and exports each one’s last drill by its id', async () => {
    const { sim, scrape, token } = w!;
    for (const databaseId of [FAILS, PASSES]) sim.addBackup(databaseId, { createdAt: new Date(Date.now() - 3_600_000) });
    // One at a time, in the order given: the first scratch database, FAILS's, ends in failure.
    sim.failRestores({});
    const fleetId = `fleet-drill-${randomBytes(4).toString('hex')}`;
    const fleet = w!.cli(
      'fleet',
      'drill',
      '--databases',
      `${FAILS},${PASSES}`,
      '--project',
      PROJECT,
      '--concurrency',
      '1',
      '--workflow-id',
      fleetId,
    );
    assert.equal(await fleet.exit, 1, `${fleet.out.stdout}\n${fleet.out.stderr}`);

    const text = await scrape();
    const value = (name: string, labels: Record<string, string>) => sampleValue(text, name, labels);
    assert.equal(value('prisma_backup_fleet_databases_total', { action: 'drill', outcome: 'failed' }), 1, text);
    assert.equal(value('prisma_backup_fleet_databases_total', { action: 'drill', outcome: 'passed' }), 1, text);
    assert.equal(value('prisma_backup_last_drill_passed', { database_id: FAILS }), 0, text);
    assert.equal(value('prisma_backup_last_drill_passed', { database_id: PASSES }), 1, text);
    assert.equal(value('prisma_backup_drills_total', { outcome: 'failed' }), 1);
    assert.equal(value('prisma_backup_drills_total', { outcome: 'passed' }), 1);
    assert.equal(
      value('prisma_backup_runs_finished_total', { profile: 'prisma', kind: 'drill', outcome: 'failed', reason: 'RestoreFailed' }),
      1,
      text,
    );
    // Both scratch databases were deleted, the failed one's too.
    const created = sim.effects.databasesCreated.map((d) => d.databaseId);
    assert.equal(created.length, 2);
    assert.deepEqual(sim.effects.databasesDeleted.map((d) => d.databaseId).sort(), [...created].sort());

    // The fleet's lines: one per database, naming it and its outcome (the last one may reach the pipe
    // after the CLI saw the fleet end).
    await eventually(async () => {
      const done = jsonLines(w!.output()).filter((line) => line.workflowId === fleetId && line.message === 'Fleet database done');
      assert.deepEqual(done.map((line) => [line.databaseId, line.outcome]).sort(), [
        [FAILS, 'failed'],
        [PASSES, 'passed'],
      ]);
    }, 10_000);
    for (const out of [w!.output(), text, fleet.out.stdout, fleet.out.stderr]) {
      assert.ok(!out.includes(token), 'the token is in the output');
      for (const pattern of SECRET_PATTERNS) assert.doesNotMatch(out, pattern);
    }
  });
});
