// The one schema of a run's and a fleet's input (src/shared/input.ts): what it accepts, what it
// refuses and how each refusal is worded, one problem per field with its dotted path.
import { strict as assert } from 'assert';
import {
  DATABASE_ID,
  DEFAULT_FLEET_CONCURRENCY,
  FleetInputSchema,
  problemsOf,
  problemText,
  RunInputSchema,
  type FleetInput,
  type Problem,
  type RunInput,
} from '../../src/shared/input';

const SEED = { profile: 'seed', databaseId: 'db_1' } as const;
const PRISMA = { profile: 'prisma', databaseId: 'db_1' } as const;
const DAY = 86_400_000;

const run = (input: unknown) => problemsOf(RunInputSchema, input);
const seed = (fields: object) => run({ ...SEED, ...fields });
const prisma = (fields: object) => run({ ...PRISMA, ...fields });
const fleet = (input: unknown) => problemsOf(FleetInputSchema, input);
const paths = (problems: Problem[]) => problems.map((p) => p.path);

/** Exactly one problem, at `path`, whose message matches. */
function oneProblem(problems: Problem[], path: string, message: RegExp) {
  assert.deepEqual(paths(problems), [path], JSON.stringify(problems));
  assert.match(problems[0].message, message);
}

/** A problem at `path` whose message matches, among others that follow from the same value. */
function problemAt(problems: Problem[], path: string, message: RegExp) {
  const found = problems.find((p) => p.path === path);
  assert.ok(found, `no problem at ${path}: ${JSON.stringify(problems)}`);
  assert.match(found.message, message);
}

describe('run input: accepted', () => {
  const good: [string, RunInput][] = [
    ['a seed run: back up, then restore', { ...SEED }],
    ['a plain seed id of another shape', { profile: 'seed', databaseId: 'cm1abcdefghij' }],
    ['a labelled backup only', { ...SEED, backupLabel: 'before migration 42', restore: false }],
    ['poll settings', { ...SEED, poll: { initialIntervalMs: 200, deadlineMs: 60_000, mode: 'backoff' } }],
    ['poll.mode predictive', { ...SEED, poll: { mode: 'predictive' } }],
    ['a seed restore of an existing backup into its own database', { ...SEED, backupId: 'bkp_1-a', targetDatabaseId: 'db_1' }],
    ['approval with and without a timeout', { ...SEED, approval: { timeoutMs: 60_000 } }],
    ['approval {}', { ...SEED, approval: {} }],
    ['verify {} (seed, taking its own backup)', { ...SEED, verify: {} }],
    ['verify.sql', { ...SEED, verify: { sql: 'SELECT count(*) > 0 AS ok FROM t' } }],
    ['verify.sql with a backupId (seed)', { ...SEED, backupId: 'bkp_1', verify: { sql: 'SELECT true' } }],
    ['a prisma restore of the newest backup', { ...PRISMA }],
    [
      'a prisma restore of a named backup into another database, with a ready deadline and approval',
      { ...PRISMA, backupId: 'cabc123', targetDatabaseId: 'db_2', readyDeadlineMs: 600_000, holdWindowMs: 300_000, approval: {} },
    ],
    ['a new database', { ...PRISMA, newDatabase: { projectId: 'proj_1', name: 'restored copy', region: 'eu-central-1' } }],
    ['a newer backup', { ...PRISMA, waitForNewerBackup: true }],
    ['verify {} in prisma', { ...PRISMA, verify: {} }],
    ['a drill', { ...PRISMA, newDatabase: { projectId: 'proj_1' }, drill: true }],
    [
      'a drill with a commented WITH query',
      { ...PRISMA, newDatabase: { projectId: 'proj_1' }, drill: true, verify: { sql: '/* c */ WITH x AS (SELECT 1) SELECT true' } },
    ],
    ['drill: false into a new database', { ...PRISMA, newDatabase: { projectId: 'proj_1' }, drill: false }],
    ['VALUES and TABLE checks, after a line comment', { ...PRISMA, verify: { sql: '-- mine\nVALUES (true)' } }],
    ['a hold window just under the ready deadline', { ...PRISMA, readyDeadlineMs: 60_000, holdWindowMs: 59_000 }],
  ];
  for (const [what, input] of good) {
    it(what, () => assert.deepEqual(run(input), []));
  }
});

describe('run input: refused before anything is sent', () => {
  it('a profile is required, and only prisma or seed', () => {
    oneProblem(run({ databaseId: 'db_1' }), 'profile', /^must be prisma or seed: the API the workers speak \(PRISMA_API_PROFILE\)$/);
    oneProblem(run({ profile: 'cloud', databaseId: 'db_1' }), 'profile', /must be prisma or seed/);
  });

  it('a missing databaseId is required', () => {
    oneProblem(run({ profile: 'seed' }), 'databaseId', /^is required$/);
  });

  // Ids become URL path segments and visibility queries.
  for (const databaseId of [
    '',
    '   ',
    '../db_1',
    'db%2F1',
    'db_1?x=1',
    'db 1',
    'db/1',
    'db-1',
    'db_1\n',
    "db' OR '1'='1",
    'x'.repeat(129),
  ]) {
    it(`the database id ${JSON.stringify(databaseId.slice(0, 20))}`, () => {
      oneProblem(seed({ databaseId }), 'databaseId', /^is not a database id: use letters, digits and _ \(at most 128\)$/);
      assert.equal(DATABASE_ID.test(databaseId), false);
    });
  }

  for (const backupId of ['../bkp', 'bkp%2F1', 'bkp 1', '', 'x'.repeat(129)]) {
    it(`the backup id ${JSON.stringify(backupId.slice(0, 20))}`, () => {
      oneProblem(seed({ backupId }), 'backupId', /^is not a backup id: use letters, digits, _ and - \(at most 128\)$/);
    });
  }

  it('other ids: a target database, a project', () => {
    oneProblem(prisma({ targetDatabaseId: '../db' }), 'targetDatabaseId', /is not a database id/);
    oneProblem(prisma({ newDatabase: { projectId: '../p' } }), 'newDatabase.projectId', /^is not a project id/);
  });

  it('an empty, oversized or control-character label or database name', () => {
    oneProblem(seed({ backupLabel: '' }), 'backupLabel', /^is empty$/);
    oneProblem(seed({ backupLabel: 'x'.repeat(201) }), 'backupLabel', /^is longer than 200 characters$/);
    assert.deepEqual(seed({ backupLabel: 'x'.repeat(200) }), []);
    for (const backupLabel of ['a\nb', 'a\tb', 'a\u0000b', 'a\u007fb', 'a\u0085b']) {
      oneProblem(seed({ backupLabel }), 'backupLabel', /^contains control characters$/);
    }
    oneProblem(prisma({ newDatabase: { projectId: 'p1', name: 'a\nb' } }), 'newDatabase.name', /control characters/);
  });

  it('a region that is not one of Prisma’s', () => {
    oneProblem(prisma({ newDatabase: { projectId: 'p1', region: 'mars-1' } }), 'newDatabase.region', /us-east-1.*eu-central-1.*inherit/);
  });

  for (const timeoutMs of [0, -1, 999, 31 * DAY]) {
    it(`the approval timeout ${timeoutMs}`, () => {
      oneProblem(seed({ approval: { timeoutMs } }), 'approval.timeoutMs', /^must be whole milliseconds from 1s to 30d$/);
    });
  }

  it('durations of the prisma waits: ready deadline, hold window', () => {
    problemAt(prisma({ readyDeadlineMs: 500 }), 'readyDeadlineMs', /^must be whole milliseconds from 1s to 30d$/);
    oneProblem(prisma({ holdWindowMs: 500 }), 'holdWindowMs', /^must be whole milliseconds from 1s to 30d$/);
  });

  it('any hold window with any ready deadline: a read-back lasts the hold window, then the ready deadline', () => {
    assert.deepEqual(prisma({ readyDeadlineMs: 60_000, holdWindowMs: 60_000 }), []);
    assert.deepEqual(prisma({ readyDeadlineMs: 10 * 60_000 }), []);
    oneProblem(prisma({ holdWindowMs: 500 }), 'holdWindowMs', /from 1s to 30d/);
  });

  describe('poll settings', () => {
    for (const [field, value, message] of [
      ['initialIntervalMs', 0, /^must be whole milliseconds from 100ms to 1h$/],
      ['initialIntervalMs', -5, /from 100ms to 1h/],
      ['maximumIntervalMs', 2 * 3_600_000, /from 100ms to 1h/],
      ['backoffCoefficient', 0.5, /^must be from 1 to 10$/],
      ['backoffCoefficient', 11, /^must be from 1 to 10$/],
      ['jitter', -1, /^must be from 0 to 1$/],
      ['jitter', 2, /^must be from 0 to 1$/],
      ['deadlineMs', 0, /^must be whole milliseconds from 1s to 30d$/],
      ['deadlineMs', 400 * DAY, /from 1s to 30d/],
      ['failingLimitMs', 999, /from 1s to 30d/],
      ['failingLimitMs', 31 * DAY, /from 1s to 30d/],
      ['mode', 'fast', /predictive.*backoff/],
    ] as const) {
      it(`poll.${field} = ${value}`, () => oneProblem(seed({ poll: { [field]: value } }), `poll.${field}`, message));
    }

    it('a maximum below the initial interval', () => {
      oneProblem(
        seed({ poll: { initialIntervalMs: 10_000, maximumIntervalMs: 5_000 } }),
        'poll.maximumIntervalMs',
        /^must not be smaller than poll.initialIntervalMs$/,
      );
    });
  });

  describe('unknown fields, named one by one instead of ignored', () => {
    it('the API token, saying where it goes instead', () => {
      oneProblem(
        seed({ apiToken: 'secret' }),
        'apiToken',
        /^must not be in the input, which is kept in workflow history: give the worker PRISMA_API_TOKEN$/,
      );
    });

    it('a typo at the top, in poll, in approval, in verify and in newDatabase', () => {
      oneProblem(seed({ label: 'x' }), 'label', /^is not a known field$/);
      oneProblem(seed({ poll: { deadline: 5 } }), 'poll.deadline', /^is not a known field$/);
      oneProblem(seed({ approval: { timeout: 5 } }), 'approval.timeout', /is not a known field/);
      oneProblem(seed({ verify: { query: 'x' } }), 'verify.query', /is not a known field/);
      oneProblem(prisma({ newDatabase: { projectId: 'p1', size: 3 } }), 'newDatabase.size', /is not a known field/);
      assert.deepEqual(paths(seed({ a: 1, b: 2 })), ['a', 'b']);
    });

    it('state a run could be resumed from: the input is the only argument, so no caller can skip a wait', () => {
      oneProblem(seed({ resume: { backupId: 'bkp_1', backupStatus: 'completed' } }), 'resume', /is not a known field/);
    });
  });

  describe('what only the prisma profile does, refused in seed with the reason', () => {
    for (const [field, value] of [
      ['newDatabase', { projectId: 'proj_1' }],
      ['waitForNewerBackup', true],
      ['readyDeadlineMs', 60_000],
      ['holdWindowMs', 30_000],
      ['drill', true],
    ] as const) {
      it(field, () => {
        oneProblem(
          seed({ [field]: value }),
          field,
          /^needs the prisma profile: the seed API cannot create databases or report their status$/,
        );
      });
    }

    it('all of them at once, one problem each', () => {
      const problems = seed({ newDatabase: { projectId: 'p' }, waitForNewerBackup: true, readyDeadlineMs: 60_000 });
      assert.deepEqual(paths(problems), ['newDatabase', 'waitForNewerBackup', 'readyDeadlineMs']);
    });

    it('another target database: the seed API restores a backup only into its own database', () => {
      oneProblem(
        seed({ targetDatabaseId: 'db_2' }),
        'targetDatabaseId',
        /^must be databaseId: the seed API restores a backup only into its own/,
      );
    });
  });

  describe("what the prisma profile cannot do: Prisma's backups are automatic and daily", () => {
    it('a backup only, a backup label', () => {
      oneProblem(prisma({ restore: false }), 'restore', /^cannot be false: Prisma's backups are automatic and daily/);
      oneProblem(prisma({ backupLabel: 'x' }), 'backupLabel', /^labels a new backup, and Prisma's API takes none on demand$/);
    });
  });

  describe('combinations that contradict each other', () => {
    it('restore options on a run that does not restore', () => {
      const problems = seed({ restore: false, backupId: 'bkp_1', targetDatabaseId: 'db_1', approval: {}, verify: { sql: 'SELECT true' } });
      assert.deepEqual(paths(problems), ['backupId', 'targetDatabaseId', 'approval', 'verify']);
      for (const { message } of problems) assert.equal(message, 'concerns the restore, and restore is false');
    });

    it('a label with an existing backup', () => {
      oneProblem(seed({ backupId: 'bkp_1', backupLabel: 'x' }), 'backupLabel', /^labels a new backup; leave it out with backupId$/);
    });

    it('a new database and a target; a newer backup and a named one', () => {
      oneProblem(
        prisma({ newDatabase: { projectId: 'proj_1' }, targetDatabaseId: 'db_2' }),
        'targetDatabaseId',
        /cannot be combined with newDatabase/,
      );
      oneProblem(prisma({ waitForNewerBackup: true, backupId: 'b1' }), 'waitForNewerBackup', /^cannot be combined with backupId$/);
    });
  });

  describe('verification', () => {
    for (const [sql, message] of [
      ['', /^must be one query beginning with SELECT, WITH, VALUES or TABLE \(it runs READ ONLY\)$/],
      ['DELETE FROM orders', /must be one query beginning with SELECT/],
      ['-- only a comment', /must be one query/],
      ['/* SELECT */ UPDATE t SET a = 1', /must be one query/],
      ['SELECTED', /must be one query/],
      [`SELECT ${'x'.repeat(10_000)}`, /^is longer than 10,000 characters$/],
    ] as const) {
      it(`verify.sql ${JSON.stringify(sql.slice(0, 24))}`, () => oneProblem(seed({ verify: { sql } }), 'verify.sql', message));
    }

    it('verify.sql with NUL or another C0 control character (BUG: accepted; the old validation refused it, and NUL cannot reach Postgres)', () => {
      oneProblem(seed({ verify: { sql: 'SELECT 1\u0000' } }), 'verify.sql', /control characters/);
      assert.deepEqual(seed({ verify: { sql: 'SELECT\n\ttrue\r\n' } }), [], 'tabs and newlines are fine');
    });

    it('seed: the default check of an existing backup has nothing to compare with', () => {
      oneProblem(
        seed({ backupId: 'bkp_1', verify: {} }),
        'verify.sql',
        /^is needed: the default check compares with the source's data around a backup the run takes itself$/,
      );
    });
  });

  describe('drills', () => {
    it('need a new database to be scratch', () => {
      oneProblem(prisma({ drill: true }), 'newDatabase', /^is required by a drill: the project its scratch database is created in$/);
    });
    it('accept a ready deadline under the default hold window, which no drill uses (BUG: `drill --ready-timeout 10m` is refused: "holdWindowMs must be shorter than readyDeadlineMs")', () => {
      assert.deepEqual(prisma({ drill: true, newDatabase: { projectId: 'proj_1' }, readyDeadlineMs: 10 * 60_000 }), []);
      assert.deepEqual(prisma({ newDatabase: { projectId: 'proj_1' }, readyDeadlineMs: 10 * 60_000 }), []);
    });
    it('take no approval: they replace no data', () => {
      oneProblem(
        prisma({ drill: true, newDatabase: { projectId: 'proj_1' }, approval: {} }),
        'approval',
        /^is not taken by a drill, which replaces no data$/,
      );
    });
  });

  it('lists every problem at once, one per field', () => {
    const problems = seed({ databaseId: '', backupLabel: '', poll: { jitter: -1 } });
    assert.deepEqual(paths(problems), ['databaseId', 'backupLabel', 'poll.jitter']);
  });

  describe('values of the wrong type', () => {
    // zod 4 gives an issue its `input` only under reportInput, so problemsOf takes every invalid_type for a missing field.
    const BUG = 'BUG: problemsOf says "is required" for a value that is present with the wrong type';
    for (const [what, fields, path] of [
      ['a numeric databaseId', { databaseId: 42 }, 'databaseId'],
      ['a numeric backupId', { backupId: 7 }, 'backupId'],
      ['restore: "yes"', { restore: 'yes' }, 'restore'],
      ['poll: 5', { poll: 5 }, 'poll'],
      ['approval: true', { approval: true }, 'approval'],
      ['approval.timeoutMs: "soon"', { approval: { timeoutMs: 'soon' } }, 'approval.timeoutMs'],
      ['approval.timeoutMs: 1.5 (not whole)', { approval: { timeoutMs: 1.5 } }, 'approval.timeoutMs'],
      ['poll.deadlineMs: NaN', { poll: { deadlineMs: Number.NaN } }, 'poll.deadlineMs'],
      ['verify: true', { verify: true }, 'verify'],
    ] as const) {
      it(`${what}: one problem at its path`, () => assert.deepEqual(paths(seed(fields)), [path]));
      it(`${what}: not called missing (${BUG})`, () => assert.notEqual(seed(fields)[0].message, 'is required'));
    }
    it('drill: "yes" and waitForNewerBackup: "yes" in prisma', () => {
      assert.deepEqual(paths(prisma({ drill: 'yes', waitForNewerBackup: 'yes', newDatabase: 'proj_1' })), [
        'newDatabase',
        'waitForNewerBackup',
        'drill',
      ]);
    });
  });

  it('one problem per field, as problemsOf promises (BUG: a seed targetDatabaseId "../db" gets two: not an id, and not databaseId)', () => {
    assert.deepEqual(paths(seed({ targetDatabaseId: '../db' })), ['targetDatabaseId']);
  });

  describe('no input object at all', () => {
    for (const input of [null, 'db_1', 42, []]) {
      it(`${JSON.stringify(input)}: one problem`, () => assert.equal(run(input).length, 1));
    }
    it('undefined, null or a string: the problem is named "input" (BUG: path "" and "is required", so problemText says " is required.")', () => {
      for (const input of [undefined, null, 'db_1']) {
        const [problem] = run(input);
        assert.equal(problem.path, 'input');
        assert.ok(!problemText([problem]).startsWith(' '));
      }
    });
  });
});

describe('problem text', () => {
  it('one sentence per problem, the path as given or renamed', () => {
    const problems = seed({ backupLabel: '', poll: { mode: 'fast' } });
    assert.match(problemText(problems), /^backupLabel is empty\. poll\.mode .*\.$/);
    assert.match(
      problemText(problems, (path) => `--${path}`),
      /^--backupLabel is empty\. --poll\.mode /,
    );
    assert.equal(problemText([]), '');
  });
});

describe('fleet input', () => {
  const good: [string, FleetInput][] = [
    ['a drill of every database of a project', { profile: 'prisma', action: 'drill', projectId: 'proj_1' }],
    [
      'a drill of some databases, with a check, a concurrency and poll settings',
      {
        profile: 'prisma',
        action: 'drill',
        projectId: 'proj_1',
        databaseIds: ['db_a', 'db_b'],
        concurrency: 50,
        verify: { sql: 'SELECT true' },
        readyDeadlineMs: 2 * 3_600_000,
        poll: { mode: 'backoff' },
      },
    ],
    ['a restore of mapped databases', { profile: 'prisma', action: 'restore', targets: { db_a: 'db_a_copy', db_b: 'db_b' } }],
    ['a restore in seed (each into itself)', { profile: 'seed', action: 'restore', targets: { db_a: 'db_a' }, verify: {} }],
    ['seed backups of a list', { profile: 'seed', action: 'backup', databaseIds: ['db_1', 'db_2'] }],
  ];
  for (const [what, input] of good) {
    it(`accepts ${what}`, () => assert.deepEqual(fleet(input), []));
  }

  const refused: [string, object, string, RegExp][] = [
    [
      'prisma backups',
      { profile: 'prisma', action: 'backup', databaseIds: ['db_1'] },
      'action',
      /^backup needs the seed profile: Prisma's backups are automatic$/,
    ],
    [
      'a restore without targets',
      { profile: 'prisma', action: 'restore', projectId: 'p' },
      'targets',
      /^is required by restore: map each source to its target$/,
    ],
    ['targets of a drill', { profile: 'prisma', action: 'drill', projectId: 'p', targets: { a: 'b' } }, 'targets', /^is only for restore$/],
    [
      'a drill without a project',
      { profile: 'prisma', action: 'drill', databaseIds: ['db_1'] },
      'projectId',
      /^is required by a drill: where scratch databases are created$/,
    ],
    ['nothing to run over', { profile: 'seed', action: 'backup' }, 'projectId', /^or databaseIds is required$/],
    [
      'a project in seed',
      { profile: 'seed', action: 'backup', projectId: 'p' },
      'projectId',
      /^needs the prisma profile: the seed API lists no databases$/,
    ],
    ['an empty list', { profile: 'seed', action: 'backup', databaseIds: [] }, 'databaseIds', />=1/],
    [
      'over 1000 databases',
      { profile: 'seed', action: 'backup', databaseIds: Array.from({ length: 1001 }, (_, i) => `db_${i}`) },
      'databaseIds',
      /<=1000/,
    ],
    ['a bad id in the list', { profile: 'seed', action: 'backup', databaseIds: ['db_1', 'db 2'] }, 'databaseIds.1', /is not a database id/],
    ['a bad target', { profile: 'prisma', action: 'restore', targets: { db_a: '../b' } }, 'targets.db_a', /is not a database id/],
    ['a bad source', { profile: 'prisma', action: 'restore', targets: { '../a': 'db_b' } }, 'targets.../a', /./],
    ['no concurrency', { profile: 'prisma', action: 'drill', projectId: 'p', concurrency: 0 }, 'concurrency', />=1/],
    ['too much concurrency', { profile: 'prisma', action: 'drill', projectId: 'p', concurrency: 51 }, 'concurrency', /<=50/],
    [
      'a write as the check',
      { profile: 'prisma', action: 'drill', projectId: 'p', verify: { sql: 'DELETE FROM t' } },
      'verify.sql',
      /must be one query/,
    ],
    ['a token', { profile: 'prisma', action: 'drill', projectId: 'p', apiToken: 't' }, 'apiToken', /PRISMA_API_TOKEN/],
    [
      'a run-only field',
      { profile: 'prisma', action: 'drill', projectId: 'p', newDatabase: { projectId: 'p' } },
      'newDatabase',
      /is not a known field/,
    ],
    ['an unknown action', { profile: 'prisma', action: 'delete', projectId: 'p' }, 'action', /drill.*restore.*backup/],
    ['no profile', { action: 'drill', projectId: 'p' }, 'profile', /must be prisma or seed/],
    [
      'a short ready deadline',
      { profile: 'prisma', action: 'drill', projectId: 'p', readyDeadlineMs: 10 },
      'readyDeadlineMs',
      /from 1s to 30d/,
    ],
    [
      'bad poll settings',
      { profile: 'prisma', action: 'drill', projectId: 'p', poll: { jitter: 3 } },
      'poll.jitter',
      /must be from 0 to 1/,
    ],
  ];
  for (const [what, input, path, message] of refused) {
    it(`refuses ${what}`, () => oneProblem(fleet(input), path, message));
  }
  it('refuses a seed drill, which needs a project and so the prisma profile', () => {
    problemAt(fleet({ profile: 'seed', action: 'drill', projectId: 'p' }), 'action', /^drill needs the prisma profile$/);
    problemAt(fleet({ profile: 'seed', action: 'drill', databaseIds: ['db_1'] }), 'action', /^drill needs the prisma profile$/);
  });
  it('without a concurrency, 4 databases at a time: the schema sets none, the fleet workflow takes DEFAULT_FLEET_CONCURRENCY', () => {
    assert.equal(FleetInputSchema.parse({ profile: 'prisma', action: 'drill', projectId: 'proj_1' }).concurrency, undefined);
    assert.equal(DEFAULT_FLEET_CONCURRENCY, 4);
  });
  it('refuses half a run at once, at its path', () => {
    assert.deepEqual(paths(fleet({ profile: 'prisma', action: 'drill', projectId: 'p', concurrency: 1.5 })), ['concurrency']);
  });
});
