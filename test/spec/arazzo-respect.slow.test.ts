// The Arazzo documents' failure paths, executed by Redocly Respect against the simulator (see
// arazzo-respect.test.ts for the successful runs, in `npm test`; these are in `npm run test:all`):
// each ends without the restore, or at the step it should, and retries only as far as retryLimit.
import { strict as assert } from 'node:assert';

import { startSimulator, type PrismaSimulator, type PrismaSimulatorOptions, type Simulator } from '../../simulator';
import { preparedCopies, respect, stepIds, TOKEN } from './respect';

describe('Arazzo workflows run by Redocly Respect: failure paths', function () {
  this.timeout(120_000);
  const { prepared, cleanUp } = preparedCopies();
  after(cleanUp);

  describe('backup-and-restore-corrected.arazzo.yml against the seed API simulator', () => {
    let sim: Simulator | undefined;
    afterEach(async () => {
      await sim?.close();
      sim = undefined;
    });
    const inputs = { apiToken: TOKEN, databaseId: 'db_demo' };
    const server = () => `postgresManagementApi=${sim!.url}`;
    const listRequests = () => sim!.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/backups'));

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
