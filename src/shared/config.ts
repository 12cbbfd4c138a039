// Environment settings read by more than one entry point.
import { API_PROFILES, type ApiProfile } from './api-types';

export const DEFAULT_API_URL = 'https://api.prisma.io/v1';

/** A setting in the environment has a value the program cannot use; the message says which and what to set. */
export class ConfigError extends Error {}

/** The Management API base URL (PRISMA_API_URL), without a trailing slash. */
export function apiBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PRISMA_API_URL?.trim() || DEFAULT_API_URL).replace(/\/+$/, '');
}

/**
 * Which API the worker speaks (PRISMA_API_PROFILE): `prisma` (default), Prisma's published
 * Management API, so a real token against the default PRISMA_API_URL works as is; or `seed`, the
 * seed's create-backup / list / restore API.
 */
export function apiProfile(env: NodeJS.ProcessEnv = process.env): ApiProfile {
  const value = env.PRISMA_API_PROFILE?.trim().toLowerCase() || 'prisma';
  if (!API_PROFILES.includes(value as ApiProfile)) {
    throw new ConfigError(
      `PRISMA_API_PROFILE is "${env.PRISMA_API_PROFILE}": set it to prisma (Prisma's Management API, the default) or seed (an API with the seed's create-backup, list and restore operations).`,
    );
  }
  return value as ApiProfile;
}

/** The one value of PRISMA_API_IDEMPOTENCY_KEYS that declares anything. */
export const IDEMPOTENCY_KEYS_HONOURED = 'honoured';

/**
 * Whether the seed-profile API is declared to honour `Idempotency-Key`
 * (PRISMA_API_IDEMPOTENCY_KEYS=honoured): only then is a restore whose outcome is unknown sent
 * again. Unset means not declared. The seed's description does not mention the header, and
 * Prisma's API takes none, so the declaration is refused with the prisma profile.
 */
export function idempotencyKeysHonoured(env: NodeJS.ProcessEnv = process.env, profile: ApiProfile = apiProfile(env)): boolean {
  const value = env.PRISMA_API_IDEMPOTENCY_KEYS?.trim().toLowerCase() ?? '';
  if (value === '') return false;
  if (value !== IDEMPOTENCY_KEYS_HONOURED) {
    throw new ConfigError(
      `PRISMA_API_IDEMPOTENCY_KEYS is "${env.PRISMA_API_IDEMPOTENCY_KEYS}": set it to ${IDEMPOTENCY_KEYS_HONOURED} when the API replays the answer to a repeated Idempotency-Key, or leave it unset.`,
    );
  }
  if (profile !== 'seed') {
    throw new ConfigError(
      "PRISMA_API_IDEMPOTENCY_KEYS applies to the seed profile only: Prisma's Management API takes no Idempotency-Key. Unset it, or set PRISMA_API_PROFILE=seed.",
    );
  }
  return true;
}

/** Everything the worker needs to build its Management API client, except the token. */
export interface ApiSettings {
  baseUrl: string;
  profile: ApiProfile;
  idempotencyKeysHonoured: boolean;
}

export function apiSettings(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  const profile = apiProfile(env);
  return { baseUrl: apiBaseUrl(env), profile, idempotencyKeysHonoured: idempotencyKeysHonoured(env, profile) };
}

export const METRICS_ADDRESS_ENV = 'PRISMA_BACKUP_METRICS_ADDRESS';
export const DEFAULT_METRICS_ADDRESS = '127.0.0.1:9464';

export interface HostPort {
  host: string;
  port: number;
}

/**
 * Where the worker serves Prometheus metrics (PRISMA_BACKUP_METRICS_ADDRESS, host:port; IPv6 in
 * brackets), or undefined when set empty or `off`. Default 127.0.0.1:9464: loopback, since the
 * scrape is unauthenticated.
 */
export function metricsAddress(env: NodeJS.ProcessEnv = process.env): HostPort | undefined {
  const raw = env[METRICS_ADDRESS_ENV];
  const value = raw === undefined ? DEFAULT_METRICS_ADDRESS : raw.trim();
  if (value === '' || value.toLowerCase() === 'off') return undefined;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new ConfigError(
      `${METRICS_ADDRESS_ENV} is "${raw}": give host:port with a port from 1 to 65535 (e.g. ${DEFAULT_METRICS_ADDRESS}, or [::1]:9464), or off to serve no metrics.`,
    );
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

export const LOG_FORMAT_ENV = 'PRISMA_BACKUP_LOG_FORMAT';
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** How the worker and the CLI write their logs (PRISMA_BACKUP_LOG_FORMAT): `text` (default) or `json` lines. */
export function logFormat(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const value = env[LOG_FORMAT_ENV]?.trim().toLowerCase() || 'text';
  if (!LOG_FORMATS.includes(value as LogFormat)) {
    throw new ConfigError(
      `${LOG_FORMAT_ENV} is "${env[LOG_FORMAT_ENV]}": set it to json for one JSON object per line, or text (the default) for plain lines.`,
    );
  }
  return value as LogFormat;
}
