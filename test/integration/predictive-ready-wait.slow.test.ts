// The `prisma` profile's wait until a restored database is ready, predicting from our own earlier
// runs (Prisma's API keeps no restore durations), on a real Temporal server against the simulator
// over HTTP: runs into a database whose earlier runs waited about as long look once, around the
// predicted end; a wrong prediction falls back to the backoff; the backoff asked for looks up nothing.
import { strict as assert } from 'assert';
import type { WorkflowHandle } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import type { RunInput } from '../../src/shared/input';
import type { PrismaSimulator } from '../../simulator';
import { currentDetailsOf, startHarness, untilStatus, type Harness } from '../support/harness';

/** Restores take this long in the simulator; a look is a retry the server schedules to the millisecond. */
const RECOVERY_MS = 5000;
const POLL = { initialIntervalMs: 200, maximumIntervalMs: 400, deadlineMs: 60_000 };
const SLACK_MS = 2500;
/** readyWaitMs is the span between two workflow tasks' times, so it may fall short of the recovery by a task's delay. */
const TASK_CLOCK_MS = 500;

describe('the prisma wait until ready, predicting from earlier runs, on a real Temporal server', function () {
  this.timeout(60_000);
  // Fresh ids: earlier test runs on a long-lived server must not be this database's history.
  const id = (name: string) => `db_${name}${randomBytes(4).toString('hex')}`;
  const [like, wrong, forced] = [id('like'), id('wrong'), id('forced')];
  const input = (databaseId: string, poll: RunInput['poll'] = POLL): RunInput => ({
    profile: 'prisma',
    databaseId,
    poll,
  });
  const withBackup = (h: Harness<PrismaSimulator>, databaseId: string) => {
    h.sim.addDatabase(databaseId);
    h.sim.addBackup(databaseId);
  };
  const restores = (h: Harness<PrismaSimulator>, databaseId: string) =>
    h.requestsFor('postV1DatabasesByTargetDatabaseIdRestore').filter((r) => r.path.includes(`/databases/${databaseId}/`));
  /** The wait's looks: reads of the database after the last restore sent into it. */
  const looksAt = (h: Harness<PrismaSimulator>, databaseId: string) => {
    const sent = restores(h, databaseId).at(-1)!.seq;
    return h.requestsFor('getV1DatabasesByDatabaseId').filter((r) => r.path.endsWith(`/databases/${databaseId}`) && r.seq > sent).length;
  };
  const historyLookups = async (run: WorkflowHandle) =>
    ((await run.fetchHistory()).events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'pastDurations')
      .length;

  it('looks around the end earlier runs predict, far less often than the backoff; a wrong prediction falls back to it', async () => {
    // History: two runs each into `like` (restores of 5 s) and `wrong` (restores of 1 s).
    const quick = await startHarness({ profile: 'prisma', simulator: { recoveryMs: 1000 } });
    try {
      withBackup(quick, wrong);
      for (let i = 0; i < 2; i++) await (await quick.start(input(wrong))).result();
    } finally {
      await quick.close();
    }
    const h = await startHarness({ profile: 'prisma', simulator: { recoveryMs: RECOVERY_MS } });
    try {
      withBackup(h, like);
      const earlier = [];
      for (let i = 0; i < 2; i++) earlier.push((await (await h.start(input(like))).result()).timings.readyWaitMs!);
      for (const waited of earlier)
        assert.ok(waited >= RECOVERY_MS - TASK_CLOCK_MS && waited <= RECOVERY_MS + SLACK_MS, `waited ${waited} ms`);

      withBackup(h, wrong);
      withBackup(h, forced);
      const [likeRun, wrongRun, forcedRun] = await Promise.all([
        h.start(input(like)),
        h.start(input(wrong)),
        h.start(input(forced, { ...POLL, mode: 'backoff' })),
      ]);

      // While it waits, the run says what it expects, from how many earlier runs.
      const waiting = await untilStatus(likeRun, (s) => s.wait?.expected !== undefined);
      assert.equal(waiting.wait!.expected!.samples, 2);
      assert.match(await currentDetailsOf(likeRun), /Expects the end between \S+ and \S+ from 2 earlier runs: looks are sparse before/);

      const [likeResult, wrongResult, forcedResult] = await Promise.all([likeRun.result(), wrongRun.result(), forcedRun.result()]);
      for (const result of [likeResult, wrongResult, forcedResult]) assert.equal(result.restoreStatus, 'ready');
      // Each restore sent once: prediction changes only when the run looks.
      assert.equal(restores(h, like).length, 3);
      assert.equal(restores(h, wrong).length, 1);
      assert.equal(restores(h, forced).length, 1);

      // Predicted right: one look, at the window's end, which finds it ready.
      const likeLooks = looksAt(h, like);
      assert.equal(likeLooks, 1);
      assert.ok(
        likeResult.timings.readyWaitMs! <= Math.max(...earlier) + SLACK_MS,
        `ready seen after ${likeResult.timings.readyWaitMs} ms`,
      );

      // The backoff, asked for or without history: a look every timer tick.
      const forcedLooks = looksAt(h, forced);
      assert.ok(forcedLooks >= 3 * likeLooks, `backoff ${forcedLooks} looks`);
      // Earlier runs are looked up once by a predictive run, never when the backoff is asked for.
      assert.equal(await historyLookups(likeRun), 1);
      assert.equal(await historyLookups(forcedRun), 0);

      // Predicted wrong (earlier restores took 1 s, this one 5 s): the backoff after the window finds it, as soon.
      assert.ok(looksAt(h, wrong) >= 3, `${looksAt(h, wrong)} looks`);
      const wrongWait = wrongResult.timings.readyWaitMs!;
      assert.ok(wrongWait >= RECOVERY_MS - TASK_CLOCK_MS && wrongWait <= RECOVERY_MS + SLACK_MS, `ready seen after ${wrongWait} ms`);
    } finally {
      await h.close();
    }
  });
});
