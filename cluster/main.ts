// `npm run cluster -- [options]`: the production-shaped local cluster (PostgreSQL, Temporal's four
// services as separate processes, namespace and search attributes), up until Ctrl-C, which stops it
// all. Its data stays in .cluster/data between runs (--fresh starts over).
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CLUSTER_DIR, startCluster } from './cluster';
import { listenersOf } from '../reliability/listeners';
import { DEFAULT_PORTS, TEMPORAL_SERVER_VERSION, TEMPORAL_SERVICES } from './topology';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError('give a port number from 1 to 65535.');
  return port;
}

const options = new Command('npm run cluster --')
  .description(
    `Temporal server ${TEMPORAL_SERVER_VERSION} on PostgreSQL, its four services as separate processes, on 127.0.0.1; Ctrl-C stops it.`,
  )
  .addOption(
    new Option('--frontend-port <port>', 'frontend gRPC port (the others follow from it)')
      .argParser(parsePort)
      .env('CLUSTER_FRONTEND_PORT')
      .default(DEFAULT_PORTS.cluster.frontend),
  )
  .addOption(
    new Option('--postgres-port <port>', 'PostgreSQL port')
      .argParser(parsePort)
      .env('CLUSTER_POSTGRES_PORT')
      .default(DEFAULT_PORTS.cluster.postgres),
  )
  .option('--fresh', "start with a new, empty database (deletes the cluster's PostgreSQL data)")
  .parse()
  .opts<{ frontendPort: number; postgresPort: number; fresh?: boolean }>();

const stateDir = path.join(CLUSTER_DIR, 'data');
const relative = (p: string) => path.relative(process.cwd(), p) || p;

// Until the cluster is up, Ctrl-C exits at once: exiting SIGKILLs the services and stops PostgreSQL.
const exitNow = () => process.exit(130);
process.once('SIGINT', exitNow).once('SIGTERM', exitNow);

async function main(): Promise<void> {
  const started = Date.now();
  const cluster = await startCluster({
    frontendPort: options.frontendPort,
    postgresPort: options.postgresPort,
    stateDir,
    fresh: options.fresh,
    log: (line) => console.log(line),
  });
  const listeners = await listenersOf(cluster.processes());
  const listening = [...new Set(listeners.map((l) => `${l.address}:${l.port}`))].join(', ');
  const exposed = listeners.filter((l) => !l.loopback);
  if (exposed.length > 0) {
    await cluster.stop();
    throw new Error(
      `Refusing to run: ${exposed.map((l) => `${l.role} listens on ${l.address}:${l.port}`).join('; ')}, not 127.0.0.1 alone.`,
    );
  }
  const services = TEMPORAL_SERVICES.map(
    (s) =>
      `  ${s.padEnd(9)} pid ${cluster.services[s].pid}, ${s === 'worker' ? '' : `gRPC ${cluster.ports.grpc[s]}, `}membership ${cluster.ports.membership[s]}`,
  );
  console.log(
    [
      '',
      `Temporal cluster ${TEMPORAL_SERVER_VERSION} ready at ${cluster.address} (namespace ${cluster.namespace}) in ${Math.round((Date.now() - started) / 1000)} s.`,
      ...services,
      `  PostgreSQL pid ${cluster.postgres.pid}, port ${cluster.ports.postgres}; frontend HTTP ${cluster.ports.frontendHttp}`,
      `Listening (as /proc shows): ${listening}. Logs: ${relative(cluster.logsDir)}/, ${relative(cluster.postgres.logFile)}.`,
      '',
      'Use it (in another terminal):',
      `  TEMPORAL_ADDRESS=${cluster.address} npm start -- --once     # the simulator, a worker and one run`,
      `  TEMPORAL_ADDRESS=${cluster.address} npm run worker          # with PRISMA_API_URL and PRISMA_API_TOKEN: one or more`,
      `  TEMPORAL_ADDRESS=${cluster.address} npm run starter -- restore --database-id db_demo --confirm db_demo`,
      '  (PRISMA_API_PROFILE=seed for the seed API, on the worker and the starter: then `run` takes a backup first)',
      '',
      'Ctrl-C stops it.',
    ].join('\n'),
  );
  // Signal handlers do not keep Node running; this timer does, until a signal.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  let stopping = false;
  const shutdown = () => {
    // A second Ctrl-C does not wait: exiting SIGKILLs the services and stops PostgreSQL at once.
    if (stopping) process.exit(130);
    stopping = true;
    console.log('\nStopping the cluster... (Ctrl-C again: at once)');
    void cluster.stop().then(
      () => {
        clearInterval(keepAlive);
        console.log('Stopped.');
      },
      (err: unknown) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
      },
    );
  };
  process.off('SIGINT', exitNow).off('SIGTERM', exitNow);
  process.on('SIGINT', shutdown).on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
