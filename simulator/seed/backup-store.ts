// In-memory databases and their backups; views are computed by backup-lifecycle at read time.
import { randomBytes } from 'crypto';
import type { Backup, BackupStatus } from '../../src/shared/api-types';
import { backupAt, newestFirst, type StoredBackup } from './backup-lifecycle';
import type { BackupOutcome } from '../types';

export interface StoreSettings {
  backupDurationMs: number;
  backupOutcome: BackupOutcome;
}

export class BackupStore {
  private readonly databases = new Set<string>();
  private readonly backups = new Map<string, StoredBackup>();
  private seq = 0;

  constructor(private readonly settings: StoreSettings) {}

  hasDatabase(databaseId: string): boolean {
    return this.databases.has(databaseId);
  }

  addDatabase(databaseId: string): void {
    this.databases.add(databaseId);
  }

  createManual(databaseId: string, nowMs: number): Backup {
    const backup = this.insert(databaseId, 'manual', nowMs);
    return backupAt(backup, nowMs);
  }

  addAutomatic(databaseId: string, status: BackupStatus, nowMs: number): Backup {
    const backup = this.insert(databaseId, 'automatic', nowMs);
    backup.fixedStatus = status;
    return backupAt(backup, nowMs);
  }

  list(databaseId: string, nowMs: number): Backup[] {
    return [...this.backups.values()]
      .filter((b) => b.databaseId === databaseId)
      .sort(newestFirst)
      .map((b) => backupAt(b, nowMs));
  }

  /** Undefined when the backup does not exist or belongs to another database. */
  find(databaseId: string, backupId: string, nowMs: number): Backup | undefined {
    const backup = this.backups.get(backupId);
    return backup && backup.databaseId === databaseId ? backupAt(backup, nowMs) : undefined;
  }

  fail(backupId: string): void {
    const backup = this.backups.get(backupId);
    if (!backup) throw new Error(`No backup ${backupId} in the simulator`);
    backup.fixedStatus = 'failed';
  }

  clear(databases: readonly string[]): void {
    this.databases.clear();
    this.backups.clear();
    databases.forEach((id) => this.databases.add(id));
  }

  private insert(databaseId: string, type: StoredBackup['type'], nowMs: number): StoredBackup {
    if (!this.hasDatabase(databaseId)) throw new Error(`No database ${databaseId} in the simulator`);
    const backup: StoredBackup = {
      id: `bkp_${randomBytes(10).toString('hex')}`,
      databaseId,
      type,
      createdAtMs: nowMs,
      seq: this.seq++,
      durationMs: this.settings.backupDurationMs,
      outcome: this.settings.backupOutcome,
      // Plausible sizes between 1 MiB and 513 MiB.
      sizeBytes: 1_048_576 + Math.floor(Math.random() * 512 * 1_048_576),
    };
    this.backups.set(backup.id, backup);
    return backup;
  }
}
