// `npm start`: one restore end to end on this machine, through the CLI itself. Temporal (a dev server
// unless TEMPORAL_ADDRESS is set), the API (the simulator unless PRISMA_API_URL is set) and a worker
// run in this process; with the simulator, a real Postgres database shows its rows coming back.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startSimulator, type PrismaSimulator, type Simulator } from '../simulator';
import { DEFAULT_DATABASES } from '../simulator/defaults';
import { createManagementApi, readApiToken } from '../src/api/client';
import { EXIT, type CliContext } from '../src/cli/context';
import { processContext } from '../src/cli/process-context';
import { runCli } from '../src/cli/program';
import { defaultWorkflowId } from '../src/runs/start';
import { apiSettings } from '../src/shared/config';
import type { RunResult, RunStatus } from '../src/shared/types';
import { connectClient, connectWorker } from '../src/temporal/connect';
import { createBackupWorker } from '../src/temporal/create-worker';
import { statusQuery } from '../src/workflows/messages';
import { resolveTemporal } from '../local-temporal';
import { CHANGES_IN_WORDS, changeRows, readRows, rowsTable, sameRows, seedRows, TABLE, type Row } from './rows';
import { USAGE } from './usage';

const DB = DEFAULT_DATABASES[0];
const show = (title: string, rows: Row[]) => console.log(`\n${title}\n${rowsTable(rows)}`);

/** Seed: the run awaits approval once its backup is completed; then the rows change, then the demo approves as the CLI does. */
async function approveAfterChanges(sim: Simulator, ctx: CliContext, client: Client, workflowId: string): Promise<number> {
  const handle = client.workflow.getHandle(workflowId);
  for (;;) {
    const status = await handle.query<RunStatus>(statusQuery).catch(() => undefined);
    if (status?.phase === 'awaiting-approval') {
      console.log(`\nBackup ${status.backupId} is completed: the simulator took its snapshot then, so it holds the rows seeded above.`);
      show(`Rows after the changes, while the run awaits approval (${CHANGES_IN_WORDS}):`, await changeRows(sim, DB));
      console.log('\nThe demo approves, as you would:');
      return runCli(['approve', workflowId, '--backup-id', status.backupId!, '--confirm', DB], ctx);
    }
    if (status && ['completed', 'failed', 'cancelled'].includes(status.phase)) return EXIT.failed;
    await sleep(500);
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) return (console.log(USAGE), EXIT.ok);
  const once = argv.includes('--once');
  const extra = argv.filter((a) => a !== '--once');
  const ctx = processContext();
  const profile = ctx.apiProfile();
  const useSimulator = !process.env.PRISMA_API_URL;
  // A real API needs its token: say so before starting anything.
  const real = useSimulator ? undefined : { ...apiSettings(), token: readApiToken() };
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cleanups: (() => Promise<unknown>)[] = [];
  const interrupted = new Promise<number>((resolve) => process.once('SIGINT', () => resolve(EXIT.interrupted)));
  try {
    const temporal = await resolveTemporal();
    cleanups.push(() => temporal.stop());
    if (temporal.started)
      Object.assign(process.env, { TEMPORAL_ADDRESS: temporal.address, ...(temporal.uiUrl ? { TEMPORAL_UI_URL: temporal.uiUrl } : {}) });
    console.log(`Temporal: ${temporal.address}${temporal.started ? ' (dev server started here)' : ''}`);
    let sim: Simulator | PrismaSimulator | undefined;
    let api;
    if (real) {
      api = createManagementApi(real);
      console.log(`Management API: ${real.baseUrl} (${real.profile}); this demo touches no data itself.`);
    } else {
      const token = randomBytes(24).toString('hex');
      sim =
        profile === 'prisma'
          ? await startSimulator({ token, profile, data: 'postgres' })
          : await startSimulator({ token, data: 'postgres' });
      cleanups.push(() => sim!.close());
      api = createManagementApi({ baseUrl: sim.url, token, profile, idempotencyKeysHonoured: profile === 'seed' });
      console.log(`Management API: simulator at ${sim.url} (${profile}); set PRISMA_API_URL and PRISMA_API_TOKEN for a real one.`);
    }
    const { connection, namespace } = await connectWorker();
    cleanups.push(() => connection.close());
    const worker = await createBackupWorker({ connection, namespace, api, shutdownGraceTime: '5s' });
    const running = worker.run();
    cleanups.push(async () => (worker.getState() === 'RUNNING' && worker.shutdown(), running));
    const client = await connectClient();
    cleanups.push(() => client.connection.close());
    const runCtx: CliContext = {
      ...ctx,
      client: async () => client,
      temporal: { address: temporal.address, namespace },
      onInterrupt: undefined,
    };

    let seeded: Row[] | undefined;
    if (sim) {
      // Printed on purpose: a local stand-in whose data is this demo's, for you to look at.
      const url = await sim.connectionString(DB);
      console.log(`\n${DB} is a real Postgres database (PGlite) on this machine, up while npm start runs. Look for yourself:`);
      console.log(`  ${url}\n  psql '${url}' -c 'SELECT * FROM ${TABLE} ORDER BY id'`);
      seeded = await seedRows(sim, DB);
      show(`Rows after seeding table ${TABLE} in ${DB}:`, seeded);
      if (sim.profile === 'prisma') {
        const backup = sim.addBackup(DB, { status: 'completed' });
        console.log(`The simulator takes an automatic backup, as Prisma does daily: ${backup.id}, completed, holding these rows.`);
        show(`Rows after the changes (${CHANGES_IN_WORDS}):`, await changeRows(sim, DB));
        console.log(`\nThe CLI's \`restore\` restores the newest completed backup of ${DB} into ${DB} and waits until it is ready:`);
      } else {
        console.log(
          `\nThe CLI's \`run\` backs up ${DB} (snapshotted when the backup completes), then awaits approval, so the rows can change first:`,
        );
      }
    }
    const workflowId = defaultWorkflowId('backup', DB);
    const seedStory = sim?.profile === 'seed';
    const command = profile === 'prisma' ? ['restore'] : ['run', ...(seedStory ? ['--require-approval', '--detach'] : [])];
    // A simulated database holds nothing to lose; a real one is restored only when you confirm it.
    const consent = sim ? ['--confirm', DB] : [];
    let code = await Promise.race([
      (async () => {
        const started = await runCli([...command, '--database-id', DB, ...consent, '--workflow-id', workflowId, ...extra], runCtx);
        if (!seedStory || started !== EXIT.ok) return started;
        const approved = await approveAfterChanges(sim as Simulator, runCtx, client, workflowId);
        return approved === EXIT.ok ? runCli(['watch', workflowId], runCtx) : approved;
      })(),
      interrupted,
    ]);
    if (code === EXIT.ok && sim && seeded) {
      const result = (await client.workflow.getHandle(workflowId).result()) as RunResult;
      const into = result.createdDatabaseId ?? DB;
      const restored = await readRows(sim, into);
      show(`Rows after the restore, in ${into}:`, restored);
      const same = sameRows(restored, seeded);
      console.log(same ? 'The same rows as when the backup was taken: the data came back.' : 'These are NOT the rows of the backup!');
      if (!same) code = EXIT.failed;
    }
    if (code === EXIT.interrupted && sim) {
      // Its database lived in this process's simulator: no later worker could finish it.
      await client.workflow
        .getHandle(workflowId)
        .terminate('npm start was stopped with its simulator')
        .catch(() => undefined);
    } else if (!once && code !== EXIT.interrupted) {
      console.log(
        `\n${process.env.TEMPORAL_UI_URL ? `Temporal Web UI: ${process.env.TEMPORAL_UI_URL}\n` : ''}Everything stays up for browsing; Ctrl-C stops it.`,
      );
      await interrupted;
    }
    return code;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

void main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(EXIT.failed);
  },
);
