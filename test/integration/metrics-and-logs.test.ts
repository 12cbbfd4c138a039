// The worker's Prometheus endpoint and JSON log lines, on real processes: a worker process
// (metrics on a free loopback port, PRISMA_BACKUP_LOG_FORMAT=json) and the CLI as a process
// starting a prisma restore that waits for a running backup, against the simulator over HTTP; one
// request fails once, so an activity logs too.
import { strict as assert } from 'assert';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../local-temporal';
import { WorkerProcess } from '../../reliability/worker-process';
import { startSimulator, type PrismaSimulator } from '../../simulator';
import { TASK_QUEUE } from '../../src/shared/constants';
import { freeLoopbackPort } from '../../src/temporal/metrics-server';
import { eventually } from '../support/eventually';
import { workflowBundle } from '../support/harness';
import { parseSamples, sampleValue } from '../support/prometheus';
import { testNamespace, testTemporalAddress } from '../support/temporal';

const DATABASE = 'db_metrics';
const SECRET_PATTERNS = [/postgres(ql)?:\/\//i];

/** Every non-empty line, parsed; fails naming the first line that is not a JSON object. */
function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        const parsed = JSON.parse(line);
        assert.equal(typeof parsed, 'object');
        return parsed;
      } catch {
        assert.fail(`not a JSON line: ${line}`);
      }
    });
}

describe('metrics and JSON logs of a worker process, during and after a run started by the CLI', function () {
  this.timeout(240_000);
  const token = `tok_${randomBytes(16).toString('hex')}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'metrics-test-'));
  let sim: PrismaSimulator;
  let worker: WorkerProcess;
  let metricsUrl: string;
  const scrape = async () => {
    const response = await fetch(metricsUrl);
    assert.equal(response.status, 200);
    return response.text();
  };

  before(async () => {
    sim = await startSimulator({ profile: 'prisma', token, databases: [DATABASE], recoveryMs: 1_000, provisioningMs: 1_000 });
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, (await workflowBundle()).code);
    const port = await freeLoopbackPort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    worker = new WorkerProcess({
      logFile: path.join(dir, 'worker.log'),
      env: {
        TEMPORAL_ADDRESS: testTemporalAddress(),
        TEMPORAL_NAMESPACE: testNamespace(),
        PRISMA_API_URL: sim.url,
        PRISMA_API_TOKEN: token,
        PRISMA_API_PROFILE: 'prisma',
        RELIABILITY_TASK_QUEUE: TASK_QUEUE,
        RELIABILITY_WORKFLOW_BUNDLE: bundlePath,
        PRISMA_BACKUP_METRICS_ADDRESS: `127.0.0.1:${port}`,
        PRISMA_BACKUP_LOG_FORMAT: 'json',
      },
    });
    await worker.start();
  });

  after(async () => {
    await worker?.stop();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the run, its backup and its restore as they happen, next to the SDK’s own metrics, and logs JSON lines naming the run', async () => {
    const before = await scrape();
    assert.equal(sampleValue(before, 'prisma_backup_runs_started_total', { profile: 'prisma', kind: 'restore' }), undefined);
    assert.equal(sampleValue(before, 'prisma_backup_restores_total', { profile: 'prisma', outcome: 'applied' }), 0);
    assert.equal(sampleValue(before, 'prisma_backup_last_completed_backup_timestamp_seconds', { database_id: DATABASE }), undefined);

    const backup = sim.addBackup(DATABASE, { status: 'running', createdAt: new Date(Date.now() - 120_000) });
    // One failed attempt, so an activity logs (at WARN) about the run.
    sim.faults.add({ operation: 'getV1DatabasesByDatabaseId', kind: 'status', status: 503 });
    const workflowId = `restore-${DATABASE}-${randomBytes(4).toString('hex')}`;
    const args = ['restore', '--database-id', DATABASE, '--backup-id', backup.id, '--confirm', DATABASE, '--workflow-id', workflowId];
    const cli = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/starter.ts', ...args, '--poll-initial', '1s', '--poll-max', '1s'],
      {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: testTemporalAddress(),
          TEMPORAL_NAMESPACE: testNamespace(),
          PRISMA_API_PROFILE: 'prisma',
          PRISMA_BACKUP_LOG_FORMAT: 'json',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let cliOut = '';
    let cliErr = '';
    cli.stdout.on('data', (chunk) => (cliOut += chunk));
    cli.stderr.on('data', (chunk) => (cliErr += chunk));
    const cliExit = new Promise<number | null>((resolve) => cli.once('close', resolve));

    // During: the run has started and seen its backup running; nothing has finished.
    const during = await eventually(async () => {
      const text = await scrape();
      assert.equal(sampleValue(text, 'prisma_backup_runs_started_total', { profile: 'prisma', kind: 'restore' }), 1);
      assert.equal(sampleValue(text, 'prisma_backup_backups_started_total', { type: 'full' }), 1);
      return text;
    }, 90_000);
    assert.equal(sampleValue(during, 'prisma_backup_runs_finished_total', { profile: 'prisma', kind: 'restore' }), undefined);
    assert.equal(sampleValue(during, 'prisma_backup_backups_completed_total', { type: 'full' }), undefined);

    const completedAt = Date.now();
    sim.finishBackup(backup.id, 'completed');
    assert.equal(await cliExit, 0, `${cliOut}\n${cliErr}`);

    const after = await scrape();
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(after, name, labels);
    assert.equal(value('prisma_backup_runs_finished_total', { profile: 'prisma', kind: 'restore', outcome: 'completed', reason: '' }), 1);
    assert.equal(value('prisma_backup_backups_started_total', { type: 'full' }), 1);
    assert.equal(value('prisma_backup_backups_completed_total', { type: 'full' }), 1);
    assert.equal(value('prisma_backup_backups_failed_total', { type: 'full' }), undefined);
    assert.equal(value('prisma_backup_backup_duration_seconds_count', { type: 'full' }), 1);
    // Prisma gives no completedAt: the duration runs from createdAt (2 min before) to when the worker saw it completed.
    assert.ok(value('prisma_backup_backup_duration_seconds_sum', { type: 'full' })! >= 120, after);
    assert.equal(value('prisma_backup_restores_total', { profile: 'prisma', outcome: 'applied' }), 1);
    assert.equal(value('prisma_backup_database_ready_wait_seconds_count', { profile: 'prisma' }), 1);
    // The simulator keeps a restored database recovering for 1 s.
    assert.ok(value('prisma_backup_database_ready_wait_seconds_sum', { profile: 'prisma' })! >= 1, after);
    const last = value('prisma_backup_last_completed_backup_timestamp_seconds', { database_id: DATABASE })!;
    assert.ok(last * 1000 >= completedAt && last * 1000 <= Date.now(), `${last} not in [${completedAt}, now]`);
    const since = value('prisma_backup_seconds_since_last_completed_backup', { database_id: DATABASE })!;
    assert.ok(since >= 0 && since < 120, String(since));
    const sdk = parseSamples(after).filter((s) => s.name.startsWith('temporal_'));
    assert.ok(sdk.length > 0, 'no temporal_ metric from the SDK in the scrape');
    assert.ok(
      sdk.some((s) => s.name.startsWith('temporal_workflow_completed') || s.name.startsWith('temporal_activity_execution')),
      after,
    );
    for (const secret of [token, ...SECRET_PATTERNS]) assert.doesNotMatch(after, typeof secret === 'string' ? new RegExp(secret) : secret);

    // The worker's lines: all JSON; those about the run carry its ids and database.
    const workerOutput = worker.output().replace(/^--- .* ---$/gm, '');
    const workerLines = jsonLines(workerOutput);
    const aboutRun = workerLines.filter((line) => line.workflowId === workflowId);
    assert.ok(aboutRun.length >= 2, workerOutput);
    for (const line of aboutRun) {
      assert.equal(typeof line.time, 'string');
      assert.equal(typeof line.level, 'string');
      assert.equal(typeof line.message, 'string');
      assert.match(String(line.runId), /^[0-9a-f-]{36}$/, JSON.stringify(line));
      assert.equal(line.databaseId, DATABASE, JSON.stringify(line));
      assert.equal(line.taskToken, undefined, 'an activity task token was logged');
    }
    assert.ok(
      aboutRun.some((line) => line.activityType === 'getDatabaseStatus' && line.level === 'warn'),
      'no activity line about the run',
    );

    // The CLI's lines: all JSON; the start, progress and result lines name the run.
    const cliLines = jsonLines(cliOut);
    assert.ok(cliLines.length >= 3, cliOut);
    for (const line of cliLines) {
      assert.equal(line.workflowId, workflowId, JSON.stringify(line));
      assert.match(String(line.runId), /^[0-9a-f-]{36}$/, JSON.stringify(line));
      assert.equal(line.databaseId, DATABASE, JSON.stringify(line));
    }
    assert.ok(
      cliLines.some((line) => String(line.message).startsWith('Result:')),
      cliOut,
    );

    for (const output of [workerOutput, cliOut, cliErr]) {
      assert.ok(!output.includes(token), 'the token is in the output');
      for (const pattern of SECRET_PATTERNS) assert.doesNotMatch(output, pattern);
    }
  });
});
