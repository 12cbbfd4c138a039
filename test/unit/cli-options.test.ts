import { strict as assert } from 'assert';
import { inFlagTerms, inputFromRunOptions, workflowIdProblem } from '../../src/cli/run-options';
import { listQuery } from '../../src/cli/list-query';
import { commandLine } from '../../src/cli/context';
import { cliInvocation, flagsTakenByNpm, missingDashDashMessage, npmScript } from '../../src/cli/invocation';
import { formatDuration, parseDuration } from '../../src/shared/durations';

describe('CLI options', () => {
  it('turns run options into the seed flow input, with durations in milliseconds', () => {
    assert.deepEqual(inputFromRunOptions('run', { databaseId: 'db_1', label: 'x', pollInitial: '1s', pollMax: '2m', deadline: '6h' }), {
      databaseId: 'db_1',
      backupLabel: 'x',
      poll: { initialIntervalMs: 1000, maximumIntervalMs: 120_000, deadlineMs: 21_600_000 },
    });
  });

  it('backup never restores; restore names its backup; approval has a default or a timeout', () => {
    assert.deepEqual(inputFromRunOptions('backup', { databaseId: 'db_1' }), { databaseId: 'db_1', restore: false });
    assert.deepEqual(inputFromRunOptions('restore', { databaseId: 'db_1', backupId: 'bkp_1', targetDatabase: 'db_1' }), {
      databaseId: 'db_1',
      backupId: 'bkp_1',
      targetDatabaseId: 'db_1',
    });
    assert.deepEqual(inputFromRunOptions('run', { databaseId: 'db_1', requireApproval: true }).approval, {});
    assert.deepEqual(inputFromRunOptions('run', { databaseId: 'db_1', approvalTimeout: '2h' }).approval, { timeoutMs: 7_200_000 });
  });

  it('names the flag when a duration has no unit', () => {
    assert.throws(
      () => inputFromRunOptions('run', { databaseId: 'db_1', deadline: '5000' }),
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
