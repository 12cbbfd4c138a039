import { strict as assert } from 'assert';
import { ApplicationFailure } from '@temporalio/common';
import { backupInWords, consentProblem, replacedDatabase } from '../../src/cli/confirm';
import { runFailure } from '../../src/cli/follow';
import { inFlagTerms, inputFromRunOptions, workflowIdProblem, type RunOptions } from '../../src/cli/run-options';
import { listQuery } from '../../src/cli/list-query';
import { commandLine } from '../../src/cli/context';
import { cliInvocation, flagsTakenByNpm, missingDashDashMessage, npmScript } from '../../src/cli/invocation';
import { formatDuration, parseDuration } from '../../src/shared/durations';
import { inputProblems } from '../../src/shared/validate-input';

describe('CLI options', () => {
  it('turns run options into the seed flow input, with durations in milliseconds', () => {
    assert.deepEqual(
      inputFromRunOptions('run', { databaseId: 'db_1', label: 'x', pollInitial: '1s', pollMax: '2m', deadline: '6h' }, 'seed'),
      {
        profile: 'seed',
        databaseId: 'db_1',
        backupLabel: 'x',
        poll: { initialIntervalMs: 1000, maximumIntervalMs: 120_000, deadlineMs: 21_600_000 },
      },
    );
  });

  it('--poll-mode forces a polling policy; a mode it does not know is refused in flag terms', () => {
    assert.deepEqual(inputFromRunOptions('run', { databaseId: 'db_1', pollMode: 'backoff' }, 'seed').poll, { mode: 'backoff' });
    assert.equal(
      inFlagTerms(inputProblems(inputFromRunOptions('run', { databaseId: 'db_1', pollMode: 'fast' }, 'seed')).join(' ')),
      '--poll-mode must be one of predictive, backoff; got "fast".',
    );
  });

  it('backup never restores; restore names its backup; approval has a default or a timeout', () => {
    assert.deepEqual(inputFromRunOptions('backup', { databaseId: 'db_1' }, 'seed'), {
      profile: 'seed',
      databaseId: 'db_1',
      restore: false,
    });
    assert.deepEqual(inputFromRunOptions('restore', { databaseId: 'db_1', backupId: 'bkp_1', targetDatabase: 'db_1' }, 'seed'), {
      profile: 'seed',
      databaseId: 'db_1',
      backupId: 'bkp_1',
      targetDatabaseId: 'db_1',
    });
    assert.deepEqual(inputFromRunOptions('run', { databaseId: 'db_1', requireApproval: true }, 'seed').approval, {});
    assert.deepEqual(inputFromRunOptions('run', { databaseId: 'db_1', approvalTimeout: '2h' }, 'seed').approval, { timeoutMs: 7_200_000 });
  });

  it('prisma: restore takes the newest completed backup by default, into another database or a new one', () => {
    assert.deepEqual(inputFromRunOptions('restore', { databaseId: 'db_src' }, 'prisma'), { profile: 'prisma', databaseId: 'db_src' });
    assert.deepEqual(
      inputFromRunOptions(
        'restore',
        { databaseId: 'db_src', targetDatabase: 'db_stage', newerBackup: true, readyTimeout: '30m' },
        'prisma',
      ),
      { profile: 'prisma', databaseId: 'db_src', targetDatabaseId: 'db_stage', waitForNewerBackup: true, readyDeadlineMs: 1_800_000 },
    );
    assert.deepEqual(
      inputFromRunOptions(
        'restore',
        { databaseId: 'db_src', backupId: 'bkp_1', newDatabaseIn: 'proj_1', newDatabaseName: 'drill', region: 'eu-central-1' },
        'prisma',
      ),
      {
        profile: 'prisma',
        databaseId: 'db_src',
        backupId: 'bkp_1',
        newDatabase: { projectId: 'proj_1', name: 'drill', region: 'eu-central-1' },
      },
    );
  });

  it('refuses, with the reason, what the profile cannot do', () => {
    const refused = (kind: 'run' | 'backup' | 'restore', options: RunOptions, profile: 'prisma' | 'seed', message: RegExp) =>
      assert.throws(() => inputFromRunOptions(kind, options, profile), message);
    refused('backup', { databaseId: 'db_1' }, 'prisma', /`backup` takes an on-demand backup, .* Prisma's backups are automatic and daily/);
    refused('run', { databaseId: 'db_1' }, 'prisma', /`run` backs up, then restores .* Use `restore`/);
    refused('restore', { databaseId: 'db_1', label: 'x' }, 'prisma', /--label labels an on-demand backup/);
    refused(
      'restore',
      { databaseId: 'db_1', targetDatabase: 'db_2', newDatabaseIn: 'p' },
      'prisma',
      /Give either --target-database .* or --new-database-in/,
    );
    refused('restore', { databaseId: 'db_1', backupId: 'b', newerBackup: true }, 'prisma', /Give either --backup-id .* or --newer-backup/);
    refused(
      'restore',
      { databaseId: 'db_1', region: 'eu-central-1' },
      'prisma',
      /--region describes the new database of --new-database-in/,
    );
    refused(
      'restore',
      { databaseId: 'db_1', backupId: 'b', targetDatabase: 'db_2' },
      'seed',
      /the seed API restores a backup only into its own database and cannot create databases/,
    );
    refused(
      'restore',
      { databaseId: 'db_1', backupId: 'b', newDatabaseIn: 'p' },
      'seed',
      /--new-database-in restores into a new database, and the seed API/,
    );
    refused(
      'restore',
      { databaseId: 'db_1', newerBackup: true },
      'seed',
      /--newer-backup waits for one of Prisma's automatic daily backups/,
    );
    refused(
      'restore',
      { databaseId: 'db_1', backupId: 'b', readyTimeout: '1h' },
      'seed',
      /--ready-timeout .* the seed API reports no database status/,
    );
    refused('restore', { databaseId: 'db_1' }, 'seed', /restore needs --backup-id/);
  });

  it('the consent is the exact id of the database a restore replaces; a new database needs none', () => {
    assert.equal(replacedDatabase({ databaseId: 'db_1' }), 'db_1');
    assert.equal(replacedDatabase({ databaseId: 'db_1', targetDatabaseId: 'db_2' }), 'db_2');
    assert.equal(replacedDatabase({ databaseId: 'db_1', newDatabase: { projectId: 'p' } }), undefined);
    assert.equal(replacedDatabase({ databaseId: 'db_1', restore: false }), undefined);
    assert.equal(consentProblem('db_2', 'db_2'), undefined);
    assert.match(
      consentProblem('db_2', 'db_1')!,
      /^--confirm "db_1" is not the target database: this restore replaces the data of db_2, so --confirm must be exactly db_2\.$/,
    );
    assert.match(consentProblem('db_2', 'yes')!, /--confirm must be exactly db_2/);
    assert.match(consentProblem('db_2', undefined)!, /Confirm with --confirm db_2/);
    assert.equal(backupInWords({ profile: 'prisma', databaseId: 'db_1', targetDatabaseId: 'db_2' }), 'the newest completed backup of db_1');
    assert.equal(
      backupInWords({ profile: 'prisma', databaseId: 'db_1', backupId: 'b_1', targetDatabaseId: 'db_2' }),
      'backup b_1 of database db_1',
    );
    assert.equal(backupInWords({ profile: 'seed', databaseId: 'db_1' }), 'the new backup');
  });

  it("shows a restore conflict in Prisma's CLI words, other failures as typed", () => {
    assert.deepEqual(runFailure(ApplicationFailure.nonRetryable('db_2 is recovering', 'RestoreConflict')), {
      type: 'DATABASE_RESTORE_CONFLICT',
      message: 'db_2 is recovering',
    });
    // Said once, where the workflow's message leads with it already.
    assert.deepEqual(runFailure(ApplicationFailure.nonRetryable('DATABASE_RESTORE_CONFLICT: the API refused it', 'RestoreConflict')), {
      type: 'DATABASE_RESTORE_CONFLICT',
      message: 'the API refused it',
    });
    assert.equal(runFailure(ApplicationFailure.nonRetryable('x', 'BackupFailed')).type, 'BackupFailed');
  });

  it('names the flag when a duration has no unit', () => {
    assert.throws(
      () => inputFromRunOptions('run', { databaseId: 'db_1', deadline: '5000' }, 'seed'),
      /^Error: --deadline takes a duration with a unit, such as 250ms, 30s, 5m, 6h or 1d; got "5000"\.$/,
    );
    assert.throws(() => parseDuration('--every', '-1h'), /--every takes a duration/);
    assert.throws(() => parseDuration('--every', '1 week'), /--every takes a duration/);
  });

  it('reads and writes durations', () => {
    assert.equal(parseDuration('--x', '250ms'), 250);
    assert.equal(parseDuration('--x', '1.5h'), 5_400_000);
    assert.equal(parseDuration('--x', '1d'), 86_400_000);
    assert.deepEqual([0, 999, 90_000, 7_200_000, 86_400_000].map(formatDuration), ['0s', '999ms', '90s', '2h', '1d']);
  });

  it('refuses an empty, oversized or control-character workflow id', () => {
    assert.equal(workflowIdProblem('--workflow-id', 'backup-db_1-20261127T030000Z'), undefined);
    assert.match(workflowIdProblem('--workflow-id', ' ')!, /--workflow-id is empty: give the run's workflow id/);
    assert.match(workflowIdProblem('--workflow-id', 'x'.repeat(1001))!, /1001 characters long; Temporal allows at most 1000/);
    assert.match(workflowIdProblem('--workflow-id', 'a\nb')!, /control characters/);
  });

  it('speaks of flags, not input fields', () => {
    assert.equal(
      inFlagTerms('databaseId x; backupId y; targetDatabaseId z; poll.deadlineMs 1; approval.timeoutMs 2; backupLabel'),
      '--database-id x; --backup-id y; --target-database z; --deadline 1; --approval-timeout 2; --label',
    );
    assert.equal(
      inFlagTerms('newDatabase.projectId; newDatabase.region; newDatabase.name; newDatabase; waitForNewerBackup; readyDeadlineMs'),
      '--new-database-in; --region; --new-database-name; --new-database-in; --newer-backup; --ready-timeout',
    );
  });

  it('builds list queries from checked values only', () => {
    assert.equal(listQuery({}), "WorkflowType = 'backupAndRestoreDatabase'");
    assert.equal(
      listQuery({ databaseId: 'db_1', phase: 'failed' }),
      "WorkflowType = 'backupAndRestoreDatabase' AND DatabaseId = 'db_1' AND BackupPhase = 'failed'",
    );
    assert.equal(
      listQuery({ phase: 'awaiting-approval' }),
      "WorkflowType = 'backupAndRestoreDatabase' AND BackupPhase = 'awaiting-approval' AND ExecutionStatus = 'Running'",
    );
    assert.throws(() => listQuery({ databaseId: "db' OR '1'='1" }), /is not a valid database id/);
    assert.throws(() => listQuery({ phase: 'done' }), /--phase must be one of/);
  });
});

describe('how the CLI was started', () => {
  /** The environment npm gives `npm run starter …` (the script as package.json has it). */
  const NPM_RUN = { npm_command: 'run-script', npm_lifecycle_event: 'starter', npm_lifecycle_script: 'ts-node src/starter.ts' };

  it('hints name the command that works where the user is', () => {
    assert.equal(cliInvocation(NPM_RUN, '/checkout/src/starter.ts'), 'npm run starter --');
    assert.equal(cliInvocation({}, '/usr/local/bin/prisma-backup'), 'prisma-backup');
    // A project's dependency: its bin is in node_modules/.bin, which is not on PATH.
    assert.equal(cliInvocation({}, '/project/node_modules/.bin/prisma-backup'), 'npx prisma-backup');
    // Windows shims run the file itself; it lies in node_modules when installed.
    assert.equal(cliInvocation({}, 'C:\\app\\node_modules\\prisma-postgres-backup-restore\\bin\\prisma-backup.js'), 'prisma-backup');
    const npx = { npm_command: 'exec', npm_lifecycle_event: 'npx' };
    assert.equal(cliInvocation({ ...npx, npm_lifecycle_script: 'prisma-backup' }, '/checkout/bin/prisma-backup.js'), 'npx prisma-backup');
    // npm's variables are inherited: under `npx mocha` or `npm test`, the CLI is not what npm ran.
    assert.equal(cliInvocation({ ...npx, npm_lifecycle_script: 'mocha' }, '/usr/bin/prisma-backup'), 'prisma-backup');
    assert.equal(
      cliInvocation({ ...NPM_RUN, npm_lifecycle_event: 'test', npm_lifecycle_script: 'mocha' }, '/c/src/starter.ts'),
      'npm run starter --',
    );
    // In a checkout, run directly: prisma-backup is not on PATH there.
    assert.equal(cliInvocation({}, '/checkout/bin/prisma-backup.js'), 'npm run starter --');
    assert.equal(cliInvocation({}, '/checkout/src/starter.ts'), 'npm run starter --');
    // Another package's script that calls the installed bin is not ours to name.
    assert.equal(
      cliInvocation(
        { npm_lifecycle_event: 'nightly', npm_lifecycle_script: 'prisma-backup backup --database-id db_1' },
        '/usr/bin/prisma-backup',
      ),
      'prisma-backup',
    );
    assert.equal(commandLine({ invocation: 'npm run starter --' }, 'watch wf-1'), 'npm run starter -- watch wf-1');
    assert.equal(commandLine({}, 'watch wf-1'), 'prisma-backup watch wf-1');
  });

  it('finds the flags npm kept for itself when `--` was left out', () => {
    const flags = ['--database-id', '--label', '--detach', '--yes', '--json', '--no-approval', '--detach'];
    // `npm run starter backup --database-id db_1 --detach --no-approval --yes`, with yes=false in .npmrc
    const script = npmScript({
      ...NPM_RUN,
      npm_config_database_id: 'true',
      npm_config_detach: 'true',
      npm_config_approval: '',
      npm_config_yes: '',
      npm_config_cache: '/home/u/.npm',
    });
    assert.deepEqual(script, {
      name: 'starter',
      config: { database_id: 'true', detach: 'true', approval: '', yes: '', cache: '/home/u/.npm' },
    });
    assert.deepEqual(flagsTakenByNpm(script, flags), ['--database-id', '--detach', '--no-approval']);
    // With `--`, npm passes the flags on: only its own settings are in the environment.
    assert.deepEqual(flagsTakenByNpm(npmScript({ ...NPM_RUN, npm_config_yes: 'true', npm_config_json: 'true' }), flags), []);
    // Not started by npm, or by npx (which passes everything after the command on): nothing to find.
    assert.equal(npmScript({ npm_config_detach: 'true' }), undefined);
    assert.equal(
      npmScript({ npm_command: 'exec', npm_lifecycle_event: 'npx', npm_lifecycle_script: 'prisma-backup', npm_config_detach: 'true' }),
      undefined,
    );
    // An npm script of other commands (`npm test` running mocha) is not what started the CLI.
    assert.equal(npmScript({ npm_lifecycle_event: 'test', npm_lifecycle_script: 'mocha', npm_config_detach: 'true' }), undefined);
    // A project's own script that runs the installed bin: flags given to it, too, need `--`.
    const nightly = npmScript({ npm_lifecycle_event: 'nightly', npm_lifecycle_script: 'prisma-backup backup', npm_config_detach: 'true' });
    assert.deepEqual(flagsTakenByNpm(nightly, flags), ['--detach']);
    assert.equal(
      missingDashDashMessage(script!, ['--database-id', '--detach']),
      'npm took --database-id, --detach for itself, so the CLI never got them: put `--` after `npm run starter`, ' +
        'e.g. `npm run starter -- backup --database-id db_123`. Nothing was done.',
    );
  });
});
