// The workflow's input, output and query shapes: imported by the workflow, the starter and the tests.
import type { RestoreVerdict } from '../activities/types';
import type { ApiProfile, BackupSource, BackupStatus, DatabaseStatus, PrismaBackupStatus } from './api-types';

/** When the next completion is expected, in ms after its start. */
export interface CompletionPrediction {
  earliestMs: number;
  latestMs: number;
  /** Durations it was made from (outliers left out). */
  samples: number;
}

/** How often to poll the backup list, and for how long. Durations are milliseconds. */
export interface PollPolicy {
  /** First wait after the backup is created. Default 5 s. */
  initialIntervalMs: number;
  /** Longest wait between two polls. Default 2 min. */
  maximumIntervalMs: number;
  /** Growth factor of the wait. Default 2. */
  backoffCoefficient: number;
  /** Share of each wait that is randomised (0–1), so many runs do not poll in step. Default 0.2. */
  jitter: number;
  /** Give up (and never restore) when the backup is not completed this long after it was created. Default 6 h. */
  deadlineMs: number;
  /** Give up (PollFailing, never restoring) when polls have failed in a row for this long. Default 1 h. */
  failingLimitMs: number;
  /**
   * `predictive` (default): when earlier backups say how long one takes, look sparsely until then and
   * densely around it (predict-completion.ts); otherwise, and with `backoff`, the backoff above.
   */
  mode: PollMode;
}

export const POLL_MODES = ['predictive', 'backoff'] as const;
export type PollMode = (typeof POLL_MODES)[number];

export interface BackupAndRestoreInput {
  /**
   * Which Management API the run speaks: `prisma` (Prisma's published API) or `seed` (the seed's
   * create → poll → restore). The CLI sets it from PRISMA_API_PROFILE, as the worker reads it. A run
   * without it is one started before profiles existed: `seed`.
   */
  profile?: ApiProfile;
  /** The database to back up (and restore); in the `prisma` profile, the database whose backups are used. */
  databaseId: string;
  /** Optional label for the manual backup. */
  backupLabel?: string;
  /** Overrides of the default poll policy. */
  poll?: Partial<PollPolicy>;
  /** Restore once the backup is completed (the seed's flow). Default true. */
  restore?: boolean;
  /** Restore from this existing backup instead of creating one; the run waits until it is completed. */
  backupId?: string;
  /**
   * The database to restore into; default `databaseId`. The seed API restores a backup only into
   * its own database, so there any other value is refused before the run starts.
   */
  targetDatabaseId?: string;
  /**
   * `prisma` only: restore into a new database created from the backup in this project, touching
   * nothing that exists. The run returns the new database's id. Excludes `targetDatabaseId`.
   */
  newDatabase?: NewDatabase;
  /** `prisma` only: wait, under the deadline, for an automatic backup newer than the run's start. */
  waitForNewerBackup?: boolean;
  /** `prisma` only: how long the restored database may take to be `ready`. Default 1 h. */
  readyDeadlineMs?: number;
  /** Wait, once the backup is completed, for an `approveRestore` update naming it; no approval in time, no restore. */
  approval?: ApprovalPolicy;
  /** Once restored (and, in `prisma`, ready), check the database's data; a check that fails fails the run. */
  verify?: VerifyOptions;
  /**
   * `prisma` only, with newDatabase: a restore drill. The new database is scratch: it is verified
   * (verify, default {}), then deleted, also when the run fails or is cancelled.
   */
  drill?: boolean;
}

/**
 * How a restored database is checked. Without `sql`, its table inventory (tables, row counts, a
 * checksum per table) is compared with a reference: in `seed`, the source's inventory taken before
 * the run's backup was requested and again once it completed (they must agree); in `prisma`, a
 * database created from the same backup (a new database, or a drill's, is itself one: it is read in
 * full instead, as nothing recorded the data at backup time).
 */
export interface VerifyOptions {
  /**
   * A query that replaces the default check: it passes when it returns at least one row and every
   * column of every row is true. Run in a READ ONLY transaction. User text, not a secret.
   */
  sql?: string;
}

/** One table of a database's inventory. */
export interface TableInventory {
  /** `schema.table`. */
  table: string;
  rows: number;
  /** A hash of the table's rows that ignores their order: equal contents give equal checksums. */
  checksum: string;
}

/** A database's user tables (every schema but the system ones), sorted by name. */
export interface Inventory {
  tables: TableInventory[];
}

/** What a verification that passed checked. (One that did not fails the run, saying what differs.) */
export interface VerificationResult {
  /** `inventory`: compared with a reference; `readable`: read in full, with nothing to compare with; `sql`: the user's check. */
  check: 'inventory' | 'readable' | 'sql';
  databaseId: string;
  /** The inventory's totals (`inventory`, `readable`); the rows the query returned (`sql`). */
  tables?: number;
  rows: number;
  message: string;
}

/** A run's verification, while it is under way. */
export interface VerificationProgress {
  /** `seed`: the source's inventory taken before the backup was requested. */
  before?: Inventory;
  /** `prisma`: a database created from the same backup, only to compare with; deleted once read. */
  reference?: RestoreProgress;
}

export interface NewDatabase {
  projectId: string;
  /** Display name; default derived from the workflow id, so a retried create finds it. */
  name?: string;
  /** Prisma region id, or `inherit`; default the project's. */
  region?: string;
}

export interface ApprovalPolicy {
  /** How long to wait for the approval. Default 24 h. */
  timeoutMs?: number;
}

/** The `approveRestore` update's argument and answer. */
export interface RestoreApproval {
  /** The backup the approver expects to be restored; it must be the run's own. */
  backupId: string;
}

/** Any wait that polls on durable timers: its polls, its deadline and its failing polls. Times are epoch milliseconds. */
export interface PollCounts {
  pollsMade: number;
  /** When the wait began; the deadline counts from here. */
  startedAt: number;
  deadlineAt: number;
  /** Polls in a row that failed (their retries ran out); 0 once one is answered. */
  failedPolls: number;
  /** While polls fail: when the first of them began, and the last one's error. */
  pollFailingSince?: number;
  lastPollError?: string;
  /** When the wait should end, counted from `startedAt`, from how long earlier ones took; absent: no history, or the backoff was asked for. */
  prediction?: CompletionPrediction;
}

/** A waiting run's backup and its polls. */
export interface BackupWait extends PollCounts {
  /**
   * The backup waited for. Absent only while a `prisma` run waits for a backup newer than its start
   * and none is listed yet; a `prisma` run may also move to a newer backup the list shows.
   */
  backupId?: string;
  /** Absent exactly when backupId is. */
  backupStatus?: BackupStatus | PrismaBackupStatus;
  /** `prisma`: when the backup was taken (ISO 8601), so the run can say how old it is. */
  backupCreatedAt?: string;
  /** Polls in a row whose list did not show our backup. */
  unlistedPolls: number;
}

/**
 * Where a `prisma` restore is:
 * - `check`: the target is read before anything is sent; while it is provisioning or recovering, the run waits;
 * - `send`: a restore request is under way (never carried into a continuation);
 * - `read-back`: a request's outcome is unknown; the target is read back until that tells whether it was applied;
 * - `conflict`: the API refused the request (409) as the target was busy; it is read until it is not;
 * - `applied`: the restore (or the new database) is under way; the run waits until the database is ready.
 */
export type RestoreStep = 'check' | 'send' | 'read-back' | 'conflict' | 'applied';

/** A wait on a `prisma` database, and what the last look at it saw. */
export interface DatabaseWait extends PollCounts {
  status?: DatabaseStatus;
  /** The backup it was last restored or created from, as last seen. */
  source?: BackupSource;
  /** From a read-back: whether our restore took effect. */
  verdict?: RestoreVerdict;
}

/** A `prisma` run's restore, from the moment it began (after the backup was completed and any approval given). */
export interface RestoreProgress {
  /** The database restored into: the target, or the database created from the backup. */
  databaseId: string;
  /** True when it was created from the backup (newDatabase). */
  created: boolean;
  step: RestoreStep;
  /** The target's source read before the first request (null: none); absent until read. */
  sourceBefore?: BackupSource | null;
  /** Restore requests sent; more than one only after the last was answered "not sent" or read back as not applied. */
  requestsSent: number;
  /** When the run saw its backup completed (the restore began after it, and any approval). */
  backupCompletedAt: number;
  /** The wait on the database, while there is one. */
  wait?: DatabaseWait;
}

/**
 * What a run carries into its next execution when it continues as new: the workflow's second
 * argument, never part of the input. A run continues as new only while it waits: for its backup
 * (never `completed` or `failed` then), or, in the `prisma` profile, on the database it restores.
 */
export interface CarriedState extends BackupWait {
  continuedAsNew: number;
  /** When the run's first execution started. */
  runStartedAt: number;
  /** `prisma`: the restore under way; its backup is then `completed`, and any approval was given. */
  restore?: RestoreProgress;
  /** With verify: what the verification has recorded so far. */
  verification?: VerificationProgress;
}

export const PHASES = [
  'starting',
  'creating-backup',
  'finding-backup',
  'waiting-for-backup',
  'awaiting-approval',
  'restoring',
  'creating-database',
  'waiting-for-database',
  'verifying',
  'deleting-database',
  'completed',
  'failed',
  'cancelled',
] as const;
export type Phase = (typeof PHASES)[number];

/** Answer to the `status` query. Times are epoch milliseconds. */
export interface WorkflowStatus {
  phase: Phase;
  /** Absent in answers from workers that predate profiles. */
  profile?: ApiProfile;
  databaseId: string;
  backupId?: string;
  backupStatus?: BackupStatus | PrismaBackupStatus;
  /** `prisma`: when the backup was taken. */
  backupCreatedAt?: string;
  pollsMade: number;
  nextPollAt?: number;
  deadlineAt?: number;
  /** Set while the run waits for an `approveRestore` update. */
  approvalDeadlineAt?: number;
  continuedAsNew: number;
  /** When the run's first execution started. */
  runStartedAt?: number;
  /** When the run completed, failed or was cancelled. */
  endedAt?: number;
  /** When the wait under way should end (epoch ms), and from how many earlier ones: polls are sparse before it. */
  expectedCompletion?: { earliestAt: number; latestAt: number; samples: number };
  /** Polls in a row that failed, in the current wait; 0 once one is answered. */
  failedPolls?: number;
  /** While polls fail: the last one's error, since when they fail, and when the run gives up (PollFailing). */
  lastPollError?: string;
  pollFailingSince?: number;
  pollFailingDeadlineAt?: number;
  /** `prisma`: the database restored into: an existing one, or the one created from the backup. */
  targetDatabaseId?: string;
  /** `prisma`: set when the run created that database from the backup. */
  createdDatabaseId?: string;
  /** `prisma`, once the restore began. */
  restoreStep?: RestoreStep;
  restoreRequestsSent?: number;
  /** `prisma`: the database's status as last seen, its polls, and when the wait on it gives up. */
  databaseStatus?: DatabaseStatus;
  databasePollsMade?: number;
  databaseDeadlineAt?: number;
  /** `prisma` verification: the database created from the same backup to compare with, while it exists. */
  referenceDatabaseId?: string;
  /** A drill: its database is scratch, deleted at the end. */
  drill?: boolean;
}

export interface BackupAndRestoreResult {
  /** Absent in results of runs that predate profiles (which were `seed`). */
  profile?: ApiProfile;
  backupId: string;
  /** `restoring` as the seed API answered; `ready` once a `prisma` restore finished; `skipped` when the input asked for no restore. */
  restoreStatus: 'restoring' | 'ready' | 'skipped';
  message: string;
  pollsMade: number;
  continuedAsNew: number;
  /** `prisma`: when the backup was taken, and its age when the run chose it. */
  backupCreatedAt?: string;
  backupAgeMs?: number;
  /** `prisma`: the existing database restored into. */
  targetDatabaseId?: string;
  /** `prisma` with newDatabase: the id of the database created from the backup (never a connection string). */
  createdDatabaseId?: string;
  /** `prisma`: restore requests sent (0 for a new database). */
  restoreRequestsSent?: number;
  /** With verify: what was checked (it passed). */
  verification?: VerificationResult;
  /** A drill: its scratch database (createdDatabaseId), deleted. */
  deletedDatabaseId?: string;
  timings: {
    /** When the wait for the backup began (the seed: when the backup was created). */
    startedAt: string;
    backupCompletedAt: string;
    /** `prisma`: when the restored or created database was seen ready. */
    databaseReadyAt?: string;
    /** `prisma`: how long the wait until the database was ready took, from the restore's acceptance (or the database's creation); later runs into the same target predict from it. */
    readyWaitMs?: number;
    finishedAt: string;
    /** From the backup's creation to its completion, as the workflow saw it. */
    waitedForBackupMs: number;
    totalMs: number;
  };
}
