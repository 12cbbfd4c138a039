// The Arazzo documents executed: Redocly Respect (`redocly respect`, the runner of the linter we
// already use) runs each workflow over real loopback HTTP. The corrected seed workflow runs against
// the project's simulator of the seed API; the prisma workflow against a small stand-in for the three
// endpoints of Prisma's published API it calls, below (Respect checks every answer against the
// published description, so the stand-in cannot drift from it unnoticed).
//
// Each run uses a copy of the document in a temporary directory with two changes only: the source
// description is referenced by its absolute path (the copy is elsewhere), and `retryAfter` is cut
// from 30 s to 0.05 s (and `retryLimit` lowered where a test says so) so that the polls take no time.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';

import { startSimulator, type Simulator } from '../../simulator';

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
      resolve({ exitCode, output, workflowStatus: workflow.status, steps });
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

  describe("prisma-restore-from-backup.arazzo.yml against a stand-in for Prisma's published API", () => {
    let api: PrismaStandIn | undefined;
    afterEach(async () => {
      await api?.close();
      api = undefined;
    });
    const inputs = { apiToken: TOKEN, sourceDatabaseId: 'db_source1', backupId: 'bk_wanted', targetDatabaseId: 'db_target1' };
    const server = () => `prismaManagementApi=${api!.origin}`;
    const restores = () => api!.requests.filter((r) => r.method === 'POST');

    it('restores the named completed backup into the target and waits until the target is ready', async () => {
      api = await startPrismaStandIn({ backupStatus: 'completed', recoveringPolls: 2, outcome: 'ready' });
      const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml'), server(), inputs);

      assert.equal(run.workflowStatus, 'success', run.output);
      assert.deepEqual(
        api.requests.map((r) => `${r.method} ${r.path}${r.query}`),
        [
          'GET /v1/databases/db_source1/backups?limit=100',
          'POST /v1/databases/db_target1/restore',
          'GET /v1/databases/db_target1',
          'GET /v1/databases/db_target1',
          'GET /v1/databases/db_target1',
        ],
      );
      assert.deepEqual(restores()[0].body, { source: { type: 'backup', databaseId: 'db_source1', backupId: 'bk_wanted' } });
      for (const request of api.requests) assert.equal(request.authorization, `Bearer ${TOKEN}`);
    });

    for (const backupStatus of ['running', 'failed', 'unknown'] as const) {
      it(`sends no restore when the named backup is ${backupStatus}`, async () => {
        api = await startPrismaStandIn({ backupStatus, recoveringPolls: 0, outcome: 'ready' });
        const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml'), server(), inputs);

        assert.equal(run.workflowStatus, 'error', run.output);
        assert.equal(restores().length, 0);
        assert.equal(api.requests.length, 1);
      });
    }

    it('sends no restore when the named backup is not listed (only other, completed, backups are)', async () => {
      api = await startPrismaStandIn({ backupStatus: 'completed', recoveringPolls: 0, outcome: 'ready' });
      const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml'), server(), { ...inputs, backupId: 'bk_absent' });

      assert.equal(run.workflowStatus, 'error', run.output);
      assert.equal(restores().length, 0);
    });

    it('stops at a 409 (target busy): one restore request, not retried, no polling', async () => {
      api = await startPrismaStandIn({ backupStatus: 'completed', recoveringPolls: 0, outcome: 'ready', targetStatus: 'recovering' });
      const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml'), server(), inputs);

      assert.equal(run.workflowStatus, 'error', run.output);
      assert.deepEqual(
        api.requests.map((r) => `${r.method} ${r.status}`),
        ['GET 200', 'POST 409'],
      );
    });

    it('ends as failed when the target database ends in failure', async () => {
      api = await startPrismaStandIn({ backupStatus: 'completed', recoveringPolls: 1, outcome: 'failure' });
      const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml'), server(), inputs);

      assert.equal(run.workflowStatus, 'error', run.output);
      assert.deepEqual(stepIds(run), ['checkBackup', 'restoreBackup', 'waitForTarget', 'waitForTarget']);
    });

    it('gives up after retryLimit polls while the target stays recovering', async () => {
      api = await startPrismaStandIn({ backupStatus: 'completed', recoveringPolls: Infinity, outcome: 'ready' });
      const run = await respect(prepared('prisma-restore-from-backup.arazzo.yml', { stillRecovering: 2 }), server(), inputs);

      assert.equal(run.workflowStatus, 'error', run.output);
      assert.equal(api.requests.filter((r) => r.method === 'GET' && r.path === '/v1/databases/db_target1').length, 1 + 2);
    });
  });
});

// --- A stand-in for the three endpoints of Prisma's published Management API the workflow calls ---

type BackupStatus = 'running' | 'completed' | 'failed' | 'unknown';
type DatabaseStatus = 'provisioning' | 'ready' | 'recovering' | 'failure';

interface StandInOptions {
  /** Status of the backup `bk_wanted` of db_source1 (another, completed, backup is always listed first). */
  backupStatus: BackupStatus;
  /** Status of db_target1 before any restore. Default ready. */
  targetStatus?: DatabaseStatus;
  /** How many reads of the target answer `recovering` after a restore before `outcome`. */
  recoveringPolls: number;
  outcome: 'ready' | 'failure';
}

interface StandInRequest {
  method: string;
  path: string;
  query: string;
  authorization?: string;
  body: unknown;
  status: number;
}

interface PrismaStandIn {
  /** Origin without a path: the published paths start with /v1. */
  origin: string;
  requests: StandInRequest[];
  close(): Promise<void>;
}

async function startPrismaStandIn(options: StandInOptions): Promise<PrismaStandIn> {
  const requests: StandInRequest[] = [];
  let targetStatus: DatabaseStatus = options.targetStatus ?? 'ready';
  let restoredFrom: { databaseId: string; backupId: string } | undefined;
  let recoveringLeft = 0;

  const database = (id: string, status: DatabaseStatus) => ({
    id,
    type: 'database',
    url: `https://api.prisma.io/v1/databases/${id}`,
    name: id,
    status,
    createdAt: '2026-03-01T00:00:00.000Z',
    isDefault: true,
    defaultConnectionId: null,
    connections: [],
    project: { id: 'proj_1', url: 'https://api.prisma.io/v1/projects/proj_1', name: 'project' },
    region: null,
    source: restoredFrom ? { type: 'backup', ...restoredFrom } : { type: 'empty' },
  });
  const error = (code: string, message: string) => ({ error: { code, message } });

  const answer = (method: string, route: string, body: any): [number, unknown] => {
    let match: RegExpMatchArray | null;
    if (method === 'GET' && (match = route.match(/^\/v1\/databases\/([^/]+)\/backups$/))) {
      if (match[1] !== 'db_source1') return [404, error('NotFound', 'Database not found')];
      const data = [
        { id: 'bk_newest', backupType: 'full', createdAt: '2026-03-26T03:00:00.000Z', size: 1024, status: 'completed', type: 'backup' },
        {
          id: 'bk_wanted',
          backupType: 'full',
          createdAt: '2026-03-25T03:00:00.000Z',
          size: 1024,
          status: options.backupStatus,
          type: 'backup',
        },
      ];
      return [200, { data, meta: { backupRetentionDays: 7 }, pagination: { hasMore: false, limit: 100 } }];
    }
    if (method === 'POST' && (match = route.match(/^\/v1\/databases\/([^/]+)\/restore$/))) {
      if (match[1] !== 'db_target1') return [404, error('NotFound', 'Target database not found')];
      if (targetStatus === 'provisioning' || targetStatus === 'recovering') {
        return [409, error('Conflict', `Target database is ${targetStatus}`)];
      }
      const source = body?.source;
      if (source?.type !== 'backup' || source.databaseId !== 'db_source1' || source.backupId !== 'bk_wanted') {
        return [404, error('NotFound', 'Backup not found')];
      }
      restoredFrom = { databaseId: source.databaseId, backupId: source.backupId };
      targetStatus = 'recovering';
      recoveringLeft = options.recoveringPolls;
      return [200, { data: database('db_target1', targetStatus) }];
    }
    if (method === 'GET' && (match = route.match(/^\/v1\/databases\/([^/]+)$/))) {
      if (match[1] !== 'db_target1') return [404, error('NotFound', 'Database not found')];
      if (targetStatus === 'recovering' && restoredFrom) {
        if (recoveringLeft > 0) recoveringLeft -= 1;
        else targetStatus = options.outcome;
      }
      return [200, { data: database('db_target1', targetStatus) }];
    }
    return [404, error('NotFound', 'No such route')];
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? JSON.parse(raw) : undefined;
      const [status, reply] =
        req.headers.authorization === `Bearer ${TOKEN}`
          ? answer(req.method ?? 'GET', url.pathname, body)
          : [401, error('Unauthorized', 'Missing or invalid authorization token')];
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.search,
        authorization: req.headers.authorization,
        body,
        status,
      });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
