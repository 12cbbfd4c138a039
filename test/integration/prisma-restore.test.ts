// The prisma profile's flow on a real Temporal server against the simulator's prisma profile over
// HTTP: choose a backup, restore it (at most once) or create a database from it, wait until ready.
import { strict as assert } from 'assert';
import { PHASE_KEY } from '../../src/shared/constants';
import type { RunInput } from '../../src/shared/input';
import { approveRestoreUpdate, statusQuery } from '../../src/workflows/messages';
import type { PrismaSimulator, PrismaSimulatorOptions } from '../../simulator';
import { expectRunFailure } from '../support/expect-failure';
import {
  currentDetailsOf,
  FAST_POLL,
  pendingLook,
  startHarness,
  startUnchecked,
  until,
  untilStatus,
  type Harness,
} from '../support/harness';

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms);
const RESTORE = 'postV1DatabasesByTargetDatabaseIdRestore';

const prisma = (input: Partial<RunInput> = {}): RunInput => ({
  profile: 'prisma',
  databaseId: 'db_demo',
  poll: FAST_POLL,
  ...input,
});

/** Restore requests the run sent (the test's own carry an x-by header). */
const runRestores = (h: Harness<PrismaSimulator>) => h.requestsFor(RESTORE).filter((r) => r.headers['x-by'] !== 'test');

/** Something other than the run restores a database, straight through the API. */
async function restoreDirectly(h: Harness<PrismaSimulator>, target: string, backupId: string): Promise<void> {
  const res = await fetch(`${h.sim.url}/databases/${target}/restore`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json', 'x-by': 'test' },
    body: JSON.stringify({ source: { type: 'backup', databaseId: 'db_demo', backupId } }),
  });
  assert.equal(res.status, 200, await res.text());
}

describe('prisma profile: restore from an automatic backup on a real Temporal server', function () {
  this.timeout(60_000);
  let h: Harness<PrismaSimulator>;
  const restart = async (simulator: Partial<PrismaSimulatorOptions>) => {
    await h.close();
    h = await startHarness({ profile: 'prisma', simulator });
  };
  beforeEach(async () => {
    h = await startHarness({ profile: 'prisma' });
  });
  afterEach(async () => {
    await h.close();
  });

  it('restores the newest completed backup, skipping running, failed, unknown and older ones, says which and how old, and waits until ready', async () => {
    h.sim.addBackup('db_demo', { createdAt: ago(26 * HOUR) });
    const newest = h.sim.addBackup('db_demo', { createdAt: ago(2 * HOUR) });
    h.sim.addBackup('db_demo', { status: 'running', createdAt: ago(HOUR / 6) });
    h.sim.addBackup('db_demo', { status: 'failed', createdAt: ago(HOUR) });
    h.sim.addBackup('db_demo', { status: 'unknown', createdAt: ago(HOUR / 2) });
    const handle = await h.start(prisma());
    const outcome = await handle.result().catch((err: Error) => err);
    // Checked on our side first: the API might not refuse a restore from an unfinished backup.
    for (const sent of runRestores(h)) assert.equal((sent.body as { source: { backupId: string } }).source.backupId, newest.id);
    assert.ok(!(outcome instanceof Error), String(outcome));
    const result = outcome;

    assert.equal(result.profile, 'prisma');
    assert.equal(result.backupId, newest.id);
    assert.equal(result.backupCreatedAt, newest.createdAt);
    assert.ok(result.backupAgeMs! >= 2 * HOUR && result.backupAgeMs! < 2 * HOUR + 60_000, `age ${result.backupAgeMs}`);
    assert.equal(result.restoreStatus, 'ready');
    assert.equal(result.targetDatabaseId, 'db_demo');
    assert.equal(result.createdDatabaseId, undefined);
    assert.equal(result.restoreRequestsSent, 1);
    assert.match(
      result.message,
      new RegExp(
        `^Restored db_demo from backup ${newest.id} of db_demo, taken at ${newest.createdAt} \\(2h\\S* old when chosen\\); ready at `,
      ),
    );

    const [post, ...more] = runRestores(h);
    assert.equal(more.length, 0);
    assert.equal(post.path, '/v1/databases/db_demo/restore');
    assert.equal(post.headers.authorization, `Bearer ${h.token}`);
    assert.deepEqual(post.body, { source: { type: 'backup', databaseId: 'db_demo', backupId: newest.id } });
    assert.equal(post.status, 200);
    // The target was read before anything was sent.
    assert.ok(h.requestsFor('getV1DatabasesByDatabaseId')[0].seq < post.seq);

    const [applied, ...moreApplied] = h.sim.effects.restoresApplied;
    assert.equal(moreApplied.length, 0);
    assert.deepEqual([applied.databaseId, applied.sourceDatabaseId, applied.backupId], ['db_demo', 'db_demo', newest.id]);
    assert.ok(Date.parse(result.timings.databaseReadyAt!) >= applied.at + 500, 'ready only after the recovery');

    const status = await handle.query(statusQuery);
    assert.equal(status.phase, 'completed');
    assert.equal(status.profile, 'prisma');
    assert.equal(status.restoreStep, 'applied');
    assert.equal(result.pollsMade, 1, 'one look found the completed backup');
    assert.ok(result.timings.readyWaitMs! >= 500, 'the wait until ready is measured from the accepted request');
    const history = JSON.stringify(await handle.fetchHistory());
    assert.ok(!history.includes(h.token), 'the token is not in the history');
  });

  it('shows restoring, then waiting-for-database, in the status, the current details and the BackupPhase attribute', async () => {
    await restart({ recoveryMs: 4_000 });
    const backup = h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    const handle = await h.start(prisma());
    const waiting = await untilStatus(handle, (s) => s.phase === 'waiting-for-database');
    assert.equal(waiting.targetDatabaseId, 'db_demo');
    assert.equal(waiting.backupId, backup.id);
    assert.equal(waiting.restoreAttempts, 1);
    assert.ok(waiting.wait!.deadlineAt > Date.now());
    assert.match(await currentDetailsOf(handle), /Wait for db_demo to be ready\. Each look is an attempt of the pending activity below/);
    let look = await pendingLook(handle);
    for (const end = Date.now() + 10_000; !look?.lastLook && Date.now() < end; look = await pendingLook(handle))
      await new Promise((r) => setTimeout(r, 200));
    assert.match(look!.lastLook!, new RegExp(`^db_demo is recovering \\(from backup ${backup.id} of db_demo\\)`));
    assert.equal((await handle.describe()).typedSearchAttributes.get(PHASE_KEY), 'waiting-for-database');
    assert.equal((await handle.result()).restoreStatus, 'ready');
  });

  it('restores a named backup', async () => {
    const named = h.sim.addBackup('db_demo', { createdAt: ago(30 * HOUR) });
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    const result = await (await h.start(prisma({ backupId: named.id }))).result();
    assert.equal(result.backupId, named.id);
    assert.equal(h.sim.effects.restoresApplied[0].backupId, named.id);
  });

  it('waits for a running backup and restores it only once it is completed', async () => {
    const running = h.sim.addBackup('db_demo', { status: 'running' });
    const handle = await h.start(prisma({ backupId: running.id }));
    await untilStatus(handle, (s) => s.phase === 'waiting-for-backup');
    await until(() => h.requestsFor('getV1DatabasesByDatabaseIdBackups').length >= 1);
    assert.match((await pendingLook(handle))?.lastLook ?? '', new RegExp(`^Backup ${running.id} of db_demo is running`));
    assert.equal(runRestores(h).length, 0, 'nothing restored from a running backup');
    h.sim.finishBackup(running.id, 'completed');
    const finishedAt = Date.now();
    const result = await handle.result();
    assert.equal(result.backupId, running.id);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
    assert.ok(h.sim.effects.restoresApplied[0].at >= finishedAt);
  });

  it('a running backup that fails ends the run with BackupFailed and restores nothing', async () => {
    const running = h.sim.addBackup('db_demo', { status: 'running' });
    const handle = await h.start(prisma({ backupId: running.id }));
    await until(() => h.requestsFor('getV1DatabasesByDatabaseIdBackups').length >= 1);
    h.sim.finishBackup(running.id, 'failed');
    const reason = await expectRunFailure(handle, 'BackupFailed');
    assert.match(reason.message, new RegExp(`Backup ${running.id} of database db_demo failed; nothing was restored`));
    assert.equal(runRestores(h).length, 0);
  });

  it("waitForNewerBackup waits, under the deadline, for a backup newer than the run's start", async () => {
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    const handle = await h.start(prisma({ waitForNewerBackup: true }));
    const waiting = await untilStatus(handle, (s) => s.phase === 'waiting-for-backup');
    await until(() => h.requestsFor('getV1DatabasesByDatabaseIdBackups').length >= 1);
    assert.equal(waiting.backupId, undefined);
    assert.match((await pendingLook(handle))?.lastLook ?? '', /^No backup of db_demo newer than \S+ is listed yet/);
    assert.equal(runRestores(h).length, 0);
    const next = h.sim.addBackup('db_demo');
    const result = await handle.result();
    assert.equal(result.backupId, next.id);
    assert.equal(h.sim.effects.restoresApplied[0].backupId, next.id);
  });

  it('with no newer backup by the deadline, ends with BackupTimedOut and restores nothing', async () => {
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    const handle = await h.start(prisma({ waitForNewerBackup: true, poll: { ...FAST_POLL, deadlineMs: 1_500 } }));
    const reason = await expectRunFailure(handle, 'BackupTimedOut');
    assert.match(
      reason.message,
      /^No completed a backup newer than the run of db_demo within 1500ms; nothing was restored\..* The last look: No backup of db_demo newer than/,
    );
    assert.equal(runRestores(h).length, 0);
  });

  it('restores into another database, leaving the source alone', async () => {
    await restart({ databases: ['db_demo', 'db_other'] });
    const backup = h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    const result = await (await h.start(prisma({ targetDatabaseId: 'db_other' }))).result();
    assert.equal(result.targetDatabaseId, 'db_other');
    const [post] = runRestores(h);
    assert.equal(post.path, '/v1/databases/db_other/restore');
    assert.deepEqual(
      h.sim.effects.restoresApplied.map((r) => [r.databaseId, r.sourceDatabaseId, r.backupId]),
      [['db_other', 'db_demo', backup.id]],
    );
  });

  it('creates a new database from the backup, touching nothing that exists, and returns its id, never a connection string', async () => {
    const backup = h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    const handle = await h.start(prisma({ newDatabase: { projectId: 'proj_demo' } }));
    const result = await handle.result();
    const [created, ...more] = h.sim.effects.databasesCreated;
    assert.equal(more.length, 0);
    assert.equal(result.createdDatabaseId, created.databaseId);
    assert.deepEqual(created.source, { type: 'backup', databaseId: 'db_demo', backupId: backup.id });
    assert.equal(result.targetDatabaseId, undefined);
    assert.equal(result.restoreRequestsSent, 0);
    assert.equal(h.requestsFor(RESTORE).length, 0);
    assert.equal(h.sim.effects.restoresApplied.length, 0);
    const [create] = h.requestsFor('postV1Databases');
    assert.equal((create.body as { name: string }).name, `${handle.workflowId}-${handle.firstExecutionRunId.slice(0, 8)}`);
    assert.ok(h.requestsFor('getV1ProjectsByProjectIdDatabases')[0].seq < create.seq, 'looked for it by name first');
    assert.match(result.message, new RegExp(`^Created database ${created.databaseId} in project proj_demo from backup ${backup.id}`));
    const history = JSON.stringify(await handle.fetchHistory());
    assert.ok(!/postgres(ql)?:\/\//.test(history) && !/"connectionString"/.test(history), 'no connection string in history');
  });

  it('a restore that ends in failure fails the run with RestoreFailed', async () => {
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    h.sim.failRestores();
    const handle = await h.start(prisma());
    const reason = await expectRunFailure(handle, 'RestoreFailed');
    assert.match(reason.message, /^db_demo, restored from backup \w+ of db_demo, ended in status failure: it is not usable/);
    assert.equal(runRestores(h).length, 1);
    assert.equal((await handle.query(statusQuery)).phase, 'failed');
  });

  it('waits, sending nothing, while the target is busy before the first request, then restores once', async () => {
    await restart({ recoveryMs: 3_000 });
    const other = h.sim.addBackup('db_demo', { createdAt: ago(2 * HOUR) });
    const ours = h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    await restoreDirectly(h, 'db_demo', other.id);
    const handle = await h.start(prisma({ backupId: ours.id }));
    await untilStatus(handle, (s) => s.phase === 'restoring' && s.restoreStep === 'check');
    await until(() => h.requestsFor('getV1DatabasesByDatabaseId').length >= 1);
    assert.equal(runRestores(h).length, 0);
    assert.match(await currentDetailsOf(handle), /nothing is sent while it is provisioning or recovering/);
    let look = await pendingLook(handle);
    for (const end = Date.now() + 10_000; !look?.lastLook && Date.now() < end; look = await pendingLook(handle))
      await new Promise((r) => setTimeout(r, 200));
    assert.match(look!.lastLook!, /^db_demo is recovering .*: nothing is sent while it is busy/);
    const result = await handle.result();
    assert.equal(result.restoreRequestsSent, 1);
    const [post] = runRestores(h);
    assert.equal(post.status, 200);
    assert.deepEqual(
      h.sim.effects.restoresApplied.map((r) => r.backupId),
      [other.id, ours.id],
    );
  });

  it('cancelled while it waits for a busy target, before anything was sent: cancelled, and nothing is ever sent', async () => {
    await restart({ recoveryMs: 4_000 });
    const other = h.sim.addBackup('db_demo', { createdAt: ago(2 * HOUR) });
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    await restoreDirectly(h, 'db_demo', other.id);
    const handle = await h.start(prisma());
    await untilStatus(handle, (s) => s.restoreStep === 'check');
    await until(() => h.requestsFor('getV1DatabasesByDatabaseId').length >= 1);
    await handle.cancel();
    await expectRunFailure(handle, 'Cancelled');
    assert.equal((await handle.query(statusQuery)).phase, 'cancelled');
    assert.equal(runRestores(h).length, 0);
  });

  it('a 409 is never answered with a second request: the target restored from another source is a RestoreConflict', async () => {
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    h.sim.faults.add({ operation: RESTORE, kind: 'status', status: 409 });
    const handle = await h.start(prisma());
    const reason = await expectRunFailure(handle, 'RestoreConflict');
    assert.match(
      reason.message,
      /^DATABASE_RESTORE_CONFLICT: the restore of db_demo from backup \w+ of db_demo was refused \(409\) as the target was busy with something else; nothing was sent twice/,
    );
    assert.equal(runRestores(h).length, 1);
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });

  it('a 409 while something else restores the target from our backup: waits, reads it back, and counts it restored', async () => {
    // Our request is held until another restore from the same backup has started, and still runs.
    await restart({ recoveryMs: 5_000 });
    const ours = h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    h.sim.faults.add({ operation: RESTORE, kind: 'delay', ms: 2_000 });
    const handle = await h.start(prisma());
    await until(() => runRestores(h).length === 1);
    await restoreDirectly(h, 'db_demo', ours.id);
    const result = await handle.result();
    assert.equal(runRestores(h)[0].status, 409);
    assert.equal(runRestores(h).length, 1, 'no second request');
    assert.equal(result.restoreRequestsSent, 1);
    assert.equal(result.restoreStatus, 'ready');
    assert.equal(h.sim.effects.restoresApplied.length, 1, 'only the other restore applied');
  });

  it('an answer lost after the restore was applied (reset-after): read back, exactly one restore applied', async () => {
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    h.sim.faults.add({ operation: RESTORE, kind: 'reset-after' });
    const result = await (await h.start(prisma())).result();
    assert.equal(result.restoreStatus, 'ready');
    assert.equal(result.restoreRequestsSent, 1);
    assert.equal(runRestores(h).length, 1);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
    // Nobody knows when the recovery began: no sample for later runs' predictions.
    assert.equal(result.timings.readyWaitMs, undefined);
  });

  // The at-most-once guarantee under a held request (README "Guarantees"): the API holds the first
  // request 15 s (received, not processed), the worker dies 1 s in; its successor reads the target
  // back from about 11 s, sees it ready from another source, and must not send again before the
  // held request applies.
  const HOLD_MS = 15_000;
  async function heldRequest(holdWindowMs?: number) {
    const older = h.sim.addBackup('db_demo', { createdAt: ago(2 * HOUR) });
    await restoreDirectly(h, 'db_demo', older.id);
    await until(() => h.sim.effects.restoresApplied.length === 1);
    await new Promise((r) => setTimeout(r, 800)); // the target is ready again, from the older backup
    const ours = h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    h.sim.faults.add({ operation: RESTORE, kind: 'delay', ms: HOLD_MS });
    const handle = await h.start(prisma({ backupId: ours.id, ...(holdWindowMs ? { holdWindowMs } : {}) }));
    await until(() => runRestores(h).length === 1);
    await new Promise((r) => setTimeout(r, 1_000));
    await h.restartWorker();
    const result = await handle.result();
    // The held request answered, so applied if it ever will be.
    await until(() => runRestores(h).every((r) => r.fault !== 'delay' || r.status !== undefined), HOLD_MS + 10_000);
    return { result, applied: h.sim.effects.restoresApplied.filter((r) => r.backupId === ours.id).length };
  }

  it('a request the API holds longer than the read-back, its worker killed during the hold: never applied twice', async function () {
    this.timeout(90_000);
    const { result, applied } = await heldRequest();
    assert.equal(applied, 1);
    assert.equal(result.restoreRequestsSent, 1);
    assert.equal(result.resentAfterHoldWindow, undefined);
  });

  it('(negative control) the same hold against a hold window shorter than it: sent again, and applied twice', async function () {
    this.timeout(90_000);
    const { result, applied } = await heldRequest(2_000);
    assert.equal(result.resentAfterHoldWindow, true);
    assert.equal(applied, 2, 'the guarantee rests on the hold window outlasting any hold: here it did not');
  });

  it('a request dropped before it was applied (reset-before): read back through the hold window, then sent again, and says so; one restore', async () => {
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    h.sim.faults.add({ operation: RESTORE, kind: 'reset-before' });
    const handle = await h.start(prisma({ holdWindowMs: 3_000 }));
    await until(() => runRestores(h).length === 1);
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(runRestores(h).length, 1, 'nothing sent again inside the hold window');
    assert.equal((await handle.query(statusQuery)).restoreStep, 'read-back');
    const result = await handle.result();
    assert.equal(result.restoreRequestsSent, 2);
    assert.equal(result.resentAfterHoldWindow, true);
    assert.equal(result.timings.readyWaitMs !== undefined, true, 'the request sent again was answered: its wait is measured');
    assert.deepEqual(
      runRestores(h).map((r) => r.status),
      [undefined, 200],
    );
    assert.equal(h.sim.effects.restoresApplied.length, 1);
  });

  it('a worker that goes away mid-request: the target is read back, and the restore is never sent twice', async () => {
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    h.sim.faults.add({ operation: RESTORE, kind: 'delay', ms: 2_000 });
    const handle = await h.start(prisma());
    await until(() => runRestores(h).length === 1);
    await h.restartWorker();
    const result = await handle.result();
    assert.equal(result.restoreStatus, 'ready');
    assert.equal(runRestores(h).length, 1);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
  });

  it('a 429 is sent again after Retry-After: one restore applied', async () => {
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    h.sim.faults.add({ operation: RESTORE, kind: 'status', status: 429, retryAfterSeconds: 1 });
    const result = await (await h.start(prisma())).result();
    const [limited, accepted, ...rest] = runRestores(h);
    assert.equal(rest.length, 0);
    assert.deepEqual([limited.status, accepted.status], [429, 200]);
    assert.ok(accepted.time - limited.time >= 1_000, 'waited for Retry-After');
    assert.equal(result.restoreRequestsSent, 2);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
  });

  it('a 422 is BackupNotUsable; an unknown target is named by the 404, before anything is sent', async () => {
    h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    h.sim.faults.add({ operation: RESTORE, kind: 'status', status: 422 });
    await expectRunFailure(await h.start(prisma()), 'BackupNotUsable');
    const missing = await expectRunFailure(await h.start(prisma({ targetDatabaseId: 'db_missing' })), 'DatabaseNotFound');
    assert.match(missing.message, /the database db_missing does not exist/);
    assert.equal(runRestores(h).length, 1, 'only the 422');
  });

  it('asks for approval before the restore', async () => {
    const backup = h.sim.addBackup('db_demo', { createdAt: ago(HOUR) });
    const handle = await h.start(prisma({ approval: {} }));
    const waiting = await untilStatus(handle, (s) => s.phase === 'awaiting-approval');
    assert.equal(waiting.backupId, backup.id);
    assert.match(
      await currentDetailsOf(handle),
      new RegExp(`\\*\\*Awaiting approval\\*\\* to restore backup \`${backup.id}\` into \`db_demo\``),
    );
    assert.equal(runRestores(h).length, 0);
    await handle.executeUpdate(approveRestoreUpdate, { args: [{ backupId: backup.id }] });
    assert.equal((await handle.result()).restoreStatus, 'ready');
  });

  it('refuses a backup-only run before any request: Prisma takes no backup on demand', async () => {
    const reason = await expectRunFailure(await startUnchecked(h, prisma({ restore: false })), 'InvalidInput');
    assert.match(reason.message, /Prisma's backups are automatic and daily/);
    assert.equal(h.sim.requests.length, 0);
  });
});

describe("a worker whose profile is not the run's", function () {
  this.timeout(60_000);

  it('a prisma run on a seed worker fails with ProfileMismatch before any request, saying how to fix it', async () => {
    const h = await startHarness({ profile: 'prisma', workerProfile: 'seed' });
    try {
      h.sim.addBackup('db_demo');
      const reason = await expectRunFailure(await h.start(prisma()), 'ProfileMismatch');
      assert.match(reason.message, /PRISMA_API_PROFILE=prisma/);
      assert.equal(h.sim.requests.length, 0);
    } finally {
      await h.close();
    }
  });

  it('a seed run on a prisma worker fails with ProfileMismatch before any request', async () => {
    const h = await startHarness({ profile: 'seed', workerProfile: 'prisma' });
    try {
      const reason = await expectRunFailure(await h.start({ profile: 'seed', databaseId: 'db_demo', poll: FAST_POLL }), 'ProfileMismatch');
      assert.match(reason.message, /PRISMA_API_PROFILE/);
      assert.equal(h.sim.requests.length, 0);
    } finally {
      await h.close();
    }
  });
});
