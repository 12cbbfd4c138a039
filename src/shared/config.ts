// Environment settings read by more than one entry point.

export const DEFAULT_API_URL = 'https://api.prisma.io/v1';

/** The Management API base URL (PRISMA_API_URL), without a trailing slash. */
export function apiBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PRISMA_API_URL?.trim() || DEFAULT_API_URL).replace(/\/+$/, '');
}
