// `npm start -- --once` in the seed profile (PRISMA_API_PROFILE=seed) shows the data coming back; the
// prisma profile, the default, is demo.test.ts's (in `npm test`). Helpers: ./run-demo.ts.
import { strict as assert } from 'assert';
import { ownNamespace, type OwnNamespace } from '../integration/own-namespace';
import { assertDataCameBack, npmStartOnce, pick, result } from './run-demo';

describe('npm start -- --once shows the data coming back (seed)', function () {
  this.timeout(240_000);
  let own: OwnNamespace | undefined;
  before(async () => {
    own = await ownNamespace('demo-test');
  });
  after(async () => {
    await own?.remove();
  });

  it('seed: the run backs up and awaits approval, rows change, the demo approves, the run restores its backup, exit 0', async () => {
    const ran = await npmStartOnce(own!.namespace, { PRISMA_API_PROFILE: 'seed' });
    const completed = /^Backup (bkp_\w+) is completed: the simulator took its snapshot then, so it holds the rows seeded above\.$/m.exec(
      ran.stdout,
    );
    assert.ok(completed, ran.stdout);
    assertDataCameBack(ran, [
      /^Management API: simulator at http:\/\/127\.0\.0\.1:\d+\/v1 \(seed\); set PRISMA_API_URL and PRISMA_API_TOKEN for a real one\.$/m,
      /^Rows after seeding/m,
      /^Started backup-db_demo-\d{8}T\d{6}Z \(database db_demo\)\.$/m,
      /^Backup bkp_\w+ is completed/m,
      /^Rows after the changes, while the run awaits approval/m,
      /^The demo approves, as you would:$/m,
      new RegExp(`^Approved: backup-db_demo-\\S+ now restores backup ${completed[1]}\\.`, 'm'),
      /^Result:$/m,
      /^Rows after the restore, in db_demo:$/m,
    ]);
    assert.deepEqual(pick(result(ran.stdout)), { backupId: completed[1], restoreStatus: 'restoring' });
  });
});
