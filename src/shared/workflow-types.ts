// The workflow's input, output and query shapes: imported by the workflow, the starter and the tests.
import type { ApiProfile, BackupStatus } from './api-types';

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
}

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

/** A waiting run's backup and its polls. Times are epoch milliseconds. */
export interface BackupWait {
  backupId: string;
  backupStatus: BackupStatus;
  pollsMade: number;
  /** Polls in a row whose list did not show our backup. */
  unlistedPolls: number;
  /** When the wait began (the backup was created or found); the deadline counts from here. */
  startedAt: number;
  deadlineAt: number;
  /** Polls in a row that failed (their retries ran out); 0 once one is answered. */
  failedPolls: number;
  /** While polls fail: when the first of them began, and the last one's error. */
  pollFailingSince?: number;
  lastPollError?: string;
}

/**
 * What a run carries into its next execution when it continues as new: the workflow's second
 * argument, never part of the input. Its backup is never `completed` or `failed`: a run continues
 * as new only while it waits.
 */
export interface CarriedState extends BackupWait {
  continuedAsNew: number;
  /** When the run's first execution started. */
  runStartedAt: number;
}

export const PHASES = [
  'starting',
  'creating-backup',
  'waiting-for-backup',
  'awaiting-approval',
  'restoring',
  'completed',
  'failed',
  'cancelled',
] as const;
export type Phase = (typeof PHASES)[number];

/** Answer to the `status` query. Times are epoch milliseconds. */
export interface WorkflowStatus {
  phase: Phase;
  databaseId: string;
  backupId?: string;
  backupStatus?: BackupStatus;
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
  /** Polls in a row that failed; 0 once one is answered. */
  failedPolls?: number;
  /** While polls fail: the last one's error, since when they fail, and when the run gives up (PollFailing). */
  lastPollError?: string;
  pollFailingSince?: number;
  pollFailingDeadlineAt?: number;
}

export interface BackupAndRestoreResult {
  backupId: string;
  /** `restoring` as the API answered, or `skipped` when the input asked for no restore. */
  restoreStatus: 'restoring' | 'skipped';
  message: string;
  pollsMade: number;
  continuedAsNew: number;
  timings: {
    /** When the backup was created. */
    startedAt: string;
    backupCompletedAt: string;
    finishedAt: string;
    /** From the backup's creation to its completion, as the workflow saw it. */
    waitedForBackupMs: number;
    totalMs: number;
  };
}
