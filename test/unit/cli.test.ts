// The CLI without Temporal: flags to a checked input (src/cli/flags.ts), consent (confirm.ts), how
// it was started (invocation.ts), progress lines (follow.ts), Temporal's errors in its terms, and
// whole commands through runCli with a fake context and a fake client (plain objects) that
// records what would be started.
import { strict as assert } from 'assert';
import { Option } from 'commander';
import { WorkflowNotFoundError, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ServiceError } from '@temporalio/client';
import { confirmTargets, replacedDatabase, YES_REFUSED } from '../../src/cli/confirm';
import { CliError, commandLine, EXIT, type CliContext } from '../../src/cli/context';
import { FLAGS, fleetInput, inFlagTerms, RUN_FLAGS, runInput, type Flag } from '../../src/cli/flags';
import { fleetLine, printEnd, progressLine, webUiBase, workflowUrl } from '../../src/cli/follow';
import { cliInvocation, flagsTakenByNpm, npmScript } from '../../src/cli/invocation';
import { runCli } from '../../src/cli/program';
import { temporalErrorToCli } from '../../src/cli/temporal-errors';
import { FLEET_WORKFLOW_TYPE, TASK_QUEUE, WORKFLOW_TYPE } from '../../src/shared/constants';
import { formatDuration, parseDuration, roughDuration } from '../../src/shared/durations';
import type { ApiProfile } from '../../src/shared/input';
import type { FleetReport, RunStatus } from '../../src/shared/types';

/** The refusal of a CliError: its code and the whole text. */
function cliError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CliError, String(err));
    return err;
  }
  return assert.fail('expected a CliError');
}

describe('flags to a run’s input', () => {
  it('the seed flow: durations in milliseconds, a label, poll settings', () => {
    assert.deepEqual(
      runInput('run', { databaseId: 'db_1', label: 'x', pollInitial: '1s', pollMax: '2m', deadline: '6h', pollMode: 'backoff' }, 'seed'),
      {
        profile: 'seed',
        databaseId: 'db_1',
        backupLabel: 'x',
        poll: { initialIntervalMs: 1_000, maximumIntervalMs: 120_000, deadlineMs: 21_600_000, mode: 'backoff' },
      },
    );
  });

  it('backup never restores; restore names its backup; a drill is verified scratch; approval has a default or a timeout', () => {
    assert.deepEqual(runInput('backup', { databaseId: 'db_1' }, 'seed'), { profile: 'seed', databaseId: 'db_1', restore: false });
    assert.deepEqual(runInput('restore', { databaseId: 'db_1', backupId: 'bkp_1', targetDatabase: 'db_1' }, 'seed'), {
      profile: 'seed',
      databaseId: 'db_1',
      backupId: 'bkp_1',
      targetDatabaseId: 'db_1',
    });
    assert.deepEqual(runInput('drill', { databaseId: 'db_1', project: 'proj_1' }, 'prisma'), {
      profile: 'prisma',
      databaseId: 'db_1',
      drill: true,
      verify: {},
      newDatabase: { projectId: 'proj_1' },
    });
    assert.deepEqual(runInput('run', { databaseId: 'db_1', requireApproval: true }, 'seed').approval, {});
    assert.deepEqual(runInput('run', { databaseId: 'db_1', approvalTimeout: '2h' }, 'seed').approval, { timeoutMs: 7_200_000 });
  });

  it('prisma: restore takes the newest completed backup by default, into another database or a new one', () => {
    assert.deepEqual(runInput('restore', { databaseId: 'db_src' }, 'prisma'), { profile: 'prisma', databaseId: 'db_src' });
    assert.deepEqual(
      runInput(
        'restore',
        { databaseId: 'db_src', targetDatabase: 'db_stage', newerBackup: true, readyTimeout: '30m', holdWindow: '5m' },
        'prisma',
      ),
      {
        profile: 'prisma',
        databaseId: 'db_src',
        targetDatabaseId: 'db_stage',
        waitForNewerBackup: true,
        readyDeadlineMs: 1_800_000,
        holdWindowMs: 300_000,
      },
    );
    assert.deepEqual(
      runInput(
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

  it('--verify asks for the default check, --verify-sql for a check of your own', () => {
    assert.deepEqual(runInput('run', { databaseId: 'db_1', verify: true }, 'seed').verify, {});
    assert.deepEqual(runInput('restore', { databaseId: 'db_1', verifySql: 'SELECT true' }, 'prisma').verify, { sql: 'SELECT true' });
    assert.deepEqual(runInput('drill', { databaseId: 'db_1', project: 'p', verifySql: 'SELECT true' }, 'prisma').verify, {
      sql: 'SELECT true',
    });
    assert.equal(runInput('restore', { databaseId: 'db_1' }, 'prisma').verify, undefined);
  });

  describe('every flag of every kind sets the input field it names', () => {
    /** A value for each flag, what it sets, and what else the input needs for it to be accepted. */
    const SAMPLES: Record<string, [value: unknown, expected: unknown, needs?: Record<string, unknown>]> = {
      '--database-id': ['db_1', 'db_1'],
      '--label': ['nightly', 'nightly'],
      '--backup-id': ['bkp_1', 'bkp_1'],
      '--target-database': ['db_1', 'db_1'],
      '--new-database-in': ['proj_1', 'proj_1'],
      '--new-database-name': ['copy', 'copy', { newDatabaseIn: 'proj_1' }],
      '--region': ['eu-west-3', 'eu-west-3', { newDatabaseIn: 'proj_1', project: 'proj_1' }],
      '--project': ['proj_1', 'proj_1'],
      '--newer-backup': [true, true],
      '--ready-timeout': ['2h', 7_200_000],
      '--hold-window': ['5m', 300_000],
      '--verify': [true, {}],
      '--verify-sql': ['SELECT true', 'SELECT true'],
      '--require-approval': [true, {}],
      '--approval-timeout': ['90m', 5_400_000],
      '--poll-initial': ['250ms', 250],
      '--poll-max': ['5m', 300_000],
      '--deadline': ['1d', 86_400_000],
      '--poll-failing-limit': ['30m', 1_800_000],
      '--poll-mode': ['backoff', 'backoff'],
      '--databases': [' db_a, db_b,,', ['db_a', 'db_b']],
      '--map': [['db_a=db_b', 'db_c=db_c'], { db_a: 'db_b', db_c: 'db_c' }],
      '--concurrency': ['7', 7],
    };
    const get = (input: unknown, path: string) =>
      path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], input);
    const keyOf = (f: Flag) => new Option(f.flags).attributeName();
    const BASES: Record<keyof typeof RUN_FLAGS, { profile: ApiProfile; options: Record<string, unknown> }> = {
      run: { profile: 'seed', options: { databaseId: 'db_1' } },
      backup: { profile: 'seed', options: { databaseId: 'db_1' } },
      restore: { profile: 'prisma', options: { databaseId: 'db_1' } },
      drill: { profile: 'prisma', options: { databaseId: 'db_1', project: 'proj_1' } },
      fleet: { profile: 'prisma', options: { project: 'proj_1' } },
    };

    for (const [kind, flags] of Object.entries(RUN_FLAGS) as [keyof typeof RUN_FLAGS, Flag[]][]) {
      for (const flag of flags) {
        const name = flag.flags.split(' ')[0];
        it(`${kind} ${name} → ${flag.path}`, () => {
          const sample = SAMPLES[name];
          assert.ok(sample, `no sample value for ${name}: add one`);
          const [value, expected, needs = {}] = sample;
          const { profile, options } = BASES[kind];
          const given = { ...options, ...needs, [keyOf(flag)]: value };
          const input =
            kind === 'fleet'
              ? fleetInput(name === '--map' ? 'restore' : 'drill', name === '--map' ? { ...given, project: undefined } : given, profile)
              : runInput(kind, given, profile);
          assert.deepEqual(get(input, flag.path), expected);
        });
      }
    }
  });

  describe('refusals, in the words of the flags typed', () => {
    const refused = (kind: Parameters<typeof runInput>[0], options: Record<string, unknown>, profile: ApiProfile) =>
      cliError(() => runInput(kind, options, profile));

    it('every problem at once, as INVALID_INPUT: nothing was started', () => {
      const err = refused('restore', { databaseId: 'db 1', backupId: '../b', readyTimeout: '500ms' }, 'prisma');
      assert.equal(err.code, 'INVALID_INPUT');
      assert.equal(err.exitCode, EXIT.usage);
      assert.match(
        err.summary,
        /^Nothing was started: --database-id is not a database id.*\. --backup-id is not a backup id.*\. --ready-timeout must be whole milliseconds from 1s to 30d\./,
      );
      assert.equal(err.fix, 'Correct the flags named; `--help` lists them.');
    });

    it('a duration without a unit, a count that is not whole, a --map that is not source=target', () => {
      assert.match(
        refused('run', { databaseId: 'db_1', deadline: '5000' }, 'seed').summary,
        /--deadline takes a duration with a unit, such as 250ms, 30s, 5m, 6h or 1d; got "5000"\./,
      );
      assert.match(
        cliError(() => fleetInput('drill', { project: 'p', concurrency: 'two' }, 'prisma')).summary,
        /--concurrency takes a whole number; got "two"\./,
      );
      for (const pair of ['db_a', 'db_a=', '=db_b', 'a=b=c']) {
        assert.match(
          cliError(() => fleetInput('restore', { map: [pair] }, 'prisma')).summary,
          new RegExp(`--map takes source=target; got "${pair}"\\.`),
        );
      }
    });

    it('cross-field rules name both flags', () => {
      assert.match(
        refused('run', { databaseId: 'db_1', pollInitial: '10m', pollMax: '1m' }, 'seed').summary,
        /--poll-max must not be smaller than --poll-initial\./,
      );
      assert.match(
        refused('restore', { databaseId: 'db_1', newDatabaseIn: 'p', targetDatabase: 'db_2' }, 'prisma').summary,
        /--target-database cannot be combined with --new-database-in\./,
      );
      assert.match(
        refused('restore', { databaseId: 'db_1', newerBackup: true, backupId: 'b' }, 'prisma').summary,
        /--newer-backup cannot be combined with --backup-id\./,
      );
      assert.match(refused('drill', { databaseId: 'db_1' }, 'prisma').summary, /--project is required by a drill/);
      assert.match(refused('restore', { databaseId: 'db_1', backupId: 'b', verify: true }, 'seed').summary, /--verify-sql is needed/);
    });

    it('what the profile cannot do, with the reason', () => {
      assert.match(
        refused('restore', { databaseId: 'db_1', backupId: 'b', targetDatabase: 'db_2' }, 'seed').summary,
        /--target-database must be --database-id: the seed API restores a backup only into its own database/,
      );
      assert.match(
        refused('restore', { databaseId: 'db_1', backupId: 'b', newDatabaseIn: 'p' }, 'seed').summary,
        /--new-database-in needs the prisma profile/,
      );
      assert.match(
        refused('restore', { databaseId: 'db_1', backupId: 'b', readyTimeout: '1h' }, 'seed').summary,
        /--ready-timeout needs the prisma profile/,
      );
      assert.match(refused('restore', { databaseId: 'db_1', region: 'eu-central-1' }, 'prisma').summary, /--new-database-in is required/);
    });

    it('a fleet’s rules in its flags', () => {
      assert.match(cliError(() => fleetInput('drill', {}, 'prisma')).summary, /--project is required by a drill/);
      assert.match(cliError(() => fleetInput('restore', { project: 'p' }, 'prisma')).summary, /--map is required by restore/);
      assert.match(cliError(() => fleetInput('backup', { databases: 'db_1' }, 'prisma')).summary, /action backup needs the seed profile/);
      assert.deepEqual(fleetInput('backup', { databases: 'db_1,db_2' }, 'seed'), {
        profile: 'seed',
        action: 'backup',
        databaseIds: ['db_1', 'db_2'],
      });
    });
  });

  it('inFlagTerms: whole field names only, the longest first, a field inside another as its first flag', () => {
    const flags = RUN_FLAGS.restore;
    assert.equal(
      inFlagTerms('databaseId x; backupId y; targetDatabaseId z; poll.deadlineMs 1; approval.timeoutMs 2; approval', flags),
      '--database-id x; --backup-id y; --target-database z; --deadline 1; --approval-timeout 2; --require-approval',
    );
    assert.equal(
      inFlagTerms(
        'newDatabase.projectId; newDatabase.region; newDatabase.name; newDatabase; waitForNewerBackup; readyDeadlineMs; holdWindowMs',
        flags,
      ),
      '--new-database-in; --region; --new-database-name; --new-database-in; --newer-backup; --ready-timeout; --hold-window',
    );
    assert.equal(inFlagTerms('verify.sql must be one query; verify checks', flags), '--verify-sql must be one query; --verify checks');
    assert.equal(inFlagTerms('newDatabase.projectId is required', RUN_FLAGS.drill), '--project is required');
    assert.equal(
      inFlagTerms('mydatabaseId and databaseIds and x.databaseId stay', flags),
      'mydatabaseId and databaseIds and x.databaseId stay',
    );
    assert.equal(FLAGS.map.many, true);
  });
});

describe('durations', () => {
  it('are read with a unit and written in the shortest exact form', () => {
    assert.deepEqual(
      ['250ms', '1.5h', '1d', ' 90s '].map((t) => parseDuration('--x', t)),
      [250, 5_400_000, 86_400_000, 90_000],
    );
    for (const text of ['5000', '-1h', '1 week', '', '1h30m'])
      assert.throws(() => parseDuration('--every', text), /^Error: --every takes a duration with a unit/);
    assert.deepEqual([0, 999, 90_000, 7_200_000, 86_400_000, 5_400_000].map(formatDuration), ['0s', '999ms', '90s', '2h', '1d', '90m']);
  });

  it('are shown to the second, up to days', () => {
    assert.deepEqual([0, 9_400, 80_000, 3_600_000, 7_500_000, 86_400_000, 93_600_000, -5].map(roughDuration), [
      '0s',
      '9s',
      '1m20s',
      '1h',
      '2h05m',
      '1d',
      '1d02h',
      '0s',
    ]);
  });
});

describe('consent to a restore', () => {
  const asking = (answer?: string) => {
    const asked: string[] = [];
    const ctx = {
      isTTY: answer !== undefined,
      ask: answer === undefined ? undefined : async (q: string) => (asked.push(q), answer),
    } as unknown as CliContext;
    return { ctx, asked };
  };
  const refusal = async (promise: Promise<void>) => {
    let caught: unknown;
    await promise.catch((err: unknown) => (caught = err));
    assert.ok(caught instanceof CliError, String(caught));
    return caught;
  };

  it('is the database whose data a run replaces; a new database or a backup replaces none', () => {
    assert.equal(replacedDatabase({ databaseId: 'db_1' }), 'db_1');
    assert.equal(replacedDatabase({ databaseId: 'db_1', targetDatabaseId: 'db_2' }), 'db_2');
    assert.equal(replacedDatabase({ databaseId: 'db_1', newDatabase: { projectId: 'p' } }), undefined);
    assert.equal(replacedDatabase({ databaseId: 'db_1', newDatabase: { projectId: 'p' }, drill: true }), undefined);
    assert.equal(replacedDatabase({ databaseId: 'db_1', restore: false }), undefined);
  });

  it('is given by the exact id, or by typing it on a terminal', async () => {
    await confirmTargets(asking().ctx, ['db_2'], ['db_2']);
    await confirmTargets(asking().ctx, ['db_b', 'db_a', 'db_a'], ['db_a', 'db_b']);
    await confirmTargets(asking().ctx, [], []);
    const { ctx, asked } = asking(' db_2 ');
    await confirmTargets(ctx, ['db_2'], []);
    assert.deepEqual(asked, ['This replaces all data of database db_2. Type its id to confirm: ']);
  });

  it('is refused for another id, a bare yes, or nothing; nothing was started (or approved, or created)', async () => {
    const other = await refusal(confirmTargets(asking().ctx, ['db_2'], ['db_1']));
    assert.equal(other.code, 'NOT_CONFIRMED');
    assert.equal(
      other.summary,
      '--confirm db_1 does not name a database this replaces: it replaces the data of db_2; nothing was started.',
    );
    assert.equal(other.fix, 'Give --confirm db_2.');
    const none = await refusal(confirmTargets(asking().ctx, ['db_2', 'db_3'], ['db_2'], 'approved'));
    assert.equal(none.summary, 'This replaces all data of db_3, and nothing confirmed it; nothing was approved.');
    assert.match(none.fix, /^Add --confirm db_3 to the same command, or run it on a terminal to be asked\.$/);
    const typed = await refusal(confirmTargets(asking('yes').ctx, ['db_2'], [], 'created'));
    assert.equal(typed.summary, 'Not confirmed (the answer was not db_2); nothing was created.');
    const needless = await refusal(confirmTargets(asking().ctx, [], ['db_1']));
    assert.match(needless.summary, /nothing existing is replaced; nothing was started\.$/);
    assert.equal(needless.fix, 'Leave --confirm out.');
    assert.equal(YES_REFUSED.code, 'CONFIRM_BY_ID');
  });
});

describe('how the CLI was started', () => {
  /** The environment npm gives `npm run starter …` (the script as package.json has it). */
  const NPM_RUN = { npm_command: 'run-script', npm_lifecycle_event: 'starter', npm_lifecycle_script: 'node dist/src/starter.js' };
  const npx = { npm_command: 'exec', npm_lifecycle_event: 'npx' };

  const cases: [string, NodeJS.ProcessEnv, string | undefined, string][] = [
    ['the checkout’s npm script', NPM_RUN, '/checkout/dist/src/starter.js', 'npm run starter --'],
    ['an installed bin', {}, '/usr/local/bin/prisma-backup', 'prisma-backup'],
    ["a project's dependency (node_modules/.bin is not on PATH)", {}, '/project/node_modules/.bin/prisma-backup', 'npx prisma-backup'],
    [
      'a Windows shim, which runs the file itself',
      {},
      'C:\\app\\node_modules\\prisma-postgres-backup-restore\\dist\\src\\starter.js',
      'prisma-backup',
    ],
    ['npx', { ...npx, npm_lifecycle_script: 'prisma-backup' }, '/checkout/dist/src/starter.js', 'npx prisma-backup'],
    ["npm's variables inherited under `npx mocha`", { ...npx, npm_lifecycle_script: 'mocha' }, '/usr/bin/prisma-backup', 'prisma-backup'],
    [
      'under `npm test`',
      { ...NPM_RUN, npm_lifecycle_event: 'test', npm_lifecycle_script: 'mocha' },
      '/c/dist/src/starter.js',
      'npm run starter --',
    ],
    ['a checkout, run directly', {}, '/checkout/dist/src/starter.js', 'npm run starter --'],
    ['no script at all', {}, undefined, 'npm run starter --'],
    [
      "another package's script calling the installed bin",
      { npm_lifecycle_event: 'nightly', npm_lifecycle_script: 'prisma-backup backup --database-id db_1' },
      '/usr/bin/prisma-backup',
      'prisma-backup',
    ],
  ];
  for (const [what, env, script, expected] of cases) {
    it(`${what} → ${expected}`, () => assert.equal(cliInvocation(env, script), expected));
  }

  it('every hint names a command that works there', () => {
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
    // Not started by npm, or by npx (which passes everything on), or by another npm script: nothing to find.
    assert.equal(npmScript({ npm_config_detach: 'true' }), undefined);
    assert.equal(npmScript({ ...npx, npm_lifecycle_script: 'prisma-backup', npm_config_detach: 'true' }), undefined);
    assert.equal(npmScript({ npm_lifecycle_event: 'test', npm_lifecycle_script: 'mocha', npm_config_detach: 'true' }), undefined);
    assert.deepEqual(flagsTakenByNpm(undefined, flags), []);
    // A project's own script that runs the installed bin: flags given to it, too, need `--`.
    const nightly = npmScript({ npm_lifecycle_event: 'nightly', npm_lifecycle_script: 'prisma-backup backup', npm_config_detach: 'true' });
    assert.deepEqual(flagsTakenByNpm(nightly, flags), ['--detach']);
  });
});

describe('progress, in one line', () => {
  const base: RunStatus = { phase: 'waiting-for-backup', profile: 'seed', databaseId: 'db_1', runStartedAt: 10_000 };

  it('a wait: phase, backup, looks, the last look, the next, the deadline, elapsed', () => {
    const status: RunStatus = {
      ...base,
      backupId: 'bkp_1',
      wait: { what: 'Wait for backup bkp_1', startedAt: 20_000, deadlineAt: 3_620_000 },
    };
    const pending = { looks: 3, lastLook: 'backup bkp_1 of db_1 is in_progress, 1m in (look 3); next look in 40s.', nextLookAt: 100_000 };
    assert.equal(
      progressLine(status, pending, 91_000),
      'waiting-for-backup · backup bkp_1 · 3 looks · last: backup bkp_1 of db_1 is in_progress, 1m in (look 3) · next look in 9s · gives up in 58m49s · elapsed 1m21s',
    );
    assert.equal(
      progressLine(status, { looks: 1 }, 91_000),
      'waiting-for-backup · backup bkp_1 · 1 look · gives up in 58m49s · elapsed 1m21s',
    );
    const long = progressLine(status, { looks: 1, lastLook: 'x'.repeat(300) }, 91_000);
    assert.ok(long.includes('x'.repeat(120)) && !long.includes('x'.repeat(121)), 'the last look is cut to 120 characters');
  });

  it('a restore: the target, the step and the requests attempted; a reference database', () => {
    const restoring: RunStatus = {
      ...base,
      profile: 'prisma',
      phase: 'restoring',
      backupId: 'c1',
      targetDatabaseId: 'db_2',
      restoreStep: 'read-back',
      restoreAttempts: 2,
    };
    assert.equal(progressLine(restoring, undefined, 70_000), 'restoring · backup c1 · into db_2: read-back, 2 attempted · elapsed 1m');
    const created: RunStatus = {
      ...base,
      profile: 'prisma',
      phase: 'verifying',
      createdDatabaseId: 'db_9',
      targetDatabaseId: 'db_x',
      restoreStep: 'applied',
      referenceDatabaseId: 'db_ref',
    };
    assert.equal(progressLine(created, undefined, 10_000), 'verifying · into db_9: applied · reference db_ref · elapsed 0s');
  });

  it('approval: a countdown; once ended: elapsed until the end, however long ago', () => {
    assert.equal(
      progressLine({ ...base, phase: 'awaiting-approval', approvalDeadlineAt: 3_610_000 }, undefined, 10_000),
      'awaiting-approval · approval needed within 1h · elapsed 0s',
    );
    assert.equal(progressLine({ ...base, phase: 'completed', endedAt: 70_000 }, undefined, 10_000_000), 'completed · elapsed 1m');
  });

  it("a fleet's totals, or that it is listing", () => {
    const report: FleetReport = {
      action: 'drill',
      startedAt: 0,
      entries: [],
      totals: { passed: 2, restored: 0, 'backed-up': 0, failed: 1, gone: 0, running: 3, waiting: 0 },
    };
    assert.equal(fleetLine(report, 65_000), 'fleet drill · 2 passed · 1 failed · 3 running · elapsed 1m05s');
    assert.equal(fleetLine({ ...report, listing: true }, 1_000), 'fleet drill · listing databases · elapsed 1s');
    assert.equal(fleetLine({ ...report, endedAt: 5_000 }, 99_000), 'fleet drill · 2 passed · 1 failed · 3 running · elapsed 5s');
  });

  it('links to the local Web UI, or to TEMPORAL_UI_URL', () => {
    assert.equal(webUiBase('127.0.0.1:7233', {}), 'http://127.0.0.1:8233');
    assert.equal(webUiBase('localhost:7233', {}), 'http://127.0.0.1:8233');
    assert.equal(webUiBase('temporal.example.com:7233', {}), undefined);
    assert.equal(webUiBase('127.0.0.1:7400', {}), undefined);
    assert.equal(webUiBase('127.0.0.1:7400', { TEMPORAL_UI_URL: 'http://127.0.0.1:8400/' }), 'http://127.0.0.1:8400');
    assert.equal(workflowUrl('http://ui', 'default', 'backup db/1'), 'http://ui/namespaces/default/workflows/backup%20db%2F1');
  });

  it('the end: the result or the typed failure, as text or JSON; the exit code', () => {
    const lines: string[] = [];
    const ctx = { out: (line: string) => lines.push(line) } as unknown as CliContext;
    assert.equal(printEnd(ctx, WORKFLOW_TYPE, { failure: { type: 'BackupFailed', message: 'bkp_1 failed' } }, false), EXIT.failed);
    assert.deepEqual(lines, ['✖ [BackupFailed] bkp_1 failed']);
    assert.equal(printEnd(ctx, WORKFLOW_TYPE, { result: { backupId: 'bkp_1' } }, true), EXIT.ok);
    assert.deepEqual(JSON.parse(lines[1]), { event: 'completed', result: { backupId: 'bkp_1' } });
    const report: FleetReport = {
      action: 'drill',
      startedAt: 0,
      endedAt: 60_000,
      entries: [
        { databaseId: 'db_a', workflowId: 'f-db_a', outcome: 'passed', backupId: 'c1', backupAgeMs: 3_600_000, durationMs: 30_000 },
        { databaseId: 'db_b', workflowId: 'f-db_b', outcome: 'failed', errorType: 'RestoreFailed', message: 'db_b failed' },
      ],
      totals: { passed: 1, restored: 0, 'backed-up': 0, failed: 1, gone: 0, running: 0, waiting: 0 },
    };
    lines.length = 0;
    assert.equal(
      printEnd(ctx, FLEET_WORKFLOW_TYPE, { failure: { type: 'FleetFailed', message: '1 of 2 failed' }, report }, false),
      EXIT.failed,
    );
    assert.match(lines[0], /^ {2}db_a {21}passed · backup c1 \(1h old\) · 30s$/);
    assert.match(lines[1], /db_b .* failed · RestoreFailed: db_b failed$/);
    assert.match(lines[2], /fleet drill · 1 passed · 1 failed · elapsed 1m/);
    assert.equal(lines[3], '✖ [FleetFailed] 1 of 2 failed');
  });
});

describe("Temporal's errors in the CLI's terms", () => {
  const ctx = { temporal: { address: '127.0.0.1:7233', namespace: 'default' } } as CliContext;
  const grpc = (code: number, details: string) => Object.assign(new Error(details), { code, details, metadata: {} });

  it('not found, already started, unreachable, search attributes unregistered, refused', () => {
    const notFound = temporalErrorToCli(new WorkflowNotFoundError('no', 'wf-1', undefined), ctx) as CliError;
    assert.deepEqual(
      [notFound.code, notFound.exitCode, notFound.summary],
      ['NOT_FOUND', EXIT.notFound, 'No run wf-1 in namespace default at 127.0.0.1:7233.'],
    );
    const exists = temporalErrorToCli(new WorkflowExecutionAlreadyStartedError('exists', 'wf-1', WORKFLOW_TYPE), ctx) as CliError;
    assert.deepEqual([exists.code, exists.exitCode], ['ALREADY_EXISTS', EXIT.usage]);
    const down = temporalErrorToCli(new ServiceError('failed', { cause: grpc(14, 'connection refused') }), ctx) as CliError;
    assert.deepEqual([down.code, down.exitCode], ['TEMPORAL_UNREACHABLE', EXIT.unavailable]);
    const attributes = temporalErrorToCli(grpc(3, 'search attribute DatabaseId is not defined'), ctx) as CliError;
    assert.equal(attributes.code, 'SEARCH_ATTRIBUTES');
    assert.match(
      attributes.fix,
      /temporal operator search-attribute create --namespace default --name DatabaseId --type Keyword --name BackupPhase --type Keyword --name BackupId --type Keyword$/,
    );
    const refused = temporalErrorToCli(new ServiceError('permission denied'), ctx) as CliError;
    assert.deepEqual([refused.code, refused.exitCode], ['TEMPORAL_REFUSED', EXIT.failed]);
  });

  it('passes its own errors and anything else through', () => {
    const own = new CliError('X', 's', 'f');
    assert.equal(temporalErrorToCli(own, ctx), own);
    const other = new Error('x');
    assert.equal(temporalErrorToCli(other, ctx), other);
  });
});

// ---- whole commands ----

interface Started {
  type: string;
  options: Record<string, unknown>;
}

/** Runs the CLI with a fake context; a client only when given, so a refusal is proven to reach no Temporal. */
async function cli(
  argv: string[],
  options: { profile?: ApiProfile; client?: object; npmScript?: CliContext['npmScript']; tty?: string } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  let contacted = false;
  const ctx: CliContext = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    isTTY: options.tty !== undefined,
    ask: options.tty === undefined ? undefined : async () => options.tty!,
    client: async () => {
      contacted = true;
      if (!options.client) throw new Error(`contacted Temporal for: ${argv.join(' ')}`);
      return options.client as never;
    },
    temporal: { address: 'temporal.example:7233', namespace: 'default' },
    taskQueue: 'q1',
    apiProfile: () => options.profile ?? 'prisma',
    followIntervalMs: 10,
    invocation: 'npm run starter --',
    npmScript: options.npmScript,
  };
  const code = await runCli(argv, ctx);
  return { code, out, err, contacted, text: [...out, ...err].join('\n') };
}

/** A client that records what is started and answers that no worker polls. */
function startingClient() {
  const started: Started[] = [];
  const client = {
    workflow: {
      start: async (type: string, options: Record<string, unknown>) => {
        started.push({ type, options });
        return { workflowId: options.workflowId, client };
      },
    },
    workflowService: { describeTaskQueue: async () => ({ pollers: [] }) },
  };
  return { client, started };
}

describe('commands that start runs, without Temporal', () => {
  const refusedBefore = async (argv: string[], code: string, profile: ApiProfile = 'prisma', summary?: RegExp) => {
    const run = await cli(argv, { profile });
    assert.equal(run.code, EXIT.usage, run.text);
    assert.match(run.err.join('\n'), new RegExp(`^✖ \\[${code}\\] `));
    if (summary) assert.match(run.err.join('\n'), summary);
    assert.match(run.err.join('\n'), /\n→ /);
    assert.equal(run.contacted, false, 'nothing reached Temporal');
  };

  it('refuses what a profile cannot do', async () => {
    await refusedBefore(
      ['backup', '--database-id', 'db_1'],
      'PROFILE_CANNOT',
      'prisma',
      /`backup` takes an on-demand backup, which Prisma's Management API cannot/,
    );
    await refusedBefore(['run', '--database-id', 'db_1', '--confirm', 'db_1'], 'PROFILE_CANNOT', 'prisma');
    await refusedBefore(['drill', '--database-id', 'db_1', '--project', 'p'], 'PROFILE_CANNOT', 'seed', /the seed API cannot create one/);
    await refusedBefore(
      ['restore', '--database-id', 'db_1', '--confirm', 'db_1'],
      'INVALID_INPUT',
      'seed',
      /needs --backup-id with the seed API/,
    );
  });

  it('refuses a restore without its consent, and a bare --yes', async () => {
    await refusedBefore(
      ['restore', '--database-id', 'db_1'],
      'NOT_CONFIRMED',
      'prisma',
      /This replaces all data of db_1, and nothing confirmed it; nothing was started\./,
    );
    await refusedBefore(['restore', '--database-id', 'db_1', '--target-database', 'db_2', '--confirm', 'db_1'], 'NOT_CONFIRMED');
    await refusedBefore(['restore', '--database-id', 'db_1', '--yes'], 'CONFIRM_BY_ID');
    await refusedBefore(['fleet', 'restore', '--map', 'db_a=db_b', '--confirm', 'db_a'], 'NOT_CONFIRMED');
  });

  it('refuses bad input in flag terms, and a bad workflow id', async () => {
    await refusedBefore(
      ['restore', '--database-id', 'db 1', '--confirm', 'db 1'],
      'INVALID_INPUT',
      'prisma',
      /--database-id is not a database id/,
    );
    await refusedBefore(
      ['restore', '--database-id', 'db_1', '--confirm', 'db_1', '--workflow-id', ' '],
      'INVALID_INPUT',
      'prisma',
      /--workflow-id must be 1 to 1000 characters/,
    );
    await refusedBefore(['fleet', 'drill'], 'INVALID_INPUT', 'prisma', /--project is required by a drill/);
  });

  it('says when npm took flags for itself', async () => {
    const run = await cli(['backup'], { profile: 'seed', npmScript: { name: 'starter', config: { database_id: 'true', detach: 'true' } } });
    assert.equal(run.code, EXIT.usage);
    assert.equal(
      run.err[0],
      '✖ [MISSING_DASH_DASH] npm took --database-id, --detach for itself, so the CLI never got them; nothing was done.\n→ Put `--` after `npm run starter`.',
    );
  });

  it('usage errors and help never contact Temporal; help shows commands as typed here', async () => {
    const unknown = await cli(['frobnicate']);
    assert.deepEqual([unknown.code, unknown.contacted], [EXIT.usage, false]);
    const help = await cli(['--help']);
    assert.deepEqual([help.code, help.contacted], [EXIT.ok, false]);
    assert.match(help.text, /npm run starter -- restore --database-id db_123 --confirm db_123/);
    const missing = await cli(['restore']);
    assert.equal(missing.code, EXIT.usage);
    assert.match(missing.err.join('\n'), /--database-id is required/);
  });

  it('starts a restore, detached: the checked input, its summary and search attributes, on the task queue', async () => {
    const { client, started } = startingClient();
    // The shared Temporal of the suite sets TEMPORAL_UI_URL; this address has no Web UI of its own.
    const ui = process.env.TEMPORAL_UI_URL;
    delete process.env.TEMPORAL_UI_URL;
    const run = await cli(['restore', '--database-id', 'db_1', '--confirm', 'db_1', '--detach', '--hold-window', '5m'], { client }).finally(
      () => ui !== undefined && (process.env.TEMPORAL_UI_URL = ui),
    );
    assert.equal(run.code, EXIT.ok, run.text);
    assert.equal(started.length, 1);
    const [{ type, options }] = started;
    assert.equal(type, WORKFLOW_TYPE);
    assert.match(String(options.workflowId), /^backup-db_1-\d{8}T\d{6}Z$/);
    assert.equal(options.taskQueue, 'q1');
    assert.deepEqual(options.args, [{ profile: 'prisma', databaseId: 'db_1', holdWindowMs: 300_000 }]);
    assert.equal(options.staticSummary, 'Restore db_1 from the newest completed backup of db_1');
    assert.deepEqual(
      (options.typedSearchAttributes as { key: { name: string }; value: unknown }[]).map(({ key, value }) => [key.name, value]),
      [
        ['DatabaseId', 'db_1'],
        ['BackupPhase', 'starting'],
      ],
    );
    assert.match(run.out[0], /^Started backup-db_1-\d+T\d+Z \(database db_1\)\.$/);
    assert.equal(run.out[1], 'Set TEMPORAL_UI_URL to get a Web UI link.');
    assert.match(run.out.at(-1)!, /^Follow it with `npm run starter -- watch backup-db_1-\d+T\d+Z`\.$/);
    assert.deepEqual(run.err, ['No worker polls task queue q1: it waits until one does (`npm run worker`).']);
  });

  it('a consent typed on a terminal; a given workflow id; approval hints the command', async () => {
    const { client, started } = startingClient();
    const run = await cli(['restore', '--database-id', 'db_1', '--detach', '--workflow-id', 'mine', '--require-approval'], {
      client,
      tty: 'db_1',
    });
    assert.equal(run.code, EXIT.ok, run.text);
    assert.equal(started[0].options.workflowId, 'mine');
    assert.ok(
      run.out.includes(
        'Approve the restore with `npm run starter -- approve mine --backup-id <id> --confirm db_1` once the backup is completed.',
      ),
    );
  });

  it('starts a drill under drill-<database>, and a fleet with its own type and id', async () => {
    const { client, started } = startingClient();
    assert.equal((await cli(['drill', '--database-id', 'db_1', '--project', 'proj_1', '--detach', '--json'], { client })).code, EXIT.ok);
    assert.match(String(started[0].options.workflowId), /^drill-db_1-/);
    assert.deepEqual(started[0].options.args, [
      { profile: 'prisma', databaseId: 'db_1', drill: true, verify: {}, newDatabase: { projectId: 'proj_1' } },
    ]);
    const fleet = await cli(
      ['fleet', 'restore', '--map', 'db_a=db_b', '--map', 'db_c=db_c', '--confirm', 'db_b', '--confirm', 'db_c', '--detach'],
      { client },
    );
    assert.equal(fleet.code, EXIT.ok, fleet.text);
    assert.equal(started[1].type, FLEET_WORKFLOW_TYPE);
    assert.match(String(started[1].options.workflowId), /^fleet-restore-2-databases-/);
    assert.deepEqual(started[1].options.args, [{ profile: 'prisma', action: 'restore', targets: { db_a: 'db_b', db_c: 'db_c' } }]);
    assert.equal(started[1].options.staticSummary, 'Fleet restore over 2 databases');
    assert.equal(TASK_QUEUE, 'prisma-backup-restore');
  });
});

describe('commands that read or change a run, against a fake client', () => {
  interface FakeRun {
    type?: string;
    execution?: string;
    status?: Partial<RunStatus>;
    result?: unknown;
    failure?: Error;
  }
  /** A client whose handles describe, query, cancel, update and give the result of these runs; it records what it is asked. */
  function runsClient(runs: Record<string, FakeRun>, listed: { workflowId: string; phase?: string }[] = []) {
    const asked: string[] = [];
    const client = {
      workflow: {
        list: ({ query }: { query: string }) => {
          asked.push(`list ${query}`);
          return (async function* () {
            for (const run of listed) {
              yield {
                workflowId: run.workflowId,
                status: { name: 'RUNNING' },
                startTime: new Date('2026-11-27T10:00:00Z'),
                typedSearchAttributes: {
                  get: (key: { name: string }) => (key.name === 'BackupPhase' ? run.phase : key.name === 'DatabaseId' ? 'db_1' : undefined),
                },
              };
            }
          })();
        },
        getHandle: (workflowId: string) => {
          const run = runs[workflowId];
          const handle = {
            workflowId,
            client: { withDeadline: (_deadline: number, fn: () => unknown) => fn() },
            describe: async () => {
              if (!run) throw new WorkflowNotFoundError('not found', workflowId, undefined);
              return {
                type: run.type ?? WORKFLOW_TYPE,
                status: { name: run.execution ?? 'RUNNING' },
                typedSearchAttributes: { get: () => undefined },
                raw: {},
              };
            },
            query: async () => ({ phase: 'starting', profile: 'prisma', databaseId: 'db_1', runStartedAt: 0, ...run.status }),
            cancel: async () => void asked.push(`cancel ${workflowId}`),
            executeUpdate: async (_update: unknown, { args }: { args: unknown[] }) =>
              void asked.push(`approve ${workflowId} ${JSON.stringify(args)}`),
            result: async () => {
              if (run.failure) throw run.failure;
              return run.result;
            },
          };
          return handle;
        },
      },
    };
    return { client, asked };
  }

  it('list: a visibility query built from checked values only, and a table or JSON lines', async () => {
    const { client, asked } = runsClient({}, [{ workflowId: 'backup-db_1-x', phase: 'restoring' }]);
    const table = await cli(['list', '--database-id', 'db_1', '--phase', 'failed'], { client });
    assert.equal(table.code, EXIT.ok, table.text);
    assert.equal(asked[0], "list WorkflowType = 'backupAndRestoreDatabase' AND DatabaseId = 'db_1' AND BackupPhase = 'failed'");
    assert.match(table.out[0], /^WORKFLOW ID +EXECUTION +PHASE +DATABASE +BACKUP +STARTED$/);
    assert.match(table.out[1], /^backup-db_1-x +RUNNING +restoring +db_1 +2026-11-27T10:00:00\.000Z$/);
    await cli(['list', '--phase', 'awaiting-approval', '--json'], { client });
    assert.equal(
      asked[1],
      "list WorkflowType = 'backupAndRestoreDatabase' AND BackupPhase = 'awaiting-approval' AND ExecutionStatus = 'Running'",
    );
    const none = await cli(['list'], { client: runsClient({}).client });
    assert.equal(none.out[0], "No runs match WorkflowType = 'backupAndRestoreDatabase'.");
    for (const argv of [
      ['--database-id', "db' OR '1'='1"],
      ['--phase', 'done'],
    ]) {
      const refused = await cli(['list', ...argv], { client });
      assert.equal(refused.code, EXIT.usage);
      assert.match(refused.err[0], /^✖ \[INVALID_INPUT\]/);
    }
    assert.equal((await cli(['list', '--limit', '0'], { client })).code, EXIT.usage);
    assert.equal(asked.length, 2, 'no query for refused values');
  });

  it('approve: a run waiting for approval, its target confirmed, its backup named', async () => {
    const waiting = { status: { phase: 'awaiting-approval', targetDatabaseId: 'db_2', backupId: 'c1' } as Partial<RunStatus> };
    const { client, asked } = runsClient({ wf: waiting, done: { execution: 'COMPLETED' }, other: { type: 'somethingElse' } });
    const unconfirmed = await cli(['approve', 'wf', '--backup-id', 'c1'], { client });
    assert.equal(unconfirmed.code, EXIT.usage);
    assert.match(unconfirmed.err[0], /This replaces all data of db_2, and nothing confirmed it; nothing was approved\./);
    const approved = await cli(['approve', 'wf', '--backup-id', 'c1', '--confirm', 'db_2'], { client });
    assert.equal(approved.code, EXIT.ok, approved.text);
    assert.deepEqual(asked, ['approve wf [{"backupId":"c1"}]']);
    assert.equal(approved.out[0], 'Approved: wf now restores backup c1. `npm run starter -- watch wf` follows it.');
    assert.match(
      (await cli(['approve', 'done', '--backup-id', 'c1'], { client })).err[0],
      /^✖ \[NOT_WAITING\] done already ended \(COMPLETED\)\./,
    );
    const notOurs = await cli(['approve', 'other', '--backup-id', 'c1'], { client });
    assert.deepEqual(
      [notOurs.code, notOurs.err[0].split('\n')[0]],
      [EXIT.notFound, '✖ [NOT_OURS] other is a somethingElse workflow, not a backup run.'],
    );
    const missing = await cli(['approve', 'nope', '--backup-id', 'c1'], { client });
    assert.equal(missing.code, EXIT.notFound);
    assert.match(missing.err[0], /^✖ \[NOT_FOUND\] No run nope in namespace default at temporal\.example:7233\./);
  });

  it('cancel: says whether a restore already sent is finished first', async () => {
    const { client, asked } = runsClient({
      sent: { status: { phase: 'restoring', restoreStep: 'send' } },
      checking: { status: { phase: 'restoring', restoreStep: 'check' } },
      drill: { status: { phase: 'waiting-for-database', drill: true } },
      over: { execution: 'FAILED' },
    });
    assert.match((await cli(['cancel', 'sent'], { client })).out[0], /^sent has sent its restore, which cancelling does not undo/);
    assert.match(
      (await cli(['cancel', 'checking'], { client })).out[0],
      /^Cancellation of checking requested; a restore not yet sent is never sent\./,
    );
    assert.match((await cli(['cancel', 'drill'], { client })).out[0], /^Cancellation of drill requested/);
    assert.equal((await cli(['cancel', 'over'], { client })).out[0], 'over already ended (FAILED); nothing to cancel.');
    assert.deepEqual(asked, ['cancel sent', 'cancel checking', 'cancel drill']);
  });

  it('status of a run that ended: its result, or its typed failure and exit 1', async () => {
    const { client } = runsClient({
      ok: { execution: 'COMPLETED', result: { backupId: 'c1' } },
      bad: { execution: 'FAILED', failure: new Error('failed', { cause: new WorkflowNotFoundError('x', 'y', undefined) }) },
    });
    const ok = await cli(['status', 'ok'], { client });
    assert.deepEqual([ok.code, ok.out[0]], [EXIT.ok, 'ok: COMPLETED']);
    assert.match(ok.out[1], /^Result:\n\{\n {2}"backupId": "c1"\n\}$/);
    const bad = await cli(['status', 'bad', '--json'], { client });
    assert.equal(bad.code, EXIT.failed);
    assert.deepEqual(JSON.parse(bad.out[0]).event, 'failed');
  });
});
