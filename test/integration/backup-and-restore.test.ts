// The seed's flow on a real Temporal server against the simulator over HTTP.
import { strict as assert } from 'assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { statusQuery } from '../../src/workflows/messages';
import { temporalBinary } from '../../local-temporal';
import { expectRunFailure } from '../support/expect-failure';
import { currentDetailsOf, FAST_POLL, pendingLook, startHarness, startUnchecked, until, type Harness } from '../support/harness';
import { testTemporalAddress, testNamespace } from '../support/temporal';

describe('backup → poll → restore on a real Temporal server', function () {
  this.timeout(60_000);
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('sends the Arazzo steps and returns their outputs', async () => {
    const handle = await h.start({ databaseId: 'db_demo', backupLabel: 'before-migration', poll: FAST_POLL });
    const result = await handle.result();

    const [create, ...more] = h.requestsFor('createDatabaseBackup');
    assert.equal(more.length, 0);
    assert.equal(create.method, 'POST');
    assert.equal(create.path, '/v1/databases/db_demo/backups');
    assert.equal(create.headers.authorization, `Bearer ${h.token}`);
    assert.match(String(create.headers['content-type']), /^application\/json/);
    assert.deepEqual(create.body, { label: 'before-migration' });
    assert.equal(create.status, 202);
    assert.equal(create.headers['idempotency-key'], `${handle.workflowId}/${handle.firstExecutionRunId}/create-backup`);

    const polls = h.requestsFor('listDatabaseBackups');
    assert.ok(polls.length >= 1);
    for (const poll of polls) {
      assert.equal(poll.method, 'GET');
      assert.equal(poll.path, '/v1/databases/db_demo/backups');
      assert.equal(poll.headers.authorization, `Bearer ${h.token}`);
      assert.equal(poll.status, 200);
    }

    const created = h.sim.effects.backupsCreated;
    assert.equal(created.length, 1);
    const backupId = created[0].id;
    const [restore, ...moreRestores] = h.requestsFor('restoreDatabaseBackup');
    assert.equal(moreRestores.length, 0);
    assert.equal(restore.method, 'POST');
    assert.equal(restore.path, `/v1/databases/db_demo/backups/${backupId}/restore`);
    assert.equal(restore.headers.authorization, `Bearer ${h.token}`);
    assert.equal(restore.body, undefined);
    assert.equal(restore.status, 202);
    assert.equal(restore.headers['idempotency-key'], `${handle.workflowId}/${handle.firstExecutionRunId}/restore`);

    // The seed's outputs: backupId from createBackup, restoreStatus (and message) from restoreBackup.
    assert.equal(result.backupId, backupId);
    assert.equal(result.restoreStatus, 'restoring');
    assert.equal(result.message, `Restoring database db_demo from backup ${backupId}`);
    assert.equal(result.pollsMade, polls.length);
    assert.ok(result.timings.waitedForBackupMs >= 0 && result.timings.totalMs >= result.timings.waitedForBackupMs);

    assert.equal(h.sim.effects.restoresApplied.length, 1);
    assert.equal(h.sim.effects.restoresApplied[0].backupStatusAtRestore, 'completed');

    const status = await handle.query(statusQuery);
    assert.equal(status.phase, 'completed');
    assert.equal(status.backupId, backupId);
    assert.equal(status.backupStatus, 'completed');
    // An ended run says when it ended, so its elapsed time stops there.
    assert.equal(status.endedAt, Date.parse(result.timings.finishedAt));
    assert.equal(status.runStartedAt, (await handle.describe()).startTime.getTime());
  });

  it('waits through pending and in_progress, and is not fooled by a newer automatic backup at data[0]', async () => {
    await h.close();
    // The server fires short timers about once a second, so polls come ~1 s apart.
    h = await startHarness({ simulator: { backupDurationMs: 4000 } });
    const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
    await until(() => h.sim.effects.backupsCreated.length === 1);
    const ours = h.sim.effects.backupsCreated[0];
    const automatic = h.sim.addAutomaticBackup('db_demo', { status: 'completed' });

    // While ours is in progress the query shows the wait, with the next poll and the deadline.
    await until(() => h.requestsFor('listDatabaseBackups').length >= 2);
    const waiting = await handle.query(statusQuery);
    assert.equal(waiting.phase, 'waiting-for-backup');
    assert.equal(waiting.backupId, ours.id);
    assert.ok(waiting.backupStatus === 'pending' || waiting.backupStatus === 'in_progress', waiting.backupStatus);
    assert.ok(waiting.wait && waiting.wait.deadlineAt > Date.now());
    assert.equal(h.sim.effects.restoresApplied.length, 0, 'no restore while our backup is unfinished');

    const outcome = await handle.result().catch((err: Error) => err);
    // Checked on our side first: the API might not refuse a restore from an unfinished backup.
    for (const sent of h.requestsFor('restoreDatabaseBackup'))
      assert.ok(sent.time >= Date.parse(ours.createdAt) + 4000, 'a restore was sent before our backup completed');
    assert.ok(!(outcome instanceof Error), String(outcome));
    const result = outcome;
    assert.equal(result.backupId, ours.id);
    assert.notEqual(result.backupId, automatic.id);
    const [restore] = h.sim.effects.restoresApplied;
    assert.equal(restore.backupId, ours.id);
    assert.equal(restore.backupStatusAtRestore, 'completed');
    assert.ok(restore.at >= Date.parse(ours.createdAt) + 4000, 'restored only after our backup completed');
    assert.ok(result.pollsMade >= 3, `polled ${result.pollsMade} times`);
  });

  it('a failed backup ends the run with BackupFailed and never sends a restore', async () => {
    await h.close();
    h = await startHarness({ simulator: { backupOutcome: 'failed', backupDurationMs: 300 } });
    const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
    const reason = await expectRunFailure(handle, 'BackupFailed');
    assert.match(reason.message, /failed; nothing was restored/);
    assert.equal(h.requestsFor('restoreDatabaseBackup').length, 0);
    assert.equal((await handle.query(statusQuery)).phase, 'failed');
  });

  it('a backup unfinished at the deadline ends with BackupTimedOut and never sends a restore', async () => {
    await h.close();
    h = await startHarness({ simulator: { backupDurationMs: Number.POSITIVE_INFINITY } });
    const handle = await h.start({ databaseId: 'db_demo', poll: { ...FAST_POLL, deadlineMs: 1500 } });
    const reason = await expectRunFailure(handle, 'BackupTimedOut');
    assert.match(
      reason.message,
      /was not completed by its deadline, 1500ms after the wait began; nothing was restored\. The last look: Backup bkp_\w+ of db_demo is (pending|in_progress)/,
    );
    assert.equal(h.requestsFor('restoreDatabaseBackup').length, 0);
  });

  it('a backup that vanishes from the list ends with BackupNotFound and never sends a restore', async () => {
    await h.close();
    h = await startHarness({ simulator: { backupDurationMs: Number.POSITIVE_INFINITY } });
    const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
    await until(() => h.requestsFor('listDatabaseBackups').length >= 1);
    h.sim.reset(); // the database is back, without any backup
    const reason = await expectRunFailure(handle, 'BackupNotFound');
    assert.match(reason.message, /was missing from 10 looks in a row at the backup list of db_demo; nothing was restored/);
    assert.equal(h.requestsFor('restoreDatabaseBackup').length, 0);
  });

  it('cancelling while waiting ends the run as cancelled, without a restore', async () => {
    await h.close();
    h = await startHarness({ simulator: { backupDurationMs: 3000 } });
    const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
    await until(() => h.requestsFor('listDatabaseBackups').length >= 1);
    await handle.cancel();
    await expectRunFailure(handle, 'Cancelled');
    assert.equal((await handle.query(statusQuery)).phase, 'cancelled');
    await new Promise((r) => setTimeout(r, 3500)); // past the backup's completion
    assert.equal(h.requestsFor('restoreDatabaseBackup').length, 0);
  });

  it('rejects bad input inside the workflow before any request', async () => {
    const handle = await startUnchecked(h, { profile: 'seed', databaseId: '../db_demo' });
    const reason = await expectRunFailure(handle, 'InvalidInput');
    assert.match(reason.message, /databaseId is not a database id/);
    assert.equal(h.sim.requests.length, 0);
  });

  it('shows failing looks (the last error, when it gives up) on the pending activity, and goes on once a look is answered', async () => {
    h.sim.faults.add({ operation: 'listDatabaseBackups', kind: 'status', status: 503, times: Infinity });
    const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
    let pending = await pendingLook(handle);
    for (
      const end = Date.now() + 20_000;
      !/failed/.test(pending?.lastLook ?? '') && Date.now() < end;
      pending = await pendingLook(handle)
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(
      pending?.lastLook ?? '',
      /^Look \d+ at Backup bkp_\w+ of db_demo failed \(failing since .*; gives up at .*\): GET databases\/db_demo\/backups answered 503/,
    );
    assert.ok(!pending!.lastLook!.includes(h.token));
    assert.equal((await handle.query(statusQuery)).phase, 'waiting-for-backup');
    assert.match(
      await currentDetailsOf(handle),
      /Wait for backup bkp_\w+ of db_demo to complete\. Each look is an attempt of the pending activity/,
    );
    h.sim.faults.clear();
    assert.equal((await handle.result()).restoreStatus, 'restoring');
  });

  it('looks failing for poll.failingLimitMs end the run with PollFailing, naming the cause, and never send a restore', async () => {
    h.sim.faults.add({ operation: 'listDatabaseBackups', kind: 'status', status: 503, times: Infinity });
    const handle = await h.start({ databaseId: 'db_demo', poll: { ...FAST_POLL, failingLimitMs: 1000 } });
    const reason = await expectRunFailure(handle, 'PollFailing');
    assert.match(
      reason.message,
      /^Looks at Backup bkp_\w+ of db_demo have failed since .* \(over 1s\); the last error: GET databases\/db_demo\/backups answered 503/,
    );
    assert.ok(!reason.message.includes(h.token));
    assert.equal(h.requestsFor('restoreDatabaseBackup').length, 0);
    const status = await handle.query(statusQuery);
    assert.equal(status.phase, 'failed');
    assert.ok(status.endedAt !== undefined);
  });

  it('honours Retry-After on 429', async () => {
    h.sim.faults.add({ operation: 'createDatabaseBackup', kind: 'status', status: 429, retryAfterSeconds: 2 });
    const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
    await handle.result();
    const [limited, accepted, ...rest] = h.requestsFor('createDatabaseBackup');
    assert.equal(rest.length, 0);
    assert.equal(limited.status, 429);
    assert.equal(accepted.status, 202);
    const gap = accepted.time - limited.time;
    // The retry policy alone would retry after 1 s.
    assert.ok(gap >= 2000, `retried after ${gap} ms, before Retry-After's 2 s`);
    assert.equal(h.sim.effects.backupsCreated.length, 1);
  });

  it('retries 5xx answers and still applies one backup and one restore', async () => {
    h.sim.faults.add({ operation: 'createDatabaseBackup', kind: 'status', status: 500 });
    h.sim.faults.add({ operation: 'listDatabaseBackups', kind: 'status', status: 503, times: 2 });
    h.sim.faults.add({ operation: 'restoreDatabaseBackup', kind: 'status', status: 500 });
    const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
    const result = await handle.result();
    assert.equal(result.restoreStatus, 'restoring');
    assert.deepEqual(
      h.requestsFor('createDatabaseBackup').map((r) => r.status),
      [500, 202],
    );
    assert.deepEqual(
      h.requestsFor('restoreDatabaseBackup').map((r) => r.status),
      [500, 202],
    );
    assert.equal(h.sim.effects.backupsCreated.length, 1);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
  });

  it('a reset after the backup POST was applied is retried with the same Idempotency-Key: one backup', async () => {
    h.sim.faults.add({ operation: 'createDatabaseBackup', kind: 'reset-after' });
    const result = await (await h.start({ databaseId: 'db_demo', poll: FAST_POLL })).result();
    const creates = h.requestsFor('createDatabaseBackup');
    assert.equal(creates.length, 2);
    assert.equal(creates[0].headers['idempotency-key'], creates[1].headers['idempotency-key']);
    assert.equal(h.sim.effects.backupsCreated.length, 1);
    assert.equal(result.backupId, h.sim.effects.backupsCreated[0].id);
  });

  it('without declared Idempotency-Key support, a restore whose answer was lost ends with RestoreOutcomeUnknown and is never sent twice', async () => {
    await h.close();
    h = await startHarness({ simulator: { honourIdempotencyKeys: false } });
    h.sim.faults.add({ operation: 'restoreDatabaseBackup', kind: 'reset-after' });
    const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
    const reason = await expectRunFailure(handle, 'RestoreOutcomeUnknown');
    assert.match(reason.message, /may or may not have been applied.*PRISMA_API_IDEMPOTENCY_KEYS=honoured/);
    assert.equal(h.requestsFor('restoreDatabaseBackup').length, 1);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
  });

  it('without declared Idempotency-Key support, a worker that goes away mid-restore ends with RestoreOutcomeUnknown, never a second request', async () => {
    await h.close();
    h = await startHarness({ simulator: { honourIdempotencyKeys: false } });
    h.sim.faults.add({ operation: 'restoreDatabaseBackup', kind: 'delay', ms: 2_000 });
    const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
    await until(() => h.requestsFor('restoreDatabaseBackup').length === 1);
    await h.restartWorker();
    const reason = await expectRunFailure(handle, 'RestoreOutcomeUnknown');
    assert.match(reason.message, /may or may not have been applied; nothing was sent again/);
    assert.equal(h.requestsFor('restoreDatabaseBackup').length, 1);
    // The request the worker left behind still reaches the API: one restore.
    await until(() => h.sim.effects.restoresApplied.length === 1);
  });

  it('backs up without restoring when restore is false', async () => {
    const result = await (await h.start({ databaseId: 'db_demo', restore: false, poll: FAST_POLL })).result();
    assert.equal(result.restoreStatus, 'skipped');
    assert.equal(h.requestsFor('restoreDatabaseBackup').length, 0);
  });

  it('an unknown database fails fast with DatabaseNotFound', async () => {
    const handle = await h.start({ databaseId: 'db_missing', poll: FAST_POLL });
    const reason = await expectRunFailure(handle, 'DatabaseNotFound');
    assert.match(reason.message, /POST databases\/db_missing\/backups answered 404/);
    assert.equal(h.requestsFor('createDatabaseBackup').length, 1, 'not retried');
  });
});

describe('the API token', function () {
  this.timeout(60_000);
  const execFileAsync = promisify(execFile);

  it('a wrong token fails fast with Unauthorized, a message that says what to do, and no token anywhere', async () => {
    const wrongToken = 'tok_wrong_0123456789abcdef';
    const h = await startHarness({ workerToken: wrongToken });
    try {
      const handle = await h.start({ databaseId: 'db_demo', poll: FAST_POLL });
      const reason = await expectRunFailure(handle, 'Unauthorized');
      assert.match(reason.message, /answered 401/);
      assert.match(reason.message, /PRISMA_API_TOKEN/);
      assert.ok(!reason.message.includes(wrongToken) && !reason.message.includes(h.token));
      assert.equal(h.requestsFor('createDatabaseBackup').length, 1, 'not retried');
      const history = JSON.stringify(await handle.fetchHistory());
      assert.ok(!history.includes(wrongToken) && !history.includes(h.token));
    } finally {
      await h.close();
    }
  });

  it('is absent from the history that `temporal workflow show -o json` exports', async () => {
    const h = await startHarness();
    try {
      const handle = await h.start({ databaseId: 'db_demo', backupLabel: 'nightly', poll: FAST_POLL });
      await handle.result();
      const cli = temporalBinary('temporal');
      const { stdout } = await execFileAsync(
        cli,
        [
          'workflow',
          'show',
          '--workflow-id',
          handle.workflowId,
          '--output',
          'json',
          '--address',
          testTemporalAddress(),
          '--namespace',
          testNamespace(),
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      const events = JSON.parse(stdout).events as unknown[];
      assert.ok(events.length > 10, 'the export holds the whole history');
      assert.match(JSON.stringify(events.at(-1)), /WORKFLOW_EXECUTION_COMPLETED/);
      assert.ok(!stdout.includes(h.token), 'token found in the exported history');
      assert.ok(h.requestsFor('restoreDatabaseBackup').every((r) => r.headers.authorization === `Bearer ${h.token}`));
    } finally {
      await h.close();
    }
  });
});
