// `npm start -- --once` as a user runs it: a real process with the simulator's real Postgres data,
// a real worker and the test Temporal server; the rows it prints are read back over SQL.
import { strict as assert } from 'assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { testNamespace, testTemporalAddress } from '../support/temporal';

const ROOT = path.join(__dirname, '../..');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm start -- --once` with no PRISMA_* setting but `settings`, against the test server. */
async function npmStartOnce(settings: Record<string, string> = {}): Promise<Ran> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PRISMA|TEMPORAL)_/.test(key)));
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['start', '--silent', '--', '--once'], {
      cwd: ROOT,
      // Transpile-only keeps ts-node's start short; `npm run typecheck` checks the types.
      env: {
        ...env,
        TS_NODE_TRANSPILE_ONLY: '1',
        TEMPORAL_ADDRESS: testTemporalAddress(),
        TEMPORAL_NAMESPACE: testNamespace(),
        ...settings,
      },
      timeout: 180_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const SEEDED = [
  '    id | name    | balance',
  '    ---+---------+--------',
  '     1 | Ada     |  120.00',
  '     2 | Grace   |   75.50',
  '     3 | Alan    |  310.25',
  '     4 | Edsger  |   42.00',
  '     5 | Barbara |   18.75',
];
const CHANGED = [
  '    id | name    | balance',
  '    ---+---------+--------',
  '     1 | Ada     |  120.00',
  '     3 | Alan    |    0.00',
  '     5 | Barbara |   18.75',
];

/** Each printed table, by the line that titles it ("Rows after …:"), in the order printed. */
function tables(stdout: string): { title: string; lines: string[] }[] {
  const found: { title: string; lines: string[] }[] = [];
  let table: string[] | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('Rows after ')) found.push({ title: line, lines: (table = []) });
    else if (table && line.startsWith('    ')) table.push(line);
    else table = undefined;
  }
  return found;
}

/** The result the run printed (pretty JSON after "Result:"). */
function result(stdout: string): { backupId: string; restoreStatus: string } {
  const start = stdout.indexOf('Result:\n') + 'Result:\n'.length;
  return JSON.parse(stdout.slice(start, stdout.indexOf('\n}\n', start) + 2));
}

const pick = ({ backupId, restoreStatus }: { backupId: string; restoreStatus: string }) => ({ backupId, restoreStatus });

/** The three row sets (seeded, changed, restored = seeded), the connection string and its psql example, and the order of events. */
function assertDataCameBack(ran: Ran, order: RegExp[]): void {
  assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
  const { stdout } = ran;
  assert.deepEqual(
    tables(stdout).map(({ title, lines }) => [title.replace(/ \(.*/, '').replace(/[,:].*/, ''), lines]),
    [
      ['Rows after seeding table accounts in db_demo', SEEDED],
      ['Rows after the changes', CHANGED],
      ['Rows after the restore', SEEDED],
    ],
    stdout,
  );
  assert.match(stdout, /^The same rows as when the backup was taken: the data came back\.$/m);
  const url = /^ {2}(postgres:\/\/postgres:\w+@127\.0\.0\.1:\d+\/postgres\?sslmode=disable)$/m.exec(stdout)?.[1];
  assert.ok(url, `the connection string is printed:\n${stdout}`);
  assert.ok(stdout.includes(`  psql '${url}' -c 'SELECT * FROM accounts ORDER BY id'`), 'with a psql example');
  // Printed for the user on purpose, there only: a secret like any connection string.
  assert.equal(stdout.split(url).length - 1, 2, 'the connection string is printed twice: alone and in the psql example');
  assert.ok(!ran.stderr.includes(url), 'and never logged');
  let at = 0;
  for (const step of order) {
    const found = step.exec(stdout.slice(at));
    assert.ok(found, `${step} after position ${at}:\n${stdout}`);
    at += found.index + found[0].length;
  }
}

describe('npm start -- --once shows the data coming back', function () {
  this.timeout(240_000);

  it('prisma (the default): seeds, the simulator takes an automatic backup, rows change, the run restores the newest completed backup, exit 0', async () => {
    const ran = await npmStartOnce({ TEMPORAL_UI_URL: 'http://127.0.0.1:8233' });
    const automatic = /^The simulator takes an automatic backup, as Prisma does daily: (\w+), completed, holding these rows\.$/m.exec(
      ran.stdout,
    );
    assert.ok(automatic, ran.stdout);
    assertDataCameBack(ran, [
      new RegExp(`^Temporal: ${testTemporalAddress().replace(/\./g, '\\.')}$`, 'm'),
      /^Management API: simulator at http:\/\/127\.0\.0\.1:\d+\/v1, speaking Prisma's Management API \(PRISMA_API_PROFILE=prisma, the default\)/m,
      /^Rows after seeding/m,
      /^The simulator takes an automatic backup/m,
      /^Rows after the changes/m,
      /^Started run backup-db_demo-\d{8}T\d{6}Z \(database db_demo\)\.$/m,
      /^Watch it in the Temporal Web UI: http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/backup-db_demo-\d{8}T\d{6}Z$/m,
      /^Result:$/m,
      /^Rows after the restore, in db_demo:$/m,
    ]);
    assert.deepEqual(pick(result(ran.stdout)), { backupId: automatic[1], restoreStatus: 'ready' });
  });

  it('seed: the run backs up and awaits approval, rows change, the demo approves, the run restores its backup, exit 0', async () => {
    const ran = await npmStartOnce({ PRISMA_API_PROFILE: 'seed' });
    const completed = /^Backup (bkp_\w+) is completed; the simulator took its snapshot then/m.exec(ran.stdout);
    assert.ok(completed, ran.stdout);
    assertDataCameBack(ran, [
      /speaking the seed API \(PRISMA_API_PROFILE=seed\)/,
      /^Rows after seeding/m,
      /^Started run backup-db_demo-/m,
      // The follower's progress lines and result interleave with these as they come.
      /^Backup bkp_\w+ is completed/m,
      /^Rows after the changes, while the run awaits approval/m,
      /^Approved: backup-db_demo-\S+ now restores bkp_/m,
      /^Rows after the restore, in db_demo:$/m,
    ]);
    assert.deepEqual(pick(result(ran.stdout)), { backupId: completed[1], restoreStatus: 'restoring' });
  });
});
