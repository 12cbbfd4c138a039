// A backup's status is derived from the clock at read time, so nothing has to tick in the background.
import type { Backup, BackupStatus, BackupType } from '../../src/shared/api-types';
import type { BackupOutcome } from '../types';

export interface StoredBackup {
  id: string;
  databaseId: string;
  type: BackupType;
  createdAtMs: number;
  /** Insertion order: breaks ties between backups created in the same millisecond. */
  seq: number;
  durationMs: number;
  outcome: BackupOutcome;
  sizeBytes: number;
  /** Overrides the lifecycle: automatic backups, and backups failed on demand. */
  fixedStatus?: BackupStatus;
}

/** Pending at creation and for the first third of the duration, in progress until its end, then the outcome. */
export function statusAt(backup: StoredBackup, nowMs: number): BackupStatus {
  if (backup.fixedStatus) return backup.fixedStatus;
  const elapsed = nowMs - backup.createdAtMs;
  if (elapsed <= 0 || elapsed < backup.durationMs / 3) return 'pending';
  if (elapsed < backup.durationMs) return 'in_progress';
  return backup.outcome;
}

/** The backup as the API shows it at `nowMs`; size and completion time only once completed. */
export function backupAt(backup: StoredBackup, nowMs: number): Backup {
  const status = statusAt(backup, nowMs);
  const view: Backup = {
    id: backup.id,
    databaseId: backup.databaseId,
    type: backup.type,
    status,
    createdAt: new Date(backup.createdAtMs).toISOString(),
  };
  if (status === 'completed') {
    const completedAtMs = backup.fixedStatus ? backup.createdAtMs : backup.createdAtMs + backup.durationMs;
    view.sizeBytes = backup.sizeBytes;
    view.completedAt = new Date(completedAtMs).toISOString();
  }
  return view;
}

/** Newest first; the later-inserted wins a same-millisecond tie. */
export function newestFirst(a: StoredBackup, b: StoredBackup): number {
  return b.createdAtMs - a.createdAtMs || b.seq - a.seq;
}
