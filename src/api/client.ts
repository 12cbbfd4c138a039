// The Management API client: one got instance, got's own retries off (Temporal retries the
// activity), a request timeout below the activity timeout, and the caller's abort signal.
import got, { RequestError, type Got } from 'got';
import type { Backup, BackupList, RestoreAccepted } from '../shared/api-types';
import { ApiError } from './api-error';
import { errorFromNetwork, errorFromResponse } from './error-mapping';
import { paths, type OperationId } from './operations';
import { redact } from './token';
import { parseBackup, parseBackupList, parseRestoreAccepted } from './parse';

export interface ApiClientOptions {
  /** e.g. `https://api.prisma.io/v1` */
  baseUrl: string;
  token: string;
  /** Whole-request timeout; keep it below the activity's start-to-close timeout. Default 20 s. */
  requestTimeoutMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key` on POSTs, so a retried POST applies once. */
  idempotencyKey?: string;
}

export interface ManagementApi {
  createBackup(databaseId: string, label: string | undefined, options: CallOptions): Promise<Backup>;
  listBackups(databaseId: string, options: CallOptions): Promise<BackupList>;
  restoreBackup(databaseId: string, backupId: string, options: CallOptions): Promise<RestoreAccepted>;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

export function createManagementApi(options: ApiClientOptions): ManagementApi {
  const http: Got = got.extend({
    prefixUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
    retry: { limit: 0 },
    timeout: { request: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
  });

  async function call<T>(
    operation: OperationId,
    method: 'GET' | 'POST',
    path: string,
    call: CallOptions & { json?: unknown },
    parse: (request: string, body: string) => T,
  ): Promise<T> {
    const request = `${method} ${path}`;
    let response;
    try {
      response = await http(path, {
        method,
        signal: call.signal,
        json: call.json,
        headers: call.idempotencyKey ? { 'idempotency-key': call.idempotencyKey } : {},
      });
    } catch (err) {
      if (err instanceof RequestError) throw errorFromNetwork(request, err.code, err.name === 'TimeoutError');
      throw err;
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return parse(request, response.body);
    const retryAfter = response.headers['retry-after'];
    // The body is the server's text: redact in case it echoes the token back.
    const body = redact(response.body, options.token);
    throw errorFromResponse({ operation, request, status: response.statusCode, retryAfter, body }, Date.now());
  }

  return {
    createBackup: (databaseId, label, opts) =>
      call('createDatabaseBackup', 'POST', paths.backups(databaseId), { ...opts, json: label === undefined ? {} : { label } }, parseBackup),
    listBackups: (databaseId, opts) => call('listDatabaseBackups', 'GET', paths.backups(databaseId), opts, parseBackupList),
    restoreBackup: (databaseId, backupId, opts) =>
      call('restoreDatabaseBackup', 'POST', paths.restore(databaseId, backupId), opts, parseRestoreAccepted),
  };
}

export { ApiError };
