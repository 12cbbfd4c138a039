import { strict as assert } from 'assert';
import { inputProblems } from '../../src/workflows/validate-input';
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

  it('lists every problem at once', () => {
    assert.equal(problemsOf({ databaseId: '', backupLabel: '', poll: { jitter: -1 } }).length, 3);
  });
});
