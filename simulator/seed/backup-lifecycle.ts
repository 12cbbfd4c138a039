// A backup's status is derived from the clock at read time, so nothing has to tick in the background
// (with data 'postgres' a timer ends it, since its snapshot must be taken at that moment).
import type { SeedBackup as Backup } from '../../src/api/schemas';
type BackupStatus = Backup['status'];
type BackupType = Backup['type'];
import type { Snapshot } from '../data/snapshot';
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
  /** With data: its end comes from a timer, not from the clock. */
  endsByTimer?: boolean;
  /** Set when it ended on demand or by its timer; otherwise it ends durationMs after creation. */
  endedAtMs?: number;
  /** Metadata only: a plausible size. With data the snapshot's size is shown instead. */
  sizeBytes?: number;
  /** With data: the data at completion. */
  snapshot?: Snapshot;
  /** Overrides the lifecycle: automatic backups, and backups failed on demand. */
  fixedStatus?: BackupStatus;
}

/** Pending at creation and for the first third of the duration, in progress until its end, then the outcome. */
export function statusAt(backup: StoredBackup, nowMs: number): BackupStatus {
  if (backup.fixedStatus) return backup.fixedStatus;
  const elapsed = nowMs - backup.createdAtMs;
  if (elapsed > 0 && nowMs >= endsAt(backup)) return backup.outcome;
  return elapsed <= 0 || elapsed < backup.durationMs / 3 ? 'pending' : 'in_progress';
}

function endsAt(backup: StoredBackup): number {
  return backup.endedAtMs ?? (backup.endsByTimer ? Infinity : backup.createdAtMs + backup.durationMs);
}

/** The backup as the API shows it at `nowMs`; size and completion time only once completed (with data, size once the snapshot is written). */
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
    const sizeBytes = backup.sizeBytes ?? backup.snapshot?.size;
    if (sizeBytes !== undefined) view.sizeBytes = sizeBytes;
    view.completedAt = new Date(backup.fixedStatus ? (backup.endedAtMs ?? backup.createdAtMs) : endsAt(backup)).toISOString();
  }
  return view;
}

/** Newest first; the later-inserted wins a same-millisecond tie. */
export function newestFirst(a: StoredBackup, b: StoredBackup): number {
  return b.createdAtMs - a.createdAtMs || b.seq - a.seq;
}
