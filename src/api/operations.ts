// Both profiles' operations: the path each uses, and what a 404 on it can mean is missing.
import type { ApiOperationId, OperationId, PrismaOperationId } from '../shared/api-types';

export type { ApiOperationId, OperationId, PrismaOperationId };

/** A path segment, encoded so no id can change the path (`../`, `%2F`, `?` stay inside one segment). */
const seg = (value: string) => encodeURIComponent(value);

// Relative to PRISMA_API_URL (…/v1): the seed's paths and Prisma's /v1/… paths share that base.
export const paths = {
  backups: (databaseId: string) => `databases/${seg(databaseId)}/backups`,
  restore: (databaseId: string, backupId: string) => `databases/${seg(databaseId)}/backups/${seg(backupId)}/restore`,
  database: (databaseId: string) => `databases/${seg(databaseId)}`,
  databases: () => 'databases',
  restoreDatabase: (targetDatabaseId: string) => `databases/${seg(targetDatabaseId)}/restore`,
  projectDatabases: (projectId: string) => `projects/${seg(projectId)}/databases`,
  connections: (databaseId: string) => `databases/${seg(databaseId)}/connections`,
  connection: (connectionId: string) => `connections/${seg(connectionId)}`,
};

/** What a 404 can name: `database` is the one in the path; a restore's path names its target. */
export type NotFoundSubject = 'database' | 'target database' | 'source database' | 'backup' | 'project' | 'connection';

/**
 * What a 404 on each operation can mean is missing, as the descriptions say. With more than one,
 * the answer's own code and message decide (see error-mapping.ts).
 */
export const notFoundSubjects: Record<ApiOperationId, readonly NotFoundSubject[]> = {
  createDatabaseBackup: ['database'],
  listDatabaseBackups: ['database'],
  restoreDatabaseBackup: ['backup'],
  getV1DatabasesByDatabaseIdBackups: ['database'],
  postV1DatabasesByTargetDatabaseIdRestore: ['target database', 'source database', 'backup'],
  getV1DatabasesByDatabaseId: ['database'],
  getV1ProjectsByProjectIdDatabases: ['project'],
  // Described as "Project not found"; the source database and backup are in the body too.
  postV1Databases: ['project', 'source database', 'backup'],
  deleteV1DatabasesByDatabaseId: ['database'],
  getV1DatabasesByDatabaseIdConnections: ['database'],
  postV1DatabasesByDatabaseIdConnections: ['database'],
  deleteV1ConnectionsById: ['connection'],
};

/** Restores: a second one must never be sent blindly, so their failures say whether this one could have been applied. */
export const RESTORE_OPERATIONS: readonly ApiOperationId[] = ['restoreDatabaseBackup', 'postV1DatabasesByTargetDatabaseIdRestore'];
