// The seed profile: the seed's three operations. Every POST carries the caller's Idempotency-Key;
// whether the API honours it is declared by configuration (PRISMA_API_IDEMPOTENCY_KEYS), not assumed.
import { ErrorType } from '../shared/errors';
import { ApiError } from './api-error';
import type { ManagementApi } from './client';
import type { Send } from './http';
import { paths } from './operations';
import { parseBackup, parseBackupList, parseRestoreAccepted } from './parse';

/** What Prisma's API has and the seed's lacks: refused with how to reach it. */
function notInSeed(what: string): Promise<never> {
  return Promise.reject(
    new ApiError(
      ErrorType.ProfileMismatch,
      `The seed API has no ${what} (it only creates backups, lists them and restores one into its own database). ` +
        "This worker's PRISMA_API_PROFILE is seed: set PRISMA_API_PROFILE=prisma (the default) for Prisma's Management API.",
      false,
    ),
  );
}

export function createSeedApi(send: Send, idempotencyKeysHonoured: boolean): ManagementApi<'seed'> {
  return {
    profile: 'seed',
    idempotencyKeysHonoured,
    createBackup: (databaseId, label, { signal, idempotencyKey }) =>
      send(
        {
          operation: 'createDatabaseBackup',
          method: 'POST',
          path: paths.backups(databaseId),
          json: label === undefined ? {} : { label },
          signal,
          idempotencyKey,
          ids: { database: databaseId },
        },
        parseBackup,
      ),
    // The seed's list takes no limit: it answers every backup.
    listBackups: (databaseId, { signal }) =>
      send(
        { operation: 'listDatabaseBackups', method: 'GET', path: paths.backups(databaseId), signal, ids: { database: databaseId } },
        parseBackupList,
      ),
    restoreBackup: (databaseId, backupId, { signal, idempotencyKey }) =>
      send(
        {
          operation: 'restoreDatabaseBackup',
          method: 'POST',
          path: paths.restore(databaseId, backupId),
          signal,
          idempotencyKey,
          ids: { database: databaseId, backup: backupId },
        },
        parseRestoreAccepted,
      ),
    restoreDatabase: () => notInSeed('restore into another database (POST /databases/{targetDatabaseId}/restore)'),
    getDatabase: () => notInSeed('database read (GET /databases/{databaseId}), so a restore cannot be read back'),
    listProjectDatabases: () => notInSeed('list of a project’s databases (GET /projects/{projectId}/databases)'),
    createDatabaseFromBackup: () => notInSeed('database creation from a backup (POST /databases)'),
    deleteDatabase: () => notInSeed('database deletion (DELETE /databases/{databaseId})'),
    createConnection: () =>
      notInSeed('connections (POST /databases/{databaseId}/connections); give the worker PRISMA_DATABASE_URLS_FILE instead'),
    listConnections: () => notInSeed('connections (GET /databases/{databaseId}/connections)'),
    deleteConnection: () => notInSeed('connections (DELETE /connections/{id})'),
  };
}
