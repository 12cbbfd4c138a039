import { strict as assert } from 'assert';
import { inFlagTerms, parseStarterArgs } from '../../src/client/args';

describe('starter arguments', () => {
  it('builds the seed flow by default', () => {
    assert.deepEqual(parseStarterArgs(['--database-id', 'db_1']), {
      help: false,
      workflowId: undefined,
      input: { databaseId: 'db_1', backupLabel: undefined, restore: true },
    });
  });

  it('maps every option', () => {
    const args = parseStarterArgs([
      '--database-id=db_1', '--label', 'nightly', '--backup-only', '--workflow-id', 'wf-1',
      '--poll-initial-ms', '1000', '--poll-max-ms', '60000', '--deadline-ms', '3600000',
    ]);
    assert.deepEqual(args, {
      help: false,
      workflowId: 'wf-1',
      input: {
        databaseId: 'db_1',
        backupLabel: 'nightly',
        restore: false,
        poll: { initialIntervalMs: 1000, maximumIntervalMs: 60000, deadlineMs: 3600000 },
      },
    });
  });

  it('answers --help and -h', () => {
    assert.deepEqual(parseStarterArgs(['--help']), { help: true });
    assert.deepEqual(parseStarterArgs(['-h']), { help: true });
  });

  it('rejects unknown flags', () => {
    assert.throws(() => parseStarterArgs(['--database-id', 'db_1', '--force']), /Unknown option '--force'/);
  });

  it('rejects a non-numeric, negative or fractional duration', () => {
    for (const value of ['soon', '-5', '1.5', '']) {
      assert.throws(() => parseStarterArgs(['--database-id', 'db_1', `--deadline-ms=${value}`]), /--deadline-ms takes a whole number of milliseconds/);
    }
  });
});

describe('messages in flag terms', () => {
  it('names the flags the user typed instead of input fields', () => {
    assert.equal(
      inFlagTerms('databaseId is required. poll.deadlineMs must be a number; poll.initialIntervalMs too. backupLabel is long.'),
      '--database-id is required. --deadline-ms must be a number; --poll-initial-ms too. --label is long.',
    );
  });
});
