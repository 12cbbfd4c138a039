// Bad configuration that only shows once a run is under way (or a worker starts): a wrong or missing
// token, an unreachable API, answers that are not JSON. Each says what to do, and none restores.
import { strict as assert } from 'assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cli, compiledEntry, ROOT } from '../support/cli';
import { startHarness, uniqueId, type Harness } from '../support/harness';

const FAST = ['--poll-initial', '100ms', '--poll-max', '200ms', '--deadline', '1m'];

/** The CLI's `run` of db_demo, confirmed, with fast polls, against the harness's worker. */
const runDemo = (h: Harness, ...more: string[]) =>
  cli({ client: h.client, taskQueue: h.taskQueue }, 'run', '--database-id', 'db_demo', '--confirm', 'db_demo', ...FAST, ...more);

describe('bad configuration at run time', function () {
  this.timeout(90_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a wrong token: the run fails Unauthorized, says where the token goes, and shows neither token', async () => {
    const wrongToken = `tok_wrong_${uniqueId('x')}`;
    h = await startHarness({ workerToken: wrongToken });
    const { code, text } = await runDemo(h);
    assert.equal(code, 1);
    assert.match(
      text,
      /✖ \[Unauthorized\] POST databases\/db_demo\/backups answered 401.*Give the worker a valid service token in PRISMA_API_TOKEN \(or PRISMA_API_TOKEN_FILE\)/,
    );
    assert.ok(!text.includes(wrongToken) && !text.includes(h.token), 'a token was printed');
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });

  it('a missing token: the compiled worker refuses to start and says which variable to set', async () => {
    const env = { ...process.env, PRISMA_API_TOKEN: '', PRISMA_API_TOKEN_FILE: '' };
    await assert.rejects(
      promisify(execFile)(process.execPath, [compiledEntry('worker')], { cwd: ROOT, env, timeout: 60_000 }),
      (err: { code: number; stderr: string }) => {
        assert.equal(err.code, 1);
        assert.match(
          err.stderr,
          /No Management API token: set PRISMA_API_TOKEN, or PRISMA_API_TOKEN_FILE to a file holding it, on the worker\./,
        );
        return true;
      },
    );
  });

  it('an unreachable API: the pending activity says to check PRISMA_API_URL, and the run can be cancelled', async () => {
    // Port 1 (tcpmux) has no listener on any machine we run on: connections are refused.
    h = await startHarness({ apiBaseUrl: 'http://127.0.0.1:1/v1' });
    const workflowId = uniqueId('unreachable');
    const started = await cli(
      { client: h.client, taskQueue: h.taskQueue },
      'run',
      '--database-id',
      'db_demo',
      '--confirm',
      'db_demo',
      '--detach',
      '--workflow-id',
      workflowId,
    );
    assert.equal(started.code, 0, started.text);
    const handle = h.client.workflow.getHandle(workflowId);
    let lastFailure: string | undefined;
    for (const end = Date.now() + 30_000; !lastFailure && Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
      lastFailure = (await handle.describe()).raw.pendingActivities?.[0]?.lastFailure?.message ?? undefined;
    }
    assert.match(
      lastFailure ?? '',
      /POST databases\/db_demo\/backups failed \(ECONNREFUSED\); retrying\. If this persists, check that PRISMA_API_URL is right and reachable from the worker\./,
    );
    const cancelled = await cli({ client: h.client, taskQueue: h.taskQueue }, 'cancel', workflowId);
    assert.match(cancelled.text, /a restore not yet sent is never sent/);
    const watched = await cli({ client: h.client, taskQueue: h.taskQueue }, 'watch', workflowId);
    assert.equal(watched.code, 1);
    assert.match(watched.text, /✖ \[Cancelled\] The run was cancelled\./);
  });

  for (const kind of ['malformed-json', 'invalid-body'] as const) {
    it(`a backup list that is never the described JSON (${kind}): looks fail until --poll-failing-limit, then PollFailing naming it; nothing restored`, async () => {
      h = await startHarness();
      h.sim.faults.add({ operation: 'listDatabaseBackups', kind, times: Infinity });
      const { code, text } = await runDemo(h, '--poll-failing-limit', '2s');
      assert.equal(code, 1, text);
      assert.match(
        text,
        /✖ \[PollFailing\] Looks at Backup bkp_\w+ of db_demo have failed since .* \(over 2s\); the last error: GET databases\/db_demo\/backups: the answer does not match the API description \(.+\)\. Check that PRISMA_API_URL is the Management API/,
      );
      assert.ok(h.requestsFor('listDatabaseBackups').length >= 2);
      assert.equal(h.sim.effects.restoresApplied.length, 0);
    });
  }

  it('a create-backup answer that is never the described JSON: after 3 attempts the run fails ProtocolError and restores nothing', async () => {
    h = await startHarness();
    h.sim.faults.add({ operation: 'createDatabaseBackup', kind: 'invalid-body', times: Infinity });
    const { code, text } = await runDemo(h);
    assert.equal(code, 1, text);
    assert.match(
      text,
      /✖ \[ProtocolError\] POST databases\/db_demo\/backups: the answer does not match the API description \(.+\)\. The request may have been carried out: check before sending it again\./,
    );
    assert.equal(h.requestsFor('createDatabaseBackup').length, 3);
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });

  it('a garbled 2xx answer to the restore POST is an accepted restore: sent once, the run completes and says so', async () => {
    h = await startHarness();
    h.sim.faults.add({ operation: 'restoreDatabaseBackup', kind: 'malformed-json' });
    const { code, text } = await runDemo(h);
    assert.equal(code, 0, text);
    assert.match(text, /"message": "The restore of db_demo from backup bkp_\w+ was accepted\."/);
    assert.equal(h.requestsFor('restoreDatabaseBackup').length, 1);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
  });

  it('watch says when no worker answers, instead of showing nothing', async () => {
    h = await startHarness();
    const workflowId = uniqueId('no-worker');
    // A task queue no worker polls: --detach says so at once.
    const started = await cli(
      { client: h.client, taskQueue: uniqueId('nobody') },
      'backup',
      '--database-id',
      'db_demo',
      '--detach',
      '--workflow-id',
      workflowId,
    );
    assert.match(started.text, /No worker polls task queue nobody-\w+: it waits until one does \(`npm run worker`\)\./);
    const watching = cli({ client: h.client, taskQueue: h.taskQueue }, 'watch', workflowId);
    await new Promise<void>((resolve) => setTimeout(resolve, 12_000));
    await h.client.workflow.getHandle(workflowId).terminate('test over');
    const watched = await watching;
    assert.equal(watched.code, 1);
    assert.match(
      watched.text,
      new RegExp(`${workflowId} has not answered for 1\\ds: is a worker running \\(\`npm run worker\`\\)\\? Still waiting\\.`),
    );
    assert.match(watched.text, /✖ \[Terminated\] The run was terminated\./);
  });
});
