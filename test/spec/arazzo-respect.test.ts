// The Arazzo documents executed: Redocly Respect runs each workflow over real loopback HTTP against
// the project's simulator: the corrected seed workflow against its seed profile, the prisma workflow
// against its prisma profile. Respect also checks every answer against the document's source
// description. These are the two successful runs (`npm test`); their failure paths, and the seed
// document as given, are in arazzo-respect.slow.test.ts (`npm run test:all`). Helpers: ./respect.ts.
import { strict as assert } from 'node:assert';

import { startSimulator, type PrismaSimulator, type PrismaSimulatorOptions, type Simulator } from '../../simulator';
import { preparedCopies, respect, stepIds, TOKEN } from './respect';

describe('Arazzo workflows run by Redocly Respect', function () {
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
  });
});
