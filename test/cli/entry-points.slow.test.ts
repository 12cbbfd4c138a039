// The slow entry-point checks (see entry-points.test.ts): exit 3 when Temporal is unreachable (the
// client retries its connection for 10 s), and `npm start`, the demo, compiled.
import { strict as assert } from 'assert';
import path from 'node:path';
import { exec, NO_TEMPORAL, ROOT, starter } from '../support/cli';
import { testTemporalAddress } from '../support/temporal';

describe('entry points (compiled), slow', function () {
  this.timeout(120_000);

  it('Temporal unreachable exits 3 and says what to do', async () => {
    const { code, stderr } = await starter(['backup', '--database-id', 'db_demo'], { ...NO_TEMPORAL, PRISMA_API_PROFILE: 'seed' });
    assert.equal(code, 3, stderr);
    assert.match(
      stderr,
      /^✖ \[TEMPORAL_UNREACHABLE\] .*127\.0\.0\.1:1.*\n→ Start one \(`npm run temporal:dev`\) or set TEMPORAL_ADDRESS to yours\.\n$/,
    );
  });
});

describe('npm start (the demo, compiled)', function () {
  this.timeout(120_000);
  const demo = (args: string[]) =>
    exec(process.execPath, [path.join(ROOT, 'dist', 'demo', 'main.js'), ...args], { TEMPORAL_ADDRESS: testTemporalAddress() });

  it('npm start -- --help says how to run once and exit', async () => {
    const { code, stdout } = await demo(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /--once exits with the run's exit code \(0 done,\s+1 failed, 2 bad input\)/);
  });

  it('npm start -- --once exits 1 with the typed reason when the run fails', async () => {
    const { code, stdout } = await demo(['--once', '--backup-id', 'bkp_missing']);
    assert.equal(code, 1, stdout);
    // The default profile is prisma: the CLI's restore of a backup that is not listed (test/demo covers a run that succeeds).
    assert.match(stdout, /✖ \[BackupNotFound\] Backup bkp_missing of database db_demo is not among the \d+ backups listed/);
  });
});
