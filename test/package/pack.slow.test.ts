// What a user installs: `npm pack` gives a package that installs into an empty folder, whose
// `prisma-backup` answers --help, and whose worker and CLI restore a database against a dev server.
import { strict as assert } from 'assert';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../local-temporal';
import { startSimulator, type PrismaSimulator } from '../../simulator';
import { uniqueId } from '../support/harness';
import { testNamespace, testTemporalAddress } from '../support/temporal';

const run = promisify(execFile);

describe('the packed package, installed into an empty folder', function () {
  this.timeout(600_000);
  let dir: string;
  let sim: PrismaSimulator;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'prisma-backup-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 });
    const [{ filename, files }] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    // The product only: no tests, tools or sources beside the compiled code.
    assert.ok(
      files.every((f) => /^(dist\/src\/|README\.md$|package\.json$|LICENSE)/.test(f.path)),
      files.map((f) => f.path).join(', '),
    );
    assert.ok(
      files.some((f) => f.path === 'dist/src/workflow-bundle.js'),
      'the prebuilt workflow bundle is in it',
    );
    await writeFile(path.join(dir, 'package.json'), '{"name":"pack-check","private":true}');
    await run('npm', ['install', '--no-audit', '--no-fund', path.join(dir, filename)], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    sim = await startSimulator({ profile: 'prisma', token: 'tok_pack', recoveryMs: 500 });
    sim.addBackup('db_demo');
  });
  after(async () => {
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prisma-backup --help answers, and says how long it took', async () => {
    const started = process.hrtime.bigint();
    const { stdout } = await run(path.join(dir, 'node_modules', '.bin', 'prisma-backup'), ['--help'], { cwd: dir });
    console.log(`      prisma-backup --help: ${Number(process.hrtime.bigint() - started) / 1e6} ms`);
    // Started from node_modules/.bin, its hints name the command a user types there.
    assert.match(stdout, /Usage: npx prisma-backup /);
    assert.match(stdout, /restore/);
  });

  it('its worker and CLI restore a database against a dev server', async () => {
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_NAMESPACE: testNamespace(),
      PRISMA_API_URL: sim.url,
      PRISMA_API_TOKEN: 'tok_pack',
      PRISMA_BACKUP_TASK_QUEUE: uniqueId('pack'),
      PRISMA_BACKUP_METRICS_ADDRESS: 'off',
    };
    const worker = spawn(process.execPath, [path.join(dir, 'node_modules', 'prisma-postgres-backup-restore', 'dist', 'src', 'worker.js')], {
      cwd: dir,
      env,
    });
    let log = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker not ready: ${log}`)), 60_000);
        const seen = (chunk: Buffer) => {
          log += chunk;
          if (log.includes('Worker polling task queue')) resolve(clearTimeout(timer));
        };
        worker.stdout.on('data', seen);
        worker.stderr.on('data', seen);
        worker.once('exit', () => reject(new Error(`worker exited: ${log}`)));
      });
      const { stdout } = await run(
        path.join(dir, 'node_modules', '.bin', 'prisma-backup'),
        ['restore', '--database-id', 'db_demo', '--confirm', 'db_demo'],
        { cwd: dir, env },
      );
      assert.match(stdout, /"restoreStatus": "ready"/);
      assert.equal(sim.effects.restoresApplied.length, 1);
    } finally {
      worker.kill('SIGTERM');
    }
  });
});
