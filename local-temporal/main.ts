// `npm run temporal:dev -- [options]`: a local Temporal dev server for humans and CI (see --help).

import * as path from 'node:path';

import { findTemporalCli, findTestServer, startDevServer } from './';
import { DEV_SERVER_CLI_USAGE, parseDevServerCliArgs } from './dev-server-cli-args';

async function main(): Promise<number> {
  let command;
  try {
    command = parseDevServerCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${DEV_SERVER_CLI_USAGE}`);
    return 2;
  }

  if (command.kind === 'help') {
    process.stdout.write(DEV_SERVER_CLI_USAGE);
    return 0;
  }

  if (command.kind === 'install-only') {
    const cli = await findTemporalCli();
    const testServer = await findTestServer();
    process.stdout.write(`Temporal CLI: ${cli}\nTemporal test server: ${testServer}\n`);
    return 0;
  }

  const server = await startDevServer({
    port: command.port,
    uiPort: command.uiPort,
    dbFilename: command.dbFilename,
    dynamicConfig: command.dynamicConfig,
    headless: command.headless,
  });

  const ui = server.uiUrl ? ` (Web UI ${server.uiUrl})` : '';
  process.stdout.write(`Temporal dev server ready at ${server.address}${ui}\n`);
  if (server.logFile) {
    process.stdout.write(`Server log: ${path.relative(process.cwd(), server.logFile)}\n`);
  }
  process.stdout.write('Press Ctrl+C to stop.\n');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`Second ${signal}: exiting without waiting for the server.\n`);
        process.exit(1);
      }
      stopping = true;
      process.stdout.write(`${signal}: stopping the Temporal dev server ...\n`);
      server.stop().then(
        () => {
          process.stdout.write('Temporal dev server stopped.\n');
          resolve(0);
        },
        (err: unknown) => {
          process.stderr.write(`Stopping the server failed: ${String(err)}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void server.exited.then((how) => {
      if (stopping) return;
      process.stderr.write(
        `The Temporal dev server ended unexpectedly (${how}).` +
          (server.logFile ? ` See ${path.relative(process.cwd(), server.logFile)}.` : '') +
          '\n',
      );
      resolve(1);
    });
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
