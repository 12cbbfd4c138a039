// Two guarantees through the CLI, on a real worker and real rows: a check asked for with
// `--verify-sql` runs, and its failure fails the command; and no value of the user's rows appears in
// what we write: the CLI's output, the run's history (its failure and results), the worker's logs.
import { strict as assert } from 'assert';
import { WorkerProcess } from '../../reliability/worker-process';
import type { PrismaSimulator } from '../../simulator';
import { cli, workerProcessFor } from '../support/cli';
import { startHarness, uniqueId, until, type Harness } from '../support/harness';

/** A value nobody would write by chance: found anywhere, it leaked. */
const SECRET_VALUE = 'zebra-quartz-7f3a91';

describe('verified when asked, and no row value quoted (CLI, real rows)', function () {
  this.timeout(120_000);
  let h: Harness<PrismaSimulator>;
  // A worker process of its own, so its logs (SDK, workflow and activity lines) can be searched too.
  const taskQueue = uniqueId('verified');
  let worker: WorkerProcess;
  before(async () => {
    h = await startHarness({ profile: 'prisma', simulator: { data: 'postgres', recoveryMs: 300, provisioningMs: 300 } });
    worker = workerProcessFor(h, taskQueue, 'verified', { PRISMA_BACKUP_LOG_FORMAT: 'json' });
    await worker.start();
    await h.sim.sql('db_demo', 'CREATE TABLE t (id int PRIMARY KEY, v text)');
    await h.sim.sql('db_demo', `INSERT INTO t VALUES (1, '12'), (2, '${SECRET_VALUE}')`);
    h.sim.addBackup('db_demo');
  });
  after(async () => {
    await worker.stop();
    await h.close();
  });

  async function restore(sql: string) {
    const run = await cli(
      { client: h.client, taskQueue, profile: 'prisma' },
      'restore',
      '--database-id',
      'db_demo',
      '--confirm',
      'db_demo',
      '--verify-sql',
      sql,
      '--json',
    );
    const workflowId = JSON.parse(run.out[0]).workflowId as string;
    const history = JSON.stringify(await h.client.workflow.getHandle(workflowId).fetchHistory());
    return { code: run.code, out: run.text, history };
  }

  it('--verify-sql runs the check: a passing one says so in the result', async () => {
    const { code, out } = await restore('SELECT count(*) = 2 AS two_rows FROM t');
    assert.equal(code, 0, out);
    const result = JSON.parse(out.split('\n').at(-1)!).result;
    assert.equal(result.verification.check, 'sql');
    assert.match(result.message, /\. Verified db_demo: the SQL check passed \(1 row, every column true\)\.$/);
  });

  it('a check that does not pass exits 1 with VerificationFailed, naming the column, never the value', async () => {
    const { code, out, history } = await restore('SELECT v::int > 0 AS positive FROM t');
    assert.equal(code, 1, out);
    const { error } = JSON.parse(out.split('\n').at(-1)!);
    assert.equal(error.type, 'VerificationFailed');
    assert.match(error.message, /the SQL check did not pass: the query failed with SQLSTATE 22P02/);
    await until(() => /the SQL check did not pass/.test(worker.output()));
    for (const [where, text] of [
      ['output', out],
      ['history', history],
      ['worker logs', worker.output()],
    ]) {
      assert.ok(!text.includes(SECRET_VALUE), `the row's value is in the ${where}`);
    }
  });

  it('a check false on a row names the row and column, never the value', async () => {
    const { code, out, history } = await restore(
      `SELECT v <> '${SECRET_VALUE.slice(0, 5)}' AS differs, length(v) < 5 AS short FROM t ORDER BY id`,
    );
    assert.equal(code, 1, out);
    assert.match(out, /row 2: short is false/);
    // The query is the user's own text, kept in the input; the row's value is nowhere.
    assert.ok(!out.includes(SECRET_VALUE) && !history.includes(SECRET_VALUE));
  });

  it('a column that is the value itself, not a condition, is named as not a boolean, never quoted', async () => {
    const { code, out, history } = await restore('SELECT v AS restored_ok FROM t ORDER BY id');
    assert.equal(code, 1, out);
    assert.ok(!out.includes(SECRET_VALUE), "the row's value is in the output");
    assert.ok(!history.includes(SECRET_VALUE), "the row's value is in the history");
    assert.match(out, /row 2: restored_ok is not a boolean/);
  });
});
