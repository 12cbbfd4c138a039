// Looks that predict, on a real Temporal server against the simulator over HTTP: from the durations
// of the list's earlier backups (learnt at the first look), or of earlier runs through visibility
// (known before the first look, which is then put off to the predicted end); a wrong prediction still
// finds the backup with the backoff.
import { strict as assert } from 'assert';
import { randomBytes } from 'node:crypto';
import { DATABASE_ID_KEY } from '../../src/shared/constants';
import { currentDetailsOf, startHarness, untilStatus, type Harness } from '../support/harness';

/** Our backups take 9 s; a look is a retry, which the server schedules to the millisecond. */
const BACKUP_MS = 9000;
const POLL = { initialIntervalMs: 200, maximumIntervalMs: 400, deadlineMs: 60_000 };
const SLACK_MS = 2500;
/** Fresh ids: visibility keeps earlier test runs' history of a database. */
const fresh = (name: string) => `db_${name}${randomBytes(4).toString('hex')}`;

describe('looks that predict, on a real Temporal server', function () {
  this.timeout(90_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ simulator: { backupDurationMs: BACKUP_MS } });
  });
  after(async () => {
    await h.close();
  });

  const databaseWithHistory = (tookMs: number[]) => {
    const databaseId = fresh('hist');
    h.sim.addDatabase(databaseId);
    for (const took of tookMs) h.sim.addAutomaticBackup(databaseId, { tookMs: took });
    return databaseId;
  };
  const listCalls = (databaseId: string) =>
    h.requestsFor('listDatabaseBackups').filter((r) => r.path === `/v1/databases/${databaseId}/backups`);
  const latencyMs = (databaseId: string, backupCompletedAt: string) => {
    const ours = h.sim.effects.backupsCreated.filter((b) => b.databaseId === databaseId).at(-1)!;
    return Date.parse(backupCompletedAt) - (Date.parse(ours.createdAt) + BACKUP_MS);
  };

  it("learns from the list's earlier backups at the first look, then looks at the predicted end; a wrong prediction falls back to the backoff", async () => {
    const like = databaseWithHistory([8500, 9000, 9500]);
    const shorter = databaseWithHistory([900, 1000, 1100]);
    const forced = databaseWithHistory([8500, 9000, 9500]);
    const [a, b, c] = await Promise.all([
      h.start({ databaseId: like, poll: POLL }),
      h.start({ databaseId: shorter, poll: POLL }),
      h.start({ databaseId: forced, poll: { ...POLL, mode: 'backoff' } }),
    ]);
    const [likeResult, shorterResult, forcedResult] = await Promise.all([a.result(), b.result(), c.result()]);

    // Predicted right: the first look (which brings the history), then one at the window's end.
    assert.equal(listCalls(like).length, 2);
    assert.equal(likeResult.pollsMade, 2);
    const likeLatency = latencyMs(like, likeResult.timings.backupCompletedAt);
    assert.ok(likeLatency >= 0 && likeLatency <= 1000 + SLACK_MS, `found ${likeLatency} ms after it completed`);
    // Forced backoff: a look every 200–400 ms.
    assert.ok(
      listCalls(forced).length >= 3 * listCalls(like).length,
      `backoff ${listCalls(forced).length}, predicting ${listCalls(like).length}`,
    );
    assert.equal(forcedResult.pollsMade, listCalls(forced).length);
    // Predicted wrong (1 s against 9 s): after the window, the backoff finds it, as soon.
    const shorterLatency = latencyMs(shorter, shorterResult.timings.backupCompletedAt);
    assert.ok(shorterLatency >= 0 && shorterLatency <= SLACK_MS, `found ${shorterLatency} ms after it completed`);
    for (const result of [likeResult, shorterResult, forcedResult]) assert.equal(result.restoreStatus, 'restoring');
    // The runs record how long their backups took, for later runs to predict from.
    assert.ok(Math.abs(likeResult.timings.backupTookMs! - BACKUP_MS) < 100, `${likeResult.timings.backupTookMs}`);
  });

  it('from earlier runs (visibility), puts the first look off to the predicted end: one list call', async () => {
    const databaseId = fresh('runs');
    h.sim.addDatabase(databaseId);
    const first = await (await h.start({ databaseId, poll: POLL })).result();
    assert.ok(first.timings.backupTookMs! > 0);
    // Visibility lists the completed run a moment after it ends.
    const query = `${DATABASE_ID_KEY.name} = '${databaseId}' AND ExecutionStatus = 'Completed'`;
    for (let seen = 0; seen === 0;) {
      seen = (await h.client.workflow.count(query)).count;
      if (seen === 0) await new Promise((r) => setTimeout(r, 200));
    }
    const before = listCalls(databaseId).length;
    const second = await h.start({ databaseId, poll: POLL });
    const waiting = await untilStatus(second, (s) => s.wait?.expected !== undefined);
    assert.equal(waiting.wait!.expected!.samples, 1);
    assert.match(await currentDetailsOf(second), /Expects the end between \S+ and \S+ from 1 earlier run: looks are sparse before/);
    const result = await second.result();
    assert.equal(listCalls(databaseId).length - before, 1, 'the one look at the predicted end found it');
    assert.equal(result.pollsMade, 1);
    const latency = latencyMs(databaseId, result.timings.backupCompletedAt);
    assert.ok(latency >= 0 && latency <= 9000 * 0.25 + SLACK_MS, `found ${latency} ms after it completed`);
  });
});
