// The production-shaped local cluster: PostgreSQL, Temporal's schema, the four Temporal services as
// four processes, the namespace and the search attributes, all on 127.0.0.1. The schema and the
// registration run the same scripts docker-compose.yml runs (deploy/compose/).
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES } from '../src/shared/constants';
import { PROJECT_ROOT, temporalBinary } from '../local-temporal';
import { ensureTemporalBinaries } from './binaries';
import { Postgres } from './postgres';
import { isPortFree, killLeftoverServer, ServerProcess } from './server-process';
import {
  allPorts,
  clusterPorts,
  LOOPBACK,
  SHARED_SERVER_SETTINGS,
  serverEnvironment,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_SERVICES,
  type ClusterPorts,
  type TemporalService,
} from './topology';

/** The git-ignored cache folder: binaries, and the data of `npm run cluster`. */
export const CLUSTER_DIR = process.env.CLUSTER_DIR ? path.resolve(process.env.CLUSTER_DIR) : path.join(PROJECT_ROOT, '.cluster');
const NAMESPACE = 'default';
const SCRIPTS = path.join(PROJECT_ROOT, 'deploy', 'compose');

export interface ClusterOptions {
  frontendPort: number;
  postgresPort: number;
  /** PostgreSQL's data and the pid files; kept between runs. */
  stateDir: string;
  /** The services' and the scripts' logs. Default <stateDir>/logs. */
  logsDir?: string;
  /** Start with a new, empty database (the old one is deleted). */
  fresh?: boolean;
  /** Temporal's log level (LOG_LEVEL). */
  logLevel?: string;
  log?: (line: string) => void;
}

export interface Cluster {
  /** The frontend, for clients and workers: 127.0.0.1:<frontend port>. */
  address: string;
  namespace: string;
  ports: ClusterPorts;
  postgres: Postgres;
  services: Record<TemporalService, ServerProcess>;
  logsDir: string;
  /** Every process of the cluster and what it is, for the listener check. */
  processes(): { pid: number; role: string }[];
  /** The services (reverse start order), then PostgreSQL. Idempotent. */
  stop(): Promise<void>;
}

const ownerFile = (stateDir: string) => path.join(stateDir, 'owner.pid');

/**
 * One cluster per state folder: servers found there later are leftovers of a killed run (and are
 * killed) only if the process that started them is gone.
 */
function claimStateDir(stateDir: string): void {
  mkdirSync(stateDir, { recursive: true });
  const file = ownerFile(stateDir);
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8'));
    let alive = false;
    try {
      alive = pid !== process.pid && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node';
    } catch {
      // Gone: its servers, if any are left, are leftovers.
    }
    if (alive) throw new Error(`${stateDir} is in use by process ${pid} (another \`npm run cluster\` or test:cluster): stop it first.`);
  }
  writeFileSync(file, String(process.pid));
}

/** Runs one of deploy/compose's scripts with only the variables given (and PATH, HOME). */
function runScript(script: string, env: Record<string, string>, logFile: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn('sh', [path.join(SCRIPTS, script)], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const take = (chunk: Buffer) => (output += chunk.toString());
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', reject);
    child.once('close', (code) => {
      appendFileSync(logFile, output);
      if (code === 0) {
        log(`  ${script}: done`);
        resolve();
      } else reject(new Error(`deploy/compose/${script} failed (exit ${code}):\n${output.trim().split('\n').slice(-15).join('\n')}`));
    });
  });
}

/** Resolves once the namespace answers and lists every search attribute (new ones reach the caches in seconds). */
async function waitUntilUsable(address: string, timeoutMs = 60_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const connection = await Connection.connect({ address });
      try {
        const { serverVersion } = await connection.workflowService.getClusterInfo({});
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
        await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
        const missing = SEARCH_ATTRIBUTE_NAMES.filter((name) => !customAttributes?.[name]);
        if (missing.length === 0) return serverVersion ?? 'unknown';
        last = `search attributes missing: ${missing.join(', ')}`;
      } finally {
        await connection.close();
      }
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > end) throw new Error(`The cluster at ${address} was not usable within ${timeoutMs / 1000} s: ${last}`);
    await sleep(500);
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? (() => {});
  const ports = clusterPorts(options.frontendPort, options.postgresPort);
  const logsDir = options.logsDir ?? path.join(options.stateDir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const binaries = await ensureTemporalBinaries(CLUSTER_DIR, log);

  // Servers a killed run left behind go first: they would hold the ports, and PostgreSQL's data.
  claimStateDir(options.stateDir);
  for (const service of TEMPORAL_SERVICES) {
    if (await killLeftoverServer(options.stateDir, service, binaries.server))
      log(`Killed a ${service} service left running by an earlier run.`);
  }
  const postgres = await Postgres.prepare(options.stateDir, ports.postgres, log, options.fresh);

  const services = Object.fromEntries(
    TEMPORAL_SERVICES.map((service) => [
      service,
      new ServerProcess({
        service,
        binary: binaries.server,
        env: serverEnvironment({
          service,
          ports,
          postgresPassword: postgres.password,
          projectRoot: PROJECT_ROOT,
          logLevel: options.logLevel ?? 'warn',
        }),
        readyPort: service === 'worker' ? ports.membership.worker : ports.grpc[service],
        stateDir: options.stateDir,
        logsDir,
      }),
    ]),
  ) as Record<TemporalService, ServerProcess>;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const service of [...TEMPORAL_SERVICES].reverse()) await services[service].stop();
      await postgres.stop('fast');
      process.off('exit', stopPostgresOnExit);
      rmSync(ownerFile(options.stateDir), { force: true });
    })());
  // Exit handlers run no promises: the services are SIGKILLed by theirs (server-process.ts), PostgreSQL by this.
  const stopPostgresOnExit = () => postgres.stopSync();
  process.on('exit', stopPostgresOnExit);

  try {
    // Our own PostgreSQL left running is stopped by start(); anything else on our ports is an error.
    const taken = [];
    for (const port of allPorts(ports)) {
      if (port === ports.postgres && postgres.pid !== undefined) continue;
      if (!(await isPortFree(port))) taken.push(port);
    }
    if (taken.length > 0) {
      throw new Error(
        `${LOOPBACK} port(s) ${taken.join(', ')} are in use (another cluster?): stop what uses them, or choose other ports ` +
          '(--frontend-port / --postgres-port, or CLUSTER_FRONTEND_PORT / CLUSTER_POSTGRES_PORT).',
      );
    }

    log(`PostgreSQL (${postgres.version}) on ${LOOPBACK}:${ports.postgres}`);
    await postgres.start();
    const setupLog = path.join(logsDir, 'setup.log');
    log('Schema (deploy/compose/setup-postgres-schema.sh)');
    await runScript(
      'setup-postgres-schema.sh',
      {
        PATH: `${binaries.binDir}${path.delimiter}${process.env.PATH ?? ''}`,
        POSTGRES_SEEDS: LOOPBACK,
        DB_PORT: String(ports.postgres),
        POSTGRES_USER: SHARED_SERVER_SETTINGS.POSTGRES_USER,
        SQL_PASSWORD: postgres.password,
        SCHEMA_ROOT: binaries.postgresSchemaDir,
      },
      setupLog,
      log,
    );
    for (const service of TEMPORAL_SERVICES) {
      const started = Date.now();
      await services[service].start();
      log(
        `Temporal ${service} (pid ${services[service].pid}) on ${LOOPBACK}:${services[service].options.readyPort}, up in ${Date.now() - started} ms`,
      );
    }
    const address = `${LOOPBACK}:${ports.grpc.frontend}`;
    log('Namespace and search attributes (deploy/compose/register-search-attributes.sh)');
    await runScript(
      'register-search-attributes.sh',
      {
        PATH: `${path.dirname(temporalBinary('temporal'))}${path.delimiter}${process.env.PATH ?? ''}`,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: NAMESPACE,
      },
      setupLog,
      log,
    );
    const version = await waitUntilUsable(address);
    if (version !== TEMPORAL_SERVER_VERSION)
      throw new Error(`The frontend reports server version ${version}, not ${TEMPORAL_SERVER_VERSION}.`);

    return {
      address,
      namespace: NAMESPACE,
      ports,
      postgres,
      services,
      logsDir,
      processes: () => [
        ...(postgres.pid ? [{ pid: postgres.pid, role: 'PostgreSQL' }] : []),
        ...TEMPORAL_SERVICES.flatMap((s) => (services[s].pid ? [{ pid: services[s].pid!, role: `Temporal ${s}` }] : [])),
      ],
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}
