// Shapes of the seed Management API (spec/openapi/prisma-database-backups-api-openapi.yml).

/** The seed's operationIds. */
export type OperationId = 'createDatabaseBackup' | 'listDatabaseBackups' | 'restoreDatabaseBackup';

export const BACKUP_STATUSES = ['pending', 'in_progress', 'completed', 'failed'] as const;
export type BackupStatus = (typeof BACKUP_STATUSES)[number];

export const BACKUP_TYPES = ['automatic', 'manual'] as const;
export type BackupType = (typeof BACKUP_TYPES)[number];

export interface Backup {
  id: string;
  databaseId: string;
  type: BackupType;
  status: BackupStatus;
  sizeBytes?: number;
  createdAt: string;
  completedAt?: string;
}

export interface BackupList {
  data: Backup[];
}

export interface RestoreAccepted {
  status: 'restoring';
  message?: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
