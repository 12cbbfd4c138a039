// Reads the standalone simulator's settings from the environment; pure so it can be tested without a process.
import { DEFAULT_HOST } from './defaults';
import type { AnySimulatorOptions } from './types';

export type CliConfig = { ok: true; options: AnySimulatorOptions } | { ok: false; error: string };

/** Settings that belong to one profile only: a value for the other profile is refused, not ignored. */
const PROFILE_SETTINGS = {
  seed: ['SIMULATOR_BACKUP_DURATION_MS'],
  prisma: ['SIMULATOR_RECOVERY_MS', 'SIMULATOR_PROVISIONING_MS'],
} as const;

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
  const profile = env.SIMULATOR_PROFILE ?? 'seed';
  if (profile !== 'seed' && profile !== 'prisma') {
    return {
      ok: false,
      error: `SIMULATOR_PROFILE must be seed (the seed's backup API) or prisma (Prisma's published API), got "${profile}"`,
    };
  }
  const other = profile === 'seed' ? 'prisma' : 'seed';
  const misplaced = PROFILE_SETTINGS[other].find((name) => env[name] !== undefined);
  if (misplaced) return { ok: false, error: `${misplaced} applies to the ${other} profile only; SIMULATOR_PROFILE is ${profile}` };

  let databases: string[] | undefined;
  if (env.SIMULATOR_DATABASES !== undefined) {
    databases = env.SIMULATOR_DATABASES.split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (databases.length === 0) return { ok: false, error: 'SIMULATOR_DATABASES must list at least one database id' };
  }
  const data = env.SIMULATOR_DATA ?? 'metadata';
  if (data !== 'metadata' && data !== 'postgres') {
    return {
      ok: false,
      error: `SIMULATOR_DATA must be metadata (records only) or postgres (databases holding real data), got "${data}"`,
    };
  }
  let maxLiveDatabases: number | undefined;
  if (env.SIMULATOR_MAX_LIVE_DATABASES !== undefined) {
    if (data !== 'postgres') return { ok: false, error: 'SIMULATOR_MAX_LIVE_DATABASES applies with SIMULATOR_DATA=postgres only' };
    maxLiveDatabases = Number(env.SIMULATOR_MAX_LIVE_DATABASES);
    if (!/^\d+$/.test(env.SIMULATOR_MAX_LIVE_DATABASES) || maxLiveDatabases < 1) {
      return { ok: false, error: `SIMULATOR_MAX_LIVE_DATABASES must be a whole number >= 1, got "${env.SIMULATOR_MAX_LIVE_DATABASES}"` };
    }
  }
  const common = {
    token,
    port,
    host: env.SIMULATOR_HOST || DEFAULT_HOST,
    ...(databases && { databases }),
    ...(data === 'postgres' && { data: 'postgres' as const }),
    ...(maxLiveDatabases !== undefined && { maxLiveDatabases }),
  };

  const durations: Record<string, number> = {};
  for (const name of PROFILE_SETTINGS[profile]) {
    const text = env[name];
    if (text === undefined) continue;
    // Number() accepts "Infinity", which means the lifecycle never ends.
    const ms = Number(text);
    if (text.trim() === '' || !(ms >= 0))
      return { ok: false, error: `${name} must be a number of milliseconds >= 0 or Infinity, got "${text}"` };
    durations[name] = ms;
  }
  if (profile === 'seed') {
    const backupDurationMs = durations.SIMULATOR_BACKUP_DURATION_MS;
    return { ok: true, options: { ...common, ...(backupDurationMs !== undefined && { backupDurationMs }) } };
  }
  const { SIMULATOR_RECOVERY_MS: recoveryMs, SIMULATOR_PROVISIONING_MS: provisioningMs } = durations;
  return {
    ok: true,
    options: {
      profile: 'prisma',
      ...common,
      ...(recoveryMs !== undefined && { recoveryMs }),
      ...(provisioningMs !== undefined && { provisioningMs }),
    },
  };
}
