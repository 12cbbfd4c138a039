// `npm run temporal:dev -- [options]`: a local Temporal dev server for people and CI, until Ctrl-C.
import { Command, InvalidArgumentError, Option } from 'commander';

import { DEV_DEFAULTS, startDevServer } from './';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError('give a port number from 1 to 65535.');
  return port;
}

const options = new Command('npm run temporal:dev --')
  .description("A Temporal dev server on 127.0.0.1 with this project's search attributes registered; Ctrl-C stops it.")
  .addOption(new Option('--port <port>', 'gRPC port').argParser(parsePort).default(DEV_DEFAULTS.port))
  .addOption(new Option('--ui-port <port>', 'Web UI port').argParser(parsePort).default(DEV_DEFAULTS.uiPort))
  .addOption(new Option('--db-filename <path>', 'SQLite state file').default(DEV_DEFAULTS.dbFilename, '.temporal/dev.sqlite'))
  .option('--headless', 'no Web UI')
  .parse()
  .opts<{ port: number; uiPort: number; dbFilename: string; headless?: boolean }>();

startDevServer(options).then(
  (server) => {
    console.log(`Temporal dev server ready at ${server.address}${server.uiUrl ? ` (Web UI ${server.uiUrl})` : ''}. Ctrl-C stops it.`);
    // Signal handlers do not keep Node running, and nothing else here does: this timer does, until a signal.
    const keepAlive = setInterval(() => {}, 2 ** 30);
    const stop = () => void server.stop().then(() => clearInterval(keepAlive));
    process.once('SIGINT', stop).once('SIGTERM', stop);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
