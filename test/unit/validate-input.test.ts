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
      /^label is not a known field; the known ones are databaseId, backupLabel/,
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

  it("refuses another target database, saying the API restores only into the backup's own database", () => {
    assert.match(
      problemsOf({ databaseId: 'db_1', targetDatabaseId: 'db_2' })[0],
      /targetDatabaseId "db_2" differs from databaseId: the Management API this project calls restores a backup only into the database it was taken from/,
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
