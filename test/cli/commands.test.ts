// Every CLI command against the real Temporal server, a real worker and the simulator over HTTP.
import { strict as assert } from 'assert';
import type { WorkflowStatus } from '../../src/shared/workflow-types';
import { BACKUP_ID_KEY, PHASE_KEY } from '../../src/shared/search-attributes';
import { cli, type CliRun } from '../support/cli';
import type { PrismaSimulator } from '../../simulator';
import { startHarness, uniqueId, untilStatus, type Harness } from '../support/harness';
import { testNamespace, testTemporalAddress } from '../support/temporal';

const FAST = ['--poll-initial', '100ms', '--poll-max', '200ms', '--deadline', '1m'];

describe('CLI commands', function () {
  this.timeout(90_000);
  let h: Harness;
  let db: string;
  const run = (...argv: string[]): Promise<CliRun> => cli({ client: h.client, taskQueue: h.taskQueue }, ...argv);
  const untilPhase = (workflowId: string, phase: WorkflowStatus['phase']) =>
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
    assert.match(text, /Started run backup-db_\w+-\d{8}T\d{6}Z/);
    assert.match(text, /"restoreStatus": "skipped"/);
    assert.equal(h.sim.effects.backupsCreated.length, 1);
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });

  it('run without confirmation starts nothing and says how to confirm: the exact target database id', async () => {
    const { code, err } = await run('run', '--database-id', db, ...FAST);
    assert.equal(code, 2);
    assert.match(
      err.join('\n'),
      new RegExp(
        `replacing all of its current data\\. Nothing was started: add --confirm ${db} to the same command \\(e\\.g\\. \`prisma-backup run --database-id ${db} --confirm ${db}\`\\)`,
      ),
    );
    assert.equal(h.sim.requests.length, 0);
    const listed = await run('list', '--database-id', db, '--json');
    assert.deepEqual(listed.out, []);
  });

  it('a wrong --confirm, or --yes, starts nothing and names the target; the exact id starts the run', async () => {
    const wrong = await run('run', '--database-id', db, '--confirm', 'db_other', ...FAST);
    assert.equal(wrong.code, 2);
    assert.equal(
      wrong.err.join('\n'),
      `--confirm "db_other" is not the target database: this restore replaces the data of ${db}, so --confirm must be exactly ${db}. Nothing was started.`,
    );
    const yes = await run('run', '--database-id', db, '--yes', ...FAST);
    assert.equal(yes.code, 2);
    assert.match(yes.err.join('\n'), /^Nothing was started: --yes no longer confirms a restore: .* --confirm <target database id>/);
    assert.equal(h.sim.requests.length, 0);
    assert.deepEqual((await run('list', '--database-id', db, '--json')).out, []);

    const exact = await run('run', '--database-id', db, '--confirm', db, ...FAST);
    assert.equal(exact.code, 0, exact.text);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
  });

  it('run on a terminal asks for the target database id and starts nothing on a wrong answer', async () => {
    const wrong = await cli({ client: h.client, taskQueue: h.taskQueue, terminalAnswer: 'yes' }, 'run', '--database-id', db, ...FAST);
    assert.equal(wrong.code, 2);
    assert.match(wrong.text, new RegExp(`Type the target database id \\(${db}\\) to confirm`));
    assert.match(wrong.text, /Not confirmed/);
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
    assert.equal(report.execution, 'COMPLETED');
    assert.equal(report.result.backupId, backup.id);

    const described = await h.client.workflow.getHandle(workflowId).describe();
    assert.equal(described.typedSearchAttributes.get(PHASE_KEY), 'completed');
    assert.equal(described.typedSearchAttributes.get(BACKUP_ID_KEY), backup.id);
    assert.equal(await described.staticSummary(), `Back up ${db}, then restore it`);

    const listed = await run('list', '--database-id', db);
    assert.equal(listed.code, 0);
    assert.match(listed.out[0], /^WORKFLOW ID\s+EXECUTION\s+PHASE\s+DATABASE\s+BACKUP\s+STARTED$/);
    assert.match(listed.out[1], new RegExp(`^${workflowId}\\s+COMPLETED\\s+completed\\s+${db}\\s+${backup.id}\\s`));
  });

  it('on a terminal, the progress line is redrawn in place: phase, backup status, polls, elapsed, next poll', async () => {
    const { code, redrawn } = await cli(
      { client: h.client, taskQueue: h.taskQueue, terminalAnswer: '' },
      'backup',
      '--database-id',
      db,
      ...FAST,
    );
    assert.equal(code, 0);
    assert.ok(
      redrawn.some((line) =>
        /^waiting-for-backup · backup bkp_\w+ (pending|in_progress) · polls \d+ · elapsed \d+s( · next poll in \d+s)?$/.test(line ?? ''),
      ),
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
      watched.err.join('\n'),
      new RegExp(
        `Stopped following ${workflowId}; the run goes on\\. Follow it again with \`watch ${workflowId}\`, or stop it with \`cancel ${workflowId}\`\\.`,
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
    assert.ok(statuses.every((e) => e.event === 'status' && e.workflowId === workflowId));
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
      unconfirmed.err.join('\n'),
      `Approving lets ${workflowId} restore database ${db} from backup ${waiting.backupId}, replacing all of its current data. ` +
        `Nothing was approved: add --confirm ${db} to the same command (e.g. \`prisma-backup approve ${workflowId} --backup-id ${waiting.backupId} --confirm ${db}\`), or run it on a terminal to be asked.`,
    );
    const misconfirmed = await run('approve', workflowId, '--backup-id', waiting.backupId!, '--confirm', 'db_other');
    assert.equal(misconfirmed.code, 2);
    assert.match(misconfirmed.err.join('\n'), new RegExp(`must be exactly ${db}\\. Nothing was approved\\.$`));
    assert.equal((await untilPhase(workflowId, 'awaiting-approval')).phase, 'awaiting-approval');

    const wrong = await run('approve', workflowId, '--backup-id', 'bkp_other', '--confirm', db);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err.join('\n'), new RegExp(`would restore backup ${waiting.backupId}, not bkp_other; nothing was approved`));
    assert.equal(h.sim.effects.restoresApplied.length, 0);

    const right = await run('approve', workflowId, '--backup-id', waiting.backupId!, '--confirm', db);
    assert.equal(right.code, 0, right.text);
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
      /Run failed: ApprovalTimedOut: Nobody approved restoring backup bkp_\w+ into db_\w+ within 1s; nothing was restored/,
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
    assert.match(refused.err.join('\n'), /This run is not waiting for approval \(it is waiting-for-backup\); nothing was approved\./);
    assert.equal((await run('watch', workflowId)).code, 0);
    const ended = await run('approve', workflowId, '--backup-id', 'bkp_x');
    assert.equal(ended.code, 1);
    assert.match(ended.err.join('\n'), new RegExp(`${workflowId} already ended \\(COMPLETED\\); there is nothing to approve\\.`));
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
    assert.match(text, /Run failed: BackupNotFound: Backup bkp_missing is not in the backup list of database db_\w+; nothing was restored/);
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
    assert.match(status.text, /CANCELLED/);
    assert.match(status.text, /Run failed: Cancelled/);
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });

  it('--target-database: another database is refused before anything starts, saying why', async () => {
    const { code, err } = await run('run', '--database-id', db, '--target-database', 'db_other', '--confirm', 'db_other', ...FAST);
    assert.equal(code, 2);
    assert.match(
      err.join('\n'),
      /differs from --database-id "db_\w+": the seed API restores a backup only into its own database and cannot create databases/,
    );
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
    assert.match(cancelled.text, /Cancellation of cli-cancel-\w+ requested; it will not restore\./);
    const watched = await run('watch', workflowId);
    assert.equal(watched.code, 1);
    assert.match(watched.text, /Run failed: Cancelled/);
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

  it('cancel once the restore was sent: the restore is finished, not undone, and the run says so', async () => {
    h.sim.faults.add({ operation: 'restoreDatabaseBackup', kind: 'delay', ms: 3_000 });
    const workflowId = uniqueId('cli-cancel-restoring');
    await run('run', '--database-id', db, '--confirm', db, '--detach', '--workflow-id', workflowId, ...FAST);
    await untilPhase(workflowId, 'restoring');
    const cancelled = await run('cancel', workflowId);
    assert.match(
      cancelled.text,
      /has already sent its restore to the API, which cancelling does not undo: the run finishes the restore and then ends\./,
    );
    const watched = await run('watch', workflowId);
    assert.equal(watched.code, 0, watched.text);
    assert.match(watched.text, /"restoreStatus": "restoring"/);
    assert.equal(h.sim.effects.restoresApplied.length, 1);
    const described = await h.client.workflow.getHandle(workflowId).describe();
    assert.equal(described.typedSearchAttributes.get(PHASE_KEY), 'completed');
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
    assert.match(queued.out[0], new RegExp(`^Started run ${workflowId}`));
    assert.deepEqual(queued.err, [
      `No worker polls task queue ${nobody}: the run stays queued, and nothing happens, until one does. ` +
        `Start a worker (\`npm run worker\`) against ${testTemporalAddress()}, namespace ${testNamespace()}.`,
    ]);
  });

  it('status of a run no worker answers for shows the phase it last recorded', async () => {
    const workflowId = uniqueId('cli-unanswered');
    await cli({ client: h.client, taskQueue: uniqueId('nobody') }, 'backup', '--database-id', db, '--detach', '--workflow-id', workflowId);
    const shown = await run('status', workflowId, '--json');
    await h.client.workflow.getHandle(workflowId).terminate('test over');
    const report = JSON.parse(shown.out[0]);
    assert.equal(report.execution, 'RUNNING');
    assert.equal(report.status, undefined);
    assert.deepEqual(report.recorded, { phase: 'starting', databaseId: db });
  });

  it('status, watch, cancel and approve of an unknown run exit 4 and point to list', async () => {
    for (const argv of [
      ['status', 'no-such-run'],
      ['watch', 'no-such-run'],
      ['cancel', 'no-such-run'],
      ['approve', 'no-such-run', '--backup-id', 'bkp_1', '--confirm', 'db_1'],
    ]) {
      const { code, err } = await run(...argv);
      assert.equal(code, 4, argv.join(' '));
      assert.match(err.join('\n'), /No run no-such-run in namespace \S+ at \S+\. `prisma-backup list` shows the recent runs\./);
    }
  });

  it('list refuses a malformed database id or phase instead of building a query from it', async () => {
    const bad = await run('list', '--database-id', "x' OR '1'='1");
    assert.equal(bad.code, 2);
    assert.match(bad.err.join('\n'), /is not a valid database id/);
    const phase = await run('list', '--phase', 'done');
    assert.equal(phase.code, 2);
    assert.match(phase.err.join('\n'), /--phase must be one of starting, creating-backup/);
  });

  it('every command has --help, and unknown commands or flags exit 2', async () => {
    for (const command of ['run', 'backup', 'restore', 'status', 'watch', 'cancel', 'approve', 'list']) {
      const help = await run(command, '--help');
      assert.equal(help.code, 0, command);
      assert.match(help.out.join('\n'), new RegExp(`^Usage: prisma-backup ${command}`), command);
    }
    const unknown = await run('backup', '--database-id', db, '--bogus');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err.join('\n'), /unknown option '--bogus'/);
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
    assert.match(
      withSource.err.join('\n'),
      /this restore replaces the data of db_stage, so --confirm must be exactly db_stage\. Nothing was started\./,
    );

    const started = await run(...restore, '--confirm', 'db_stage', '--detach', ...FAST);
    assert.equal(started.code, 0, started.text);
    assert.match(started.text, new RegExp(`\`prisma-backup approve ${workflowId} --backup-id <id> --confirm db_stage\``));
    const waiting = await untilStatus(h.client.workflow.getHandle(workflowId), (status) => status.phase === 'awaiting-approval');
    assert.equal(waiting.backupId, newest.id);

    const misconfirmed = await run('approve', workflowId, '--backup-id', newest.id, '--confirm', 'db_demo');
    assert.equal(misconfirmed.code, 2);
    assert.match(misconfirmed.err.join('\n'), /must be exactly db_stage\. Nothing was approved\./);
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

  it("a 409 to the restore ends the run as DATABASE_RESTORE_CONFLICT, Prisma's CLI's word for it, said once", async () => {
    h.sim.addBackup('db_demo', { createdAt: new Date(Date.now() - HOUR) });
    h.sim.faults.add({ operation: 'postV1DatabasesByTargetDatabaseIdRestore', kind: 'status', status: 409 });
    const workflowId = uniqueId('cli-conflict');
    const { code, text } = await run('restore', '--database-id', 'db_demo', '--confirm', 'db_demo', '--workflow-id', workflowId, ...FAST);
    assert.equal(code, 1);
    assert.match(text, /^Run failed: DATABASE_RESTORE_CONFLICT: the API refused /m);
    const status = await run('status', workflowId, '--json');
    assert.equal(status.code, 1);
    assert.equal(JSON.parse(status.out[0]).failure.type, 'DATABASE_RESTORE_CONFLICT');
    assert.equal(h.sim.effects.restoresApplied.length, 0);
  });
});
