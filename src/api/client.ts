// The Management API clients, one per profile: no credential leaves them but a connection made for a verification activity.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ApiProfile } from '../shared/input';
import type { BackupSource } from '../shared/types';
import { ErrorType } from '../shared/errors';
import { ApiError, protocolError, restoreOutcomeUnknown, type Operation, type Subject } from './errors';
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
const FIRST_PAGE = { limit: PAGE_LIMIT };
const SUBJECT: Record<string, Subject> = { databases: 'database', backups: 'backup', projects: 'project', connections: 'connection' };

/** An operation's name, method and path; each id in the path follows its collection, and a 404 may name it. */
const op = (operation: Operation, method: Exchange['method'], ...segments: string[]): Exchange => ({
  operation,
  method,
  path: path(...segments),
  ids: Object.fromEntries(segments.flatMap((id, i) => (i % 2 === 1 ? [[SUBJECT[segments[i - 1]], id]] : []))),
});

export function createSeedApi(send: Send, idempotencyKeysHonoured: boolean) {
  return {
    profile: 'seed' as const,
    idempotencyKeysHonoured,
    createBackup: (databaseId: string, label: string | undefined, call: CallOptions) =>
      send(
        { ...op('createDatabaseBackup', 'POST', 'databases', databaseId, 'backups'), json: label === undefined ? {} : { label }, ...call },
        SeedBackup,
      ),
    listBackups: (databaseId: string, { signal }: CallOptions) =>
      send({ ...op('listDatabaseBackups', 'GET', 'databases', databaseId, 'backups'), signal }, SeedBackupList),
    /** A 2xx means accepted, whatever its body says: failing the run would misreport a restore under way. */
    restoreBackup: (databaseId: string, backupId: string, call: CallOptions) =>
      send({ ...op('restoreDatabaseBackup', 'POST', 'databases', databaseId, 'backups', backupId, 'restore'), ...call }, z.unknown()).then(
        (body) => SeedRestoreAccepted.safeParse(body).data ?? { status: 'restoring' as const, message: undefined },
      ),
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
      if (pagination.nextCursor === null || pagination.nextCursor === cursor || page === MAX_PAGES)
        throw protocolError(`${exchange.method} ${exchange.path}`, `its pagination does not end (over ${page} pages)`);
      cursor = pagination.nextCursor;
    }
  }
  return {
    profile: 'prisma' as const,
    idempotencyKeysHonoured: false,
    listBackups: (databaseId: string, { signal }: CallOptions) =>
      send(
        { ...op('getV1DatabasesByDatabaseIdBackups', 'GET', 'databases', databaseId, 'backups'), searchParams: FIRST_PAGE, signal },
        PrismaBackupList,
      ),
    /** Answered with the target recovering from our backup; any other answer leaves the outcome unknown. */
    async restoreDatabase(targetDatabaseId: string, source: BackupSource, { signal }: CallOptions): Promise<Database> {
      const ids = { 'target database': targetDatabaseId, 'source database': source.databaseId, backup: source.backupId };
      const request = { ...op('postV1DatabasesByTargetDatabaseIdRestore', 'POST', 'databases', targetDatabaseId, 'restore'), ids };
      const unknown = (why: string) => restoreOutcomeUnknown(request.operation, `POST ${request.path} answered 2xx ${why}`, false);
      const answer = await send({ ...request, json: { source: { type: 'backup', ...source } }, signal }, DatabaseAnswer).catch(
        (err: unknown) => {
          throw err instanceof ApiError && err.type === ErrorType.ProtocolError ? unknown('off the description') : err;
        },
      );
      if (answer.source?.backupId !== source.backupId || answer.source.databaseId !== source.databaseId)
        throw unknown('without our backup as the source');
      return answer;
    },
    getDatabase: (databaseId: string, { signal }: CallOptions) =>
      send({ ...op('getV1DatabasesByDatabaseId', 'GET', 'databases', databaseId), signal }, DatabaseAnswer),
    listProjectDatabases: (projectId: string, { signal }: CallOptions) =>
      allPages({ ...op('getV1ProjectsByProjectIdDatabases', 'GET', 'projects', projectId, 'databases'), signal }, DatabasePage),
    /** Not idempotent: callers find it by name before creating. */
    createDatabaseFromBackup: (
      request: { projectId: string; name: string; region?: string; source: BackupSource },
      { signal }: CallOptions,
    ) => {
      const ids = { project: request.projectId, 'source database': request.source.databaseId, backup: request.source.backupId };
      const json = { ...request, source: { type: 'backup', ...request.source } };
      return send({ ...op('postV1Databases', 'POST', 'databases'), ids, json, signal }, DatabaseAnswer);
    },
    deleteDatabase: (databaseId: string, { signal }: CallOptions) =>
      send({ ...op('deleteV1DatabasesByDatabaseId', 'DELETE', 'databases', databaseId), signal }),
    /** New credentials for the database: a secret, like the token. */
    createConnection: (databaseId: string, name: string, { signal }: CallOptions) =>
      send(
        { ...op('postV1DatabasesByDatabaseIdConnections', 'POST', 'databases', databaseId, 'connections'), json: { name }, signal },
        CreatedConnection,
      ),
    listConnections: (databaseId: string, { signal }: CallOptions) =>
      allPages({ ...op('getV1DatabasesByDatabaseIdConnections', 'GET', 'databases', databaseId, 'connections'), signal }, ConnectionPage),
    deleteConnection: (connectionId: string, { signal }: CallOptions) =>
      send({ ...op('deleteV1ConnectionsById', 'DELETE', 'connections', connectionId), signal }),
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
