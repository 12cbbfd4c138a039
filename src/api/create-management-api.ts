// Builds the Management API client of the configured profile (PRISMA_API_PROFILE).
import type { ApiClientOptions, ManagementApi } from './client';
import { createSend } from './http';
import { createPrismaApi } from './prisma-api';
import { createSeedApi } from './seed-api';

export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

export function createManagementApi(options: ApiClientOptions): ManagementApi {
  const honoured = options.profile === 'seed' && (options.idempotencyKeysHonoured ?? false);
  const send = createSend({
    baseUrl: options.baseUrl,
    token: options.token,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    resendSafe: honoured,
  });
  return options.profile === 'seed' ? createSeedApi(send, honoured) : createPrismaApi(send);
}
