// The seed's three operations: how each is named in messages and which path it uses.

import type { OperationId } from '../shared/api-types';

export type { OperationId };

/** A path segment, encoded so no id can change the path (`../`, `%2F`, `?` stay inside one segment). */
const seg = (value: string) => encodeURIComponent(value);

export const paths = {
  backups: (databaseId: string) => `databases/${seg(databaseId)}/backups`,
  restore: (databaseId: string, backupId: string) => `databases/${seg(databaseId)}/backups/${seg(backupId)}/restore`,
};

/** Which resource a 404 on this operation means is missing. */
export const notFoundSubject: Record<OperationId, 'database' | 'backup'> = {
  createDatabaseBackup: 'database',
  listDatabaseBackups: 'database',
  restoreDatabaseBackup: 'backup',
};
