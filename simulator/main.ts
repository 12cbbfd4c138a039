// Runs the simulator standalone: `PRISMA_API_TOKEN=... npm run simulator`. Never prints the token.
import { readCliConfig } from './cli-config';
import { DEFAULT_BACKUP_DURATION_MS, DEFAULT_DATABASES } from './defaults';
import { startSimulator } from './server';

async function main(): Promise<void> {
  const config = readCliConfig(process.env);
  if (!config.ok) {
    console.error(`simulator: ${config.error}`);
    process.exit(2);
  }
  const sim = await startSimulator({ ...config.options, log: (line) => console.log(line) });
  const { databases = DEFAULT_DATABASES, backupDurationMs = DEFAULT_BACKUP_DURATION_MS } = config.options;
  console.log(`Prisma Management API simulator listening at ${sim.url}`);
  console.log(`Databases: ${databases.join(', ')}; backups take ${backupDurationMs} ms`);

  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal} received, stopping`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`simulator: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
