// Reads the standalone simulator's settings from the environment; pure so it can be tested without a process.
import { DEFAULT_HOST } from './defaults';
import type { SimulatorOptions } from './types';

export type CliConfig = { ok: true; options: SimulatorOptions } | { ok: false; error: string };

export function readCliConfig(env: NodeJS.ProcessEnv): CliConfig {
  const token = env.PRISMA_API_TOKEN;
  if (!token) {
    return {
      ok: false,
      error:
        'PRISMA_API_TOKEN is not set. Set it to the bearer token the simulator should accept, ' +
        'e.g. PRISMA_API_TOKEN=dev-token npm run simulator',
    };
  }
  const port = Number(env.SIMULATOR_PORT ?? '4010');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return { ok: false, error: `SIMULATOR_PORT must be an integer from 0 to 65535, got "${env.SIMULATOR_PORT}"` };
  }
  const options: SimulatorOptions = { token, port, host: env.SIMULATOR_HOST || DEFAULT_HOST };
  if (env.SIMULATOR_BACKUP_DURATION_MS !== undefined) {
    // Number() accepts "Infinity", which means backups never finish.
    const duration = Number(env.SIMULATOR_BACKUP_DURATION_MS);
    if (env.SIMULATOR_BACKUP_DURATION_MS.trim() === '' || !(duration >= 0)) {
      return {
        ok: false,
        error: `SIMULATOR_BACKUP_DURATION_MS must be a number of milliseconds >= 0 or Infinity, got "${env.SIMULATOR_BACKUP_DURATION_MS}"`,
      };
    }
    options.backupDurationMs = duration;
  }
  if (env.SIMULATOR_DATABASES !== undefined) {
    const databases = env.SIMULATOR_DATABASES.split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (databases.length === 0) return { ok: false, error: 'SIMULATOR_DATABASES must list at least one database id' };
    options.databases = databases;
  }
  return { ok: true, options };
}
