// Continue-as-new on a dedicated dev server that suggests it after 20 history events.
import { strict as assert } from 'assert';
import { statusQuery } from '../../src/workflows/messages';
import { runDetails, runSummary } from '../../src/workflows/run-summary';
import { startHarness, type Harness } from '../support/harness';
import { continueAsNewTemporal } from '../support/temporal';

describe('continue-as-new', function () {
  this.timeout(120_000);
  let temporal: Awaited<ReturnType<typeof continueAsNewTemporal>>;
  let h: Harness;

  before(async () => {
    temporal = await continueAsNewTemporal();
    h = await startHarness({ simulator: { backupDurationMs: 9_000 }, temporal });
  });

  after(async () => {
    await h?.close();
    await temporal?.close();
  });

  it('carries the state into new runs, keeps the summary and details in view, and still applies exactly one backup and one restore', async () => {
    const input = { databaseId: 'db_demo', poll: { initialIntervalMs: 100, maximumIntervalMs: 100 } };
    const handle = await h.start(input);
    const result = await handle.result();
    assert.ok(result.continuedAsNew >= 1, `continued as new ${result.continuedAsNew} times`);
    assert.equal(h.sim.effects.backupsCreated.length, 1);
    assert.equal(h.requestsFor('createDatabaseBackup').length, 1);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
    assert.equal(result.backupId, h.sim.effects.backupsCreated[0].id);
    assert.equal(result.pollsMade, h.requestsFor('listDatabaseBackups').length, 'poll count carried across runs');

    // The last run is a continuation of the first: same workflow id, another run id.
    const description = await handle.describe();
    assert.notEqual(description.runId, handle.firstExecutionRunId);
    // The server keeps the summary and details the client set at start on the first run only; the
    // continuation repeats them in its current details (the Web UI's User Metadata tab).
    const first = await h.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    assert.equal(await first.staticSummary(), runSummary(input));
    assert.equal(await description.staticSummary(), undefined);
    const { currentDetails } = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    assert.equal(
      currentDetails,
      `**${runSummary(input)}** (continued as new ${result.continuedAsNew}×)\n\n${runDetails(input)}`,
      'the summary and details, once the wait is over',
    );
    // Elapsed time counts from the first run's start.
    const status = await handle.query(statusQuery);
    assert.equal(status.runStartedAt, first.startTime.getTime());
    assert.equal(status.continuedAsNew, result.continuedAsNew);
    // The restore's Idempotency-Key still names the first run, so a retry could never restore twice.
    const [restore] = h.requestsFor('restoreDatabaseBackup');
    assert.equal(restore.headers['idempotency-key'], `${handle.workflowId}/${handle.firstExecutionRunId}/restore`);
  });

  it('a prisma run waiting for its database carries the restore into new runs: one request, one restore, ready', async () => {
    const p = await startHarness({ profile: 'prisma', simulator: { recoveryMs: 8_000 }, temporal });
    try {
      const backup = p.sim.addBackup('db_demo', { createdAt: new Date(Date.now() - 3_600_000) });
      const handle = await p.start({ profile: 'prisma', databaseId: 'db_demo', poll: { initialIntervalMs: 100, maximumIntervalMs: 100 } });
      const result = await handle.result();
      assert.ok(result.continuedAsNew >= 1, `continued as new ${result.continuedAsNew} times`);
      assert.equal(result.backupId, backup.id);
      assert.equal(result.restoreStatus, 'ready');
      assert.equal(result.restoreRequestsSent, 1);
      assert.equal(p.requestsFor('postV1DatabasesByTargetDatabaseIdRestore').length, 1);
      assert.equal(p.sim.effects.restoresApplied.length, 1);
      // Carried: when the backup was chosen, so the result still says how old it was then.
      assert.ok(Date.parse(result.timings.backupCompletedAt) < p.sim.effects.restoresApplied[0].at);
      assert.ok(result.backupAgeMs! >= 3_600_000 && result.backupAgeMs! < 3_660_000);
      assert.notEqual((await handle.describe()).runId, handle.firstExecutionRunId);
    } finally {
      await p.close();
    }
  });
});
