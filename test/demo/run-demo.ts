// `npm start -- --once` as a user runs it (compiled: `node dist/demo/main.js --once`), for
// demo.test.ts (the prisma profile, the default, in `npm test`) and demo.slow.test.ts (the seed
// profile, in `npm run test:all`): a real process with the simulator's real Postgres data, a real
// worker and the test Temporal server, in a namespace of its own (the demo's worker and CLI use the
// product's fixed task queue, which another worker on the shared namespace could serve); the rows it
// prints are read back over SQL.
import { strict as assert } from 'assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { testTemporalAddress } from '../support/temporal';

const ROOT = path.join(__dirname, '../..');
export const DEMO_ENTRY = path.join(ROOT, 'dist', 'demo', 'main.js');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm start -- --once` in `namespace`, with no PRISMA_* or TEMPORAL_* setting but those and `settings`. */
export async function npmStartOnce(namespace: string, settings: Record<string, string> = {}): Promise<Ran> {
  assert.ok(existsSync(DEMO_ENTRY), `${DEMO_ENTRY} is missing: npm start runs the build, so run npm run build first`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PRISMA|TEMPORAL)_/.test(key)));
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['start', '--silent', '--', '--once'], {
      cwd: ROOT,
      env: { ...env, TEMPORAL_ADDRESS: testTemporalAddress(), TEMPORAL_NAMESPACE: namespace, ...settings },
      timeout: 180_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export const SEEDED = [
  '    id | name    | balance',
  '    ---+---------+--------',
  '     1 | Ada     |  120.00',
  '     2 | Grace   |   75.50',
  '     3 | Alan    |  310.25',
  '     4 | Edsger  |   42.00',
  '     5 | Barbara |   18.75',
];
export const CHANGED = [
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
export function result(stdout: string): { backupId: string; restoreStatus: string } {
  const start = stdout.indexOf('Result:\n') + 'Result:\n'.length;
  return JSON.parse(stdout.slice(start, stdout.indexOf('\n}\n', start) + 2));
}

export const pick = ({ backupId, restoreStatus }: { backupId: string; restoreStatus: string }) => ({ backupId, restoreStatus });

/** The three row sets (seeded, changed, restored = seeded), the connection string and its psql example, and the order of events. */
export function assertDataCameBack(ran: Ran, order: RegExp[]): void {
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
