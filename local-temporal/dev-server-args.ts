// Pure helpers: from options to the `temporal server start-dev` argument list and environment.
// No I/O here, so they are unit-tested directly.

import { SEARCH_ATTRIBUTES } from '../src/shared/constants';

/** The only interface the dev server (gRPC, HTTP, metrics, Web UI) binds to. */
export const LOOPBACK_IP = '127.0.0.1';

/** Dynamic config values every dev server gets (the server must not phone home). */
export const BASE_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  'frontend.enableServerVersionCheck': false,
};

/** Environment variables every dev server process gets. */
export const BASE_DEV_SERVER_ENV: Readonly<Record<string, string>> = {
  TEMPORAL_VERSION_CHECK_DISABLED: '1',
};

export type DevServerLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'never';

export interface DevServerArgsOptions {
  /** Front-end gRPC port. */
  port: number;
  /** Web UI port; ignored when `headless`. */
  uiPort?: number;
  /** HTTP API port. Without it the server picks a random one. */
  httpPort?: number;
  /** `/metrics` port. Without it the server picks a random one. */
  metricsPort?: number;
  /** SQLite file; without it the server keeps its state in memory. */
  dbFilename?: string;
  /** Extra dynamic config; values are JSON values (they override {@link BASE_DYNAMIC_CONFIG}). */
  dynamicConfig?: Record<string, unknown>;
  /** Disable the Web UI. */
  headless?: boolean;
  logLevel?: DevServerLogLevel;
  /** Keyword search attributes to register; defaults to every value of SEARCH_ATTRIBUTES. */
  searchAttributes?: readonly string[];
  /** Appended as they are. */
  extraArgs?: readonly string[];
}

/** The search attribute names of SEARCH_ATTRIBUTES (all registered as Keyword). */
export function keywordSearchAttributeNames(): string[] {
  return Object.values(SEARCH_ATTRIBUTES);
}

/** `KEY=VALUE` for `--dynamic-config-value`: the value is serialized as JSON, as the CLI expects. */
export function dynamicConfigArg(key: string, value: unknown): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(key)) {
    throw new Error(`Invalid dynamic config key ${JSON.stringify(key)}`);
  }
  const json = JSON.stringify(value);
  if (json === undefined) {
    throw new Error(`Dynamic config value for ${key} is not JSON-serializable`);
  }
  return `${key}=${json}`;
}

/**
 * Parses a `KEY=VALUE` pair as typed by a human (`--dynamic-config limit.x=20`): VALUE is taken as JSON
 * when it parses as JSON (`20`, `true`, `"s"`, `{"a":1}`), otherwise as a plain string.
 */
export function parseDynamicConfigPair(pair: string): [string, unknown] {
  const eq = pair.indexOf('=');
  if (eq <= 0) {
    throw new Error(`Expected KEY=VALUE, got ${JSON.stringify(pair)}`);
  }
  const key = pair.slice(0, eq).trim();
  const raw = pair.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  // Validate the key the same way the argument builder does.
  dynamicConfigArg(key, value);
  return [key, value];
}

function checkPort(name: string, port: number | undefined): void {
  if (port === undefined) return;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be an integer port in 1..65535, got ${port}`);
  }
}

/** The argument list after the executable: `server start-dev ...`. */
export function buildDevServerArgs(options: DevServerArgsOptions): string[] {
  checkPort('port', options.port);
  checkPort('uiPort', options.uiPort);
  checkPort('httpPort', options.httpPort);
  checkPort('metricsPort', options.metricsPort);

  const args = ['server', 'start-dev', '--ip', LOOPBACK_IP, '--port', String(options.port)];
  if (options.headless) {
    args.push('--headless');
  } else {
    args.push('--ui-ip', LOOPBACK_IP);
    if (options.uiPort !== undefined) args.push('--ui-port', String(options.uiPort));
  }
  if (options.httpPort !== undefined) args.push('--http-port', String(options.httpPort));
  if (options.metricsPort !== undefined) args.push('--metrics-port', String(options.metricsPort));
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  if (options.logLevel) args.push('--log-level', options.logLevel);

  for (const name of options.searchAttributes ?? keywordSearchAttributeNames()) {
    args.push('--search-attribute', `${name}=Keyword`);
  }
  const dynamicConfig = { ...BASE_DYNAMIC_CONFIG, ...options.dynamicConfig };
  for (const [key, value] of Object.entries(dynamicConfig)) {
    args.push('--dynamic-config-value', dynamicConfigArg(key, value));
  }
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** The child environment: the parent's plus {@link BASE_DEV_SERVER_ENV}. */
export function devServerEnv(parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...parent, ...BASE_DEV_SERVER_ENV };
}

/** `127.0.0.1:7233`. */
export function serverAddress(port: number): string {
  return `${LOOPBACK_IP}:${port}`;
}

/** `http://127.0.0.1:8233`, or undefined when there is no UI. */
export function webUiUrl(uiPort: number | undefined, headless: boolean | undefined): string | undefined {
  return headless || uiPort === undefined ? undefined : `http://${LOOPBACK_IP}:${uiPort}`;
}

/** True when the server's output says it could not bind one of its ports (worth a retry on fresh ports). */
export function isPortInUseError(output: string): boolean {
  return /address already in use/i.test(output);
}
