// Starting and stopping `temporal server start-dev` as a child process.

import { spawn } from 'node:child_process';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import * as path from 'node:path';

import {
  buildDevServerArgs,
  devServerEnv,
  type DevServerLogLevel,
  isPortInUseError,
  keywordSearchAttributeNames,
  LOOPBACK_IP,
  serverAddress,
  webUiUrl,
} from './dev-server-args';
import { findFreePorts, isPortFree } from './free-ports';
import { DEFAULT_DEV_DB_FILENAME, PROJECT_ROOT, TEMPORAL_STATE_DIR } from './project-paths';
import { ensureKeywordSearchAttributes, waitForServer } from './server-health';
import { findTemporalCli } from './temporal-binaries';

export interface DevServerOptions {
  /** Front-end gRPC port. Default: a free port. */
  port?: number;
  /** Web UI port. Default: a free port (none when `headless`). */
  uiPort?: number;
  /** HTTP API port. Default: a free port. */
  httpPort?: number;
  /** Metrics port. Default: a free port. */
  metricsPort?: number;
  /**
   * SQLite file for the server's state. Default: `.temporal/dev.sqlite` in the project root.
   * `false` keeps the state in memory (lost when the server stops).
   */
  dbFilename?: string | false;
  /** Extra dynamic config, JSON values: `{ 'limit.historyCount.suggestContinueAsNew': 20 }`. */
  dynamicConfig?: Record<string, unknown>;
  /** Disable the Web UI. */
  headless?: boolean;
  /** Server log level (the CLI's default for start-dev is warn). */
  logLevel?: DevServerLogLevel;
  /** Receives each line of server output. When given, no log file is written. */
  log?: (line: string) => void;
  /** Server output goes here when `log` is not given. Default: `.temporal/dev-server-<port>.log`. */
  logFile?: string;
  /** How long to wait for the server to answer. Default 60 s. */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. Default 10 s. */
  stopGraceMs?: number;
  /** The `temporal` executable. Default: {@link findTemporalCli}. */
  temporalCliPath?: string;
  /** Appended to the `start-dev` arguments. */
  extraArgs?: string[];
}

export interface DevServer {
  /** gRPC `host:port`, for Connection / NativeConnection. */
  address: string;
  namespace: 'default';
  /** Web UI, or undefined when headless. */
  uiUrl: string | undefined;
  pid: number;
  /** Where the server output goes, or undefined when a `log` callback receives it. */
  logFile: string | undefined;
  /** Resolves when the server process has ended, for whatever reason, with a description ("exit code 1"). */
  exited: Promise<string>;
  /** SIGTERM, then SIGKILL after the grace time; resolves once the process is gone. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 60_000;
const DEFAULT_STOP_GRACE_MS = 10_000;
const MAX_PORT_ATTEMPTS = 3;
const TAIL_LINES = 40;

/** Keeps the last lines of the output, for error messages. */
class OutputTail {
  private lines: string[] = [];
  private partial = '';

  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > TAIL_LINES) this.lines.splice(0, this.lines.length - TAIL_LINES);
    return parts;
  }

  flush(): string[] {
    if (!this.partial) return [];
    const last = [this.partial];
    this.push('\n');
    return last;
  }

  text(): string {
    return [...this.lines, this.partial].filter((l) => l.length > 0).join('\n');
  }
}

/** Resolves true once `ended` does, false after `timeoutMs`. */
function settlesWithin(ended: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  return Promise.race([ended.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function closeStream(stream: WriteStream | undefined): Promise<void> {
  if (!stream || stream.closed) return Promise.resolve();
  return new Promise((resolve) => stream.end(() => resolve()));
}

class PortInUseError extends Error {
  constructor(
    message: string,
    /** The server output that reported the clash. */
    readonly output: string,
  ) {
    super(message);
  }
}

/**
 * Starts `temporal server start-dev` on 127.0.0.1 with every SEARCH_ATTRIBUTES name registered as Keyword,
 * and resolves once the `default` namespace answers. Ports that are not given are picked free; if one of
 * those is taken in between, it retries with fresh ones.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = options.temporalCliPath ?? (await findTemporalCli());
  const dbFilename = options.dbFilename === false ? undefined : path.resolve(options.dbFilename ?? DEFAULT_DEV_DB_FILENAME);
  if (dbFilename) await fs.mkdir(path.dirname(dbFilename), { recursive: true });

  // A given port that is taken fails here, clearly: otherwise the health check could reach whatever
  // listens there (say, a dev server started earlier) before the new process dies of the clash.
  const given: Array<[string, number | undefined]> = [
    ['port', options.port],
    ['uiPort', options.headless ? undefined : options.uiPort],
    ['httpPort', options.httpPort],
    ['metricsPort', options.metricsPort],
  ];
  for (const [name, port] of given) {
    if (port !== undefined && !(await isPortFree(port))) {
      throw new Error(
        `Cannot start the Temporal dev server: ${LOOPBACK_IP}:${port} (${name}) is already in use. ` +
          (name === 'port'
            ? `If a Temporal server is running there, use it by setting TEMPORAL_ADDRESS=${LOOPBACK_IP}:${port}; otherwise choose another port.`
            : 'Choose another port.'),
      );
    }
  }

  for (let attempt = 1; ; attempt++) {
    const wanted = [options.port, options.headless ? 0 : options.uiPort, options.httpPort, options.metricsPort];
    const free = await findFreePorts(wanted.filter((p) => p === undefined).length);
    const [port, uiPort, httpPort, metricsPort] = wanted.map((p) => (p === undefined ? free.shift() : p || undefined));
    try {
      return await spawnDevServer(cli, options, {
        port: port!,
        uiPort,
        httpPort,
        metricsPort,
        dbFilename,
      });
    } catch (err) {
      // Retry on fresh ports only when the clash was on one this function picked, not one it was given.
      const givenPortClashed = wanted.some((p) => p && err instanceof PortInUseError && err.output.includes(`:${p}:`));
      const pickedSomePort = wanted.some((p) => p === undefined);
      if (err instanceof PortInUseError && pickedSomePort && !givenPortClashed && attempt < MAX_PORT_ATTEMPTS) continue;
      throw err;
    }
  }
}

interface ResolvedPorts {
  port: number;
  uiPort: number | undefined;
  httpPort: number | undefined;
  metricsPort: number | undefined;
  dbFilename: string | undefined;
}

async function spawnDevServer(cli: string, options: DevServerOptions, resolved: ResolvedPorts): Promise<DevServer> {
  const args = buildDevServerArgs({
    ...resolved,
    dynamicConfig: options.dynamicConfig,
    headless: options.headless,
    logLevel: options.logLevel,
    extraArgs: options.extraArgs,
  });
  const address = serverAddress(resolved.port);

  let logStream: WriteStream | undefined;
  let logFile: string | undefined;
  if (!options.log) {
    logFile = path.resolve(options.logFile ?? path.join(TEMPORAL_STATE_DIR, `dev-server-${resolved.port}.log`));
    await fs.mkdir(path.dirname(logFile), { recursive: true });
    logStream = createWriteStream(logFile, { flags: 'w' });
    logStream.write(`$ ${cli} ${args.join(' ')}\n`);
  }

  const child = spawn(cli, args, {
    cwd: PROJECT_ROOT,
    env: devServerEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const tail = new OutputTail();
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString();
    logStream?.write(text);
    const lines = tail.push(text);
    if (options.log) for (const line of lines) options.log(line);
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);

  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  let exitDescription: string | undefined;
  // 'close' (not 'exit'): by then all output has been read, so error messages show all of it.
  const exited = new Promise<string>((resolve) =>
    child.once('close', (code, signal) => {
      exitDescription = signal ? `signal ${signal}` : `exit code ${code}`;
      const rest = tail.flush();
      if (options.log) for (const line of rest) options.log(line);
      resolve(exitDescription);
    }),
  );

  // Never leave an orphan server behind if this process exits without calling stop().
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const describe = () =>
    `\n  command: ${cli} ${args.join(' ')}` +
    (logFile ? `\n  log file: ${path.relative(process.cwd(), logFile) || logFile}` : '') +
    `\n  last server output:\n${tail.text().replace(/^/gm, '    ') || '    (none)'}`;

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS): Promise<void> => {
    stopping ??= (async () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        // `exited` settles on 'close': the process is gone and all its output has been read.
        if (!(await settlesWithin(exited, graceMs))) {
          child.kill('SIGKILL');
          await settlesWithin(exited, 5000);
        }
      }
      process.off('exit', killOnExit);
      await closeStream(logStream);
    })();
    return stopping;
  };

  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  try {
    await waitForServer({
      address,
      namespace: 'default',
      timeoutMs: startTimeoutMs,
      abortReason: () => {
        if (spawnError) return `could not run ${cli}: ${spawnError.message}`;
        if (exitDescription) return `the server process ended (${exitDescription}) before it was ready`;
        return undefined;
      },
      onReady: (connection) => ensureKeywordSearchAttributes(connection, 'default', keywordSearchAttributeNames()),
    });
    // The answer must have come from this process, not from something that held the port meanwhile.
    if (exitDescription) throw new Error(`the server process ended (${exitDescription}) while starting`);
  } catch (err) {
    await stop(1000);
    const message = `Temporal dev server failed to start at ${address}: ${(err as Error).message}${describe()}`;
    if (isPortInUseError(tail.text())) throw new PortInUseError(message, tail.text());
    throw new Error(message);
  }

  return {
    address,
    namespace: 'default',
    uiUrl: webUiUrl(resolved.uiPort, options.headless),
    pid: child.pid!,
    logFile,
    exited,
    stop: () => stop(),
  };
}
