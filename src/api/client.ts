// The Management API clients, one per profile (PRISMA_API_PROFILE). A client returns only what the
// project uses: no answer's connection strings or credentials leave it, except a connection made
// for verification, which only its activity sees.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ApiProfile } from '../shared/input';
import type { BackupSource } from '../shared/types';
import { ErrorType } from '../shared/errors';
import { ApiError, protocolError, restoreOutcomeUnknown } from './errors';
import { createSend, path, type Exchange, type Send } from './http';
import {
  ConnectionPage,
  CreatedConnection,
  DatabaseAnswer,
  DatabasePage,
  PrismaBackupList,
  SeedBackup,
  SeedBackupList,
  SeedRestoreAccepted,
  type Database,
} from './schemas';

export interface CallOptions {
  signal?: AbortSignal;
  /** Seed POSTs: sent as Idempotency-Key. */
  idempotencyKey?: string;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
/** Prisma's largest page. */
const PAGE_LIMIT = 100;
const MAX_PAGES = 100;

export function createSeedApi(send: Send, idempotencyKeysHonoured: boolean) {
  return {
    profile: 'seed' as const,
    idempotencyKeysHonoured,
    createBackup: (databaseId: string, label: string | undefined, { signal, idempotencyKey }: CallOptions) =>
      send(
        {
          operation: 'createDatabaseBackup',
          method: 'POST',
          path: path('databases', databaseId, 'backups'),
          json: label === undefined ? {} : { label },
          signal,
          idempotencyKey,
          ids: { database: databaseId },
        },
        SeedBackup,
      ),
    listBackups: (databaseId: string, { signal }: CallOptions) =>
      send(
        {
          operation: 'listDatabaseBackups',
          method: 'GET',
          path: path('databases', databaseId, 'backups'),
          signal,
          ids: { database: databaseId },
        },
        SeedBackupList,
      ),
    /** A 2xx means accepted, whatever its body says: failing the run would misreport a restore under way. */
    restoreBackup: (databaseId: string, backupId: string, { signal, idempotencyKey }: CallOptions) =>
      send(
        {
          operation: 'restoreDatabaseBackup',
          method: 'POST',
          path: path('databases', databaseId, 'backups', backupId, 'restore'),
          signal,
          idempotencyKey,
          ids: { database: databaseId, backup: backupId },
        },
        z.unknown(),
      ).then((body) => SeedRestoreAccepted.safeParse(body).data ?? { status: 'restoring' as const, message: undefined }),
  };
}

export function createPrismaApi(send: Send) {
  /** Every page of a cursor-paginated list; a list that never ends is a protocol error. */
  async function allPages<T>(
    exchange: Exchange,
    schema: z.ZodType<{ data: T[]; pagination: { nextCursor: string | null; hasMore: boolean } }>,
  ) {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 1; ; page++) {
      const searchParams = { limit: PAGE_LIMIT, ...(cursor === undefined ? {} : { cursor }) };
      const { data, pagination } = await send({ ...exchange, searchParams }, schema);
      items.push(...data);
      if (!pagination.hasMore) return items;
      if (pagination.nextCursor === null || pagination.nextCursor === cursor || page === MAX_PAGES) {
        throw protocolError(`${exchange.method} ${exchange.path}`, `its pagination does not end (over ${page} pages)`);
      }
      cursor = pagination.nextCursor;
    }
  }
  return {
    profile: 'prisma' as const,
    idempotencyKeysHonoured: false,
    listBackups: (databaseId: string, { signal }: CallOptions) =>
      send(
        {
          operation: 'getV1DatabasesByDatabaseIdBackups',
          method: 'GET',
          path: path('databases', databaseId, 'backups'),
          searchParams: { limit: PAGE_LIMIT },
          signal,
          ids: { database: databaseId },
        },
        PrismaBackupList,
      ),
    /** Answered with the target recovering from our backup; any other answer leaves the outcome unknown. */
    async restoreDatabase(targetDatabaseId: string, source: BackupSource, { signal }: CallOptions): Promise<Database> {
      const request = path('databases', targetDatabaseId, 'restore');
      const database = await send(
        {
          operation: 'postV1DatabasesByTargetDatabaseIdRestore',
          method: 'POST',
          path: request,
          json: { source: { type: 'backup', ...source } },
          signal,
          ids: { 'target database': targetDatabaseId, 'source database': source.databaseId, backup: source.backupId },
        },
        DatabaseAnswer,
      ).catch((err: unknown) => {
        if (err instanceof ApiError && err.type === ErrorType.ProtocolError) {
          throw restoreOutcomeUnknown(
            'postV1DatabasesByTargetDatabaseIdRestore',
            `POST ${request} answered 2xx off the description`,
            false,
          );
        }
        throw err;
      });
      if (database.source?.backupId !== source.backupId || database.source.databaseId !== source.databaseId) {
        throw restoreOutcomeUnknown(
          'postV1DatabasesByTargetDatabaseIdRestore',
          `POST ${request} answered 2xx without our backup as the source`,
          false,
        );
      }
      return database;
    },
    getDatabase: (databaseId: string, { signal }: CallOptions) =>
      send(
        {
          operation: 'getV1DatabasesByDatabaseId',
          method: 'GET',
          path: path('databases', databaseId),
          signal,
          ids: { database: databaseId },
        },
        DatabaseAnswer,
      ),
    listProjectDatabases: (projectId: string, { signal }: CallOptions) =>
      allPages(
        {
          operation: 'getV1ProjectsByProjectIdDatabases',
          method: 'GET',
          path: path('projects', projectId, 'databases'),
          signal,
          ids: { project: projectId },
        },
        DatabasePage,
      ),
    /** Not idempotent: callers find it by name before creating. */
    createDatabaseFromBackup: (
      request: { projectId: string; name: string; region?: string; source: BackupSource },
      { signal }: CallOptions,
    ) =>
      send(
        {
          operation: 'postV1Databases',
          method: 'POST',
          path: 'databases',
          json: { ...request, source: { type: 'backup', ...request.source } },
          signal,
          ids: { project: request.projectId, 'source database': request.source.databaseId, backup: request.source.backupId },
        },
        DatabaseAnswer,
      ),
    deleteDatabase: (databaseId: string, { signal }: CallOptions) =>
      send({
        operation: 'deleteV1DatabasesByDatabaseId',
        method: 'DELETE',
        path: path('databases', databaseId),
        signal,
        ids: { database: databaseId },
      }),
    /** New credentials for the database: a secret, like the token. */
    createConnection: (databaseId: string, name: string, { signal }: CallOptions) =>
      send(
        {
          operation: 'postV1DatabasesByDatabaseIdConnections',
          method: 'POST',
          path: path('databases', databaseId, 'connections'),
          json: { name },
          signal,
          ids: { database: databaseId },
        },
        CreatedConnection,
      ),
    listConnections: (databaseId: string, { signal }: CallOptions) =>
      allPages(
        {
          operation: 'getV1DatabasesByDatabaseIdConnections',
          method: 'GET',
          path: path('databases', databaseId, 'connections'),
          signal,
          ids: { database: databaseId },
        },
        ConnectionPage,
      ),
    deleteConnection: (connectionId: string, { signal }: CallOptions) =>
      send({
        operation: 'deleteV1ConnectionsById',
        method: 'DELETE',
        path: path('connections', connectionId),
        signal,
        ids: { connection: connectionId },
      }),
  };
}

export type SeedApi = ReturnType<typeof createSeedApi>;
export type PrismaApi = ReturnType<typeof createPrismaApi>;
export type ManagementApi = SeedApi | PrismaApi;

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  profile: ApiProfile;
  /** Seed only: the API replays answers to a repeated Idempotency-Key. */
  idempotencyKeysHonoured?: boolean;
  requestTimeoutMs?: number;
}

export function createManagementApi(options: ApiClientOptions): ManagementApi {
  const honoured = options.profile === 'seed' && (options.idempotencyKeysHonoured ?? false);
  const send = createSend({ ...options, requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, resendSafe: honoured });
  return options.profile === 'seed' ? createSeedApi(send, honoured) : createPrismaApi(send);
}

export class TokenConfigError extends Error {}

/** The token, from PRISMA_API_TOKEN_FILE or PRISMA_API_TOKEN: only ever in the worker's environment, never in an input. */
export function readApiToken(env: NodeJS.ProcessEnv = process.env): string {
  const file = env.PRISMA_API_TOKEN_FILE;
  let token = env.PRISMA_API_TOKEN?.trim();
  if (file) {
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new TokenConfigError(
        `Cannot read PRISMA_API_TOKEN_FILE (${(err as NodeJS.ErrnoException).code}): point it at a readable file holding the token.`,
      );
    }
  }
  if (!token)
    throw new TokenConfigError(
      'No Management API token: set PRISMA_API_TOKEN, or PRISMA_API_TOKEN_FILE to a file holding it, on the worker.',
    );
  return token;
}
