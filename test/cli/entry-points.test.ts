// The starter and `npm start` as a user runs them: real processes, real exit codes and output.
import { strict as assert } from 'assert';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '../..');
const TS_NODE = path.join(ROOT, 'node_modules/.bin/ts-node');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(entry: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return exec(TS_NODE, [entry, ...args], env);
}

async function exec(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', ...env },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('entry points', function () {
  this.timeout(120_000);

  it('the CLI --help lists the commands and the exit codes, and exits 0', async () => {
    const { code, stdout } = await run('src/starter.ts', ['--help']);
    assert.equal(code, 0);
    for (const command of ['run', 'backup', 'restore', 'status', 'watch', 'cancel', 'approve', 'list', 'schedule']) {
      assert.match(stdout, new RegExp(`^  ${command} `, 'm'), command);
    }
    assert.match(stdout, /Exit codes: 0 done; 1 the run or operation failed/);
  });

  it('the prisma-backup bin runs the same CLI, named as installed; in a checkout it names `npm run starter --`', async () => {
    // An installed bin is a link named prisma-backup (npm makes one in node_modules/.bin or on PATH).
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bin-'));
    try {
      const link = path.join(dir, 'prisma-backup');
      await fs.symlink(path.join(ROOT, 'bin/prisma-backup.js'), link);
      const installed = await exec(process.execPath, [link, 'status', '--help']);
      assert.match(installed.stdout, /^Usage: prisma-backup status \[options\] <workflow-id>/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    const checkout = await exec(process.execPath, ['bin/prisma-backup.js', 'status', '--help']);
    assert.match(checkout.stdout, /^Usage: npm run starter -- status \[options\] <workflow-id>/);
  });

  it('npm run starter: hints name `npm run starter -- …`, the command that works in a checkout', async () => {
    const { code, stderr } = await exec('npm', ['run', 'starter', '--', 'run', '--database-id', 'db_1'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      PRISMA_API_PROFILE: 'seed',
    });
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      /Nothing was started: add --confirm db_1 to the same command \(e\.g\. `npm run starter -- run --database-id db_1 --confirm db_1`\)/,
    );
  });

  it('npm run starter without `--`: says to put `--` after `npm run starter`, and does nothing', async () => {
    const { code, stderr } = await exec('npm', ['run', 'starter', 'backup', '--database-id', 'db_1', '--detach'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      PRISMA_API_PROFILE: 'seed',
    });
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      /npm took --database-id, --detach for itself, so the CLI never got them: put `--` after `npm run starter`, e\.g\. `npm run starter -- backup --database-id db_123`\. Nothing was done\./,
    );
    assert.doesNotMatch(stderr, /Cannot reach Temporal/);
  });

  it("runs speak the workers' profile, PRISMA_API_PROFILE: an unusable one, or what the profile cannot do, exits 2 before contacting Temporal", async () => {
    const bad = await run('src/starter.ts', ['restore', '--database-id', 'db_1'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      PRISMA_API_PROFILE: 'prisma2',
    });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /^Nothing was started: PRISMA_API_PROFILE is "prisma2": set it to prisma .* or seed/);
    // Unset, it is prisma, as for the worker: Prisma takes no on-demand backup.
    const backup = await run('src/starter.ts', ['backup', '--database-id', 'db_1'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      PRISMA_API_PROFILE: '',
    });
    assert.equal(backup.code, 2, backup.stderr);
    assert.match(backup.stderr, /^Nothing was started: `backup` takes an on-demand backup, which Prisma's Management API/);
    for (const { stderr } of [bad, backup]) assert.doesNotMatch(stderr, /Cannot reach Temporal/);
  });

  it('the CLI refuses bad input with exit 2 before contacting Temporal', async () => {
    const { code, stderr } = await run('src/starter.ts', ['backup', '--database-id', '../db_demo'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      PRISMA_API_PROFILE: 'seed',
    });
    assert.equal(code, 2);
    assert.match(stderr, /Nothing was started: --database-id "..\/db_demo" is not a valid database id/);
    assert.doesNotMatch(stderr, /Cannot reach Temporal/);
  });

  it('the CLI says what to do when Temporal is unreachable, with exit 3', async () => {
    const { code, stderr } = await run('src/starter.ts', ['backup', '--database-id', 'db_demo'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      PRISMA_API_PROFILE: 'seed',
    });
    assert.equal(code, 3);
    assert.match(stderr, /Cannot reach Temporal at 127\.0\.0\.1:1: start one \(npm run temporal:dev\) or set TEMPORAL_ADDRESS/);
  });

  it('npm start -- --help says how to run once and exit', async () => {
    const { code, stdout } = await run('demo/main.ts', ['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /--once\s+stop\s+everything\s+and\s+exit\s+with\s+the\s+run's\s+exit\s+code\s+when\s+the\s+run\s+ends/);
  });

  it('npm start -- --once exits 1 with the typed reason when the run fails', async () => {
    const { code, stdout } = await run('demo/main.ts', ['--once', '--database-id', 'db_missing']);
    assert.equal(code, 1);
    // The default profile is prisma: the run's first request is the backup list (test/demo covers a run that succeeds).
    assert.match(stdout, /Run failed: DatabaseNotFound: GET databases\/db_missing\/backups\?limit=100 answered 404/);
  });
});
