// `npm start`: everything needed for one real run on this machine, started here and stopped on exit.
import { randomBytes } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createManagementApi, readApiToken } from '../api';
import { EXIT, startAndReport } from '../client/report';
import { runRequestFromArgs } from '../client/run-request';
import { apiBaseUrl } from '../shared/config';
import { startSimulator } from '../simulator';
import { connectClient, connectWorker } from '../temporal/connect';
import { createBackupWorker } from '../temporal/create-worker';
import { resolveTemporal } from '../temporal-server';
import { LOCAL_USAGE } from './usage';

const DEMO_DATABASE = 'db_demo';
/** The dev server's usual ports, so the Web UI link stays the same from run to run. */
const DEV_PORTS = { port: 7233, uiPort: 8233 };

async function main(argv: string[]): Promise<number> {
  const once = argv.includes('--once');
  const useSimulator = !process.env.PRISMA_API_URL;
  const request = runRequestFromArgs(
    argv.filter((arg) => arg !== '--once'),
    LOCAL_USAGE,
    (input) => ({ ...input, databaseId: input.databaseId || (useSimulator ? DEMO_DATABASE : '') }),
  );
  if ('exitCode' in request) return request.exitCode;
  const { input, workflowId } = request;

  // The run's progress is printed below; the SDK's own INFO lines would bury it.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const interrupted = new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  const cleanups: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const temporal = await resolveTemporal(DEV_PORTS);
    cleanups.push(() => temporal.stop());
    // The client and worker read Temporal's environment configuration: point it at this server.
    if (temporal.started) {
      process.env.TEMPORAL_ADDRESS = temporal.address;
      if (temporal.uiUrl) process.env.TEMPORAL_UI_URL = temporal.uiUrl;
    }
    console.log(`Temporal: ${temporal.address}${temporal.started ? ' (dev server started here)' : ''}`);

    let api;
    if (useSimulator) {
      const token = randomBytes(24).toString('hex');
      const simulator = await startSimulator({ token });
      cleanups.push(() => simulator.close());
      api = createManagementApi({ baseUrl: simulator.url, token });
      console.log(`Management API: simulator at ${simulator.url} (set PRISMA_API_URL and PRISMA_API_TOKEN for a real one)`);
    } else {
      api = createManagementApi({ baseUrl: apiBaseUrl(), token: readApiToken() });
      console.log(`Management API: ${apiBaseUrl()}`);
    }

    const { connection, namespace } = await connectWorker();
    cleanups.push(() => connection.close());
    const worker = await createBackupWorker({ connection, namespace, api, shutdownGraceTime: '5s' });
    const running = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await running;
    });

    const client = await connectClient();
    cleanups.push(() => client.connection.close());
    const report = startAndReport(client, input, { address: temporal.address, namespace, workflowId });
    const code = await Promise.race([report, interrupted.then(() => EXIT.interrupted)]);
    if (code === EXIT.interrupted) {
      console.log('Stopped before the run ended. Its state is kept by Temporal: a worker started later finishes it.');
    } else if (!once) {
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
