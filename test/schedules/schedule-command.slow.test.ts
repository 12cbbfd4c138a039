// Schedules whose runs go to a worker and the simulator: what `schedule check` says of a run that
// completed, of a failed one (a backup-only schedule keeps going; one that restores pauses), and a
// scheduled restore that waits for `approve`. Runs are triggered as `temporal schedule trigger`
// does: under the schedule's overlap policy, SKIP (the client's trigger() alone would allow all,
// and Temporal then does not follow the run's outcome: no pause on failure, no status).
import { strict as assert } from 'assert';
import type { RunResult } from '../../src/shared/types';
import { EXIT } from '../../src/cli/context';
import { statusQuery } from '../../src/workflows/messages';
import { expectRunFailure } from '../support/expect-failure';
import { startHarness, uniqueId, type Harness } from '../support/harness';
import { cli as runCli } from '../support/cli';
import { describeWhenIdle, eventually, expectScheduleKeptGoing, sleep, triggerSchedule } from '../support/eventually';
import { ok, scheduleCleanup } from './schedule-support';

const FAST = ['--poll-initial', '100ms', '--poll-max', '200ms', '--deadline', '1m', '--poll-mode', 'backoff'];

describe('schedules with runs on a worker', function () {
  this.timeout(120_000);
  let harness: Harness;
  const cleanup = scheduleCleanup(() => harness.client);
  const cli = (...args: string[]) => runCli({ client: harness.client, taskQueue: harness.taskQueue }, 'schedule', ...args);

  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(async () => {
    await cleanup.clean();
    await harness.close();
  });

  it('a triggered run completes: backup only, and check counts it as the last completed run', async () => {
    const id = `test-e2e-${uniqueId('e').slice(2)}`;
    cleanup.created.add(id);
    ok(await cli('create', id, '--database-id', 'db_demo', '--cron', '0 3 * * *', ...FAST));
    const workflowId = await triggerSchedule(harness.client, id);
    const result = (await harness.client.workflow.getHandle(workflowId).result()) as RunResult;
    assert.equal(result.restoreStatus, 'skipped');
    assert.equal(harness.requestsFor('createDatabaseBackup').length, 1);
    assert.equal(harness.requestsFor('restoreDatabaseBackup').length, 0);
    const described = await describeWhenIdle(harness.client, id);
    assert.equal(described.info.runningActions.length, 0);
    const closed = (await harness.client.workflow.getHandle(workflowId).describe()).closeTime!;
    const check = JSON.parse(ok(await cli('check', id, '--json')).out[0]);
    assert.deepEqual(check, { scheduleId: id, healthy: true, problems: [], lastSuccess: closed.toISOString() });
  });

  it('a scheduled restore waits for approval, which takes the target database id, then restores', async () => {
    const id = `test-restore-${uniqueId('r').slice(2)}`;
    cleanup.created.add(id);
    ok(
      await cli(
        'create',
        id,
        '--database-id',
        'db_demo',
        '--cron',
        '0 3 * * *',
        '--with-restore',
        '--confirm',
        'db_demo',
        '--approval-timeout',
        '5m',
        ...FAST,
      ),
    );
    const workflowId = await triggerSchedule(harness.client, id);
    const handle = harness.client.workflow.getHandle(workflowId);
    const waiting = await eventually(async () => {
      const status = await handle.query(statusQuery);
      assert.equal(status.phase, 'awaiting-approval');
      return status;
    });
    assert.equal(harness.requestsFor('restoreDatabaseBackup').length, 0);
    // Approving a scheduled run takes the target database's id, as creating the schedule did.
    const approve = (...args: string[]) =>
      runCli({ client: harness.client, taskQueue: harness.taskQueue }, 'approve', workflowId, '--backup-id', waiting.backupId!, ...args);
    const unconfirmed = await approve();
    assert.equal(unconfirmed.code, EXIT.usage);
    assert.match(unconfirmed.text, /This replaces all data of db_demo, and nothing confirmed it; nothing was approved\./);
    ok(await approve('--confirm', 'db_demo'));
    const result = (await handle.result()) as RunResult;
    assert.equal(result.restoreStatus, 'restoring');
    assert.equal(harness.requestsFor('restoreDatabaseBackup').length, 1);
  });

  it('a failed run of a backup-only schedule: it keeps going; check says so until a run completes', async () => {
    const id = `test-fail-${uniqueId('f').slice(2)}`;
    cleanup.created.add(id);
    ok(await cli('create', id, '--database-id', 'db_demo', '--cron', '0 3 * * *', ...FAST));
    // The API answers the first backup request 404: that run fails with DatabaseNotFound.
    harness.sim.faults.add({ operation: 'createDatabaseBackup', kind: 'status', status: 404 });
    const failed = await triggerSchedule(harness.client, id);
    await expectRunFailure(harness.client.workflow.getHandle(failed), 'DatabaseNotFound');
    await expectScheduleKeptGoing(harness.client, id, 'backup');

    const check = await cli('check', id);
    assert.equal(check.code, EXIT.failed, check.text);
    assert.match(check.out[0], new RegExp(`^${id}: UNHEALTHY: its last ended run failed \\(last completed run ended \\S+Z\\)$`));
    const checkJson = JSON.parse((await cli('check', id, '--json')).out[0]);
    assert.equal(checkJson.healthy, false);
    assert.deepEqual(checkJson.problems, ['its last ended run failed']);

    // The next run completes: the failure is cleared. (A triggered run is named by the second it starts in.)
    await sleep(1000 - (Date.now() % 1000) + 50);
    const later = await triggerSchedule(harness.client, id);
    assert.notEqual(later, failed);
    await harness.client.workflow.getHandle(later).result();
    await describeWhenIdle(harness.client, id);
    const healthy = await cli('check', id);
    assert.equal(healthy.code, EXIT.ok, healthy.text);
    const closed = (await harness.client.workflow.getHandle(later).describe()).closeTime!;
    assert.equal(healthy.out[0], `${id}: healthy (last completed run ended ${closed.toISOString()})`);
  });

  it('a failed run of a schedule that restores pauses it, so no further restore runs; check says why', async () => {
    const id = `test-fail-restore-${uniqueId('f').slice(2)}`;
    cleanup.created.add(id);
    ok(
      await cli(
        'create',
        id,
        '--database-id',
        'db_not_in_the_simulator',
        '--cron',
        '0 3 * * *',
        '--with-restore',
        '--confirm',
        'db_not_in_the_simulator',
        '--no-approval',
        ...FAST,
      ),
    );
    const workflowId = await triggerSchedule(harness.client, id);
    await expectRunFailure(harness.client.workflow.getHandle(workflowId), 'DatabaseNotFound');
    const paused = await eventually(async () => {
      const d = await harness.client.schedule.getHandle(id).describe();
      assert.equal(d.state.paused, true);
      return d;
    });
    assert.ok(paused.state.note, 'Temporal says why it paused the schedule');
    const check = await cli('check', id, '--json');
    assert.equal(check.code, EXIT.failed);
    assert.deepEqual(JSON.parse(check.out[0]).problems, [`paused (${paused.state.note})`, 'its last ended run failed']);
  });
});
