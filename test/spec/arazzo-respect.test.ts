// The Arazzo documents executed: Redocly Respect (`redocly respect`, from the CLI we lint with) runs
// each workflow over real loopback HTTP against the project's simulator: the corrected seed workflow
// against its seed profile, the prisma workflow against its prisma profile. Respect also checks every
// answer against the document's source description.
//
// Each run uses a copy of the document in a temporary directory with two changes only: the source
// description is referenced by its absolute path (the copy is elsewhere), and `retryAfter` is cut
// from 30 s to 0.05 s (and `retryLimit` lowered where a test says so) so that the polls take no time.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';

import { startSimulator, type PrismaSimulator, type PrismaSimulatorOptions, type Simulator } from '../../simulator';

const ROOT = path.join(__dirname, '..', '..');
const ARAZZO_DIR = path.join(ROOT, 'spec', 'arazzo');
const REDOCLY = path.join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
const TOKEN = 'arazzo-test-token-7d21';

interface Prepared {
  file: string;
  dir: string;
}

/** A runnable copy of spec/arazzo/<name>: absolute source description, quick retries. */
function prepare(name: string, retryLimits: Record<string, number> = {}): Prepared {
  const doc = parse(fs.readFileSync(path.join(ARAZZO_DIR, name), 'utf8'));
  for (const source of doc.sourceDescriptions) source.url = path.resolve(ARAZZO_DIR, source.url);
  for (const workflow of doc.workflows) {
    for (const step of workflow.steps) {
      for (const action of step.onFailure ?? []) {
        if (action.type !== 'retry') continue;
        action.retryAfter = 0.05;
        if (retryLimits[action.name] !== undefined) action.retryLimit = retryLimits[action.name];
      }
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arazzo-respect-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, stringify(doc));
  return { file, dir };
}

interface RespectRun {
  exitCode: number;
  output: string;
  /** 'success' or 'error' */
  workflowStatus: string;
  /** stepIds in the order Respect executed them, with their status */
  steps: { stepId: string; status: string }[];
  /** The URL of each request, in order. */
  urls: string[];
}

function respect(prepared: Prepared, server: string, inputs: Record<string, string>): Promise<RespectRun> {
  const report = path.join(prepared.dir, 'report.json');
  const args = [REDOCLY, 'respect', prepared.file, '--server', server, '--json-output', report];
  for (const [key, value] of Object.entries(inputs)) args.push('--input', `${key}=${value}`);
  // Telemetry off (also set in redocly.yaml): the runner must not try to reach the network.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', NO_COLOR: '1' };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: prepared.dir, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      const output = `${stdout}\n${stderr}`;
      if (!fs.existsSync(report)) return reject(new Error(`respect wrote no report (exit ${exitCode}):\n${output}`));
      const json = JSON.parse(fs.readFileSync(report, 'utf8'));
      const [workflow] = (Object.values(json.files)[0] as any).executedWorkflows;
      const steps = workflow.executedSteps.map((step: any) => ({ stepId: step.stepId, status: step.status }));
      const urls = workflow.executedSteps.map((step: any) => step.request?.url);
      resolve({ exitCode, output, workflowStatus: workflow.status, steps, urls });
    });
  });
}

const stepIds = (run: RespectRun) => run.steps.map((step) => step.stepId);

describe('Arazzo workflows run by Redocly Respect', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  const prepared = (name: string, retryLimits?: Record<string, number>) => {
    const copy = prepare(name, retryLimits);
    dirs.push(copy.dir);
    return copy;
  };

  describe('backup-and-restore-corrected.arazzo.yml against the seed API simulator', () => {
    let sim: Simulator | undefined;
    afterEach(async () => {
      await sim?.close();
      sim = undefined;
    });
    const inputs = { apiToken: TOKEN, databaseId: 'db_demo' };
    const server = () => `postgresManagementApi=${sim!.url}`;
    const listRequests = () => sim!.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/backups'));

    it('restores the backup it created once that backup is completed, although a newer completed backup heads the list', async () => {
      let automaticId: string | undefined;
      sim = await startSimulator({
        token: TOKEN,
        backupDurationMs: 400,
        // As soon as our backup is created, an automatic backup appears: newer, completed, first in the list.
        log: (line) => {
          if (!automaticId && /^POST \S+\/backups -> 202/.test(line)) automaticId = sim!.addAutomaticBackup('db_demo').id;
        },
      });
      const run = await respect(prepared('backup-and-restore-corrected.arazzo.yml'), server(), inputs);

      assert.equal(run.workflowStatus, 'success', run.output);
      assert.equal(run.exitCode, 0);
      const [created] = sim.effects.backupsCreated;
      assert.ok(automaticId && automaticId !== created.id);
      assert.equal(listRequests()[0].status, 200);
      assert.ok(listRequests().length >= 2, 'polled more than once: the backup was not completed at first');
      assert.deepEqual(
        sim.effects.restoresApplied.map((r) => [r.backupId, r.backupStatusAtRestore]),
        [[created.id, 'completed']],
      );
      assert.deepEqual(stepIds(run).at(-1), 'restoreBackup');
      for (const request of sim.requests) assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    });

    it('ends without restoring when the backup failed, on the first poll that sees it failed', async () => {
      sim = await startSimulator({ token: TOKEN, backupDurationMs: 300, backupOutcome: 'failed' });
      const run = await respect(prepared('backup-and-restore-corrected.arazzo.yml'), server(), inputs);

      assert.equal(run.workflowStatus, 'error', run.output);
      assert.notEqual(run.exitCode, 0);
      assert.equal(sim.effects.restoresApplied.length, 0);
      assert.ok(!stepIds(run).includes('restoreBackup'));
      const polls = listRequests();
      assert.ok(polls.length >= 2, 'it waited while the backup was pending or in progress');
      const failedAt = Date.parse(sim.effects.backupsCreated[0].createdAt) + 300;
      assert.ok(polls.filter((poll) => poll.time >= failedAt).length <= 1, 'no poll after the one that saw it failed');
      assert.equal(sim.requests.at(-1), polls.at(-1));
    });

    it('gives up after retryLimit polls when the backup never finishes, without restoring', async () => {
      sim = await startSimulator({ token: TOKEN, backupDurationMs: Infinity });
      const run = await respect(prepared('backup-and-restore-corrected.arazzo.yml', { backupNotFinished: 3 }), server(), inputs);

      assert.equal(run.workflowStatus, 'error', run.output);
      assert.equal(listRequests().length, 1 + 3, 'the first poll and three retries');
      assert.equal(sim.effects.restoresApplied.length, 0);
    });

    it('(the seed as given fails at its first poll: its JSONPath condition is not a query)', async () => {
      sim = await startSimulator({ token: TOKEN, backupDurationMs: 0 });
      const run = await respect(prepared('prisma-postgres-backup-and-restore-workflow.yml'), server(), inputs);

      assert.equal(run.workflowStatus, 'error', run.output);
      assert.deepEqual(stepIds(run), ['createBackup', 'pollBackup']);
      assert.equal(listRequests().length, 1, 'one look, no retry');
      assert.equal(sim.effects.restoresApplied.length, 0);
    });
  });

  describe("prisma-restore-from-backup.arazzo.yml against the simulator's prisma profile", () => {
    let sim: PrismaSimulator | undefined;
    afterEach(async () => {
      await sim?.close();
      sim = undefined;
    });
    const SOURCE = 'db_source1';
    const TARGET = 'db_target1';
    const server = () => `prismaManagementApi=${new URL(sim!.url).origin}`;
    const start = (options: Partial<PrismaSimulatorOptions> = {}) =>
      startSimulator({ profile: 'prisma', token: TOKEN, databases: [SOURCE, TARGET], recoveryMs: 300, ...options });
    const inputs = (backupId: string) => ({ apiToken: TOKEN, sourceDatabaseId: SOURCE, backupId, targetDatabaseId: TARGET });
    const workflowRequests = () => sim!.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    const day = 24 * 3600 * 1000;

    it('restores the named completed backup (not the newest) into the target and waits until the target is ready', async () => {
      sim = await start();
      const named = sim.addBackup(SOURCE, { createdAt: new Date(Date.now() - 2 * day) });
      sim.addBackup(SOURCE, { createdAt: new Date(Date.now() - day) });
      const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml'), server(), inputs(named.id));

      assert.equal(run.workflowStatus, 'success', run.output);
      assert.equal(run.exitCode, 0);
      assert.deepEqual(
        sim.effects.restoresApplied.map((r) => [r.databaseId, r.sourceDatabaseId, r.backupId, r.backupStatusAtRestore, r.recoveryOutcome]),
        [[TARGET, SOURCE, named.id, 'completed', 'ready']],
      );
      assert.equal(run.urls[0], `${new URL(sim.url).origin}/v1/databases/${SOURCE}/backups?limit=100`);
      const restore = sim.requests.find((r) => r.method === 'POST');
      assert.deepEqual(restore?.body, { source: { type: 'backup', databaseId: SOURCE, backupId: named.id } });
      assert.deepEqual(stepIds(run).slice(0, 2), ['checkBackup', 'restoreBackup']);
      assert.ok(stepIds(run).filter((id) => id === 'waitForTarget').length >= 2, 'polled while the target was recovering');
      for (const request of sim.requests) assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    });

    for (const status of ['running', 'failed', 'unknown'] as const) {
      it(`sends no restore when the named backup is ${status}`, async () => {
        sim = await start();
        sim.addBackup(SOURCE, { createdAt: new Date(Date.now() - day) });
        const named =
          status === 'failed'
            ? sim.finishBackup(sim.addBackup(SOURCE, { status: 'running' }).id, 'failed')
            : sim.addBackup(SOURCE, { status });
        const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml'), server(), inputs(named.id));

        assert.equal(run.workflowStatus, 'error', run.output);
        assert.deepEqual(workflowRequests(), [`GET /v1/databases/${SOURCE}/backups 200`]);
        assert.equal(sim.effects.restoresApplied.length, 0);
      });
    }

    it('sends no restore when the named backup is not listed (only another, completed, backup is)', async () => {
      sim = await start();
      sim.addBackup(SOURCE);
      const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml'), server(), inputs('bkabsent1'));

      assert.equal(run.workflowStatus, 'error', run.output);
      assert.equal(sim.effects.restoresApplied.length, 0);
    });

    it('stops at a 409 (target busy): one restore request, not retried, no polling', async () => {
      sim = await start({ recoveryMs: Infinity });
      const named = sim.addBackup(SOURCE);
      // Someone else's restore is still running on the target.
      const busy = await fetch(`${sim.url}/databases/${TARGET}/restore`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ source: { type: 'backup', databaseId: SOURCE, backupId: named.id } }),
      });
      assert.equal(busy.status, 200);
      const before = sim.requests.length;
      const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml'), server(), inputs(named.id));

      assert.equal(run.workflowStatus, 'error', run.output);
      assert.deepEqual(workflowRequests().slice(before), [
        `GET /v1/databases/${SOURCE}/backups 200`,
        `POST /v1/databases/${TARGET}/restore 409`,
      ]);
      assert.equal(sim.effects.restoresApplied.length, 1, 'only the other restore');
    });

    it('ends as failed when the target database ends in failure', async () => {
      sim = await start();
      const named = sim.addBackup(SOURCE);
      sim.failRestores({ databaseId: TARGET });
      const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml'), server(), inputs(named.id));

      assert.equal(run.workflowStatus, 'error', run.output);
      assert.deepEqual(
        sim.effects.restoresApplied.map((r) => r.recoveryOutcome),
        ['failure'],
      );
      assert.equal(stepIds(run).at(-1), 'waitForTarget');
      assert.equal(run.steps.at(-1)?.status, 'error');
    });

    it('gives up after retryLimit polls while the target stays recovering', async () => {
      sim = await start({ recoveryMs: Infinity });
      const named = sim.addBackup(SOURCE);
      const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml', { stillRecovering: 2 }), server(), inputs(named.id));

      assert.equal(run.workflowStatus, 'error', run.output);
      assert.equal(sim.requests.filter((r) => r.method === 'GET' && r.path === `/v1/databases/${TARGET}`).length, 1 + 2);
    });
  });
});
