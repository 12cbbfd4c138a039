// What a run and a fleet say of themselves, and how they are started: the Web UI's summary and
// details (src/shared/describe.ts), a run's current details (src/workflows/details.ts), a fleet's
// children, totals and details (src/workflows/fleet.ts), and the start options (src/runs/start.ts).
import { strict as assert } from 'assert';
import { defaultWorkflowId, fleetStartOptions, InvalidInputError, runStartOptions } from '../../src/runs/start';
import {
  DATABASE_ID_KEY,
  FLEET_WORKFLOW_TYPE,
  PHASE_KEY,
  SEARCH_ATTRIBUTE_NAMES,
  TASK_QUEUE,
  WORKFLOW_TYPE,
} from '../../src/shared/constants';
import { runDetails, runSummary } from '../../src/shared/describe';
import {
  childInput,
  FleetInputSchema,
  problemsOf,
  problemText,
  RunInputSchema,
  type FleetInput,
  type RunInput,
} from '../../src/shared/input';
import type { FleetEntry, FleetReport, RunStatus } from '../../src/shared/types';
import { currentDetails } from '../../src/workflows/details';
import { fleetDetails, totals } from '../../src/workflows/fleet';

const SEED = { profile: 'seed', databaseId: 'db_1' } as const;
const PRISMA = { profile: 'prisma', databaseId: 'db_1' } as const;
const at = (iso: string) => Date.parse(iso);

describe('the summary of a run, in one line', () => {
  const cases: [RunInput, string][] = [
    [SEED, 'Back up db_1, then restore it'],
    [{ ...SEED, approval: {} }, 'Back up db_1, then restore it (after approval)'],
    [{ ...SEED, restore: false }, 'Back up db_1 (no restore)'],
    [{ ...SEED, backupId: 'bkp_1' }, 'Restore db_1 from backup bkp_1'],
    [{ ...SEED, backupId: 'bkp_1', approval: {} }, 'Restore db_1 from backup bkp_1 (after approval)'],
    [PRISMA, 'Restore db_1 from the newest completed backup of db_1'],
    [{ ...PRISMA, backupId: 'c1', approval: {} }, 'Restore db_1 from backup c1 of db_1 (after approval)'],
    [{ ...PRISMA, waitForNewerBackup: true }, 'Restore db_1 from the first backup of db_1 after the run starts'],
    [{ ...PRISMA, targetDatabaseId: 'db_2' }, 'Restore db_2 from the newest completed backup of db_1'],
    [{ ...PRISMA, newDatabase: { projectId: 'proj_1' } }, 'Create a database in proj_1 from the newest completed backup of db_1'],
    [
      { ...PRISMA, newDatabase: { projectId: 'proj_1' }, drill: true },
      'Drill: restore the newest completed backup of db_1 into a scratch database in proj_1, verify it, delete it',
    ],
  ];
  for (const [input, summary] of cases) it(summary, () => assert.equal(runSummary(input), summary));
});

describe('the details of a run, as a Markdown list', () => {
  it('seed: the profile, the database, the restore, the looks, when it gives up, the approval', () => {
    assert.equal(
      runDetails({ ...SEED, backupLabel: 'nightly', approval: { timeoutMs: 3_600_000 } }),
      [
        '- **API profile**: seed (a backup on demand)',
        '- **Database**: `db_1`',
        '- **Restore**: the new backup into `db_1`',
        '- **Looks**: from every 5s to every 2m (predictive)',
        '- **Gives up after**: 6h, or 1h of failing looks, never restoring',
        '- **Approval**: required within 1h',
      ].join('\n'),
    );
    assert.match(
      runDetails({ ...SEED, restore: false, poll: { initialIntervalMs: 1_000, mode: 'backoff' } }),
      /- \*\*Restore\*\*: no\n- \*\*Looks\*\*: from every 1s to every 2m \(backoff\)/,
    );
    assert.match(
      runDetails({ ...SEED, backupId: 'bkp_1', approval: {} }),
      /- \*\*Restore\*\*: backup bkp_1 into `db_1`[\s\S]*- \*\*Approval\*\*: required within 1d$/,
    );
  });

  it('prisma: the backup, the target or the new database, the ready deadline and the hold window', () => {
    assert.equal(
      runDetails({ ...PRISMA, newDatabase: { projectId: 'proj_1', name: 'copy' }, readyDeadlineMs: 1_800_000, holdWindowMs: 600_000 }),
      [
        "- **API profile**: prisma (Prisma's Management API: automatic daily backups)",
        '- **Database**: `db_1`',
        '- **Restore**: the newest completed backup of db_1 into a new database in project `proj_1` named copy',
        '- **Looks**: from every 5s to every 2m (predictive)',
        '- **Gives up after**: 6h, or 1h of failing looks, never restoring',
        '- **Ready within**: 30m',
        '- **Hold window**: after an unknown outcome, nothing is sent again for 10m',
      ].join('\n'),
    );
    assert.match(
      runDetails({ ...PRISMA, targetDatabaseId: 'db_2', backupId: 'c1' }),
      /- \*\*Restore\*\*: backup c1 of db_1 into `db_2`\n[\s\S]*- \*\*Ready within\*\*: 1h\n- \*\*Hold window\*\*: .* 15m$/,
    );
  });

  it('how a run verifies, and what a drill is', () => {
    const drill: RunInput = { ...PRISMA, newDatabase: { projectId: 'proj_1' }, drill: true };
    assert.match(
      runDetails(drill),
      /- \*\*Verify\*\*: table inventory \(rows and checksums\)\n- \*\*Drill\*\*: the new database is scratch: deleted at the end, also when the run fails or is cancelled$/,
    );
    assert.match(runDetails({ ...SEED, verify: {} }), /- \*\*Verify\*\*: table inventory \(rows and checksums\)$/);
    assert.match(
      runDetails({ ...SEED, verify: { sql: 'SELECT true' } }),
      /- \*\*Verify\*\*: your SQL check \(READ ONLY; every column of every row true\)$/,
    );
    assert.doesNotMatch(runDetails(SEED), /Verify/);
  });
});

describe("a run's current details", () => {
  const base: RunStatus = { phase: 'waiting-for-backup', profile: 'seed', databaseId: 'db_1', runStartedAt: at('2026-11-27T02:00:00Z') };

  it('a wait: what it waits for, that its looks are the pending activity, and when it gives up', () => {
    const status: RunStatus = {
      ...base,
      backupId: 'bkp_1',
      backupCreatedAt: '2026-11-27T02:00:01Z',
      wait: {
        what: 'Wait for backup bkp_1 of db_1 to complete',
        startedAt: at('2026-11-27T02:00:05Z'),
        deadlineAt: at('2026-11-27T08:00:05Z'),
      },
    };
    assert.equal(
      currentDetails(status),
      '**waiting-for-backup**: backup `bkp_1` (taken at 2026-11-27T02:00:01Z).\n\n' +
        'Wait for backup bkp_1 of db_1 to complete. Each look is an attempt of the pending activity below; gives up at 2026-11-27T08:00:05Z.',
    );
  });

  it('a predicted wait: when it expects the end, from how many runs, and why looks are sparse before', () => {
    const status: RunStatus = {
      ...base,
      wait: {
        what: 'Wait',
        startedAt: at('2026-11-27T03:00:00Z'),
        deadlineAt: at('2026-11-27T09:00:00Z'),
        expected: { earliestMs: 50 * 60_000, latestMs: 70 * 60_000, samples: 5 },
      },
    };
    assert.equal(
      currentDetails(status).split('\n\n')[2],
      'Expects the end between 2026-11-27T03:50:00Z and 2026-11-27T04:10:00Z from 5 earlier runs: looks are sparse before.',
    );
    const one = { ...status, wait: { ...status.wait!, expected: { earliestMs: 1, latestMs: 2, samples: 1 } } };
    assert.match(currentDetails(one), /from 1 earlier run:/);
  });

  it('awaiting approval: the backup, the target, and until when', () => {
    assert.equal(
      currentDetails({
        ...base,
        phase: 'awaiting-approval',
        backupId: 'bkp_1',
        targetDatabaseId: 'db_1',
        approvalDeadlineAt: at('2026-11-28T03:00:00Z'),
      }),
      '**Awaiting approval** to restore backup `bkp_1` into `db_1`.\n\nWithout approval by 2026-11-28T03:00:00Z, nothing is restored.',
    );
    assert.equal(currentDetails({ ...base, phase: 'awaiting-approval', backupId: 'c1' }), '**Awaiting approval** to restore backup `c1`.');
  });

  it('each restore step in words, and the requests attempted', () => {
    const restoring: RunStatus = { ...base, profile: 'prisma', phase: 'restoring', backupId: 'c1', targetDatabaseId: 'db_2' };
    const step = (restoreStep: RunStatus['restoreStep'], extra: Partial<RunStatus> = {}) =>
      currentDetails({ ...restoring, restoreStep, ...extra });
    assert.equal(
      step('check'),
      '**Restoring** `db_2` from backup `c1`: reading the target first: nothing is sent while it is provisioning or recovering.',
    );
    assert.equal(
      step('send', { restoreAttempts: 1 }),
      '**Restoring** `db_2` from backup `c1`: the request is under way.\n\nRestore requests attempted: 1.',
    );
    assert.match(
      step('read-back', { restoreAttempts: 2, resentAfterHoldWindow: true }),
      /reading the target back, sending nothing again while the API could still hold it\.\n\nRestore requests attempted: 2 \(sent again after the hold window\)\.$/,
    );
    assert.match(step('conflict'), /the API answered 409 \(the target is busy\): no second request is sent; waiting for the target\.$/);
    assert.match(step('applied'), /: accepted\.$/);
    assert.match(currentDetails({ ...restoring, createdDatabaseId: 'db_9', restoreStep: 'applied' }), /^\*\*Restoring\*\* `db_9`/);
  });

  it('verifying: against a reference database, or reading it', () => {
    assert.match(
      currentDetails({ ...base, phase: 'verifying', targetDatabaseId: 'db_2', referenceDatabaseId: 'db_ref' }),
      /^\*\*Verifying\*\* `db_2` against `db_ref`, a reference database from the same backup \(deleted once read\)\.$/,
    );
    assert.equal(currentDetails({ ...base, phase: 'verifying' }), '**Verifying** `db_1`: reading its data.');
  });

  it('ended: how and when', () => {
    assert.equal(
      currentDetails({ ...base, phase: 'completed', endedAt: at('2026-11-27T04:00:00Z') }),
      '**Completed** at 2026-11-27T04:00:00Z.',
    );
    assert.equal(currentDetails({ ...base, phase: 'cancelled' }), '**Cancelled**.');
    assert.equal(currentDetails({ ...base, phase: 'starting' }), '**starting**.');
  });
});

describe('a fleet', () => {
  const drill: FleetInput = { profile: 'prisma', action: 'drill', projectId: 'proj_1' };

  it("asks each database's run for what the fleet does", () => {
    assert.deepEqual(childInput(drill, 'db_a'), {
      profile: 'prisma',
      databaseId: 'db_a',
      newDatabase: { projectId: 'proj_1' },
      drill: true,
      verify: {},
    });
    assert.deepEqual(
      childInput({ ...drill, verify: { sql: 'SELECT true' }, readyDeadlineMs: 7_200_000, poll: { mode: 'backoff' } }, 'db_a'),
      {
        profile: 'prisma',
        databaseId: 'db_a',
        poll: { mode: 'backoff' },
        readyDeadlineMs: 7_200_000,
        newDatabase: { projectId: 'proj_1' },
        drill: true,
        verify: { sql: 'SELECT true' },
      },
    );
    // Passed through, so the run's schema (and so the fleet's) refuses what a seed run cannot do.
    const seedFleet: FleetInput = { profile: 'seed', action: 'backup', databaseIds: ['db_a'], readyDeadlineMs: 7_200_000 };
    assert.deepEqual(childInput(seedFleet, 'db_a'), { profile: 'seed', databaseId: 'db_a', readyDeadlineMs: 7_200_000, restore: false });
    assert.match(problemText(problemsOf(FleetInputSchema, seedFleet)), /^readyDeadlineMs needs the prisma profile/);
    const restore: FleetInput = { profile: 'prisma', action: 'restore', targets: { db_a: 'db_a_copy' }, verify: {} };
    assert.deepEqual(childInput(restore, 'db_a'), { profile: 'prisma', databaseId: 'db_a', targetDatabaseId: 'db_a_copy', verify: {} });
  });

  describe('every child of a fleet the schema accepts is a run the schema accepts', () => {
    const fleets: [string, FleetInput, string][] = [
      ['a drill', { ...drill, databaseIds: ['db_a'] }, 'db_a'],
      [
        'a drill with a check and a long ready deadline',
        { ...drill, verify: { sql: 'SELECT true' }, readyDeadlineMs: 2 * 3_600_000 },
        'db_a',
      ],
      ['a prisma restore', { profile: 'prisma', action: 'restore', targets: { db_a: 'db_b' } }, 'db_a'],
      ['seed backups', { profile: 'seed', action: 'backup', databaseIds: ['db_a'], poll: { deadlineMs: 60_000 } }, 'db_a'],
      ['a seed restore of each into itself', { profile: 'seed', action: 'restore', targets: { db_a: 'db_a' }, verify: {} }, 'db_a'],
    ];
    for (const [what, fleet, databaseId] of fleets) {
      it(what, () => {
        assert.deepEqual(problemsOf(FleetInputSchema, fleet), []);
        assert.deepEqual(problemsOf(RunInputSchema, childInput(fleet, databaseId)), []);
      });
    }
    it('a drill with a ready deadline under 15 min, and a seed restore into another database (BUG: the fleet is accepted, then every child fails InvalidInput)', () => {
      for (const [fleet, databaseId] of [
        [{ ...drill, readyDeadlineMs: 10 * 60_000 }, 'db_a'],
        [{ profile: 'seed', action: 'restore', targets: { db_a: 'db_b' } }, 'db_a'],
      ] as [FleetInput, string][]) {
        const accepted = problemsOf(FleetInputSchema, fleet).length === 0;
        const childAccepted = problemsOf(RunInputSchema, childInput(fleet, databaseId)).length === 0;
        assert.equal(accepted, childAccepted, JSON.stringify(fleet));
      }
    });
  });

  const entry = (databaseId: string, extra: Partial<FleetEntry> = {}): FleetEntry => ({
    databaseId,
    workflowId: `f-${databaseId}`,
    ...extra,
  });

  it('totals: waiting, running, and each outcome', () => {
    assert.deepEqual(
      totals([
        entry('a'),
        entry('b', { startedAt: 1 }),
        entry('c', { startedAt: 1, outcome: 'passed' }),
        entry('d', { startedAt: 1, outcome: 'failed' }),
        entry('e', { startedAt: 1, outcome: 'gone' }),
        entry('f', { startedAt: 1, outcome: 'passed' }),
      ]),
      { passed: 2, restored: 0, 'backed-up': 0, failed: 1, gone: 1, running: 1, waiting: 1 },
    );
    assert.deepEqual(totals([]), { passed: 0, restored: 0, 'backed-up': 0, failed: 0, gone: 0, running: 0, waiting: 0 });
  });

  it('details: the totals, then the databases that did not pass, at most 50', () => {
    const report = (entries: FleetEntry[], extra: Partial<FleetReport> = {}): FleetReport => ({
      action: 'drill',
      startedAt: 0,
      entries,
      totals: totals(entries),
      ...extra,
    });
    assert.equal(
      fleetDetails(
        report([
          entry('a', { outcome: 'passed', startedAt: 1 }),
          entry('b', { outcome: 'failed', errorType: 'RestoreFailed', startedAt: 1 }),
          entry('c', { outcome: 'gone', startedAt: 1 }),
        ]),
      ),
      '**Fleet drill**: 1 passed, 1 failed, 1 gone.\n- `b`: failed (RestoreFailed)\n- `c`: gone',
    );
    assert.equal(fleetDetails(report([], { listing: true })), '**Fleet drill**: listing the databases.');
    assert.equal(fleetDetails(report([])), '**Fleet drill**: nothing yet.');
    const many = Array.from({ length: 60 }, (_, i) => entry(`db_${i}`, { outcome: 'failed', startedAt: 1 }));
    assert.equal(fleetDetails(report(many)).split('\n').length, 51);
  });
});

describe('starting a run or a fleet', () => {
  it('names runs by kind, subject and UTC time', () => {
    assert.equal(defaultWorkflowId('backup', 'db_1', new Date('2026-11-27T10:15:00.123Z')), 'backup-db_1-20261127T101500Z');
    assert.match(defaultWorkflowId('fleet-drill', 'proj_1'), /^fleet-drill-proj_1-\d{8}T\d{6}Z$/);
  });

  it('a run: checked input, its summary and details, search attributes, the task queue', () => {
    const options = runStartOptions({ ...SEED, restore: false });
    assert.equal(options.taskQueue, TASK_QUEUE);
    assert.deepEqual(options.args, [{ ...SEED, restore: false }]);
    assert.equal(options.staticSummary, 'Back up db_1 (no restore)');
    assert.equal(options.staticDetails, runDetails({ ...SEED, restore: false }));
    assert.deepEqual(options.typedSearchAttributes, [
      { key: DATABASE_ID_KEY, value: 'db_1' },
      { key: PHASE_KEY, value: 'starting' },
    ]);
    const bare = runStartOptions(SEED, { taskQueue: 'q', searchAttributes: false });
    assert.equal(bare.taskQueue, 'q');
    assert.equal('typedSearchAttributes' in bare, false, 'a server without them registered refuses them');
  });

  it('refuses input the workflow would refuse, with every problem; nothing is started', () => {
    assert.throws(
      () => runStartOptions({ profile: 'seed', databaseId: '../x', apiToken: 't' } as unknown as RunInput),
      (err: unknown) => {
        assert.ok(err instanceof InvalidInputError);
        assert.deepEqual(
          err.problems.map((p) => p.path),
          ['databaseId', 'apiToken'],
        );
        assert.match(err.message, /^Nothing was started: databaseId is not a database id.*\. apiToken must not be in the input/);
        return true;
      },
    );
    assert.throws(() => fleetStartOptions({ profile: 'seed', action: 'drill' } as FleetInput), InvalidInputError);
  });

  it('a fleet: its summary, and a BackupPhase telling it its children may carry theirs', () => {
    const options = fleetStartOptions({ profile: 'prisma', action: 'drill', projectId: 'proj_1' });
    assert.equal(options.staticSummary, 'Fleet drill over project proj_1');
    assert.deepEqual(options.typedSearchAttributes, [{ key: PHASE_KEY, value: 'fleet' }]);
    assert.equal(
      fleetStartOptions({ profile: 'seed', action: 'backup', databaseIds: ['a', 'b', 'c'] }).staticSummary,
      'Fleet backup over 3 databases',
    );
    assert.equal(
      fleetStartOptions({ profile: 'prisma', action: 'restore', targets: { a: 'b' } }, { searchAttributes: false }).typedSearchAttributes,
      undefined,
    );
  });

  it('names the worker, the clients and the tests agree on', () => {
    assert.deepEqual([TASK_QUEUE, WORKFLOW_TYPE, FLEET_WORKFLOW_TYPE], ['prisma-backup-restore', 'backupAndRestoreDatabase', 'fleet']);
    assert.deepEqual(SEARCH_ATTRIBUTE_NAMES, ['DatabaseId', 'BackupPhase', 'BackupId']);
  });
});
