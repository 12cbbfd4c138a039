// Activity inputs and outputs: small, token-free, and all that goes into workflow history.
import type { PollPolicy, CompletionPrediction } from '../shared/policy';
import type { BackupSource } from '../shared/types';
import type { DatabaseStatus } from '../api/schemas';

/** How a wait looks: its policy and bounds (epoch ms), and a prediction from earlier runs. */
export type WaitSpec = { policy: PollPolicy; startedAt: number; deadlineAt: number; prediction?: CompletionPrediction };

/** Seed: our backup until completed. Prisma: the named, newest completed, or first newer backup until completed. */
export interface AwaitBackupInput extends WaitSpec {
  /** The run's: a worker of the other profile refuses it (ProfileMismatch). */
  profile: 'prisma' | 'seed';
  databaseId: string;
  backupId?: string;
  /** Seed: the backup existed before the run, so it must be listed at the first look. */
  existing?: boolean;
  /** Prisma: only a backup created after this instant (ISO 8601). */
  createdAfter?: string;
}

/** The backup a wait found, with the looks it made; `tookMs` (seed): completedAt − createdAt. */
export type BackupFound = { backupId: string; createdAt?: string; tookMs?: number; looks: number };

/** `idle`: not provisioning or recovering; `ready`: ready from our backup; `read-back`: see RestoreVerdict; `conflict`: not busy. */
export type DatabaseWaitMode = 'idle' | 'ready' | 'read-back' | 'conflict';

export interface AwaitDatabaseInput extends WaitSpec {
  databaseId: string;
  mode: DatabaseWaitMode;
  /** The backup the run restores from. */
  source: BackupSource;
  /** The target's source before the first request (null: none). */
  sourceBefore?: BackupSource | null;
  /** read-back: until then, "not applied" may still be a request the API holds; nothing is sent again before. */
  holdUntil?: number;
  /** ready: the database was created from the backup, not restored into. */
  created?: true;
}

/** Read back: `applied` (recovering, or ready/failed from our backup), `not-applied`, `busy`, `undecidable` (named ours before). */
export type RestoreVerdict = 'applied' | 'not-applied' | 'busy' | 'undecidable';

export type DatabaseSeen = { status: DatabaseStatus; source?: BackupSource; verdict?: RestoreVerdict; looks: number };

export interface CreateDatabaseInput {
  /** The project; or, with besideDatabaseId instead, that database's project. */
  projectId?: string;
  besideDatabaseId?: string;
  /** Derived from the run, so a retried attempt finds the database an earlier one created. */
  name: string;
  region?: string;
  source: BackupSource;
}

export interface ReadDatabaseInput {
  databaseId: string;
  /** Prisma: the name of the connection the activity makes (and deletes), derived from the run. */
  connectionName: string;
  sql?: string;
}

/** One table: `schema.table`, its rows, and an order-independent hash of them. */
export type TableInventory = { table: string; rows: number; checksum: string };

export type Inventory = { tables: TableInventory[] };

/** What the user's check found; `findings` never quote a value of the data. */
export type SqlCheckOutcome = { passed: boolean; rows: number; findings: string[] };

export interface PastDurationsInput {
  databaseId: string;
  kind: 'backup' | 'ready';
  /** ready: runs into this target; absent: runs that created a database. */
  targetDatabaseId?: string;
}
