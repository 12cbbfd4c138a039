// `npm start`: everything needed for one real run on this machine, started here and stopped on exit.
import { randomBytes } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createManagementApi, readApiToken } from '../src/api';
import { Command, CommanderError } from 'commander';
import { prepareRun, startAndFollow } from '../src/cli/commands/start';
import { EXIT, type CliError } from '../src/cli/context';
import { processContext } from '../src/cli/process-context';
import { withRunOptions, type RunOptions } from '../src/cli/run-options';
import { apiSettings } from '../src/shared/config';
import { startSimulator } from '../simulator';
import { DEFAULT_DATABASES } from '../simulator/defaults';
import { connectClient, connectWorker } from '../src/temporal/connect';
import { createBackupWorker } from '../src/temporal/create-worker';
import { resolveTemporal } from '../local-temporal';
import { LOCAL_DESCRIPTION } from './usage';

const DEMO_DATABASE = DEFAULT_DATABASES[0];

/** The `run` command's options, plus --once; the database defaults to the simulator's. */
function localCommand(useSimulator: boolean): Command {
  return withRunOptions(new Command('npm start --'), 'run', { databaseId: useSimulator ? DEMO_DATABASE : undefined })
    .description(LOCAL_DESCRIPTION)
    .option('--once', "stop everything and exit with the run's exit code when the run ends (for scripts)");
}

async function main(argv: string[]): Promise<number> {
  const useSimulator = !process.env.PRISMA_API_URL;
  // The simulator started here speaks the seed profile, whatever PRISMA_API_PROFILE says.
  const ctx = { ...processContext(), ...(useSimulator ? { apiProfile: () => 'seed' as const } : {}) };
  const command = localCommand(useSimulator).exitOverride();
  let options: RunOptions & { once?: boolean };
  let prepared;
  try {
    options = command.parse(argv, { from: 'user' }).opts();
    // A simulated database holds nothing to lose; a real one is restored only when confirmed.
    const confirm = options.confirm ?? (useSimulator ? (options.targetDatabase ?? options.databaseId) : undefined);
    prepared = await prepareRun(ctx, 'run', { ...options, confirm });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    ctx.err((err as Error).message);
    return (err as CliError).exitCode ?? EXIT.usage;
  }
  const { workflowId } = prepared;
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
    if (realApi) {
      api = createManagementApi(realApi);
      console.log(`Management API: ${realApi.baseUrl}`);
    } else {
      const token = randomBytes(24).toString('hex');
      const simulator = await startSimulator({ token });
      cleanups.push(() => simulator.close());
      api = createManagementApi({ baseUrl: simulator.url, token, profile: 'seed', idempotencyKeysHonoured: true });
      console.log(`Management API: simulator at ${simulator.url} (set PRISMA_API_URL and PRISMA_API_TOKEN for a real one)`);
    }

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
    if (stopping) return EXIT.interrupted;
    // Ctrl-C is handled here (it stops what npm start started), not by the follower.
    const runCtx = { ...ctx, client: async () => client, temporal: { address: temporal.address, namespace }, onInterrupt: undefined };
    const report = startAndFollow(runCtx, prepared, options);
    const code = await Promise.race([report, interrupted.then(() => EXIT.interrupted)]);
    if (code === EXIT.interrupted) {
      if (realApi) {
        console.log('Stopped before the run ended. Temporal keeps its state: a worker started later (npm run worker) finishes it.');
      } else {
        // Its backup lived in this process's simulator: no later worker could finish it.
        await client.workflow.getHandle(workflowId).terminate('npm start was stopped; its simulated backup is gone');
        console.log(`Stopped before the run ended; run ${workflowId} was terminated, as its simulated backup went with the simulator.`);
      }
    } else if (!options.once) {
      const ui = process.env.TEMPORAL_UI_URL;
      console.log(`\n${ui ? `Temporal Web UI: ${ui}\n` : ''}Everything stays up for browsing; press Ctrl-C to stop.`);
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
