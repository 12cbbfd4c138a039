// The Management API client's interface: one for both profiles (PRISMA_API_PROFILE). Each profile's
// client has every operation; one its API lacks fails with ProfileMismatch, saying why and how to
// reach it, so a run never sends a request its API does not have.
import type {
  ApiProfile,
  Backup,
  BackupList,
  BackupSource,
  ConnectionSummary,
  DatabaseRegion,
  DatabaseSummary,
  PrismaBackupList,
  RestoreAccepted,
} from '../shared/api-types';
import { ApiError } from './api-error';

export interface ApiClientOptions {
  /** e.g. `https://api.prisma.io/v1` */
  baseUrl: string;
  token: string;
  profile: ApiProfile;
  /**
   * Seed profile only: the API is declared to honour `Idempotency-Key` (PRISMA_API_IDEMPOTENCY_KEYS=honoured),
   * so a restore whose outcome is unknown may be sent again with the same key. Default false.
   */
  idempotencyKeysHonoured?: boolean;
  /** Whole-request timeout; keep it below the activity's start-to-close timeout. Default 20 s. */
  requestTimeoutMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface SeedCallOptions extends CallOptions {
  /** Sent as `Idempotency-Key` on the seed's POSTs. */
  idempotencyKey?: string;
}

export interface ListBackupsOptions extends CallOptions {
  /** Prisma: 1–100 (its default 25). The seed's list takes none and answers every backup. */
  limit?: number;
}

export interface CreateDatabaseFromBackup {
  projectId: string;
  name: string;
  region?: DatabaseRegion;
  source: BackupSource;
}

/**
 * A connection just created, with the credentials only its creation answers. A secret like the
 * token: it never leaves the activity that asked for it (no history, no log, no error message).
 */
export interface CreatedConnection {
  id: string;
  connectionString: string;
}

/** The list `GET databases/{id}/backups` answers, in the profile's shape. */
export type BackupListOf<P extends ApiProfile> = P extends 'seed' ? BackupList : PrismaBackupList;

export interface ManagementApi<P extends ApiProfile = ApiProfile> {
  readonly profile: P;
  /** Seed: as configured; always false for prisma, whose API takes no Idempotency-Key. */
  readonly idempotencyKeysHonoured: boolean;

  /** Both profiles: `GET databases/{databaseId}/backups`. */
  listBackups(databaseId: string, options: ListBackupsOptions): Promise<BackupListOf<P>>;

  /** Seed: `POST databases/{databaseId}/backups`. */
  createBackup(databaseId: string, label: string | undefined, options: SeedCallOptions): Promise<Backup>;
  /** Seed: `POST databases/{databaseId}/backups/{backupId}/restore`. */
  restoreBackup(databaseId: string, backupId: string, options: SeedCallOptions): Promise<RestoreAccepted>;

  /**
   * Prisma: `POST databases/{targetDatabaseId}/restore` from a backup of any database. Fails with
   * RequestNotSent (safe to send again), RestoreOutcomeUnknown (read the target back first), or a
   * definite refusal (RestoreConflict, BackupNotUsable, a 404 type, …).
   */
  restoreDatabase(targetDatabaseId: string, source: BackupSource, options: CallOptions): Promise<DatabaseSummary>;
  /** Prisma: `GET databases/{databaseId}`. */
  getDatabase(databaseId: string, options: CallOptions): Promise<DatabaseSummary>;
  /** Prisma: every database of a project (`GET projects/{projectId}/databases`, all pages). */
  listProjectDatabases(projectId: string, options: CallOptions): Promise<DatabaseSummary[]>;
  /** Prisma: `POST databases` with a backup as the source. Not idempotent: find it by name before creating. */
  createDatabaseFromBackup(request: CreateDatabaseFromBackup, options: CallOptions): Promise<DatabaseSummary>;
  /** Prisma: `DELETE databases/{databaseId}`. */
  deleteDatabase(databaseId: string, options: CallOptions): Promise<void>;
  /** Prisma: `POST databases/{databaseId}/connections`: new credentials for the database. Not idempotent. */
  createConnection(databaseId: string, name: string, options: CallOptions): Promise<CreatedConnection>;
  /** Prisma: the database's connections, all pages (`GET databases/{databaseId}/connections`), without credentials. */
  listConnections(databaseId: string, options: CallOptions): Promise<ConnectionSummary[]>;
  /** Prisma: `DELETE connections/{connectionId}`: its credentials stop working. */
  deleteConnection(connectionId: string, options: CallOptions): Promise<void>;
}

/** Narrows a client to one profile, e.g. to read its backup list in that profile's shape. */
export function hasProfile<P extends ApiProfile>(api: ManagementApi, profile: P): api is ManagementApi<P> {
  return api.profile === profile;
}

export { ApiError };
