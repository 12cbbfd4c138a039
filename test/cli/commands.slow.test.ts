// Every CLI command against the real Temporal server, a real worker and the simulator over HTTP.
// (What each option puts into the run's input is test/cli/wire.test.ts; refusals before anything
// starts are test/bad-input/before-start.test.ts.)
import { strict as assert } from 'assert';
import type { RunStatus } from '../../src/shared/types';
import { BACKUP_ID_KEY, PHASE_KEY } from '../../src/shared/constants';
import { cli, type CliRun } from '../support/cli';
import type { PrismaSimulator } from '../../simulator';
import { startHarness, uniqueId, untilStatus, type Harness } from '../support/harness';
import { testNamespace, testTemporalAddress } from '../support/temporal';

const FAST = ['--poll-initial', '100ms', '--poll-max', '200ms', '--deadline', '1m'];
const errOf = (r: CliRun) => r.err.join('\n');

describe('CLI commands', function () {
  this.timeout(90_000);
  let h: Harness;
  let db: string;
  const run = (...argv: string[]): Promise<CliRun> => cli({ client: h.client, taskQueue: h.taskQueue }, ...argv);
  const untilPhase = (workflowId: string, phase: RunStatus['phase']) =>
    untilStatus(h.client.workflow.getHandle(workflowId), (status) => status.phase === phase);

  beforeEach(async () => {
    // A database of its own per test, so `list` sees only this test's runs.
    db = uniqueId('db').replace(/-/g, '_');
    h = await startHarness({ simulator: { databases: [db], backupDurationMs: 500 } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('backup: backs up, waits for completion, restores nothing, exits 0', async () => {
    const { code, text } = await run('backup', '--database-id', db, '--label', 'nightly', ...FAST);
    assert.equal(code, 0, text);
    assert.match(text, new RegExp(`^Started backup-${db}-\\d{8}T\\d{6}Z \\(database ${db}\\)\\.`, 'm'));
    assert.match(text, /"restoreStatus": "skipped"/);
    assert.equal(h.sim.effects.backupsCreated.length, 1);
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });

  it('run without confirmation starts nothing and says how to confirm: the exact target database id', async () => {
    const { code, err } = await run('run', '--database-id', db, ...FAST);
    assert.equal(code, 2);
    assert.equal(
      err.join('\n'),
      `✖ [NOT_CONFIRMED] This replaces all data of ${db}, and nothing confirmed it; nothing was started.\n` +
        `→ Add --confirm ${db} to the same command, or run it on a terminal to be asked.`,
    );
    assert.equal(h.sim.requests.length, 0);
    const listed = await run('list', '--database-id', db, '--json');
    assert.deepEqual(listed.out, []);
  });

  it('a wrong --confirm, or --yes, starts nothing and names the target; the exact id starts the run', async () => {
    const wrong = await run('run', '--database-id', db, '--confirm', 'db_other', ...FAST);
    assert.equal(wrong.code, 2);
    assert.equal(
      errOf(wrong),
      `✖ [NOT_CONFIRMED] --confirm db_other does not name a database this replaces: it replaces the data of ${db}; nothing was started.\n→ Give --confirm ${db}.`,
    );
    const yes = await run('run', '--database-id', db, '--yes', ...FAST);
    assert.equal(yes.code, 2);
    assert.match(errOf(yes), /^✖ \[CONFIRM_BY_ID\] --yes confirms nothing: .*\n→ Give --confirm <target database id> instead\.$/);
    assert.equal(h.sim.requests.length, 0);
    assert.deepEqual((await run('list', '--database-id', db, '--json')).out, []);

    const exact = await run('run', '--database-id', db, '--confirm', db, ...FAST);
    assert.equal(exact.code, 0, exact.text);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
  });

  it('run on a terminal asks for the target database id and starts nothing on a wrong answer', async () => {
    const wrong = await cli({ client: h.client, taskQueue: h.taskQueue, terminalAnswer: 'yes' }, 'run', '--database-id', db, ...FAST);
    assert.equal(wrong.code, 2);
    assert.match(wrong.text, new RegExp(`This replaces all data of database ${db}\\. Type its id to confirm: `));
    assert.match(wrong.text, new RegExp(`✖ \\[NOT_CONFIRMED\\] Not confirmed \\(the answer was not ${db}\\); nothing was started\\.`));
    assert.equal(h.sim.requests.length, 0);

    const right = await cli({ client: h.client, taskQueue: h.taskQueue, terminalAnswer: db }, 'run', '--database-id', db, ...FAST);
    assert.equal(right.code, 0, right.text);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
  });

  it('run --confirm backs up, then restores once; status and list show it completed with its search attributes', async () => {
    const workflowId = uniqueId('cli-run');
    const { code, text } = await run('run', '--database-id', db, '--confirm', db, '--workflow-id', workflowId, ...FAST);
    assert.equal(code, 0, text);
    assert.match(text, /"restoreStatus": "restoring"/);
    const [backup] = h.sim.effects.backupsCreated;
    assert.deepEqual(
      h.sim.effects.restoresApplied.map((r) => r.backupId),
      [backup.id],
    );

    const status = await run('status', workflowId, '--json');
    assert.equal(status.code, 0);
    const report = JSON.parse(status.out[0]);
    assert.equal(report.event, 'completed');
    assert.equal(report.result.backupId, backup.id);
    assert.ok(report.result.pollsMade >= 1);
    const plain = await run('status', workflowId);
    assert.equal(plain.out[0], `${workflowId}: COMPLETED`);

    const described = await h.client.workflow.getHandle(workflowId).describe();
    assert.equal(described.typedSearchAttributes.get(PHASE_KEY), 'completed');
    assert.equal(described.typedSearchAttributes.get(BACKUP_ID_KEY), backup.id);
    assert.equal(await described.staticSummary(), `Back up ${db}, then restore it`);

    const listed = await run('list', '--database-id', db);
    assert.equal(listed.code, 0);
    assert.match(listed.out[0], /^WORKFLOW ID\s+EXECUTION\s+PHASE\s+DATABASE\s+BACKUP\s+STARTED$/);
    assert.match(listed.out[1], new RegExp(`^${workflowId}\\s+COMPLETED\\s+completed\\s+${db}\\s+${backup.id}\\s`));
  });

  it('on a terminal, the progress line is redrawn in place: phase, backup, looks from the pending activity, deadline, elapsed', async () => {
    const { code, redrawn } = await cli(
      { client: h.client, taskQueue: h.taskQueue, terminalAnswer: '' },
      'backup',
      '--database-id',
      db,
      ...FAST,
    );
    assert.equal(code, 0);
    assert.ok(
      redrawn.some((line) => /^waiting-for-backup · backup bkp_\w+ · \d+ looks? · .*gives up in \d+s · elapsed \d+s$/.test(line ?? '')),
      JSON.stringify(redrawn),
    );
    assert.equal(redrawn.at(-1), undefined, 'the progress line is ended before the result');
  });

  it('Ctrl-C while watching stops watching, not the run, and says how to follow or cancel it', async () => {
    const workflowId = uniqueId('cli-ctrlc');
    await run('backup', '--database-id', db, '--detach', '--workflow-id', workflowId, '--poll-initial', '3s', '--poll-max', '3s');
    let press: (() => void) | undefined;
    const watching = cli({ client: h.client, taskQueue: h.taskQueue, ctrlC: (p) => (press = p) }, 'watch', workflowId);
    await untilPhase(workflowId, 'waiting-for-backup');
    assert.ok(press, 'watch did not listen for Ctrl-C');
    press!();
    // In a real process the handler then exits 130; here the run goes on and ends by itself.
    const watched = await watching;
    assert.match(
      errOf(watched),
      new RegExp(
        `Stopped following ${workflowId}; it goes on\\. \`watch ${workflowId}\` follows it again, \`cancel ${workflowId}\` stops it\\.`,
      ),
    );
    assert.equal((await h.client.workflow.getHandle(workflowId).describe()).status.name, 'COMPLETED');
  });

  it('watch --json reports each status change, then the result', async () => {
    const workflowId = uniqueId('cli-watch');
    // The worker's first poll may not have reached the server yet on a loaded machine: the warning
    // below is about our check, not about that race.
    for (let tries = 0; tries < 60; tries++) {
      const { pollers } = await h.client.workflowService.describeTaskQueue({
        namespace: h.client.options.namespace,
        taskQueue: { name: h.taskQueue },
      });
      if ((pollers?.length ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const started = await run('backup', '--database-id', db, '--workflow-id', workflowId, '--detach', ...FAST);
    assert.equal(started.code, 0, started.text);
    assert.match(started.text, new RegExp(`Follow it with \`prisma-backup watch ${workflowId}\``));
    assert.deepEqual(started.err, [], 'a worker polls the queue: no warning');
    const watched = await run('watch', workflowId, '--json');
    assert.equal(watched.code, 0, watched.text);
    const events = watched.out.map((line) => JSON.parse(line));
    assert.equal(events.at(-1).event, 'completed');
    assert.equal(events.at(-1).result.restoreStatus, 'skipped');
    const statuses = events.slice(0, -1);
    assert.ok(statuses.length >= 1, 'no status event');
    assert.ok(statuses.every((e) => e.event === 'status' && e.workflowId === workflowId && e.status.phase));
  });

  it('--require-approval waits; approve needs the target database id, refuses the wrong backup, then the right one restores', async () => {
    const workflowId = uniqueId('cli-approve');
    const started = await run(
      'run',
      '--database-id',
      db,
      '--confirm',
      db,
      '--require-approval',
      '--detach',
      '--workflow-id',
      workflowId,
      ...FAST,
    );
    assert.equal(started.code, 0, started.text);
    assert.match(started.text, new RegExp(`\`prisma-backup approve ${workflowId} --backup-id <id> --confirm ${db}\``));
    const waiting = await untilPhase(workflowId, 'awaiting-approval');
    assert.ok(waiting.approvalDeadlineAt! > Date.now() + 23 * 3600_000);
    assert.equal(h.sim.effects.restoresApplied.length, 0);

    const listed = await run('list', '--phase', 'awaiting-approval', '--database-id', db, '--json');
    assert.equal(JSON.parse(listed.out[0]).workflowId, workflowId);

    const unconfirmed = await run('approve', workflowId, '--backup-id', waiting.backupId!);
    assert.equal(unconfirmed.code, 2);
    assert.equal(
      errOf(unconfirmed),
      `✖ [NOT_CONFIRMED] This replaces all data of ${db}, and nothing confirmed it; nothing was approved.\n` +
        `→ Add --confirm ${db} to the same command, or run it on a terminal to be asked.`,
    );
    const misconfirmed = await run('approve', workflowId, '--backup-id', waiting.backupId!, '--confirm', 'db_other');
    assert.equal(misconfirmed.code, 2);
    assert.match(errOf(misconfirmed), new RegExp(`it replaces the data of ${db}; nothing was approved\\.\\n→ Give --confirm ${db}\\.$`));
    assert.equal((await untilPhase(workflowId, 'awaiting-approval')).phase, 'awaiting-approval');

    const wrong = await run('approve', workflowId, '--backup-id', 'bkp_other', '--confirm', db);
    assert.equal(wrong.code, 1);
    assert.match(
      errOf(wrong),
      new RegExp(`^✖ \\[REFUSED\\] This run would restore backup ${waiting.backupId}, not bkp_other; nothing was approved\\.`),
    );
    assert.equal(h.sim.effects.restoresApplied.length, 0);

    const right = await run('approve', workflowId, '--backup-id', waiting.backupId!, '--confirm', db);
    assert.equal(right.code, 0, right.text);
    assert.match(right.text, new RegExp(`Approved: ${workflowId} now restores backup ${waiting.backupId}\\.`));
    const watched = await run('watch', workflowId);
    assert.equal(watched.code, 0, watched.text);
    assert.deepEqual(
      h.sim.effects.restoresApplied.map((r) => r.backupId),
      [waiting.backupId],
    );
  });

  it('an approval that never comes ends the run without restoring', async () => {
    const { code, text } = await run('run', '--database-id', db, '--confirm', db, '--approval-timeout', '1s', ...FAST);
    assert.equal(code, 1);
    assert.match(
      text,
      /✖ \[ApprovalTimedOut\] Nobody approved restoring backup (bkp_\w+) within 1s; nothing was restored\. The backup is kept: `restore --backup-id \1` restores it\./,
    );
    assert.equal(h.sim.effects.backupsCreated.length, 1);
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });

  it('approve on a run that is not waiting for approval is refused', async () => {
    const workflowId = uniqueId('cli-noapprove');
    // Slow polls keep it waiting while approve is tried.
    await run('backup', '--database-id', db, '--workflow-id', workflowId, '--detach', '--poll-initial', '3s', '--poll-max', '3s');
    await untilPhase(workflowId, 'waiting-for-backup');
    const refused = await run('approve', workflowId, '--backup-id', 'bkp_x');
    assert.equal(refused.code, 1);
    assert.match(
      errOf(refused),
      /^✖ \[REFUSED\] This run is not waiting for approval \(it is waiting-for-backup\); nothing was approved\./,
    );
    assert.equal((await run('watch', workflowId)).code, 0);
    const ended = await run('approve', workflowId, '--backup-id', 'bkp_x');
    assert.equal(ended.code, 1);
    assert.equal(errOf(ended), `✖ [NOT_WAITING] ${workflowId} already ended (COMPLETED).\n→ There is nothing to approve.`);
  });

  it('restore --backup-id restores from an existing completed backup, once', async () => {
    const existing = h.sim.addAutomaticBackup(db);
    const { code, text } = await run('restore', '--database-id', db, '--backup-id', existing.id, '--confirm', db, ...FAST);
    assert.equal(code, 0, text);
    assert.equal(h.sim.effects.backupsCreated.length, 0);
    assert.deepEqual(
      h.sim.effects.restoresApplied.map((r) => [r.backupId, r.backupStatusAtRestore]),
      [[existing.id, 'completed']],
    );
  });

  it('restore of a backup that is not in the list fails with BackupNotFound and restores nothing', async () => {
    const { code, text } = await run('restore', '--database-id', db, '--backup-id', 'bkp_missing', '--confirm', db, ...FAST);
    assert.equal(code, 1);
    assert.match(
      text,
      /✖ \[BackupNotFound\] Backup bkp_missing is not in the backup list of db_\w+; nothing was restored\. Check the id\./,
    );
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });

  it('restore waits for an unfinished backup and never restores it before it is completed', async () => {
    const unfinished = h.sim.addAutomaticBackup(db, { status: 'in_progress' });
    const workflowId = uniqueId('cli-wait');
    await run(
      'restore',
      '--database-id',
      db,
      '--backup-id',
      unfinished.id,
      '--confirm',
      db,
      '--detach',
      '--workflow-id',
      workflowId,
      ...FAST,
    );
    await untilPhase(workflowId, 'waiting-for-backup');
    const cancelled = await run('cancel', workflowId);
    assert.equal(cancelled.code, 0, cancelled.text);
    assert.equal((await run('watch', workflowId)).code, 1);
    const status = await run('status', workflowId);
    assert.equal(status.code, 1);
    assert.equal(status.out[0], `${workflowId}: CANCELLED`);
    assert.match(status.text, /✖ \[Cancelled\] The run was cancelled\./);
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });

  it('--target-database: another database is refused before anything starts, saying why', async () => {
    const { code, err } = await run('run', '--database-id', db, '--target-database', 'db_other', '--confirm', 'db_other', ...FAST);
    assert.equal(code, 2);
    assert.match(err.join('\n'), /--target-database must be --database-id: the seed API restores a backup only into its own database/);
    assert.equal(h.sim.requests.length, 0);
  });

  it('cancel while waiting for the backup: the run ends cancelled and never restores', async () => {
    const workflowId = uniqueId('cli-cancel');
    await run(
      'run',
      '--database-id',
      db,
      '--confirm',
      db,
      '--detach',
      '--workflow-id',
      workflowId,
      '--poll-initial',
      '5s',
      '--poll-max',
      '5s',
    );
    await untilPhase(workflowId, 'waiting-for-backup');
    const cancelled = await run('cancel', workflowId);
    assert.equal(cancelled.code, 0);
    assert.equal(
      cancelled.out.join('\n'),
      `Cancellation of ${workflowId} requested; a restore not yet sent is never sent. \`prisma-backup status ${workflowId}\` shows when it stopped.`,
    );
    const watched = await run('watch', workflowId);
    assert.equal(watched.code, 1);
    assert.match(watched.text, /✖ \[Cancelled\]/);
    const described = await h.client.workflow.getHandle(workflowId).describe();
    assert.equal(described.typedSearchAttributes.get(PHASE_KEY), 'cancelled');
    assert.equal(h.sim.effects.restoresApplied.length, 0);
    const again = await run('cancel', workflowId);
    assert.match(again.text, /already ended \(CANCELLED\); nothing to cancel/);
  });

  it('cancel while awaiting approval never restores', async () => {
    const workflowId = uniqueId('cli-cancel-approval');
    await run('run', '--database-id', db, '--confirm', db, '--require-approval', '--detach', '--workflow-id', workflowId, ...FAST);
    await untilPhase(workflowId, 'awaiting-approval');
    assert.equal((await run('cancel', workflowId)).code, 0);
    assert.equal((await run('watch', workflowId)).code, 1);
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });

  /** A seed run cancelled while its restore request is under way; what cancel printed. */
  async function cancelWhileRestoring(): Promise<CliRun> {
    h.sim.faults.add({ operation: 'restoreDatabaseBackup', kind: 'delay', ms: 3_000 });
    const workflowId = uniqueId('cli-cancel-restoring');
    await run('run', '--database-id', db, '--confirm', db, '--detach', '--workflow-id', workflowId, ...FAST);
    await untilPhase(workflowId, 'restoring');
    const cancelled = await run('cancel', workflowId);
    const watched = await run('watch', workflowId);
    assert.equal(watched.code, 0, watched.text);
    assert.match(watched.text, /"restoreStatus": "restoring"/);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
    const described = await h.client.workflow.getHandle(workflowId).describe();
    assert.equal(described.typedSearchAttributes.get(PHASE_KEY), 'completed');
    return cancelled;
  }

  it('cancel once the restore was sent: the restore is finished, not undone', async () => {
    assert.equal((await cancelWhileRestoring()).code, 0);
  });

  it('cancel once the restore was sent says so', async () => {
    assert.match(
      (await cancelWhileRestoring()).text,
      /has sent its restore, which cancelling does not undo: it finishes the restore, then ends\./,
    );
  });

  it('--detach with no worker polling the task queue warns that the run stays queued', async () => {
    const nobody = uniqueId('nobody');
    const workflowId = uniqueId('cli-queued');
    const queued = await cli(
      { client: h.client, taskQueue: nobody },
      'backup',
      '--database-id',
      db,
      '--detach',
      '--workflow-id',
      workflowId,
    );
    const handle = h.client.workflow.getHandle(workflowId);
    const execution = (await handle.describe()).status.name;
    await handle.terminate('test over');
    assert.equal(queued.code, 0, queued.text);
    assert.equal(execution, 'RUNNING');
    assert.equal(queued.out[0], `Started ${workflowId} (database ${db}).`);
    assert.deepEqual(queued.err, [`No worker polls task queue ${nobody}: it waits until one does (\`npm run worker\`).`]);
  });

  it('status of a run no worker answers for shows the phase it last recorded', async () => {
    const workflowId = uniqueId('cli-unanswered');
    await cli({ client: h.client, taskQueue: uniqueId('nobody') }, 'backup', '--database-id', db, '--detach', '--workflow-id', workflowId);
    const json = await run('status', workflowId, '--json');
    const plain = await run('status', workflowId);
    await h.client.workflow.getHandle(workflowId).terminate('test over');
    assert.deepEqual(JSON.parse(json.out[0]), { workflowId, execution: 'RUNNING', recordedPhase: 'starting' });
    assert.deepEqual(plain.out, [`${workflowId}: RUNNING`, '  starting (as last recorded: no worker answered)']);
  });

  it('status, watch, cancel and approve of an unknown run exit 4 and point to list', async () => {
    for (const argv of [
      ['status', 'no-such-run'],
      ['watch', 'no-such-run'],
      ['cancel', 'no-such-run'],
      ['approve', 'no-such-run', '--backup-id', 'bkp_1', '--confirm', 'db_1'],
    ]) {
      const r = await run(...argv);
      assert.equal(r.code, 4, argv.join(' '));
      assert.equal(
        errOf(r),
        `✖ [NOT_FOUND] No run no-such-run in namespace ${testNamespace()} at ${testTemporalAddress()}.\n→ \`prisma-backup list\` shows the recent runs.`,
      );
    }
  });

  it('status of a workflow that is not ours exits 4', async () => {
    const workflowId = uniqueId('not-ours');
    await h.client.workflow.start('someoneElsesWorkflow', { taskQueue: uniqueId('nobody'), workflowId });
    const r = await run('status', workflowId);
    await h.client.workflow.getHandle(workflowId).terminate('test over');
    assert.equal(r.code, 4);
    assert.match(errOf(r), new RegExp(`^✖ \\[NOT_OURS\\] ${workflowId} is a someoneElsesWorkflow workflow, not a backup run\\.`));
  });

  it('every command has --help, and unknown commands or flags exit 2', async () => {
    for (const command of [
      ['run'],
      ['backup'],
      ['restore'],
      ['drill'],
      ['fleet'],
      ['fleet', 'drill'],
      ['status'],
      ['watch'],
      ['cancel'],
      ['approve'],
      ['list'],
      ['schedule'],
      ['schedule', 'create'],
      ['schedule', 'check'],
    ]) {
      const help = await run(...command, '--help');
      assert.equal(help.code, 0, command.join(' '));
      assert.match(help.out.join('\n'), new RegExp(`^Usage: prisma-backup ${command.join(' ')}`), command.join(' '));
    }
    const unknown = await run('backup', '--database-id', db, '--bogus');
    assert.equal(unknown.code, 2);
    assert.match(errOf(unknown), /unknown option '--bogus'/);
    assert.equal((await run('nope')).code, 2);
  });
});

describe("CLI commands, prisma profile (a worker speaking Prisma's Management API to the simulator)", function () {
  this.timeout(90_000);
  let h: Harness<PrismaSimulator>;
  const run = (...argv: string[]): Promise<CliRun> => cli({ client: h.client, taskQueue: h.taskQueue, profile: 'prisma' }, ...argv);
  const HOUR = 3_600_000;

  beforeEach(async () => {
    h = await startHarness({ profile: 'prisma', simulator: { databases: ['db_demo', 'db_stage'] } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('restore into another database needs its id to start and to approve; then the newest completed backup of the source is restored there', async () => {
    h.sim.addBackup('db_demo', { createdAt: new Date(Date.now() - 26 * HOUR) });
    const newest = h.sim.addBackup('db_demo', { createdAt: new Date(Date.now() - HOUR) });
    const workflowId = uniqueId('cli-prisma');
    const restore = [
      'restore',
      '--database-id',
      'db_demo',
      '--target-database',
      'db_stage',
      '--require-approval',
      '--workflow-id',
      workflowId,
    ];
    const withSource = await run(...restore, '--confirm', 'db_demo', ...FAST);
    assert.equal(withSource.code, 2);
    assert.match(errOf(withSource), /it replaces the data of db_stage; nothing was started\.\n→ Give --confirm db_stage\./);

    const started = await run(...restore, '--confirm', 'db_stage', '--detach', ...FAST);
    assert.equal(started.code, 0, started.text);
    assert.match(started.text, new RegExp(`\`prisma-backup approve ${workflowId} --backup-id <id> --confirm db_stage\``));
    const waiting = await untilStatus(h.client.workflow.getHandle(workflowId), (status) => status.phase === 'awaiting-approval');
    assert.equal(waiting.backupId, newest.id);
    assert.equal(waiting.targetDatabaseId, 'db_stage');

    const misconfirmed = await run('approve', workflowId, '--backup-id', newest.id, '--confirm', 'db_demo');
    assert.equal(misconfirmed.code, 2);
    assert.match(errOf(misconfirmed), /it replaces the data of db_stage; nothing was approved\./);
    assert.equal(h.sim.effects.restoresApplied.length, 0);

    assert.equal((await run('approve', workflowId, '--backup-id', newest.id, '--confirm', 'db_stage')).code, 0);
    const watched = await run('watch', workflowId);
    assert.equal(watched.code, 0, watched.text);
    assert.match(watched.text, /"restoreStatus": "ready"/);
    assert.deepEqual(
      h.sim.effects.restoresApplied.map(({ databaseId, sourceDatabaseId, backupId }) => [databaseId, sourceDatabaseId, backupId]),
      [['db_stage', 'db_demo', newest.id]],
    );
  });

  it("a 409 to the restore ends the run as RestoreConflict, saying DATABASE_RESTORE_CONFLICT (Prisma's CLI's word for it)", async () => {
    h.sim.addBackup('db_demo', { createdAt: new Date(Date.now() - HOUR) });
    h.sim.faults.add({ operation: 'postV1DatabasesByTargetDatabaseIdRestore', kind: 'status', status: 409 });
    const workflowId = uniqueId('cli-conflict');
    const { code, text } = await run('restore', '--database-id', 'db_demo', '--confirm', 'db_demo', '--workflow-id', workflowId, ...FAST);
    assert.equal(code, 1, text);
    assert.match(
      text,
      /^✖ \[RestoreConflict\] DATABASE_RESTORE_CONFLICT: the restore of db_demo from backup \S+ of db_demo was refused \(409\)/m,
    );
    assert.equal(text.match(/DATABASE_RESTORE_CONFLICT/g)?.length, 1, 'said once');
    const status = await run('status', workflowId, '--json');
    assert.equal(status.code, 1);
    assert.equal(JSON.parse(status.out[0]).error.type, 'RestoreConflict');
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });
});
