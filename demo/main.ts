// `npm start`: everything needed for one real run on this machine, started here and stopped on exit.
// Against the simulator it also shows the data: rows seeded, backed up, changed, and restored.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { createManagementApi, readApiToken } from '../src/api';
import { Command, CommanderError } from 'commander';
import { prepareRun, startAndFollow, type PreparedRun } from '../src/cli/commands/start';
import { backupInWords, replacedDatabase } from '../src/cli/confirm';
import { EXIT, type CliContext, type CliError } from '../src/cli/context';
import { processContext } from '../src/cli/process-context';
import { runCli } from '../src/cli/program';
import { PROFILE_IN_WORDS, withRunOptions, type RunKind, type RunOptions } from '../src/cli/run-options';
import { queryStatus } from '../src/runs/follow-run';
import type { ApiProfile } from '../src/shared/api-types';
import { apiSettings } from '../src/shared/config';
import type { WorkflowStatus } from '../src/shared/workflow-types';
import { startSimulator, type PrismaSimulator, type Simulator } from '../simulator';
import { DEFAULT_DATABASES } from '../simulator/defaults';
import { connectClient, connectWorker } from '../src/temporal/connect';
import { createBackupWorker } from '../src/temporal/create-worker';
import { resolveTemporal } from '../local-temporal';
import { CHANGES_IN_WORDS, changeRows, readRows, rowsTable, sameRows, seedRows, TABLE, type Row } from './rows';
import { LOCAL_DESCRIPTION } from './usage';

const DEMO_DATABASE = DEFAULT_DATABASES[0];
/** How often the seed story asks the run whether it awaits approval. */
const STATUS_INTERVAL_MS = 500;
const ENDED_PHASES: readonly WorkflowStatus['phase'][] = ['completed', 'failed', 'cancelled'];

/**
 * The options of the command the profile restores with (prisma: `restore`, as Prisma takes no
 * on-demand backup; seed: `run`), plus --once; the database defaults to the simulator's.
 */
function localCommand(kind: RunKind, useSimulator: boolean): Command {
  return withRunOptions(new Command('npm start --'), kind, { databaseId: useSimulator ? DEMO_DATABASE : undefined })
    .description(LOCAL_DESCRIPTION)
    .option('--once', "stop everything and exit with the run's exit code when the run ends (for scripts)");
}

function showRows(title: string, rows: Row[]): void {
  console.log(`\n${title}\n${rowsTable(rows)}`);
}

/** The run's status once it awaits approval; undefined when it ends first or `followed` settles (nobody follows it). */
async function awaitingApproval(client: Client, workflowId: string, followed: Promise<unknown>): Promise<WorkflowStatus | undefined> {
  let over = false;
  const done = followed.then(
    () => (over = true),
    () => (over = true),
  );
  const handle = client.workflow.getHandle(workflowId);
  while (!over) {
    const status = await queryStatus(handle);
    if (status?.phase === 'awaiting-approval') return status;
    if (status && ENDED_PHASES.includes(status.phase)) return undefined;
    await Promise.race([done, sleep(STATUS_INTERVAL_MS)]);
  }
  return undefined;
}

/**
 * Seed profile: the run restores as soon as it sees its backup completed, so it was started with
 * approval required; while it waits for that, the rows are changed (after the snapshot, which the
 * simulator took at completion), then the demo approves as the CLI's `approve` does.
 */
async function changeWhileAwaitingApproval(
  sim: Simulator,
  runCtx: CliContext,
  client: Client,
  { input, workflowId }: PreparedRun,
  followed: Promise<unknown>,
  demoApproves: boolean,
): Promise<void> {
  const status = await awaitingApproval(client, workflowId, followed);
  if (!status?.backupId) return;
  console.log(`\nBackup ${status.backupId} is completed; the simulator took its snapshot then, so it holds the rows seeded above.`);
  showRows(`Rows after the changes, while the run awaits approval (${CHANGES_IN_WORDS}):`, await changeRows(sim, input.databaseId));
  if (!demoApproves) return;
  console.log('\nThe demo approves the restore, as the CLI does:');
  const target = replacedDatabase(input) ?? input.databaseId;
  const approved = await runCli(['approve', workflowId, '--backup-id', status.backupId, '--confirm', target], { ...runCtx });
  if (approved !== EXIT.ok) throw new Error(`The demo could not approve the restore of ${workflowId} (see above).`);
}

/** Prints the rows of the database the run restored into; false when they are not the backup's. */
async function showRestored(sim: Simulator | PrismaSimulator, client: Client, { input, workflowId }: PreparedRun, seeded: Row[]) {
  const result = await client.workflow.getHandle(workflowId).result();
  const into = result.createdDatabaseId ?? replacedDatabase(input) ?? input.databaseId;
  const restored = await readRows(sim, into);
  showRows(`Rows after the restore, in ${into}:`, restored);
  const same = sameRows(restored, seeded);
  console.log(same ? 'The same rows as when the backup was taken: the data came back.' : 'These are NOT the rows of the backup!');
  return same;
}

async function main(argv: string[]): Promise<number> {
  const useSimulator = !process.env.PRISMA_API_URL;
  const ctx = processContext();
  let profile: ApiProfile;
  let options: RunOptions & { once?: boolean };
  let prepared;
  let showsData = false;
  let demoApproves = false;
  try {
    profile = ctx.apiProfile();
    const kind = profile === 'prisma' ? 'restore' : 'run';
    options = localCommand(kind, useSimulator).exitOverride().parse(argv, { from: 'user' }).opts();
    // The rows are shown for the simulator's own database only; another id is the user's experiment.
    showsData = useSimulator && DEFAULT_DATABASES.includes(options.databaseId ?? '');
    demoApproves = showsData && profile === 'seed' && !options.requireApproval && options.approvalTimeout === undefined;
    // A simulated database holds nothing to lose; a real one is restored only when confirmed. A
    // restore into a new database replaces nothing and takes no consent.
    const replaces = options.newDatabaseIn === undefined;
    const confirm = options.confirm ?? (useSimulator && replaces ? (options.targetDatabase ?? options.databaseId) : undefined);
    prepared = await prepareRun(ctx, kind, { ...options, confirm, ...(demoApproves ? { requireApproval: true } : {}) });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    ctx.err((err as Error).message);
    return (err as CliError).exitCode ?? EXIT.usage;
  }
  const { workflowId, input } = prepared;
  // A real API needs its token: say so before starting anything.
  const realApi = useSimulator ? undefined : { ...apiSettings(), token: readApiToken() };

  // The run's progress is printed below; the SDK's own INFO lines would bury it.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  let stopping = false;
  const interrupted = new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve)).then(() => {
    stopping = true;
  });
  const cleanups: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const temporal = await resolveTemporal();
    cleanups.push(() => temporal.stop());
    // The client and worker read Temporal's environment configuration: point it at this server.
    if (temporal.started) {
      process.env.TEMPORAL_ADDRESS = temporal.address;
      if (temporal.uiUrl) process.env.TEMPORAL_UI_URL = temporal.uiUrl;
    }
    console.log(`Temporal: ${temporal.address}${temporal.started ? ' (dev server started here)' : ''}`);

    let api;
    let sim: Simulator | PrismaSimulator | undefined;
    if (realApi) {
      api = createManagementApi(realApi);
      console.log(`Management API: ${realApi.baseUrl}, speaking ${PROFILE_IN_WORDS[realApi.profile]}; this demo touches no data itself.`);
    } else {
      const token = randomBytes(24).toString('hex');
      sim =
        profile === 'prisma'
          ? await startSimulator({ token, profile, data: 'postgres' })
          : await startSimulator({ token, data: 'postgres' });
      cleanups.push(() => sim!.close());
      // Prisma's API takes no Idempotency-Key; the seed simulator honours it.
      api = createManagementApi({ baseUrl: sim.url, token, profile, idempotencyKeysHonoured: profile === 'seed' });
      console.log(
        `Management API: simulator at ${sim.url}, speaking ${PROFILE_IN_WORDS[profile]}; set PRISMA_API_URL and PRISMA_API_TOKEN for a real one.`,
      );
    }
    const showData = showsData ? sim : undefined;

    const { connection, namespace } = await connectWorker();
    cleanups.push(() => connection.close());
    const worker = await createBackupWorker({ connection, namespace, api, shutdownGraceTime: '5s' });
    const running = worker.run();
    cleanups.push(async () => {
      // On Ctrl-C the SDK's runtime has already begun the shutdown.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });

    const client = await connectClient();
    cleanups.push(() => client.connection.close());

    let seeded: Row[] | undefined;
    if (showData) {
      const db = input.databaseId;
      // Printed on purpose: a local stand-in whose data is this demo's, for the user to look at.
      const url = await showData.connectionString(db);
      console.log(`\n${db} is a real Postgres database (PGlite) on this machine, up while npm start runs. Look for yourself:`);
      console.log(`  ${url}\n  psql '${url}' -c 'SELECT * FROM ${TABLE} ORDER BY id'`);
      seeded = await seedRows(showData, db);
      showRows(`Rows after seeding table ${TABLE} in ${db}:`, seeded);
      if (showData.profile === 'prisma') {
        const backup = showData.addBackup(db, { status: 'completed' });
        console.log(`The simulator takes an automatic backup, as Prisma does daily: ${backup.id}, completed, holding these rows.`);
        showRows(`Rows after the changes (${CHANGES_IN_WORDS}):`, await changeRows(showData, db));
        const into = input.newDatabase ? `a new database in ${input.newDatabase.projectId}` : replacedDatabase(input);
        console.log(`\nThe run restores ${backupInWords(input)} into ${into} and waits until it is ready:`);
      } else {
        console.log(
          `\nThe run backs up ${db}; the simulator snapshots the data when the backup completes. The run then awaits approval, ` +
            'so that the rows can be changed before it restores:',
        );
      }
    }

    if (stopping) return EXIT.interrupted;
    // Ctrl-C is handled here (it stops what npm start started), not by the follower.
    const runCtx = { ...ctx, client: async () => client, temporal: { address: temporal.address, namespace }, onInterrupt: undefined };
    const report = startAndFollow(runCtx, prepared, options);
    const changing =
      showData?.profile === 'seed' ? changeWhileAwaitingApproval(showData, runCtx, client, prepared, report, demoApproves) : undefined;
    let code = await Promise.race([Promise.all([report, changing]).then(([c]) => c), interrupted.then(() => EXIT.interrupted)]);
    if (code === EXIT.ok && showData && seeded && !options.detach) {
      if (!(await showRestored(showData, client, prepared, seeded))) code = EXIT.runFailed;
    }
    if (code === EXIT.interrupted) {
      if (realApi) {
        console.log('Stopped before the run ended. Temporal keeps its state: a worker started later (npm run worker) finishes it.');
      } else {
        // Its database and backups lived in this process's simulator: no later worker could finish it.
        await client.workflow.getHandle(workflowId).terminate('npm start was stopped; its simulated database went with the simulator');
        console.log(`Stopped before the run ended; run ${workflowId} was terminated, as its simulated database went with the simulator.`);
      }
    } else if (!options.once) {
      const ui = process.env.TEMPORAL_UI_URL;
      const database = showData ? ` (${input.databaseId} too: psql as above)` : '';
      console.log(`\n${ui ? `Temporal Web UI: ${ui}\n` : ''}Everything stays up for browsing${database}; press Ctrl-C to stop.`);
      await interrupted;
    }
    return code;
  } finally {
    await stopAll();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(EXIT.runFailed);
  },
);
