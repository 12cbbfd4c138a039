// The compiled worker (`node dist/src/worker.js`) reads the settings the README gives it: it polls the
// task queue PRISMA_BACKUP_TASK_QUEUE names, where the compiled CLI with the same setting starts runs,
// and in the seed profile it reads the connection strings a verification needs from
// PRISMA_DATABASE_URLS_FILE. Against a seed simulator whose db_demo holds real rows (PGlite).
import { strict as assert } from 'assert';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { startSimulator, type Simulator } from '../../simulator';
import type { RunResult } from '../../src/shared/types';
import { starter } from '../support/cli';
import { eventually } from '../support/eventually';
import { uniqueId } from '../support/harness';
import { connectTestClient, testNamespace, testTemporalAddress } from '../support/temporal';
import { startProcess, WORKER, type Started } from './compiled-worker';

describe('the compiled worker reads PRISMA_BACKUP_TASK_QUEUE and PRISMA_DATABASE_URLS_FILE (seed)', function () {
  this.timeout(180_000);
  const token = `tok_${randomBytes(16).toString('hex')}`;
  const taskQueue = uniqueId('worker-settings');
  let sim: Simulator | undefined;
  let dir: string | undefined;
  let worker: Started | undefined;
  let client: Client;

  before(async () => {
    client = await connectTestClient();
    sim = await startSimulator({ token, data: 'postgres', backupDurationMs: 600 });
    await sim.sql('db_demo', "CREATE TABLE accounts (id int PRIMARY KEY, name text); INSERT INTO accounts VALUES (1, 'Ada'), (2, 'Grace')");
    dir = await mkdtemp(path.join(os.tmpdir(), 'worker-settings-'));
    const urlsFile = path.join(dir, 'database-urls.json');
    await writeFile(urlsFile, JSON.stringify({ db_demo: await sim.connectionString('db_demo') }));
    const w = (worker = startProcess(WORKER, [], {
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_NAMESPACE: testNamespace(),
      PRISMA_API_URL: sim.url,
      PRISMA_API_TOKEN: token,
      PRISMA_API_PROFILE: 'seed',
      PRISMA_BACKUP_TASK_QUEUE: taskQueue,
      PRISMA_DATABASE_URLS_FILE: urlsFile,
      PRISMA_BACKUP_METRICS_ADDRESS: 'off',
    }));
    await eventually(async () => {
      assert.ok(w.child.exitCode === null, `the worker ended:\n${w.out.stdout}\n${w.out.stderr}`);
      assert.match(w.out.stdout + w.out.stderr, /Worker polling task queue /);
    }, 60_000);
  });

  after(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exit;
    }
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    await client?.connection.close();
  });

  /** The compiled CLI, seed profile, on the same queue, detached: the run's task queue and its outcome (within 60 s). */
  async function runOnTheQueue(args: string[]): Promise<{ taskQueue: string; result: RunResult }> {
    const workflowId = uniqueId('worker-settings');
    const cli = await starter([...args, '--workflow-id', workflowId, '--poll-initial', '200ms', '--poll-mode', 'backoff', '--detach'], {
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_NAMESPACE: testNamespace(),
      PRISMA_API_PROFILE: 'seed',
      PRISMA_BACKUP_TASK_QUEUE: taskQueue,
    });
    assert.equal(cli.code, 0, cli.stderr);
    const handle = client.workflow.getHandle(workflowId);
    let timer: NodeJS.Timeout | undefined;
    try {
      const described = await handle.describe();
      const result = await Promise.race([
        (handle.result() as Promise<RunResult>).catch((err: Error) => {
          let root = err;
          while (root.cause instanceof Error) root = root.cause;
          throw new Error(`${workflowId} failed: ${root.message}`);
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`No worker finished ${workflowId} on task queue ${described.taskQueue} within 60 s`)),
            60_000,
          );
        }),
      ]);
      return { taskQueue: described.taskQueue, result };
    } finally {
      clearTimeout(timer);
      await handle.terminate('test over').catch(() => undefined);
    }
  }

  it('polls the task queue PRISMA_BACKUP_TASK_QUEUE names: a backup the CLI starts there completes', async () => {
    const run = await runOnTheQueue(['backup', '--database-id', 'db_demo']);
    assert.equal(run.taskQueue, taskQueue);
    assert.equal(run.result.restoreStatus, 'skipped');
  });

  it('reads the connection strings of PRISMA_DATABASE_URLS_FILE: `run --verify` compares the rows and passes', async () => {
    const run = await runOnTheQueue(['run', '--database-id', 'db_demo', '--confirm', 'db_demo', '--verify']);
    assert.equal(run.result.verification?.check, 'inventory', JSON.stringify(run.result));
    assert.deepEqual(
      [run.result.verification?.databaseId, run.result.verification?.tables, run.result.verification?.rows],
      ['db_demo', 1, 2],
    );
  });
});
