// Environment settings read by the worker and the CLI. Each refusal names the setting and what to set.
import { TASK_QUEUE } from './constants';
import { PROFILES, type ApiProfile } from './input';

export const DEFAULT_API_URL = 'https://api.prisma.io/v1';
export const DEFAULT_METRICS_ADDRESS = '127.0.0.1:9464';

/** A setting has a value the program cannot use; the message says which and what to set. */
export class ConfigError extends Error {}

const read = (env: NodeJS.ProcessEnv, name: string) => env[name]?.trim() ?? '';

export function apiBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (read(env, 'PRISMA_API_URL') || DEFAULT_API_URL).replace(/\/+$/, '');
}

/** PRISMA_API_PROFILE: `prisma` (default, Prisma's Management API) or `seed`. */
export function apiProfile(env: NodeJS.ProcessEnv = process.env): ApiProfile {
  const value = read(env, 'PRISMA_API_PROFILE').toLowerCase() || 'prisma';
  if (PROFILES.includes(value as ApiProfile)) return value as ApiProfile;
  throw new ConfigError(`PRISMA_API_PROFILE is "${env.PRISMA_API_PROFILE}": set it to prisma (the default) or seed.`);
}

/** PRISMA_API_IDEMPOTENCY_KEYS=honoured declares that a seed API replays the answer to a repeated Idempotency-Key. */
export function idempotencyKeysHonoured(env: NodeJS.ProcessEnv = process.env, profile = apiProfile(env)): boolean {
  const value = read(env, 'PRISMA_API_IDEMPOTENCY_KEYS').toLowerCase();
  if (value === '') return false;
  if (value !== 'honoured') throw new ConfigError('PRISMA_API_IDEMPOTENCY_KEYS takes honoured, or leave it unset.');
  if (profile !== 'seed') throw new ConfigError("PRISMA_API_IDEMPOTENCY_KEYS applies to the seed profile only: Prisma's API takes no key.");
  return true;
}

/** The Management API the worker speaks: its base URL, profile, and whether its Idempotency-Keys are honoured. */
export function apiSettings(env: NodeJS.ProcessEnv = process.env) {
  const profile = apiProfile(env);
  return { baseUrl: apiBaseUrl(env), profile, idempotencyKeysHonoured: idempotencyKeysHonoured(env, profile) };
}

/** PRISMA_BACKUP_METRICS_ADDRESS (host:port, default loopback since the scrape is unauthenticated), or undefined for `off`. */
export function metricsAddress(env: NodeJS.ProcessEnv = process.env): { host: string; port: number } | undefined {
  const raw = env.PRISMA_BACKUP_METRICS_ADDRESS;
  const value = raw === undefined ? DEFAULT_METRICS_ADDRESS : raw.trim();
  if (value === '' || value.toLowerCase() === 'off') return undefined;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535)
    throw new ConfigError(`PRISMA_BACKUP_METRICS_ADDRESS is "${raw}": give host:port (e.g. ${DEFAULT_METRICS_ADDRESS}), or off.`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/** PRISMA_BACKUP_LOG_FORMAT: `text` (default) or `json` lines. */
export function logFormat(env: NodeJS.ProcessEnv = process.env): 'text' | 'json' {
  const value = read(env, 'PRISMA_BACKUP_LOG_FORMAT').toLowerCase() || 'text';
  if (value === 'text' || value === 'json') return value;
  throw new ConfigError(`PRISMA_BACKUP_LOG_FORMAT is "${env.PRISMA_BACKUP_LOG_FORMAT}": set it to json or text.`);
}

/** PRISMA_BACKUP_TASK_QUEUE: the task queue workers poll and runs start on (default prisma-backup-restore), e.g. one per environment. */
export const taskQueue = (env: NodeJS.ProcessEnv = process.env) => read(env, 'PRISMA_BACKUP_TASK_QUEUE') || TASK_QUEUE;
