// The prisma profile: Prisma's published Management API. No on-demand backups, and no
// Idempotency-Key: a restore is never sent blindly twice (see restoreOutcomeUnknown), and creating
// a database is made safe to retry by its caller finding it by name first.
import { MAX_BACKUP_LIST_LIMIT } from '../shared/api-types';
import { ErrorType } from '../shared/errors';
import { ApiError } from './api-error';
import type { ManagementApi } from './client';
import type { Exchange, Send } from './http';
import { paths } from './operations';
import { protocolError } from './parse';
import {
  parseConnectionPage,
  parseCreatedConnection,
  parseDatabase,
  parseDatabasePage,
  parsePrismaBackupList,
  parseRestoreStarted,
  type Page,
} from './parse-prisma';

function notInPrisma(message: string): Promise<never> {
  return Promise.reject(new ApiError(ErrorType.ProfileMismatch, message, false));
}

const SEED_HINT = "This worker's PRISMA_API_PROFILE is prisma; set PRISMA_API_PROFILE=seed only for an API with the seed's operations.";

/** Items per page of the paginated lists (a project's databases, a database's connections); the description's default. */
const PAGE_LIMIT = 100;
/** Pages read before giving up. */
const MAX_PAGES = 50;

export function createPrismaApi(send: Send): ManagementApi<'prisma'> {
  return {
    profile: 'prisma',
    idempotencyKeysHonoured: false,
    createBackup: () =>
      notInPrisma(
        "Prisma's Management API has no on-demand backup: backups are automatic and daily. Restore from an existing backup " +
          `instead: a named one (--backup-id) or the newest completed one. ${SEED_HINT}`,
      ),
    restoreBackup: () =>
      notInPrisma(
        "Prisma's Management API has no POST /databases/{databaseId}/backups/{backupId}/restore: it restores with " +
          `POST /databases/{targetDatabaseId}/restore, which the prisma profile's restore sends. ${SEED_HINT}`,
      ),
    listBackups: (databaseId, { signal, limit }) => {
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_BACKUP_LIST_LIMIT)) {
        return Promise.reject(
          new ApiError(ErrorType.InvalidRequest, `A backup list's limit is 1 to ${MAX_BACKUP_LIST_LIMIT}, not ${limit}.`, false),
        );
      }
      return send(
        {
          operation: 'getV1DatabasesByDatabaseIdBackups',
          method: 'GET',
          path: paths.backups(databaseId),
          searchParams: limit === undefined ? undefined : { limit },
          signal,
          ids: { database: databaseId },
        },
        parsePrismaBackupList,
      );
    },
    restoreDatabase: (targetDatabaseId, source, { signal }) =>
      send(
        {
          operation: 'postV1DatabasesByTargetDatabaseIdRestore',
          method: 'POST',
          path: paths.restoreDatabase(targetDatabaseId),
          json: { source: { type: 'backup', databaseId: source.databaseId, backupId: source.backupId } },
          signal,
          ids: { 'target database': targetDatabaseId, 'source database': source.databaseId, backup: source.backupId },
        },
        (request, body) => parseRestoreStarted(request, body, source),
      ),
    getDatabase: (databaseId, { signal }) =>
      send(
        { operation: 'getV1DatabasesByDatabaseId', method: 'GET', path: paths.database(databaseId), signal, ids: { database: databaseId } },
        parseDatabase,
      ),
    listProjectDatabases: (projectId, { signal }) =>
      allPages(
        send,
        {
          operation: 'getV1ProjectsByProjectIdDatabases',
          method: 'GET',
          path: paths.projectDatabases(projectId),
          signal,
          ids: { project: projectId },
        },
        parseDatabasePage,
      ),
    createDatabaseFromBackup: ({ projectId, name, region, source }, { signal }) =>
      send(
        {
          operation: 'postV1Databases',
          method: 'POST',
          path: paths.databases(),
          json: {
            projectId,
            name,
            ...(region === undefined ? {} : { region }),
            source: { type: 'backup', databaseId: source.databaseId, backupId: source.backupId },
          },
          signal,
          ids: { project: projectId, 'source database': source.databaseId, backup: source.backupId },
        },
        parseDatabase,
      ),
    deleteDatabase: (databaseId, { signal }) =>
      send(
        {
          operation: 'deleteV1DatabasesByDatabaseId',
          method: 'DELETE',
          path: paths.database(databaseId),
          signal,
          ids: { database: databaseId },
        },
        () => undefined,
      ),
    createConnection: (databaseId, name, { signal }) =>
      send(
        {
          operation: 'postV1DatabasesByDatabaseIdConnections',
          method: 'POST',
          path: paths.connections(databaseId),
          json: { name },
          signal,
          ids: { database: databaseId },
        },
        parseCreatedConnection,
      ),
    listConnections: (databaseId, { signal }) =>
      allPages(
        send,
        {
          operation: 'getV1DatabasesByDatabaseIdConnections',
          method: 'GET',
          path: paths.connections(databaseId),
          signal,
          ids: { database: databaseId },
        },
        parseConnectionPage,
      ),
    deleteConnection: (connectionId, { signal }) =>
      send(
        {
          operation: 'deleteV1ConnectionsById',
          method: 'DELETE',
          path: paths.connection(connectionId),
          signal,
          ids: { connection: connectionId },
        },
        () => undefined,
      ),
  };
}

/** Every page of a cursor-paginated list, so an API that keeps answering `hasMore` cannot hold the activity forever. */
async function allPages<T>(
  send: Send,
  exchange: Omit<Exchange, 'searchParams'>,
  parse: (request: string, body: string) => Page<T>,
): Promise<T[]> {
  const items: T[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    const searchParams = { limit: PAGE_LIMIT, ...(cursor === undefined ? {} : { cursor }) };
    const answer = await send({ ...exchange, searchParams }, (request, body) => ({ request, ...parse(request, body) }));
    items.push(...answer.data);
    if (!answer.hasMore) return items;
    if (answer.nextCursor === null || cursors.has(answer.nextCursor) || page === MAX_PAGES) {
      throw protocolError(
        answer.request,
        `pagination does not end (hasMore with ${answer.nextCursor === null ? 'no' : 'a repeated'} cursor, or over ${MAX_PAGES} pages)`,
      );
    }
    cursor = answer.nextCursor;
    cursors.add(cursor);
  }
}
