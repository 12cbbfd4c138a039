// The CLI as a user starts it: the compiled entry point (`npm run build`; the bin prisma-backup is
// dist/src/starter.js) as real processes, with real exit codes and output: 0 done, 1 failed, 2 bad
// input, 3 Temporal unreachable, 4 not found. Every hint names the command that works where the
// user is: `prisma-backup`, `npx prisma-backup` or `npm run starter --`. Exit 3 (its connection
// retries take 10 s) and `npm start` are in entry-points.slow.test.ts.
import { strict as assert } from 'assert';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compiledEntry, exec, NO_TEMPORAL, starter } from '../support/cli';
import { uniqueId } from '../support/harness';
import { connectTestClient, testNamespace, testTemporalAddress } from '../support/temporal';

describe('entry points (compiled)', function () {
  this.timeout(120_000);

  it('prisma-backup --help lists the commands and the exit codes, and exits 0 (its time printed)', async () => {
    const { code, stdout, ms } = await starter(['--help'], NO_TEMPORAL);
    console.log(`      prisma-backup --help took ${Math.round(ms)} ms (node dist/src/starter.js)`);
    assert.equal(code, 0);
    for (const command of ['run', 'backup', 'restore', 'drill', 'fleet', 'status', 'watch', 'cancel', 'approve', 'list', 'schedule']) {
      assert.match(stdout, new RegExp(`^  ${command} `, 'm'), command);
    }
    assert.match(
      stdout,
      /Exit codes: 0 done; 1 failed \(typed reason printed\); 2 bad input, nothing started; 3 Temporal unreachable; 4 not found\./,
    );
  });

  it('the bin names itself as installed: prisma-backup on PATH, npx prisma-backup in node_modules/.bin; in a checkout `npm run starter --`', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bin-'));
    try {
      // npm links the bin under its name: on PATH for a global install, in node_modules/.bin for a local one.
      const global = path.join(dir, 'bin', 'prisma-backup');
      const local = path.join(dir, 'node_modules', '.bin', 'prisma-backup');
      for (const link of [global, local]) {
        await fs.mkdir(path.dirname(link), { recursive: true });
        await fs.symlink(compiledEntry('starter'), link);
      }
      const installed = await exec(process.execPath, [global, 'status', '--help']);
      assert.equal(installed.code, 0, installed.stderr);
      assert.match(installed.stdout, /^Usage: prisma-backup status \[options\] <workflow-id>/);
      const npx = await exec(process.execPath, [local, 'status', '--help']);
      assert.match(npx.stdout, /^Usage: npx prisma-backup status \[options\] <workflow-id>/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    const checkout = await starter(['status', '--help']);
    assert.match(checkout.stdout, /^Usage: npm run starter -- status \[options\] <workflow-id>/);
  });

  it('npm run starter without `--`: says to put `--` after `npm run starter`, does nothing, exit 2', async () => {
    const { code, stderr } = await exec('npm', ['run', 'starter', 'backup', '--database-id', 'db_1', '--detach'], {
      ...NO_TEMPORAL,
      PRISMA_API_PROFILE: 'seed',
    });
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      /^✖ \[MISSING_DASH_DASH\] npm took --database-id, --detach for itself, so the CLI never got them; nothing was done\.\n→ Put `--` after `npm run starter`\.$/m,
    );
    assert.doesNotMatch(stderr, /TEMPORAL_UNREACHABLE/);
  });

  it('npm run starter -- …: the CLI gets every flag, and its hints name `npm run starter -- …`; an unknown run exits 4', async () => {
    const { code, stderr } = await exec('npm', ['run', '--silent', 'starter', '--', 'status', 'no-such-run'], {
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_NAMESPACE: testNamespace(),
    });
    assert.equal(code, 4, stderr);
    assert.equal(
      stderr,
      `✖ [NOT_FOUND] No run no-such-run in namespace ${testNamespace()} at ${testTemporalAddress()}.\n→ \`npm run starter -- list\` shows the recent runs.\n`,
    );
  });

  it("PRISMA_API_PROFILE is the workers': an unusable one, or what the profile cannot do, exits 2 before contacting Temporal", async () => {
    const bad = await starter(['restore', '--database-id', 'db_1'], { ...NO_TEMPORAL, PRISMA_API_PROFILE: 'prisma2' });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(
      bad.stderr,
      /^✖ \[INVALID_CONFIG\] Nothing was started: PRISMA_API_PROFILE is "prisma2": set it to prisma \(the default\) or seed\.\n→ /,
    );
    // Unset, it is prisma, as for the worker: Prisma takes no on-demand backup.
    const backup = await starter(['backup', '--database-id', 'db_1'], NO_TEMPORAL);
    assert.equal(backup.code, 2, backup.stderr);
    assert.match(backup.stderr, /^✖ \[PROFILE_CANNOT\] `backup` takes an on-demand backup, which Prisma's Management API cannot/);
    for (const { stderr } of [bad, backup]) assert.doesNotMatch(stderr, /TEMPORAL_UNREACHABLE/);
  });

  it('bad input exits 2 before contacting Temporal', async () => {
    const { code, stdout, stderr } = await starter(['backup', '--database-id', '../db_demo'], {
      ...NO_TEMPORAL,
      PRISMA_API_PROFILE: 'seed',
    });
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(
      stderr,
      '✖ [INVALID_INPUT] Nothing was started: --database-id is not a database id: use letters, digits and _ (at most 128).\n→ Correct the flags named; `--help` lists them.\n',
    );
    const unknown = await starter(['bakup'], NO_TEMPORAL);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^error: unknown command 'bakup'\n\(Did you mean backup\?\)/);
  });

  it('starts runs on the task queue PRISMA_BACKUP_TASK_QUEUE names (--detach), saying when no worker polls it', async () => {
    const taskQueue = uniqueId('queue');
    const workflowId = uniqueId('entry-queue');
    const { code, stdout, stderr } = await starter(
      ['restore', '--database-id', 'db_1', '--confirm', 'db_1', '--workflow-id', workflowId, '--detach'],
      { TEMPORAL_ADDRESS: testTemporalAddress(), TEMPORAL_NAMESPACE: testNamespace(), PRISMA_BACKUP_TASK_QUEUE: taskQueue },
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^Started ${workflowId} \\(`, 'm'));
    const client = await connectTestClient();
    try {
      const handle = client.workflow.getHandle(workflowId);
      try {
        assert.equal((await handle.describe()).taskQueue, taskQueue);
      } finally {
        await handle.terminate('test over').catch(() => undefined);
      }
    } finally {
      await client.connection.close();
    }
    assert.match(stderr, new RegExp(`No worker polls task queue ${taskQueue}:`));
  });

  it('a run that failed exits 1 with its typed reason, in text and in --json', async () => {
    const client = await connectTestClient();
    const workflowId = uniqueId('entry-failed');
    try {
      // A run no worker takes, ended from outside: `status` reports how it ended.
      await client.workflow.start('backupAndRestoreDatabase', {
        taskQueue: uniqueId('nobody'),
        workflowId,
        args: [{ profile: 'seed', databaseId: 'db_demo' }],
      });
      await client.workflow.getHandle(workflowId).terminate('test over');
    } finally {
      await client.connection.close();
    }
    const env = { TEMPORAL_ADDRESS: testTemporalAddress(), TEMPORAL_NAMESPACE: testNamespace() };
    const text = await starter(['status', workflowId], env);
    assert.equal(text.code, 1, text.stderr);
    assert.equal(text.stdout, `${workflowId}: TERMINATED\n✖ [Terminated] The run was terminated.\n`);
    const json = await starter(['status', workflowId, '--json'], env);
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), { event: 'failed', error: { type: 'Terminated', message: 'The run was terminated.' } });
  });
});
