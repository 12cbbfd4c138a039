// Runs the simulator standalone: `PRISMA_API_TOKEN=... npm run simulator`, with the admin routes
// for trying your own rows (see docs/contract.md). Never prints the token or a connection string.
import { ADMIN_PREFIX, describeAdminRoutes } from './admin';
import { readCliConfig } from './cli-config';
import {
  DEFAULT_BACKUP_DURATION_MS,
  DEFAULT_BACKUP_RETENTION_DAYS,
  DEFAULT_DATABASES,
  DEFAULT_PROJECT,
  DEFAULT_PROVISIONING_MS,
  DEFAULT_RECOVERY_MS,
} from './defaults';
import { startSimulator } from './server';
import type { PrismaSimulator, Simulator } from './types';

const HOUR_MS = 3_600_000;

async function main(): Promise<void> {
  const config = readCliConfig(process.env);
  if (!config.ok) {
    console.error(`simulator: ${config.error}`);
    process.exit(2);
  }
  const { options } = config;
  const log = (line: string) => console.log(line);
  const databases = options.databases ?? DEFAULT_DATABASES;
  let sim: Simulator | PrismaSimulator;
  if (options.profile === 'prisma') {
    const prisma = await startSimulator({ ...options, log, adminRoutes: true });
    sim = prisma;
    console.log(`Prisma Management API simulator (prisma profile) listening at ${prisma.url}`);
    // Prisma's API takes no backups on demand: without data each database gets an automatic backup of
    // an hour ago to restore from; with data the user loads rows first and backs them up (admin route).
    for (const databaseId of options.data === 'postgres' ? [] : databases) {
      const backup = prisma.addBackup(databaseId, { createdAt: new Date(Date.now() - HOUR_MS) });
      console.log(`Database ${databaseId} (project ${DEFAULT_PROJECT.id}): completed backup ${backup.id}`);
    }
    const { recoveryMs = DEFAULT_RECOVERY_MS, provisioningMs = DEFAULT_PROVISIONING_MS } = options;
    console.log(
      `Restores take ${recoveryMs} ms, new databases ${provisioningMs} ms; backups are kept ${DEFAULT_BACKUP_RETENTION_DAYS} days`,
    );
  } else {
    const seed = await startSimulator({ ...options, log, adminRoutes: true });
    sim = seed;
    console.log(`Prisma Management API simulator (seed profile) listening at ${seed.url}`);
    console.log(`Databases: ${databases.join(', ')}; backups take ${options.backupDurationMs ?? DEFAULT_BACKUP_DURATION_MS} ms`);
  }
  if (options.data === 'postgres') {
    // The address only: a connection string is a secret and is never printed.
    for (const databaseId of databases) {
      const { hostname, port } = new URL(await sim.connectionString(databaseId));
      console.log(`Database ${databaseId} holds real data: Postgres at ${hostname}:${port} (any user and password)`);
    }
  }

  const adminUrl = `${new URL(sim.url).origin}${ADMIN_PREFIX}`;
  console.log(`Admin routes, for callers on this machine with the API's bearer token (not part of the API):`);
  for (const route of describeAdminRoutes(sim.profile === 'prisma' ? 'running' : 'pending')) console.log(`  ${route}`);
  console.log(
    `  e.g. take a backup now: curl -X POST -H "Authorization: Bearer $PRISMA_API_TOKEN" ${adminUrl}/databases/${databases[0]}/backups`,
  );

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
