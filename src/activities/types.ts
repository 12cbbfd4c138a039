// Activity inputs and outputs: small, token-free, and all that goes into workflow history. None
// holds a connection string: the prisma profile's database answers are cut down before they leave
// the client.
import type { BackupSource, BackupStatus, DatabaseRegion, DatabaseStatus, PrismaBackupStatus } from '../shared/api-types';

// ---- seed profile ----

export interface CreateBackupInput {
  databaseId: string;
  label?: string;
  idempotencyKey: string;
}

export interface CreatedBackup {
  backupId: string;
  status: BackupStatus;
}

export interface BackupStatusInput {
  databaseId: string;
  backupId: string;
  /** Also return how long the list's other completed backups took (the first look of a predictive wait). */
  history?: boolean;
}

/**
 * Our backup as the list shows it; `found: false` while the list does not show it yet. With
 * `history`, `pastDurationsMs`: a bounded count of numbers from the same list, no extra request.
 */
export type BackupStatusResult = ({ found: true; status: BackupStatus } | { found: false }) & { pastDurationsMs?: number[] };

export interface RestoreInput {
  databaseId: string;
  backupId: string;
  idempotencyKey: string;
  /**
   * An earlier request of this restore may have been applied (its outcome is unknown, or its
   * attempt was lost with its worker): send it again only if the API honours Idempotency-Key.
   */
  afterUnknownOutcome?: boolean;
}

export interface RestoreResult {
  status: 'restoring';
  message: string;
}

// ---- prisma profile ----

export interface ChooseBackupInput {
  databaseId: string;
  /** This backup; without it, the newest completed one. */
  backupId?: string;
  /** Only a backup created strictly after this instant (ISO 8601), e.g. the run's start. */
  createdAfter?: string;
}

/**
 * The backup to restore from. `completed`: restore it. `running`: it (the named one, or the newest
 * one after `createdAfter`) is still being taken; ask again later.
 */
export interface ChosenBackup {
  backupId: string;
  status: Extract<PrismaBackupStatus, 'completed' | 'running'>;
  /** When the backup was taken, so the run can say how old the restored data is. */
  createdAt: string;
}

export interface RestoreDatabaseInput {
  targetDatabaseId: string;
  source: BackupSource;
}

/** The restore was accepted: the target as the answer shows it, normally `recovering` from our backup. */
export interface RestoreStarted {
  status: DatabaseStatus;
}

export interface DatabaseStatusInput {
  databaseId: string;
}

export interface DatabaseState {
  status: DatabaseStatus;
  /** The backup the database was last restored or created from; absent when it was not a backup. */
  source?: BackupSource;
}

export interface ReadRestoreTargetInput {
  databaseId: string;
  /** The backup the run restores from. */
  source: BackupSource;
  /** The target's source read before the restore was first sent (null: none); see RestoreVerdict. */
  sourceBefore?: BackupSource | null;
}

/**
 * Whether our restore took effect, read back after a failure that left it unknown:
 * - `applied`: the target is recovering (from our backup, or from one it does not name), or is
 *   ready / failed with our backup as its source: never send it again;
 * - `not-applied`: the target is ready or failed and its source is not our backup: safe to send;
 * - `busy`: provisioning, or recovering from another backup: read again later;
 * - `undecidable`: it names our backup now, but it already did before our restore was sent.
 */
export type RestoreVerdict = 'applied' | 'not-applied' | 'busy' | 'undecidable';

export interface RestoreTargetState extends DatabaseState {
  verdict: RestoreVerdict;
}

export interface CreateDatabaseFromBackupInput {
  /** The project to create it in; or, with besideDatabaseId instead, that database's project. */
  projectId?: string;
  besideDatabaseId?: string;
  /** Derived from the workflow id, so a retried attempt finds the database an earlier one created. */
  name: string;
  region?: DatabaseRegion;
  source: BackupSource;
}

export interface CreatedDatabase {
  databaseId: string;
  /** True when an earlier attempt had already created it (found by name). */
  existed: boolean;
}

export interface DeleteDatabaseInput {
  databaseId: string;
}

export interface DeletedDatabase {
  /** True when it was already gone (404): deleting is idempotent. */
  alreadyDeleted: boolean;
}

// ---- verification (both profiles) ----

export interface ReadDatabaseInput {
  databaseId: string;
  /** `prisma`: the name of the connection the activity makes for its read (and deletes); derived from the run. */
  connectionName: string;
}

export interface SqlCheckInput extends ReadDatabaseInput {
  /** The user's query: passes when it returns rows whose every column is true. */
  sql: string;
}

/** What the user's check found: it passed, or what was not true. */
export interface SqlCheckOutcome {
  passed: boolean;
  /** Rows the query returned. */
  rows: number;
  /** Each thing that was not true, said in full; at most MAX_FINDINGS (then how many more). */
  findings: string[];
}

/** Earlier runs for the source database whose ready waits a `prisma` run predicts from. */
export interface PastReadyWaitsInput {
  databaseId: string;
  /** The database restored into; absent when the run creates one (then: earlier runs that created one). */
  targetDatabaseId?: string;
}
