// Polling that predicts, on a real Temporal server against the simulator over HTTP: a seed run
// whose database has earlier backups of a known duration waits them out and looks around the
// predicted end; one whose prediction is wrong still finds its backup with the backoff.
import { strict as assert } from 'assert';
import { currentDetailsOf, startHarness, untilStatus, type Harness } from '../support/harness';

/** Our backups take 9 s. The server fires short timers about once a second, so detection latencies are loose. */
const BACKUP_MS = 9000;
const POLL = { initialIntervalMs: 200, maximumIntervalMs: 400, deadlineMs: 60_000 };
const SLACK_MS = 2500;

describe('polling that predicts from earlier backups, on a real Temporal server', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ simulator: { backupDurationMs: BACKUP_MS } });
  });
  after(async () => {
    await h.close();
  });

  /** A database whose earlier backups took these long. */
  const databaseWithHistory = (databaseId: string, tookMs: number[]) => {
    h.sim.addDatabase(databaseId);
    for (const took of tookMs) h.sim.addAutomaticBackup(databaseId, { tookMs: took });
  };
  const listCalls = (databaseId: string) =>
    h.requestsFor('listDatabaseBackups').filter((r) => r.path === `/v1/databases/${databaseId}/backups`);
  /** How long after our backup completed the run saw it. */
  const latencyMs = (databaseId: string, backupCompletedAt: string) => {
    const ours = h.sim.effects.backupsCreated.find((b) => b.databaseId === databaseId)!;
    return Date.parse(backupCompletedAt) - (Date.parse(ours.createdAt) + BACKUP_MS);
  };

  it('looks once for the history, then around the predicted end, with far fewer calls than the backoff; a wrong prediction falls back to it', async () => {
    databaseWithHistory('db_like', [8500, 9000, 9500]);
    databaseWithHistory('db_shorter', [900, 1000, 1100]);
    databaseWithHistory('db_forced', [8500, 9000, 9500]);
    const [like, shorter, forced] = await Promise.all([
      h.start({ databaseId: 'db_like', poll: POLL }),
      h.start({ databaseId: 'db_shorter', poll: POLL }),
      h.start({ databaseId: 'db_forced', poll: { ...POLL, mode: 'backoff' } }),
    ]);

    // While it waits, the run says what it expects and why its polls are sparse.
    const waiting = await untilStatus(like, (s) => s.expectedCompletion !== undefined);
    const expected = waiting.expectedCompletion!;
    assert.equal(expected.samples, 3);
    // 8.5–9.5 s, widened by range/(n−1) = 0.5 s either side.
    assert.equal(expected.latestAt - expected.earliestAt, 2000);
    assert.match(await currentDetailsOf(like), /Expects completion around \S+ from 3 earlier backups: polls are sparse until/);

    const [likeResult, shorterResult, forcedResult] = await Promise.all([like.result(), shorter.result(), forced.result()]);

    // Predicted right: the first look (history), then one at the window's end, which finds it.
    assert.equal(listCalls('db_like').length, 2);
    assert.equal(likeResult.pollsMade, 2);
    const likeLatency = latencyMs('db_like', likeResult.timings.backupCompletedAt);
    assert.ok(likeLatency >= 0 && likeLatency <= 1000 + SLACK_MS, `found ${likeLatency} ms after it completed`);

    // Forced backoff: no prediction, a look every timer tick.
    const backoffCalls = listCalls('db_forced').length;
    assert.equal(forcedResult.pollsMade, backoffCalls);
    assert.ok(backoffCalls >= 3 * listCalls('db_like').length, `backoff ${backoffCalls} calls, predictive ${listCalls('db_like').length}`);

    // Predicted wrong (earlier backups took 1 s, ours 9 s): the backoff after the window finds it, as soon.
    const shorterLatency = latencyMs('db_shorter', shorterResult.timings.backupCompletedAt);
    assert.ok(shorterLatency >= 0 && shorterLatency <= SLACK_MS, `found ${shorterLatency} ms after it completed`);
    assert.ok(listCalls('db_shorter').length >= 3, `${listCalls('db_shorter').length} calls`);
    for (const result of [likeResult, shorterResult, forcedResult]) assert.equal(result.restoreStatus, 'restoring');
    assert.equal(h.sim.effects.restoresApplied.length, 3);
    assert.ok(h.sim.effects.restoresApplied.every((r) => r.backupStatusAtRestore === 'completed'));
  });
});
