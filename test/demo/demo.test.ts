// `npm start -- --once` in the prisma profile (the default) shows the data coming back; the seed
// profile's story is in demo.slow.test.ts. Helpers: ./run-demo.ts.
import { strict as assert } from 'assert';
import { ownNamespace, type OwnNamespace } from '../integration/own-namespace';
import { testTemporalAddress } from '../support/temporal';
import { assertDataCameBack, npmStartOnce, pick, result } from './run-demo';

describe('npm start -- --once shows the data coming back (prisma, the default)', function () {
  this.timeout(240_000);
  let own: OwnNamespace | undefined;
  before(async () => {
    own = await ownNamespace('demo-test');
  });
  after(async () => {
    await own?.remove();
  });

  it('prisma: seeds, the simulator takes an automatic backup, rows change, the run restores the newest completed backup, exit 0', async () => {
    const { namespace } = own!;
    const ran = await npmStartOnce(namespace, { TEMPORAL_UI_URL: 'http://127.0.0.1:8233' });
    const automatic = /^The simulator takes an automatic backup, as Prisma does daily: (\w+), completed, holding these rows\.$/m.exec(
      ran.stdout,
    );
    assert.ok(automatic, ran.stdout);
    const backupId = automatic[1];
    assertDataCameBack(ran, [
      new RegExp(`^Temporal: ${testTemporalAddress().replace(/\./g, '\\.')}$`, 'm'),
      /^Management API: simulator at http:\/\/127\.0\.0\.1:\d+\/v1 \(prisma\); set PRISMA_API_URL and PRISMA_API_TOKEN for a real one\.$/m,
      /^Rows after seeding/m,
      /^The simulator takes an automatic backup/m,
      /^Rows after the changes/m,
      /^Started backup-db_demo-\d{8}T\d{6}Z \(database db_demo\)\.$/m,
      new RegExp(
        `^Watch it in the Temporal Web UI: http://127\\.0\\.0\\.1:8233/namespaces/${namespace}/workflows/backup-db_demo-\\d{8}T\\d{6}Z$`,
        'm',
      ),
      // The follower's progress: the wait for the backup, then the wait for the restored database, its
      // looks and the last look's answer.
      /^ {2}waiting-for-backup · gives up in \w+ · elapsed \d+s$/m,
      new RegExp(
        `^ {2}waiting-for-database · backup ${backupId} · into db_demo: applied, 1 attempted · \\d+ looks? · last: db_demo is recovering \\(from backup ${backupId} of db_demo\\), \\d+s in \\(look \\d+\\) · next look in \\w+ · gives up in \\w+ · elapsed \\d+s$`,
        'm',
      ),
      /^Result:$/m,
      /^Rows after the restore, in db_demo:$/m,
    ]);
    assert.deepEqual(pick(result(ran.stdout)), { backupId, restoreStatus: 'ready' });
  });
});
