// The prisma profile as a user runs it: a worker process started by `npm run worker` with nothing
// but PRISMA_API_URL and PRISMA_API_TOKEN (so the default profile, prisma), and the CLI started by
// `npm run starter --`, against the simulator's prisma profile over HTTP and the test server. Both
// scripts run the compiled product (node dist/src/…): `npm run build` first (`npm test` does).
import { strict as assert } from 'assert';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { startSimulator, type PrismaSimulator } from '../../simulator';
import { DEFAULT_PROJECT } from '../../simulator/defaults';
import { compiledEntry, ROOT } from '../support/cli';
import { testNamespace, testTemporalAddress } from '../support/temporal';

/** The environment without any PRISMA_* or TEMPORAL_* setting of this process, plus `settings`. */
function environment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PRISMA|TEMPORAL)_/.test(key)));
  return { ...env, TEMPORAL_ADDRESS: testTemporalAddress(), TEMPORAL_NAMESPACE: testNamespace(), ...settings };
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function starter(args: string[]): Promise<Ran> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'starter', '--', ...args], {
      cwd: ROOT,
      // The CLI needs no token: the worker calls the API.
      env: environment({}),
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('prisma profile end to end: npm run worker and npm run starter as processes', function () {
  this.timeout(240_000);
  const token = `tok_${randomBytes(16).toString('hex')}`;
  let sim: PrismaSimulator;
  let worker: ChildProcess;
  let workerOutput = '';

  before(async () => {
    // Both npm scripts run these; say so now rather than as a worker that never starts.
    compiledEntry('worker');
    compiledEntry('starter');
    sim = await startSimulator({ profile: 'prisma', token, databases: ['db_demo'], recoveryMs: 1000, provisioningMs: 1000 });
    // Its own process group, so that stopping it stops npm and the node below it.
    worker = spawn('npm', ['run', 'worker'], {
      cwd: ROOT,
      env: environment({ PRISMA_API_URL: sim.url, PRISMA_API_TOKEN: token }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    await new Promise<void>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        workerOutput += chunk;
        if (/Worker polling task queue/.test(workerOutput)) resolve();
      };
      worker.stdout!.on('data', read);
      worker.stderr!.on('data', read);
      worker.once('exit', (code) => reject(new Error(`the worker exited (${code}): ${workerOutput}`)));
    });
  });

  after(async () => {
    if (worker?.pid && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      process.kill(-worker.pid, 'SIGTERM');
      await exited;
    }
    await sim?.close();
  });

  it('the worker speaks the prisma profile by default', () => {
    assert.match(workerOutput, /Management API http:\/\/127\.0\.0\.1:\d+\/v1 \(profile prisma\)/);
  });

  it('restore --database-id db_demo --confirm db_demo restores the newest completed backup and ends, exit 0, once the database is ready', async () => {
    const older = sim.addBackup('db_demo', { createdAt: new Date(Date.now() - 2 * 86_400_000) });
    const newest = sim.addBackup('db_demo', { createdAt: new Date(Date.now() - 3_600_000) });
    const { code, stdout, stderr } = await starter(['restore', '--database-id', 'db_demo', '--confirm', 'db_demo']);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /^Started backup-db_demo-\d{8}T\d{6}Z \(database db_demo\)\.$/m);
    assert.match(stdout, /^Result:$/m);
    assert.match(stdout, /"restoreStatus": "ready"/);
    assert.deepEqual(
      sim.effects.restoresApplied.map(({ databaseId, sourceDatabaseId, backupId, recoveryOutcome }) => ({
        databaseId,
        sourceDatabaseId,
        backupId,
        recoveryOutcome,
      })),
      [{ databaseId: 'db_demo', sourceDatabaseId: 'db_demo', backupId: newest.id, recoveryOutcome: 'ready' }],
    );
    assert.notEqual(newest.id, older.id);
    const database = await fetch(`${sim.url}/databases/db_demo`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(((await database.json()) as { data: { status: string } }).data.status, 'ready');
    assert.ok(![stdout, stderr, workerOutput].some((text) => text.includes(token)), 'the token is never printed');
  });

  it('restore --new-database-in needs no consent and replaces nothing: a new database is made from the backup', async () => {
    const restoresBefore = sim.effects.restoresApplied.length;
    const { code, stdout, stderr } = await starter(['restore', '--database-id', 'db_demo', '--new-database-in', DEFAULT_PROJECT.id]);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.equal(sim.effects.restoresApplied.length, restoresBefore, 'no existing database was restored');
    const createdDatabaseId = JSON.parse(stdout.slice(stdout.indexOf('Result:') + 'Result:'.length)).createdDatabaseId;
    assert.deepEqual(
      sim.effects.databasesCreated.map(({ databaseId, projectId, source }) => ({ databaseId, projectId, source: source.type })),
      [{ databaseId: createdDatabaseId, projectId: DEFAULT_PROJECT.id, source: 'backup' }],
    );
  });

  it('refuses an on-demand backup, saying why, before anything starts', async () => {
    const { code, stderr } = await starter(['backup', '--database-id', 'db_demo']);
    assert.equal(code, 2);
    assert.match(
      stderr,
      /^✖ \[PROFILE_CANNOT\] `backup` takes an on-demand backup, which Prisma's Management API cannot: its backups are automatic and daily\./,
    );
  });
});
