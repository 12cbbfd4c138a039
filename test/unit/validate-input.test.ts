import { strict as assert } from 'assert';
import { inputProblems, readRunArguments } from '../../src/shared/validate-input';
import type { BackupAndRestoreInput } from '../../src/shared/workflow-types';

const problemsOf = (input: unknown) => inputProblems(input as BackupAndRestoreInput);

describe('input validation', () => {
  it('accepts a plain database id, with or without a label and poll settings', () => {
    assert.deepEqual(problemsOf({ databaseId: 'db_demo' }), []);
    assert.deepEqual(problemsOf({ databaseId: 'cm1abcdefghij', backupLabel: 'before migration 42', restore: false }), []);
    assert.deepEqual(problemsOf({ databaseId: 'db_1', poll: { initialIntervalMs: 200, deadlineMs: 60_000 } }), []);
  });

  for (const input of [undefined, null, 'db_1']) {
    it(`rejects ${JSON.stringify(input)} as input`, () => {
      assert.deepEqual(problemsOf(input), ['The input must be an object with a databaseId.']);
    });
  }

  for (const databaseId of [undefined, '', '   ']) {
    it(`says a databaseId is required when it is ${JSON.stringify(databaseId)}`, () => {
      assert.match(problemsOf({ databaseId })[0], /databaseId is required/);
    });
  }

  for (const databaseId of ['../db_1', 'db%2F1', 'db_1?x=1', 'db 1', 'db/1', 'db-1', 'db_1\n', 'x'.repeat(129), 42]) {
    it(`rejects the database id ${JSON.stringify(databaseId)} before any request`, () => {
      const [problem] = problemsOf({ databaseId });
      assert.match(problem, /databaseId (is required|.* is not a valid database id: use only letters, digits and _)/);
    });
  }

  it('rejects an empty, oversized or control-character label', () => {
    assert.match(problemsOf({ databaseId: 'db_1', backupLabel: '' })[0], /non-empty string/);
    assert.match(problemsOf({ databaseId: 'db_1', backupLabel: 'x'.repeat(201) })[0], /201 characters long; shorten it to at most 200/);
    assert.match(problemsOf({ databaseId: 'db_1', backupLabel: 'a\nb' })[0], /control characters/);
  });

  it('rejects a non-boolean restore and a non-object poll', () => {
    assert.match(problemsOf({ databaseId: 'db_1', restore: 'yes' })[0], /restore, when given, must be true or false/);
    assert.match(problemsOf({ databaseId: 'db_1', poll: 5 })[0], /poll, when given, must be an object/);
  });

  it('takes poll.mode predictive or backoff, and names both when it is anything else', () => {
    assert.deepEqual(problemsOf({ databaseId: 'db_1', poll: { mode: 'backoff' } }), []);
    assert.deepEqual(problemsOf({ databaseId: 'db_1', poll: { mode: 'predictive' } }), []);
    assert.deepEqual(problemsOf({ databaseId: 'db_1', poll: { mode: 'fast' } }), [
      'poll.mode must be one of predictive, backoff; got "fast".',
    ]);
  });

  it('rejects a C1 control character in the label', () => {
    assert.match(problemsOf({ databaseId: 'db_1', backupLabel: 'a\u0085b' })[0], /control characters/);
  });

  it('refuses an apiToken field, saying where the token goes instead', () => {
    assert.deepEqual(problemsOf({ databaseId: 'db_1', apiToken: 'secret' }), [
      'apiToken must not be part of the input (inputs are kept in workflow history): give the worker the token in PRISMA_API_TOKEN or PRISMA_API_TOKEN_FILE.',
    ]);
  });

  it('names unknown fields, at the top and in poll, instead of ignoring a typo', () => {
    assert.match(
      problemsOf({ databaseId: 'db_1', label: 'x' })[0],
      /^label is not a known field; the known ones are profile, databaseId, backupLabel/,
    );
    assert.match(
      problemsOf({ databaseId: 'db_1', poll: { deadline: 5 } })[0],
      /^poll\.deadline is not a known field; the known ones are initialIntervalMs/,
    );
  });

  it('refuses resume, which is internal to the workflow, from callers', () => {
    const resume = {
      backupId: 'bkp_1',
      backupStatus: 'completed',
      pollsMade: 0,
      unlistedPolls: 0,
      startedAt: 1,
      deadlineAt: 2,
      continuedAsNew: 0,
    };
    assert.deepEqual(problemsOf({ databaseId: 'db_1', resume }), [
      'resume is internal to the workflow (a run that continues as new carries its state in a separate argument); leave it out.',
    ]);
  });

  it('lists every problem at once', () => {
    assert.equal(problemsOf({ databaseId: '', backupLabel: '', poll: { jitter: -1 } }).length, 3);
  });
});

describe("a run's arguments: the input, and the state a continuation carries", () => {
  const input = { databaseId: 'db_1' };
  // What the code before this version carried, in input.resume.
  const legacy = {
    backupId: 'bkp_1',
    backupStatus: 'in_progress',
    pollsMade: 3,
    unlistedPolls: 0,
    startedAt: 1000,
    deadlineAt: 5000,
    continuedAsNew: 1,
  };
  const carried = { ...legacy, runStartedAt: 900, failedPolls: 2, pollFailingSince: 3000, lastPollError: 'GET answered 503' };
  const read = (args: unknown, state: unknown, isContinuation: boolean) =>
    readRunArguments(args as BackupAndRestoreInput, state, isContinuation);

  it('takes the input alone when the run is not a continuation', () => {
    assert.deepEqual(read(input, undefined, false), { input, problems: [] });
  });

  it("takes a continuation's carried state", () => {
    assert.deepEqual(read(input, carried, true), { input, carried, problems: [] });
  });

  it("takes a continuation's prediction of its backup's completion", () => {
    const predicted = { ...carried, prediction: { earliestMs: 500, latestMs: 900.5, samples: 3 } };
    assert.deepEqual(read(input, predicted, true), { input, carried: predicted, problems: [] });
  });

  it('takes the state a continuation started by older code carries in input.resume, and leaves it out of the input', () => {
    assert.deepEqual(read({ ...input, resume: legacy }, undefined, true), {
      input,
      carried: { ...legacy, runStartedAt: 1000, failedPolls: 0 },
      problems: [],
    });
  });

  it('refuses carried state in a run that is not a continuation, in either form, so no caller can skip the wait', () => {
    assert.match(read(input, carried, false).problems.join(' '), /only a continuation of a run carries a second/);
    assert.match(read({ ...input, resume: legacy }, undefined, false).problems.join(' '), /resume is internal to the workflow/);
    assert.equal(read(input, carried, false).carried, undefined);
  });

  for (const [what, bad] of [
    ['a completed backup (it would skip the wait)', { backupStatus: 'completed' }],
    ['a failed backup', { backupStatus: 'failed' }],
    ['no backup id', { backupId: '' }],
    ['a missing deadline', { deadlineAt: undefined }],
    ['a deadline before the start', { deadlineAt: 500 }],
    ['a fractional poll count', { pollsMade: 1.5 }],
    ['a negative failed-poll count', { failedPolls: -1 }],
    ['failed polls without an error', { lastPollError: undefined }],
    ['failed polls without a start', { pollFailingSince: undefined }],
    ['an error without failed polls', { failedPolls: 0 }],
    ['an overlong error', { lastPollError: 'x'.repeat(501) }],
    ['a fractional run start', { runStartedAt: 0.5 }],
    ['a prediction that ends before it begins', { prediction: { earliestMs: 900, latestMs: 500, samples: 3 } }],
    ['a prediction from no samples', { prediction: { earliestMs: 500, latestMs: 900, samples: 0 } }],
    ['a prediction that is not an object', { prediction: 'soon' }],
  ] as const) {
    it(`rejects carried state with ${what}`, () => {
      const { problems, carried: accepted } = read(input, { ...carried, ...bad }, true);
      assert.deepEqual(problems, [
        'The state this continuation carries is not valid (it could skip the wait for the backup); nothing was restored. Start a new run.',
      ]);
      assert.equal(accepted, undefined);
    });
  }

  it('rejects a bad legacy resume the same way', () => {
    assert.match(read({ ...input, resume: { ...legacy, backupStatus: 'completed' } }, undefined, true).problems[0], /not valid/);
  });

  it('still checks the input of a continuation', () => {
    assert.match(read({ databaseId: '../x' }, carried, true).problems[0], /not a valid database id/);
  });
});

describe('input validation: restore options', () => {
  it('accepts a restore from an existing backup, into its own database, with approval', () => {
    assert.deepEqual(
      problemsOf({ databaseId: 'db_1', backupId: 'bkp_1-a', targetDatabaseId: 'db_1', approval: { timeoutMs: 60_000 } }),
      [],
    );
    assert.deepEqual(problemsOf({ databaseId: 'db_1', approval: {} }), []);
  });

  for (const backupId of ['../bkp', 'bkp%2F1', 'bkp 1', '', 'x'.repeat(129), 7]) {
    it(`rejects the backup id ${JSON.stringify(backupId)} before any request`, () => {
      assert.match(
        problemsOf({ databaseId: 'db_1', backupId })[0],
        /backupId .* is not a valid backup id: use only letters, digits, _ and -/,
      );
    });
  }

  it("refuses another target database in the seed profile, saying its API restores only into the backup's own database", () => {
    assert.match(
      problemsOf({ databaseId: 'db_1', targetDatabaseId: 'db_2' })[0],
      /targetDatabaseId "db_2" differs from databaseId: the seed API restores a backup only into the database it was taken from .* or use the prisma profile/,
    );
    assert.match(problemsOf({ databaseId: 'db_1', targetDatabaseId: '../db' })[0], /targetDatabaseId is not a valid database id/);
  });

  it('refuses restore options on a run that does not restore', () => {
    const problems = problemsOf({ databaseId: 'db_1', restore: false, backupId: 'bkp_1', targetDatabaseId: 'db_1', approval: {} });
    assert.equal(problems.length, 3);
    for (const problem of problems) assert.match(problem, /cannot be combined with restore: false/);
    assert.match(
      problemsOf({ databaseId: 'db_1', backupId: 'bkp_1', backupLabel: 'x' })[0],
      /leave it out when restoring from an existing backupId/,
    );
  });

  for (const timeoutMs of [0, -1, 999, 1.5, 31 * 24 * 3600_000, 'soon']) {
    it(`rejects the approval timeout ${JSON.stringify(timeoutMs)}`, () => {
      assert.match(
        problemsOf({ databaseId: 'db_1', approval: { timeoutMs } })[0],
        /approval\.timeoutMs must be a whole number from 1000 ms to 2592000000 ms/,
      );
    });
  }

  it('rejects a non-object approval and unknown approval fields', () => {
    assert.match(problemsOf({ databaseId: 'db_1', approval: true })[0], /approval, when given, must be an object/);
    assert.match(problemsOf({ databaseId: 'db_1', approval: { timeout: 5 } })[0], /approval\.timeout is not a known field/);
  });
});

describe('input validation: the profiles', () => {
  const prisma = (input: object) => problemsOf({ profile: 'prisma', databaseId: 'db_1', ...input });

  it('accepts the prisma options: a named or the newest backup, another target, a new database, a newer backup, a ready deadline', () => {
    assert.deepEqual(prisma({}), []);
    assert.deepEqual(prisma({ backupId: 'cabc123', targetDatabaseId: 'db_2', readyDeadlineMs: 600_000, approval: {} }), []);
    assert.deepEqual(prisma({ newDatabase: { projectId: 'proj_1', name: 'restored copy', region: 'eu-central-1' } }), []);
    assert.deepEqual(prisma({ waitForNewerBackup: true }), []);
    assert.deepEqual(problemsOf({ profile: 'seed', databaseId: 'db_1' }), []);
  });

  it('refuses an unknown profile', () => {
    assert.deepEqual(problemsOf({ profile: 'cloud', databaseId: 'db_1' }), [
      'profile "cloud" is not a profile: use prisma (Prisma\'s Management API) or seed (the seed\'s create-backup API).',
    ]);
  });

  it('refuses in the seed profile (or without one) what only the prisma profile can do, with the reason', () => {
    const problems = problemsOf({
      databaseId: 'db_1',
      newDatabase: { projectId: 'proj_1' },
      waitForNewerBackup: true,
      readyDeadlineMs: 60_000,
    });
    assert.equal(problems.length, 3);
    assert.match(
      problems[0],
      /^newDatabase needs the prisma profile \(PRISMA_API_PROFILE=prisma\): the seed API cannot create a database from a backup/,
    );
    assert.match(problems[1], /^waitForNewerBackup needs the prisma profile .*: a seed run takes a new backup itself/);
    assert.match(problems[2], /^readyDeadlineMs needs the prisma profile .*: the seed API does not say when a restored database is ready/);
  });

  it("refuses a backup-only run and a backup label in the prisma profile: Prisma's backups are automatic and daily", () => {
    assert.match(
      prisma({ restore: false })[0],
      /^restore: false asks for a backup only, .*Prisma's backups are automatic and daily, and its API has no on-demand backup/,
    );
    assert.match(prisma({ backupLabel: 'x' })[0], /^backupLabel labels a new backup, which the prisma profile never takes/);
  });

  it('refuses combinations that contradict each other', () => {
    assert.match(
      prisma({ newDatabase: { projectId: 'proj_1' }, targetDatabaseId: 'db_2' })[0],
      /^newDatabase restores into a new database, so it cannot be combined with targetDatabaseId/,
    );
    assert.match(
      prisma({ waitForNewerBackup: true, backupId: 'b1' })[0],
      /^waitForNewerBackup waits for the next automatic backup, so it cannot be combined with backupId/,
    );
  });

  it('checks the new database, the ready deadline and waitForNewerBackup', () => {
    assert.match(prisma({ newDatabase: {} })[0], /^newDatabase.projectId is required/);
    assert.match(prisma({ newDatabase: { projectId: '../p' } })[0], /^newDatabase.projectId is required/);
    assert.match(
      prisma({ newDatabase: { projectId: 'p1', name: 'a\nb' } })[0],
      /^newDatabase.name, when given, must be 1 to 200 characters/,
    );
    assert.match(prisma({ newDatabase: { projectId: 'p1', region: 'mars-1' } })[0], /^newDatabase.region must be one of us-east-1, /);
    assert.match(prisma({ newDatabase: { projectId: 'p1', size: 3 } })[0], /^newDatabase.size is not a known field/);
    assert.match(prisma({ newDatabase: 'proj_1' })[0], /^newDatabase, when given, must be an object/);
    assert.match(prisma({ readyDeadlineMs: 500 })[0], /^readyDeadlineMs must be a whole number from 1000 ms to 2592000000 ms; got 500/);
    assert.match(prisma({ waitForNewerBackup: 'yes' })[0], /^waitForNewerBackup, when given, must be true or false/);
  });
});

describe('the state a prisma continuation carries', () => {
  const input = { profile: 'prisma' as const, databaseId: 'db_1' };
  const counts = { pollsMade: 2, startedAt: 1000, deadlineAt: 5000, failedPolls: 0 };
  const waiting = {
    ...counts,
    backupId: 'c1',
    backupStatus: 'running',
    backupCreatedAt: '2026-01-01T00:00:00Z',
    unlistedPolls: 0,
    continuedAsNew: 0,
    runStartedAt: 900,
  };
  const restore = {
    databaseId: 'db_1',
    created: false,
    step: 'applied',
    requestsSent: 1,
    sourceBefore: null,
    backupCompletedAt: 2000,
    wait: { ...counts, status: 'recovering' },
  };
  const restoring = { ...waiting, backupStatus: 'completed', restore };
  const read = (state: unknown, args: object = input) => readRunArguments(args as BackupAndRestoreInput, state, true).problems;

  it('takes a wait for a running backup, for a newer backup not listed yet, and a restore at a step that waits', () => {
    assert.deepEqual(read(waiting), []);
    const { backupId: _id, backupStatus: _status, ...none } = waiting;
    assert.deepEqual(read(none), []);
    assert.deepEqual(read(restoring), []);
    assert.deepEqual(read({ ...restoring, restore: { ...restore, step: 'read-back' } }), []);
    assert.deepEqual(read({ ...restoring, restore: { ...restore, step: 'check', requestsSent: 0, sourceBefore: undefined } }), []);
    assert.deepEqual(
      read(
        { ...restoring, restore: { ...restore, databaseId: 'db_new', created: true, requestsSent: 0, sourceBefore: undefined } },
        { ...input, newDatabase: { projectId: 'p1' } },
      ),
      [],
    );
  });

  for (const [what, bad, args] of [
    ['a restore in a seed run', restoring, { databaseId: 'db_1' }],
    ['a restore whose backup is not completed', { ...restoring, backupStatus: 'running' }, input],
    ['a restore at the sending step', { ...restoring, restore: { ...restore, step: 'send' } }, input],
    ['a read-back with nothing sent', { ...restoring, restore: { ...restore, step: 'read-back', requestsSent: 0 } }, input],
    [
      'a read-back without the source read before',
      { ...restoring, restore: { ...restore, step: 'read-back', sourceBefore: undefined } },
      input,
    ],
    ['a check after a request was sent', { ...restoring, restore: { ...restore, step: 'check', sourceBefore: undefined } }, input],
    ['a restore into a database the input does not name', { ...restoring, restore: { ...restore, databaseId: 'db_2' } }, input],
    ['a restore without a wait', { ...restoring, restore: { ...restore, wait: undefined } }, input],
    ['a database wait with an unknown status', { ...restoring, restore: { ...restore, wait: { ...counts, status: 'gone' } } }, input],
    ['a seed-style status in a prisma wait', { ...waiting, backupStatus: 'pending' }, input],
    ['no backup in a seed wait', (({ backupId: _id, backupStatus: _s, ...none }) => none)(waiting), { databaseId: 'db_1' }],
  ] as const) {
    it(`rejects ${what}`, () => {
      assert.match(read(bad, args).join(' '), /The state this continuation carries is not valid/);
    });
  }
});
