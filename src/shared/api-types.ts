// Shapes of the two Management APIs this project speaks, one per profile (PRISMA_API_PROFILE):
// `seed`, the seed's three backup operations (spec/openapi/prisma-database-backups-api-openapi.yml),
// and `prisma`, Prisma's published Management API (spec/official/prisma-management-api-openapi.json).

export const API_PROFILES = ['prisma', 'seed'] as const;
export type ApiProfile = (typeof API_PROFILES)[number];

// ---- seed ----

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

// ---- prisma ----

/** The operationIds of Prisma's description that the prisma profile calls. */
export type PrismaOperationId =
  | 'getV1DatabasesByDatabaseIdBackups'
  | 'postV1DatabasesByTargetDatabaseIdRestore'
  | 'getV1DatabasesByDatabaseId'
  | 'getV1ProjectsByProjectIdDatabases'
  | 'postV1Databases'
  | 'deleteV1DatabasesByDatabaseId'
  | 'getV1DatabasesByDatabaseIdConnections'
  | 'postV1DatabasesByDatabaseIdConnections'
  | 'deleteV1ConnectionsById';

/** Either profile's operation. */
export type ApiOperationId = OperationId | PrismaOperationId;

export const PRISMA_BACKUP_STATUSES = ['running', 'completed', 'failed', 'unknown'] as const;
export type PrismaBackupStatus = (typeof PRISMA_BACKUP_STATUSES)[number];

export const PRISMA_BACKUP_TYPES = ['full', 'incremental'] as const;
export type PrismaBackupType = (typeof PRISMA_BACKUP_TYPES)[number];

/** `GET /v1/databases/{databaseId}/backups?limit=`: 1–100, 25 when not given. */
export const MAX_BACKUP_LIST_LIMIT = 100;

export interface PrismaBackup {
  id: string;
  backupType: PrismaBackupType;
  createdAt: string;
  /** Bytes of the gzipped backup files. */
  size?: number;
  status: PrismaBackupStatus;
  type?: 'backup';
}

export interface PrismaBackupList {
  data: PrismaBackup[];
  meta: { backupRetentionDays: number };
  pagination: { hasMore: boolean; limit: number | null };
}

export const DATABASE_STATUSES = ['provisioning', 'ready', 'recovering', 'failure'] as const;
export type DatabaseStatus = (typeof DATABASE_STATUSES)[number];

/** A backup as the source of a restore or of a new database. */
export interface BackupSource {
  databaseId: string;
  backupId: string;
}

/** What a database was made from, as the API reports it. */
export type DatabaseSource = ({ type: 'backup' } & BackupSource) | { type: 'database'; databaseId: string } | { type: 'empty' };

/** Whether a source (a database's, or a plain one) names this backup. */
export function isSameBackup(source: DatabaseSource | BackupSource | null | undefined, backup: BackupSource): boolean {
  if (!source || ('type' in source && source.type !== 'backup')) return false;
  const { databaseId, backupId } = source as BackupSource;
  return databaseId === backup.databaseId && backupId === backup.backupId;
}

/**
 * A database as the client returns it: only these fields. The API's answer also holds connection
 * strings and credentials (`url`, `connections`), which are deliberately never copied out of it.
 */
export interface DatabaseSummary {
  id: string;
  name: string;
  status: DatabaseStatus;
  createdAt: string;
  /** Undefined when the API reports none (null). */
  source?: DatabaseSource;
  /** The project it belongs to, when the answer names it. */
  projectId?: string;
}

/** A database connection as lists show it: never its credentials. */
export interface ConnectionSummary {
  id: string;
  name: string;
}

/** Regions `POST /v1/databases` accepts. */
export const DATABASE_REGIONS = [
  'us-east-1',
  'us-west-1',
  'eu-west-3',
  'eu-central-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'inherit',
] as const;
export type DatabaseRegion = (typeof DATABASE_REGIONS)[number];

export interface PrismaErrorBody {
  error: { code: string; message: string; hint?: string };
}
