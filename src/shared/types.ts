// What runs and fleets answer: results, the `status` query, and the fleet's report.
import type { ApiProfile } from './input';
import type { CompletionPrediction } from './policy';

export const PHASES = [
  'starting',
  'creating-backup',
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

/** A backup as a source of a restore or of a new database. */
export type BackupSource = { databaseId: string; backupId: string };

/** Where a prisma restore is: reading the target first, sending, reading back an unknown outcome or a 409, applied. */
export type RestoreStep = 'check' | 'send' | 'read-back' | 'conflict' | 'applied';

/** A wait under way (its looks are the attempts of the pending activity `describe()` shows), and its bounds. */
export type WaitInfo = { what: string; startedAt: number; deadlineAt: number; expected?: CompletionPrediction };

/** The `status` query's answer; times are epoch ms. Looks made and the last error of a wait come from its pending activity. */
export interface RunStatus {
  phase: Phase;
  profile: ApiProfile;
  databaseId: string;
  backupId?: string;
  backupStatus?: string;
  backupCreatedAt?: string;
  targetDatabaseId?: string;
  createdDatabaseId?: string;
  restoreStep?: RestoreStep;
  /** Restore requests whose activity was started; one whose worker died may never have left it. */
  restoreAttempts?: number;
  /** Set when a request was sent again after the hold window passed with no sign of the first. */
  resentAfterHoldWindow?: true;
  referenceDatabaseId?: string;
  drill?: true;
  wait?: WaitInfo;
  approvalDeadlineAt?: number;
  runStartedAt: number;
  endedAt?: number;
}

export interface VerificationResult {
  /** `inventory`: compared with a reference; `readable`: read in full; `sql`: the user's check. */
  check: 'inventory' | 'readable' | 'sql';
  databaseId: string;
  tables?: number;
  rows: number;
  message: string;
}

export interface RunResult {
  profile: ApiProfile;
  backupId: string;
  /** `restoring` as the seed API answers; `ready` once a prisma restore finished; `skipped` without a restore. */
  restoreStatus: 'restoring' | 'ready' | 'skipped';
  message: string;
  /** Looks at the backup list. */
  pollsMade: number;
  backupCreatedAt?: string;
  backupAgeMs?: number;
  targetDatabaseId?: string;
  createdDatabaseId?: string;
  restoreRequestsSent?: number;
  resentAfterHoldWindow?: true;
  verification?: VerificationResult;
  deletedDatabaseId?: string;
  timings: {
    startedAt: string;
    backupCompletedAt: string;
    /** How long the backup took, from its own createdAt and completedAt (seed); later runs predict from it. */
    backupTookMs?: number;
    databaseReadyAt?: string;
    /** From the restore's acceptance until ready; absent when its answer was lost. Later runs predict from it. */
    readyWaitMs?: number;
    finishedAt: string;
    waitedForBackupMs: number;
    totalMs: number;
  };
}

/** What became of one database of a fleet. */
export type FleetOutcome = 'passed' | 'restored' | 'backed-up' | 'failed' | 'gone';

export interface FleetEntry {
  databaseId: string;
  workflowId: string;
  outcome?: FleetOutcome;
  /** The failure type when failed. */
  errorType?: string;
  message?: string;
  backupId?: string;
  backupAgeMs?: number;
  startedAt?: number;
  durationMs?: number;
}

export interface FleetReport {
  action: string;
  startedAt: number;
  endedAt?: number;
  /** Set while the databases are listed. */
  listing?: true;
  entries: FleetEntry[];
  totals: Record<FleetOutcome | 'running' | 'waiting', number>;
}
