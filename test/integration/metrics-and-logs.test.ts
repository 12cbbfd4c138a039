// The worker's Prometheus endpoint and JSON log lines, on real compiled processes: the worker as
// production runs it (`node dist/src/worker.js`: metrics on a free loopback port,
// PRISMA_BACKUP_LOG_FORMAT=json) and the CLI (`node dist/src/starter.js`) starting a prisma restore
// that waits for a running backup, then two drills (one passing, one whose SQL check fails), against
// the simulator over HTTP; one request fails once, so an activity logs too. In a namespace of its own:
// the worker and the CLI use the product's fixed task queue, which another worker could serve
// (./compiled-worker.ts). A fleet's drill: metrics-fleet.slow.test.ts.
import { strict as assert } from 'assert';
import { randomBytes } from 'node:crypto';
import { parseSamples, sampleValue } from '../support/prometheus';
import { jsonLines, SECRET_PATTERNS, startCompiledWorker, type CompiledWorker } from './compiled-worker';
import { eventually } from '../support/eventually';

const DATABASE = 'db_metrics';
const PROJECT = 'proj_demo';

describe('metrics and JSON logs of a compiled worker process, during and after runs started by the CLI', function () {
  this.timeout(240_000);
  let w: CompiledWorker | undefined;
  /** The restore's CLI lines and workflow id, from the first test. */
  let cliLines: Record<string, unknown>[] = [];
  let restoreRun: string | undefined;

  before(async () => {
    w = await startCompiledWorker({ databases: [DATABASE] });
  });
  after(async () => {
    await w?.stop();
  });

  it('counts the run, its backup and its restore as they happen, next to the SDK’s own metrics, and logs JSON lines naming the run', async () => {
    const { sim, scrape, token } = w!;
    const before = await scrape();
    assert.equal(sampleValue(before, 'prisma_backup_runs_started_total', { profile: 'prisma', kind: 'restore' }), undefined);
    assert.equal(sampleValue(before, 'prisma_backup_restores_total', { profile: 'prisma', outcome: 'applied' }), 0);
    assert.equal(sampleValue(before, 'prisma_backup_last_completed_backup_timestamp_seconds', { database_id: DATABASE }), undefined);
    assert.equal(sampleValue(before, 'prisma_backup_last_drill_passed', { database_id: DATABASE }), undefined);

    const backup = sim.addBackup(DATABASE, { status: 'running', createdAt: new Date(Date.now() - 120_000) });
    // One failed look, so an activity logs (at WARN) about the run.
    sim.faults.add({ operation: 'getV1DatabasesByDatabaseId', kind: 'status', status: 503 });
    const workflowId = `restore-${DATABASE}-${randomBytes(4).toString('hex')}`;
    const args = ['restore', '--database-id', DATABASE, '--backup-id', backup.id, '--confirm', DATABASE, '--workflow-id', workflowId];
    const cli = w!.cli(...args, '--poll-initial', '1s', '--poll-max', '1s');

    // During: the run has started and seen its backup running; nothing has finished.
    const during = await eventually(async () => {
      const text = await scrape();
      assert.equal(sampleValue(text, 'prisma_backup_runs_started_total', { profile: 'prisma', kind: 'restore' }), 1);
      assert.equal(sampleValue(text, 'prisma_backup_backups_started_total', { type: 'full' }), 1);
      return text;
    }, 90_000);
    assert.equal(sampleValue(during, 'prisma_backup_runs_finished_total', { profile: 'prisma', kind: 'restore' }), undefined);
    assert.equal(sampleValue(during, 'prisma_backup_backups_completed_total', { type: 'full' }), undefined);

    const completedAt = Date.now();
    sim.finishBackup(backup.id, 'completed');
    assert.equal(await cli.exit, 0, `${cli.out.stdout}\n${cli.out.stderr}`);

    const after = await scrape();
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(after, name, labels);
    assert.equal(value('prisma_backup_runs_finished_total', { profile: 'prisma', kind: 'restore', outcome: 'completed', reason: '' }), 1);
    assert.equal(value('prisma_backup_backups_started_total', { type: 'full' }), 1);
    assert.equal(value('prisma_backup_backups_completed_total', { type: 'full' }), 1);
    assert.equal(value('prisma_backup_backups_failed_total', { type: 'full' }), undefined);
    assert.equal(value('prisma_backup_backup_duration_seconds_count', { type: 'full' }), 1);
    // Prisma gives no completedAt: the duration runs from createdAt (2 min before) to when the worker saw it completed.
    assert.ok(value('prisma_backup_backup_duration_seconds_sum', { type: 'full' })! >= 120, after);
    assert.equal(value('prisma_backup_restores_total', { profile: 'prisma', outcome: 'applied' }), 1);
    assert.equal(value('prisma_backup_database_ready_wait_seconds_count', { profile: 'prisma' }), 1);
    // The simulator keeps a restored database recovering for 1 s.
    assert.ok(value('prisma_backup_database_ready_wait_seconds_sum', { profile: 'prisma' })! >= 1, after);
    const last = value('prisma_backup_last_completed_backup_timestamp_seconds', { database_id: DATABASE })!;
    assert.ok(last * 1000 >= completedAt && last * 1000 <= Date.now(), `${last} not in [${completedAt}, now]`);
    const since = value('prisma_backup_seconds_since_last_completed_backup', { database_id: DATABASE })!;
    assert.ok(since >= 0 && since < 120, String(since));
    assert.equal(value('prisma_backup_last_drill_passed', { database_id: DATABASE }), undefined, 'a restore is no drill');
    const sdk = parseSamples(after).filter((s) => s.name.startsWith('temporal_'));
    assert.ok(sdk.length > 0, 'no temporal_ metric from the SDK in the scrape');
    assert.ok(
      sdk.some((s) => s.name.startsWith('temporal_workflow_completed') || s.name.startsWith('temporal_activity_execution')),
      after,
    );
    for (const secret of [token, ...SECRET_PATTERNS]) assert.doesNotMatch(after, typeof secret === 'string' ? new RegExp(secret) : secret);

    // The worker's lines: all JSON; those about the run carry its ids and database.
    const workerOutput = w!.output();
    const workerLines = jsonLines(workerOutput);
    // A restore that goes well logs nothing at INFO from its workflow; the failed look below is about it.
    const aboutRun = workerLines.filter((line) => line.workflowId === workflowId);
    assert.ok(aboutRun.length >= 1, workerOutput);
    for (const line of aboutRun) {
      assert.equal(typeof line.time, 'string');
      assert.equal(typeof line.level, 'string');
      assert.equal(typeof line.message, 'string');
      assert.match(String(line.runId), /^[0-9a-f-]{36}$/, JSON.stringify(line));
      assert.equal(line.databaseId, DATABASE, JSON.stringify(line));
      assert.equal(line.taskToken, undefined, 'an activity task token was logged');
    }
    // The failed look at the target: an attempt of the wait activity, logged at WARN.
    assert.ok(
      aboutRun.some((line) => line.activityType === 'awaitDatabase' && line.level === 'warn'),
      `no activity line about the run:\n${aboutRun.map((line) => JSON.stringify(line)).join('\n')}`,
    );

    // The CLI's lines: all JSON; the start, progress and result lines name the run (its runId and
    // database: the skipped test below).
    cliLines = jsonLines(cli.out.stdout);
    restoreRun = workflowId;
    assert.ok(cliLines.length >= 3, cli.out.stdout);
    for (const line of cliLines) assert.equal(line.workflowId, workflowId, JSON.stringify(line));
    assert.ok(
      cliLines.some((line) => String(line.message).startsWith('Result:')),
      cli.out.stdout,
    );

    for (const output of [workerOutput, cli.out.stdout, cli.out.stderr]) {
      assert.ok(!output.includes(token), 'the token is in the output');
      for (const pattern of SECRET_PATTERNS) assert.doesNotMatch(output, pattern);
    }
  });

  it("the CLI's JSON lines about the run carry its runId and databaseId too, as the README says", () => {
    assert.ok(cliLines.length >= 3, 'the test above did not run');
    for (const line of cliLines) {
      assert.equal(line.workflowId, restoreRun, JSON.stringify(line));
      assert.match(String(line.runId), /^[0-9a-f-]{36}$/, JSON.stringify(line));
      assert.equal(line.databaseId, DATABASE, JSON.stringify(line));
    }
  });

  it("exports each database's last drill: 1 after a drill that passed, 0 after one that failed, counted by outcome", async () => {
    const { sim, scrape, token } = w!;
    // The backup the restore above waited for is the newest completed one: each drill restores it into a scratch database.
    const drill = async (...extra: string[]) => {
      const workflowId = `drill-${DATABASE}-${randomBytes(4).toString('hex')}`;
      const args = ['drill', '--database-id', DATABASE, '--project', PROJECT, '--workflow-id', workflowId];
      const run = w!.cli(...args, '--poll-initial', '1s', '--poll-max', '1s', ...extra);
      return { workflowId, code: await run.exit, output: `${run.out.stdout}\n${run.out.stderr}` };
    };

    const passed = await drill();
    assert.equal(passed.code, 0, passed.output);
    let text = await scrape();
    assert.equal(sampleValue(text, 'prisma_backup_last_drill_passed', { database_id: DATABASE }), 1, text);
    assert.equal(sampleValue(text, 'prisma_backup_drills_total', { outcome: 'passed' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_drills_total', { outcome: 'failed' }), 0);

    const failed = await drill('--verify-sql', 'SELECT false AS restored_ok');
    assert.equal(failed.code, 1, failed.output);
    text = await scrape();
    assert.equal(sampleValue(text, 'prisma_backup_last_drill_passed', { database_id: DATABASE }), 0, text);
    assert.equal(sampleValue(text, 'prisma_backup_drills_total', { outcome: 'passed' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_drills_total', { outcome: 'failed' }), 1);
    assert.equal(
      sampleValue(text, 'prisma_backup_runs_finished_total', {
        profile: 'prisma',
        kind: 'drill',
        outcome: 'failed',
        reason: 'VerificationFailed',
      }),
      1,
      text,
    );
    // Both scratch databases were deleted, the failed drill's too.
    const created = sim.effects.databasesCreated.map((d) => d.databaseId);
    assert.equal(created.length, 2);
    assert.deepEqual(sim.effects.databasesDeleted.map((d) => d.databaseId).sort(), [...created].sort());
    // The workflow's own line about the drill (no activity's): JSON, naming the run.
    const workerOutput = w!.output();
    const made = jsonLines(workerOutput).filter(
      (line) => line.workflowId === passed.workflowId && line.message === 'Database created from backup',
    );
    assert.equal(made.length, 1, workerOutput);
    assert.equal(made[0].level, 'info');
    assert.equal(made[0].sdkComponent, 'workflow');
    assert.match(String(made[0].runId), /^[0-9a-f-]{36}$/);
    // The line names the run's database, and the scratch database it made apart.
    assert.equal(made[0].databaseId, DATABASE);
    assert.equal(made[0].createdDatabaseId, created[0]);
    assert.ok(!workerOutput.includes(token), 'the token is in the output');
    for (const pattern of SECRET_PATTERNS) {
      assert.doesNotMatch(workerOutput, pattern, 'a connection string of a scratch database is in the worker output');
      assert.doesNotMatch(text, pattern);
    }
  });
});
