// The wait activities (src/activities/waits.ts), one attempt at a time in a MockActivityEnvironment
// against a fake API: each attempt looks once; done, it returns; not yet, it fails as a benign
// NotYet whose nextRetryDelay the poll policy sets, heartbeating what the next attempt must know
// (Temporal hands the last heartbeat of one attempt to the next). Also call.ts: API errors as
// Temporal failures, heartbeats around a call, and the profile an activity needs.
import { strict as assert } from 'assert';
import { ApplicationFailure, ApplicationFailureCategory, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { call, PROTOCOL_ERROR_ATTEMPTS, requireProfile, toFailure } from '../../src/activities/call';
import type { AwaitBackupInput, AwaitDatabaseInput } from '../../src/activities/types';
import { databaseWait, MAX_UNLISTED_LOOKS, pastBackupDurationsMs, prismaBackupWait, seedBackupWait } from '../../src/activities/waits';
import type { ManagementApi, PrismaApi, SeedApi } from '../../src/api/client';
import { ApiError } from '../../src/api/errors';
import type { Database, DatabaseStatus, PrismaBackup, SeedBackup } from '../../src/api/schemas';
import { ErrorType } from '../../src/shared/errors';
import {
  DEFAULT_POLL_POLICY,
  nextLookDelayMs,
  plannedLooksMs,
  pollDelayMs,
  predictCompletion,
  type PollPolicy,
} from '../../src/shared/policy';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** No jitter, so each delay is exact: 1 s, 2 s, 4 s, then 8 s. */
const POLICY: PollPolicy = {
  ...DEFAULT_POLL_POLICY,
  initialIntervalMs: 1_000,
  maximumIntervalMs: 8_000,
  jitter: 0,
  failingLimitMs: MINUTE,
};

interface Attempt<T> {
  result?: T;
  failure?: ApplicationFailure;
  /** What the attempt heartbeated, as Temporal stores it (JSON). */
  beats: Record<string, unknown>[];
  /** Lines logged at WARN or above: a benign failure logs none. */
  warnings: string[];
}

/** One attempt of `fn`, given the details the previous attempt heartbeated last. */
async function attempt<T>(fn: () => Promise<T>, carried?: unknown, attemptNumber = 1): Promise<Attempt<T>> {
  const warnings: string[] = [];
  const logger = new DefaultLogger('WARN', (entry: LogEntry) => warnings.push(entry.message));
  const env = new MockActivityEnvironment({ heartbeatDetails: carried, attempt: attemptNumber }, { logger });
  const beats: Record<string, unknown>[] = [];
  env.on('heartbeat', (details: unknown) => beats.push(JSON.parse(JSON.stringify(details ?? null))));
  try {
    return { result: await env.run(fn), beats, warnings };
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `not an ApplicationFailure: ${String(err)}`);
    return { failure: err, beats, warnings };
  }
}

/** Attempts until one returns or fails for good, each given the last heartbeat of the one before. */
async function attempts<T>(fn: () => Promise<T>, max = 30): Promise<Attempt<T>[]> {
  const made: Attempt<T>[] = [];
  let carried: unknown;
  for (let n = 1; n <= max; n++) {
    const one = await attempt(fn, carried, n);
    made.push(one);
    if (!one.failure || one.failure.nonRetryable) return made;
    carried = one.beats.at(-1) ?? carried;
  }
  return made;
}

/** A "not yet": benign, retryable, NotYet, with a delay. */
function notYet(one: Attempt<unknown>, message?: RegExp): number {
  const { failure } = one;
  assert.ok(failure, `expected NotYet, got ${JSON.stringify(one.result)}`);
  assert.deepEqual([failure.type, failure.nonRetryable, failure.category], [ErrorType.NotYet, false, ApplicationFailureCategory.BENIGN]);
  if (message) assert.match(failure.message, message);
  assert.deepEqual(one.warnings, [], 'a benign failure is not logged as one');
  assert.equal(typeof failure.nextRetryDelay, 'number');
  return failure.nextRetryDelay as number;
}

function refused(one: Attempt<unknown>, type: string, message?: RegExp): ApplicationFailure {
  assert.ok(one.failure, `expected ${type}, got ${JSON.stringify(one.result)}`);
  assert.deepEqual([one.failure.type, one.failure.nonRetryable], [type, true], one.failure.message);
  if (message) assert.match(one.failure.message, message);
  return one.failure;
}

const spec = (extra: Partial<AwaitBackupInput> = {}) => {
  const now = Date.now();
  return { policy: POLICY, startedAt: now, deadlineAt: now + HOUR, ...extra };
};

// ---- fakes: plain objects with the methods the waits call ----

const seedBackup = (id: string, status: SeedBackup['status'], createdAt: string, completedAt?: string): SeedBackup => ({
  id,
  databaseId: 'db_1',
  type: 'manual',
  status,
  createdAt,
  ...(completedAt ? { completedAt } : {}),
});

/** A seed API whose backup list answers each look in turn (the last answer repeats); an Error is thrown. */
function seedApi(...answers: (SeedBackup[] | Error)[]) {
  const calls: string[] = [];
  const api = {
    profile: 'seed' as const,
    idempotencyKeysHonoured: false,
    listBackups: async (databaseId: string) => {
      calls.push(databaseId);
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return { data: answer };
    },
  };
  return { api: api as unknown as SeedApi, calls };
}

const OURS_CREATED = '2026-11-27T10:00:00Z';
const ours = (status: SeedBackup['status'], completedAt?: string) => seedBackup('bkp_1', status, OURS_CREATED, completedAt);
const seedInput = (extra: Partial<AwaitBackupInput> = {}): AwaitBackupInput => ({
  ...spec(),
  profile: 'seed',
  databaseId: 'db_1',
  backupId: 'bkp_1',
  ...extra,
});
const transient = () =>
  new ApiError(ErrorType.Transient, 'GET databases/db_1/backups answered 503: server error; retrying.', true, undefined, 503);

/**
 * A whole seed wait on a virtual clock: each attempt runs at the time the one before asked for
 * (Date.now() is the virtual clock meanwhile); the backup completes at `completesAtMs`. Returns when
 * (after the start) the wait saw it completed, and how many looks called the API.
 */
async function virtualWait(prediction: AwaitBackupInput['prediction'], completesAtMs: number) {
  const realNow = Date.now;
  const start = realNow();
  let now = start;
  let calls = 0;
  const api = {
    profile: 'seed',
    listBackups: async () => {
      calls++;
      return {
        data: [now - start >= completesAtMs ? ours('completed', new Date(start + completesAtMs).toISOString()) : ours('in_progress')],
      };
    },
  } as unknown as SeedApi;
  Date.now = () => now;
  try {
    let carried: unknown;
    for (let n = 1; n < 500; n++) {
      const one = await attempt(
        () => seedBackupWait(api, seedInput({ prediction, startedAt: start, deadlineAt: start + 6 * HOUR })),
        carried,
        n,
      );
      if (one.result) return { at: now - start, looks: calls };
      now += notYet(one);
      carried = one.beats.at(-1) ?? carried;
    }
    throw new Error('never found');
  } finally {
    Date.now = realNow;
  }
}

describe('the seed backup wait', () => {
  it('a look that finds the backup completed returns it, with how long it took and the looks made', async () => {
    const { api, calls } = seedApi([ours('completed', '2026-11-27T10:01:30Z')]);
    const one = await attempt(() => seedBackupWait(api, seedInput()));
    assert.deepEqual(one.result, { backupId: 'bkp_1', createdAt: OURS_CREATED, tookMs: 90_000, looks: 1 });
    assert.deepEqual(calls, ['db_1']);
  });

  it('a completed backup without a usable completedAt has no duration', async () => {
    const { api } = seedApi([ours('completed')]);
    assert.deepEqual((await attempt(() => seedBackupWait(api, seedInput()))).result, {
      backupId: 'bkp_1',
      createdAt: OURS_CREATED,
      looks: 1,
    });
    const { api: instant } = seedApi([ours('completed', OURS_CREATED)]);
    assert.equal((await attempt(() => seedBackupWait(instant, seedInput()))).result?.tookMs, undefined);
  });

  it('not yet: a benign NotYet whose delay is the backoff, heartbeating the looks made', async () => {
    const { api } = seedApi([ours('pending')]);
    const one = await attempt(() => seedBackupWait(api, seedInput()));
    assert.equal(notYet(one, /^Backup bkp_1 of db_1 is pending, 0s in \(look 1\); next look in 1s\.$/), POLICY.initialIntervalMs);
    assert.deepEqual(one.beats.at(-1), { looks: 1, unlisted: 0, said: 'Backup bkp_1 of db_1 is pending' });
  });

  it('each attempt counts the looks of those before: the backoff grows with them, and the result says how many', async () => {
    const { api } = seedApi(
      [ours('pending')],
      [ours('in_progress')],
      [ours('in_progress')],
      [ours('in_progress')],
      [ours('in_progress')],
      [ours('completed', '2026-11-27T10:05:00Z')],
    );
    const made = await attempts(() => seedBackupWait(api, seedInput()));
    assert.deepEqual(
      made.slice(0, -1).map((one) => notYet(one)),
      [0, 1, 2, 3, 4].map((looksMade) => pollDelayMs(POLICY, looksMade, 0.5)),
    );
    assert.deepEqual(
      made.slice(0, -1).map((one) => one.beats.at(-1)?.looks),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(made.at(-1)!.result, { backupId: 'bkp_1', createdAt: OURS_CREATED, tookMs: 5 * MINUTE, looks: 6 });
  });

  it('failed → BackupFailed, for good', async () => {
    const { api } = seedApi([ours('failed')]);
    refused(
      await attempt(() => seedBackupWait(api, seedInput())),
      ErrorType.BackupFailed,
      /^Backup bkp_1 of db_1 failed; nothing was restored/,
    );
  });

  describe('a backup missing from the list', () => {
    it(`is waited for, counting the looks in a row, and BackupNotFound after ${MAX_UNLISTED_LOOKS}`, async () => {
      const { api, calls } = seedApi([seedBackup('other', 'completed', '2026-11-26T10:00:00Z', '2026-11-26T10:01:00Z')]);
      const made = await attempts(() => seedBackupWait(api, seedInput()));
      assert.equal(made.length, MAX_UNLISTED_LOOKS);
      assert.deepEqual(
        made.slice(0, -1).map((one) => one.beats.at(-1)?.unlisted),
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
      notYet(made[0], /Backup bkp_1 of db_1 is not listed yet/);
      refused(
        made.at(-1)!,
        ErrorType.BackupNotFound,
        /^Backup bkp_1 was missing from 10 looks in a row at the backup list of db_1; nothing was restored/,
      );
      assert.equal(calls.length, MAX_UNLISTED_LOOKS);
    });

    it('starts the count again once it is listed', async () => {
      const { api } = seedApi([ours('pending')]);
      const one = await attempt(() => seedBackupWait(api, seedInput()), { looks: 4, unlisted: 9 });
      notYet(one);
      assert.deepEqual(one.beats.at(-1), { looks: 5, unlisted: 0, said: 'Backup bkp_1 of db_1 is pending' });
    });

    it('is BackupNotFound at once when the backup existed before the run', async () => {
      const { api } = seedApi([]);
      refused(
        await attempt(() => seedBackupWait(api, seedInput({ existing: true }))),
        ErrorType.BackupNotFound,
        /^Backup bkp_1 is not in the backup list of db_1; nothing was restored\. Check the id\.$/,
      );
    });
  });

  describe('looks that fail', () => {
    it('are retried with the backoff (retryable, the error kept), carrying when the streak began and the last error', async () => {
      const { api } = seedApi(transient());
      const before = Date.now();
      const one = await attempt(() => seedBackupWait(api, seedInput()));
      const { failure } = one;
      assert.ok(failure);
      assert.deepEqual(
        [failure.type, failure.nonRetryable, failure.nextRetryDelay],
        [ErrorType.Transient, false, POLICY.initialIntervalMs],
      );
      assert.match(
        failure.message,
        /^Look 1 at Backup bkp_1 of db_1 failed \(failing since .*; gives up at .*\): GET databases\/db_1\/backups answered 503/,
      );
      const carried = one.beats.at(-1)!;
      assert.equal(carried.looks, 1);
      assert.ok((carried.failingSince as number) >= before && (carried.failingSince as number) <= Date.now());
      assert.equal(carried.lastError, transient().message);
    });

    it('keep the streak across attempts, and end with PollFailing, naming the last error, once it lasts failingLimitMs', async () => {
      const { api } = seedApi(transient());
      const since = Date.now() - 10_000;
      const next = await attempt(() => seedBackupWait(api, seedInput()), { looks: 3, failingSince: since, lastError: 'earlier' });
      assert.equal(next.failure?.nonRetryable, false);
      assert.equal(next.beats.at(-1)!.failingSince, since);
      assert.equal(next.failure?.nextRetryDelay, pollDelayMs(POLICY, 3, 0.5));

      const over = await attempt(() => seedBackupWait(api, seedInput()), {
        looks: 9,
        failingSince: Date.now() - POLICY.failingLimitMs,
        lastError: 'x',
      });
      const failure = refused(
        over,
        ErrorType.PollFailing,
        /^Looks at Backup bkp_1 of db_1 have failed since .* \(over 1m\); the last error: GET databases\/db_1\/backups answered 503/,
      );
      assert.match(failure.message, /Fix what it names .*then start a new run\.$/);
    });

    it('end as soon as a look is answered: the streak and its error are forgotten', async () => {
      const { api } = seedApi([ours('in_progress')]);
      const one = await attempt(() => seedBackupWait(api, seedInput()), { looks: 3, failingSince: Date.now() - 5_000, lastError: 'x' });
      notYet(one);
      assert.deepEqual(one.beats.at(-1), { looks: 4, unlisted: 0, said: 'Backup bkp_1 of db_1 is in_progress' });
    });

    it("wait for the API's Retry-After rather than the backoff", async () => {
      const { api } = seedApi(new ApiError(ErrorType.RateLimited, 'answered 429: rate limited', true, 7_000, 429));
      const one = await attempt(() => seedBackupWait(api, seedInput()));
      assert.deepEqual([one.failure?.type, one.failure?.nonRetryable, one.failure?.nextRetryDelay], [ErrorType.RateLimited, false, 7_000]);
    });

    it('count a garbled answer as a failed look, even after the attempts a plain call retries it', async () => {
      const { api } = seedApi(new ApiError(ErrorType.ProtocolError, 'the answer does not match the API description', false));
      const one = await attempt(() => seedBackupWait(api, seedInput()), { looks: 5 }, PROTOCOL_ERROR_ATTEMPTS + 3);
      assert.deepEqual([one.failure?.type, one.failure?.nonRetryable], [ErrorType.ProtocolError, false]);
    });

    it('but a typed refusal ends the wait at once, as it is', async () => {
      const { api } = seedApi(new ApiError(ErrorType.Unauthorized, 'answered 401', false, undefined, 401));
      refused(await attempt(() => seedBackupWait(api, seedInput())), ErrorType.Unauthorized, /^answered 401$/);
    });
  });

  describe('predictions', () => {
    const history = [
      seedBackup('b3', 'completed', '2026-11-26T10:00:00Z', '2026-11-26T11:00:00Z'),
      seedBackup('b2', 'completed', '2026-11-25T10:00:00Z', '2026-11-25T11:02:00Z'),
      seedBackup('b1', 'completed', '2026-11-24T10:00:00Z', '2026-11-24T10:58:00Z'),
    ];

    it("are learnt from the list's completed backups at the first look, carried on, and set the next look", async () => {
      const { api } = seedApi([ours('pending'), ...history]);
      const one = await attempt(() => seedBackupWait(api, seedInput()));
      const learnt = predictCompletion(pastBackupDurationsMs([ours('pending'), ...history], 'bkp_1'))!;
      assert.deepEqual(learnt, { earliestMs: 56 * MINUTE, latestMs: 64 * MINUTE, samples: 3 });
      assert.deepEqual(one.beats.at(-1), { looks: 1, unlisted: 0, said: 'Backup bkp_1 of db_1 is pending', prediction: learnt });
      // The next look is the first planned in the window (57 min in), not after the backoff's 1 s.
      const delay = notYet(one);
      const [first] = plannedLooksMs(learnt);
      assert.equal(first, 57 * MINUTE);
      assert.ok(delay > first - 1_000 && delay <= first, `${delay}`);

      const { api: later, calls } = seedApi([ours('in_progress'), ...history.slice(0, 1)]);
      const next = await attempt(() => seedBackupWait(later, seedInput()), one.beats.at(-1));
      assert.deepEqual(next.beats.at(-1)!.prediction, learnt, 'kept, not learnt again from a shorter list');
      assert.equal(calls.length, 1);
    });

    it('are not learnt for a backup that existed before the run, or when the run brought one', async () => {
      const { api } = seedApi([ours('pending'), ...history]);
      assert.deepEqual((await attempt(() => seedBackupWait(api, seedInput({ existing: true })))).beats.at(-1), {
        looks: 1,
        unlisted: 0,
        said: 'Backup bkp_1 of db_1 is pending',
      });
      const brought = { earliestMs: 10 * MINUTE, latestMs: 12 * MINUTE, samples: 2 };
      const one = await attempt(() => seedBackupWait(api, seedInput({ prediction: brought })), { looks: 1 });
      assert.equal(one.beats.at(-1)!.prediction, undefined);
    });

    it('make the first look wait for the predicted window without calling the API', async () => {
      const { api, calls } = seedApi([ours('completed', '2026-11-27T10:01:00Z')]);
      const prediction = { earliestMs: 60 * MINUTE, latestMs: 62 * MINUTE, samples: 5 };
      const one = await attempt(() => seedBackupWait(api, seedInput({ prediction })));
      const delay = notYet(
        one,
        /^Backup bkp_1 of db_1: first look at .*, where earlier runs \(5\) predict the end; next look in (29m\d\ds|30m)\.$/,
      );
      assert.ok(delay > 29 * MINUTE && delay <= 30 * MINUTE, `${delay}`);
      assert.deepEqual(calls, []);
      assert.deepEqual(one.beats.at(-1), { looks: 0, planned: true });
    });

    it('the attempt made when the first planned look is due looks', async () => {
      const { api, calls } = seedApi([ours('completed', '2026-11-27T10:01:00Z')]);
      const prediction = { earliestMs: 60 * MINUTE, latestMs: 62 * MINUTE, samples: 5 };
      // Retried 30 min after the start, as the first attempt asked.
      const startedAt = Date.now() - 30 * MINUTE - 10;
      const due = await attempt(() => seedBackupWait(api, seedInput({ prediction, startedAt, deadlineAt: startedAt + 6 * HOUR })), {
        looks: 0,
        planned: true,
      });
      assert.equal(due.result?.looks, 1);
      assert.equal(calls.length, 1);
    });

    it('without one, a wait (on the virtual clock) sees the backup within one backoff wait of its completion', async () => {
      const found = await virtualWait(undefined, 35 * MINUTE);
      assert.ok(found.at >= 35 * MINUTE && found.at <= 35 * MINUTE + POLICY.maximumIntervalMs, `${found.at}`);
      assert.ok(found.looks > 200 && found.looks < 300, `${found.looks} looks`);
    });

    it('find a backup that completes far sooner than predicted at the first planned look, halfway to the window ', async () => {
      const prediction = { earliestMs: 60 * MINUTE, latestMs: 62 * MINUTE, samples: 5 };
      const found = await virtualWait(prediction, 35 * MINUTE);
      assert.ok(found.at <= 61 * MINUTE, `found ${found.at / MINUTE} min in, after ${found.looks} looks`);
    });

    it('are ignored in backoff mode: the first look is at once, the next after the backoff', async () => {
      const { api, calls } = seedApi([ours('pending'), ...history]);
      const prediction = { earliestMs: 60 * MINUTE, latestMs: 62 * MINUTE, samples: 5 };
      const one = await attempt(() => seedBackupWait(api, seedInput({ prediction, policy: { ...POLICY, mode: 'backoff' } })));
      assert.equal(notYet(one), POLICY.initialIntervalMs);
      assert.equal(calls.length, 1);
    });

    it('a look due within the first interval is made at once; one past the window waits its backoff', async () => {
      const prediction = { earliestMs: 10 * MINUTE, latestMs: 12 * MINUTE, samples: 3 };
      const now = Date.now();
      const due = seedApi([ours('pending')]);
      // The last planned look (12 min in) is half a second away.
      notYet(
        await attempt(() => seedBackupWait(due.api, seedInput({ prediction, startedAt: now - 12 * MINUTE + 500, deadlineAt: now + HOUR }))),
      );
      assert.equal(due.calls.length, 1);
      const late = seedApi([ours('pending')]);
      const delay = notYet(
        await attempt(() => seedBackupWait(late.api, seedInput({ prediction, startedAt: now - HOUR, deadlineAt: now + HOUR }))),
      );
      assert.deepEqual([late.calls.length, delay], [0, POLICY.maximumIntervalMs]);
    });
  });

  it('never schedules a look past the deadline', async () => {
    const { api } = seedApi([ours('pending')]);
    const now = Date.now();
    const delay = notYet(await attempt(() => seedBackupWait(api, seedInput({ startedAt: now, deadlineAt: now + 400 }))));
    assert.ok(delay >= 1 && delay <= 400, `${delay}`);
    const late = notYet(await attempt(() => seedBackupWait(api, seedInput({ startedAt: now - HOUR, deadlineAt: now - 1 }))));
    assert.equal(late, 1, 'at least 1 ms, so Temporal takes it as a delay; schedule-to-close ends the wait');
  });
});

// ---- prisma ----

const prismaBackup = (id: string, status: PrismaBackup['status'], createdAt: string): PrismaBackup => ({
  id,
  backupType: 'full',
  status,
  createdAt,
});
const prismaList = (...data: PrismaBackup[]) => ({ data, meta: { backupRetentionDays: 7 }, pagination: { hasMore: false, limit: 100 } });

function prismaApi(answers: { backups?: ReturnType<typeof prismaList>[]; databases?: (Partial<Database> | Error)[] }) {
  const calls: string[] = [];
  const nth = <T>(list: T[], n: number) => list[Math.min(n, list.length - 1)];
  const api = {
    profile: 'prisma' as const,
    idempotencyKeysHonoured: false,
    listBackups: async (databaseId: string) => {
      calls.push(`listBackups ${databaseId}`);
      return nth(answers.backups!, calls.filter((c) => c.startsWith('listBackups')).length - 1);
    },
    getDatabase: async (databaseId: string) => {
      calls.push(`getDatabase ${databaseId}`);
      const answer = nth(answers.databases!, calls.filter((c) => c.startsWith('getDatabase')).length - 1);
      if (answer instanceof Error) throw answer;
      return { id: databaseId, name: databaseId, ...answer };
    },
  };
  return { api: api as unknown as PrismaApi, calls };
}

describe('the prisma backup wait', () => {
  const input = (extra: Partial<AwaitBackupInput> = {}): AwaitBackupInput => ({
    ...spec(),
    profile: 'prisma',
    databaseId: 'db_1',
    ...extra,
  });

  it('returns the newest completed backup at the first look', async () => {
    const { api } = prismaApi({
      backups: [
        prismaList(prismaBackup('c1', 'completed', '2026-11-26T03:00:00Z'), prismaBackup('c2', 'completed', '2026-11-27T03:00:00Z')),
      ],
    });
    assert.deepEqual((await attempt(() => prismaBackupWait(api, input()))).result, {
      backupId: 'c2',
      createdAt: '2026-11-27T03:00:00Z',
      looks: 1,
    });
  });

  it('waits for a running one, then returns it completed', async () => {
    const running = prismaBackup('c3', 'running', '2026-11-27T03:00:00Z');
    const { api } = prismaApi({ backups: [prismaList(running), prismaList(running), prismaList({ ...running, status: 'completed' })] });
    const made = await attempts(() => prismaBackupWait(api, input({ backupId: 'c3' })));
    notYet(made[0], /^Backup c3 of db_1 is running, 0s in \(look 1\); next look in 1s\.$/);
    assert.equal(notYet(made[1]), 2_000);
    assert.deepEqual(made[2].result, { backupId: 'c3', createdAt: '2026-11-27T03:00:00Z', looks: 3 });
  });

  it('waits for a backup newer than the run while none is listed', async () => {
    const { api } = prismaApi({ backups: [prismaList(prismaBackup('c1', 'completed', '2026-11-26T03:00:00Z'))] });
    notYet(
      await attempt(() => prismaBackupWait(api, input({ createdAfter: '2026-11-27T00:00:00Z' }))),
      /^No backup of db_1 newer than 2026-11-27T00:00:00Z is listed yet, 0s in \(look 1\)/,
    );
  });

  it('ends at once on a backup that cannot be restored', async () => {
    const { api } = prismaApi({ backups: [prismaList(prismaBackup('c1', 'failed', '2026-11-26T03:00:00Z'))] });
    refused(await attempt(() => prismaBackupWait(api, input({ backupId: 'c1' }))), ErrorType.BackupFailed);
    refused(await attempt(() => prismaBackupWait(api, input({ backupId: 'c9' }))), ErrorType.BackupNotFound);
    refused(await attempt(() => prismaBackupWait(api, input())), ErrorType.BackupNotFound, /has no completed backup/);
  });
});

describe('the prisma database wait', () => {
  const source = { databaseId: 'db_src', backupId: 'c1' };
  const other = { databaseId: 'db_src', backupId: 'c0' };
  const input = (mode: AwaitDatabaseInput['mode'], extra: Partial<AwaitDatabaseInput> = {}): AwaitDatabaseInput => ({
    ...spec(),
    databaseId: 'db_2',
    mode,
    source,
    ...extra,
  });
  const db = (status: DatabaseStatus, from?: typeof source) => ({ status, ...(from ? { source: from } : {}) });
  const wait = async (mode: AwaitDatabaseInput['mode'], answer: Partial<Database> | Error, extra: Partial<AwaitDatabaseInput> = {}) => {
    const { api } = prismaApi({ databases: [answer] });
    return attempt(() => databaseWait(api, input(mode, extra)));
  };

  it('idle (before a restore is sent): not while provisioning or recovering; then what it saw', async () => {
    notYet(await wait('idle', db('provisioning')), /^db_2 is provisioning: nothing is sent while it is busy, 0s in \(look 1\)/);
    notYet(await wait('idle', db('recovering', other)), /db_2 is recovering \(from backup c0 of db_src\)/);
    assert.deepEqual((await wait('idle', db('ready', other))).result, { status: 'ready', source: other, looks: 1 });
    assert.deepEqual((await wait('idle', db('failure'))).result, { status: 'failure', looks: 1 });
  });

  it('conflict (after a 409): waits while busy, then says whether our restore was applied', async () => {
    notYet(await wait('conflict', db('recovering', other)), /after a 409; no second restore is sent/);
    assert.deepEqual((await wait('conflict', db('ready', source))).result, { status: 'ready', source, verdict: 'applied', looks: 1 });
    assert.deepEqual((await wait('conflict', db('ready', other))).result, {
      status: 'ready',
      source: other,
      verdict: 'not-applied',
      looks: 1,
    });
  });

  it('ready: until ready from our backup; a database in failure → RestoreFailed', async () => {
    notYet(await wait('ready', db('recovering', source)));
    notYet(await wait('ready', db('ready', other)), /db_2 is ready \(from backup c0 of db_src\)/);
    assert.deepEqual((await wait('ready', db('ready', source))).result, { status: 'ready', source, looks: 1 });
    refused(
      await wait('ready', db('failure', source)),
      ErrorType.RestoreFailed,
      /^db_2, restored from backup c1 of db_src, ended in status failure: it is not usable\.$/,
    );
  });

  describe('read-back (an outcome unknown)', () => {
    it('applied: recovering or ready from our backup', async () => {
      assert.equal((await wait('read-back', db('recovering'), { sourceBefore: null })).result?.verdict, 'applied');
      assert.equal((await wait('read-back', db('ready', source), { sourceBefore: other })).result?.verdict, 'applied');
    });

    it('busy: read again', async () => {
      notYet(await wait('read-back', db('provisioning')), /reading it back until it tells/);
      notYet(await wait('read-back', db('recovering', other)));
    });

    it('not applied: read on until the hold window has passed, nothing sent meanwhile; after it, not-applied', async () => {
      const holding = await wait('read-back', db('ready', other), { sourceBefore: other, holdUntil: Date.now() + 10 * MINUTE });
      notYet(holding, /no sign of our restore yet; a request the API still holds could apply it until .*, so nothing is sent before/);
      const passed = await wait('read-back', db('ready', other), { sourceBefore: other, holdUntil: Date.now() - 1 });
      assert.deepEqual(passed.result, { status: 'ready', source: other, verdict: 'not-applied', looks: 1 });
      assert.equal((await wait('read-back', db('ready'), { sourceBefore: null })).result?.verdict, 'not-applied', 'no hold window');
    });

    it('undecidable (it named our backup before anything was sent) → RestoreOutcomeUnknown, sending nothing twice', async () => {
      refused(
        await wait('read-back', db('ready', source), { sourceBefore: source, holdUntil: Date.now() + MINUTE }),
        ErrorType.RestoreOutcomeUnknown,
        /names backup c1 of db_src as its source, as it did before the restore was sent.*Nothing was sent twice/,
      );
    });
  });

  it('a database gone is DatabaseNotFound for good; a failing read is a failed look', async () => {
    refused(
      await wait('ready', new ApiError(ErrorType.DatabaseNotFound, 'db_2 does not exist', false, undefined, 404)),
      ErrorType.DatabaseNotFound,
    );
    const failing = await wait('ready', transient());
    assert.deepEqual([failing.failure?.type, failing.failure?.nonRetryable], [ErrorType.Transient, false]);
    assert.match(failing.failure!.message, /^Look 1 at db_2 failed/);
  });
});

describe('API errors as Temporal failures', () => {
  const failure = (err: ApiError, attemptNumber: number) => toFailure(err, attemptNumber) as ApplicationFailure;

  it('keeps the type and the message; a Retry-After is the next delay and also in the details (a workflow reads those)', () => {
    const f = failure(new ApiError(ErrorType.RateLimited, 'slow down', true, 3_000, 429), 1);
    assert.ok(f instanceof ApplicationFailure);
    assert.deepEqual(
      [f.type, f.message, f.nonRetryable, f.nextRetryDelay, f.details],
      [ErrorType.RateLimited, 'slow down', false, 3_000, [{ retryAfterMs: 3_000 }]],
    );
    const plain = failure(new ApiError(ErrorType.Transient, 'answered 502', true), 1);
    assert.deepEqual([plain.nextRetryDelay, plain.details], [undefined, undefined]);
  });

  it('never retries what retrying cannot fix', () => {
    assert.equal(failure(new ApiError(ErrorType.Unauthorized, 'token', false), 1).nonRetryable, true);
    assert.equal(failure(new ApiError(ErrorType.RestoreOutcomeUnknown, 'lost', false), 1).nonRetryable, true);
  });

  it(`retries a garbled answer until attempt ${PROTOCOL_ERROR_ATTEMPTS}, then gives up`, () => {
    const garbled = new ApiError(ErrorType.ProtocolError, 'not JSON', false);
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => failure(garbled, n).nonRetryable),
      [false, false, true, true],
    );
  });

  it('passes other errors through', () => {
    const other = new Error('x');
    assert.equal(toFailure(other, 1), other);
  });
});

describe('a call from an activity', () => {
  it('heartbeats its details at once, and maps an API error for the attempt it is on', async () => {
    const one = await attempt(
      () => call(() => Promise.reject(new ApiError(ErrorType.ProtocolError, 'garbled', false)), { looks: 2 }),
      undefined,
      PROTOCOL_ERROR_ATTEMPTS,
    );
    assert.deepEqual(one.beats, [{ looks: 2 }]);
    assert.deepEqual([one.failure?.type, one.failure?.nonRetryable], [ErrorType.ProtocolError, true]);
    assert.deepEqual((await attempt(() => call(async () => 'answer'))).result, 'answer');
  });

  it('says a request aborted by cancellation is a cancellation, not an API failure', async () => {
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) });
    const running = env.run(() =>
      call(
        () =>
          new Promise((_, reject) =>
            env.context.cancellationSignal.addEventListener('abort', () => reject(new ApiError(ErrorType.Transient, 'aborted', true))),
          ),
      ),
    );
    env.cancel();
    await assert.rejects(running, (err: unknown) => err instanceof CancelledFailure);
  });
});

describe('the profile an activity speaks', () => {
  const seed = { profile: 'seed' } as ManagementApi;
  const prisma = { profile: 'prisma' } as ManagementApi;

  it('is the worker’s, or ProfileMismatch saying how to fix the worker', () => {
    assert.equal(requireProfile(seed, 'seed', 'createBackup'), seed);
    assert.equal(requireProfile(prisma, 'prisma', 'awaitDatabase'), prisma);
    assert.throws(
      () => requireProfile(prisma, 'seed', 'createBackup'),
      (err: unknown) =>
        err instanceof ApplicationFailure &&
        err.type === ErrorType.ProfileMismatch &&
        err.nonRetryable &&
        /^createBackup speaks the seed API, but this worker's PRISMA_API_PROFILE is prisma\. Run the worker with PRISMA_API_PROFILE=seed, or start the run for prisma\.$/.test(
          err.message,
        ),
    );
  });
});

describe('the delay of a look, as the policy says', () => {
  it('is what nextLookDelayMs gives for the looks made', () => {
    // The waits above rely on this with no jitter: the n-th failure waits the backoff of n − 1 looks made.
    for (const looksMade of [0, 1, 2, 3, 4]) {
      assert.equal(
        nextLookDelayMs(POLICY, undefined, { looksMade, elapsedMs: 0, remainingMs: HOUR, random: Math.random() }),
        Math.min(1_000 * 2 ** looksMade, 8_000),
      );
    }
  });
});
