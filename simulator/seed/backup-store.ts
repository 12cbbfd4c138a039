// In-memory databases and their backups; views are computed by backup-lifecycle at read time.
import { randomBytes } from 'crypto';
import type { SeedBackup as Backup } from '../../src/api/schemas';
type BackupStatus = Backup['status'];
import type { LiveDatabase } from '../data/live-database';
import type { PostgresData } from '../data/postgres-data';
import { backupAt, newestFirst, type StoredBackup } from './backup-lifecycle';
import type { BackupOutcome } from '../types';

export interface StoreSettings {
  backupDurationMs: number;
  backupOutcome: BackupOutcome;
  clock: () => number;
  /** Present with data 'postgres'. */
  data?: PostgresData;
}

export class BackupStore {
  /** Each database's data, with data 'postgres'. */
  private readonly databases = new Map<string, LiveDatabase | undefined>();
  private readonly backups = new Map<string, StoredBackup>();
  /** Each database's backups, in the order added, so a list costs that database's backups only. */
  private readonly backupsByDatabase = new Map<string, StoredBackup[]>();
  private seq = 0;

  constructor(private readonly settings: StoreSettings) {}

  hasDatabase(databaseId: string): boolean {
    return this.databases.has(databaseId);
  }

  addDatabase(databaseId: string): void {
    if (!this.databases.has(databaseId)) this.databases.set(databaseId, this.settings.data?.open(databaseId));
  }

  /** The database stays, as metadata only: its data closed, its backups' snapshots dropped. */
  releaseData(databaseId: string): void {
    const live = this.databases.get(databaseId);
    if (!live) return;
    this.settings.data?.drop(live);
    this.databases.set(databaseId, undefined);
    for (const backup of this.backupsByDatabase.get(databaseId) ?? []) {
      backup.sizeBytes ??= backup.snapshot?.size;
      backup.snapshot = undefined;
    }
  }

  liveDatabase(databaseId: string): LiveDatabase | undefined {
    return this.databases.get(databaseId);
  }

  createManual(databaseId: string, nowMs: number): Backup {
    const backup = this.insert(databaseId, 'manual', nowMs);
    const { data } = this.settings;
    // With data the snapshot is taken at the moment the backup ends, so a timer ends it.
    if (data) {
      backup.endsByTimer = true;
      if (backup.durationMs !== Infinity) {
        data.schedule(backup.durationMs, () => {
          // Unless it was failed or completed on demand meanwhile.
          if (!backup.fixedStatus && backup.endedAtMs === undefined) this.end(backup, this.settings.clock());
        });
      }
    }
    return backupAt(backup, nowMs);
  }

  addAutomatic(databaseId: string, status: BackupStatus, nowMs: number, tookMs?: number): Backup {
    const backup = this.insert(databaseId, 'automatic', tookMs === undefined ? nowMs : nowMs - tookMs);
    backup.fixedStatus = status;
    if (tookMs !== undefined) backup.endedAtMs = nowMs;
    if (status === 'completed') backup.snapshot = this.databases.get(databaseId)?.snapshot();
    return backupAt(backup, nowMs);
  }

  list(databaseId: string, nowMs: number): Backup[] {
    return [...(this.backupsByDatabase.get(databaseId) ?? [])].sort(newestFirst).map((b) => backupAt(b, nowMs));
  }

  /** Any backup, as the list shows it; undefined when there is none. */
  view(backupId: string, nowMs: number): Backup | undefined {
    const backup = this.backups.get(backupId);
    return backup && backupAt(backup, nowMs);
  }

  /** Resolves once the backup's snapshot, if it has one, is written (its size then shows). */
  async written(backupId: string): Promise<void> {
    await this.backups.get(backupId)?.snapshot?.bytes();
  }

  /** Undefined when the backup does not exist or belongs to another database. */
  find(databaseId: string, backupId: string, nowMs: number): Backup | undefined {
    const backup = this.backups.get(backupId);
    return backup && backup.databaseId === databaseId ? backupAt(backup, nowMs) : undefined;
  }

  /**
   * With data: replaces the database's data with the completed backup's snapshot and resolves once
   * the restored data is served. Undefined with metadata only.
   */
  restoreData(databaseId: string, backupId: string): Promise<void> | undefined {
    const live = this.databases.get(databaseId);
    if (!live) return undefined;
    const snapshot = this.backups.get(backupId)?.snapshot;
    if (!snapshot) throw new Error(`Backup ${backupId} holds no snapshot to restore`);
    return live.replace(snapshot);
  }

  /** Ends an unfinished backup now as completed, whatever its duration (with data, snapshotting the data now). */
  complete(backupId: string, nowMs: number): Backup {
    const backup = this.backups.get(backupId);
    if (!backup) throw new Error(`No backup ${backupId} in the simulator`);
    const status = backupAt(backup, nowMs).status;
    if (status !== 'pending' && status !== 'in_progress')
      throw new Error(`Backup ${backupId} is ${status}; only an unfinished backup can complete`);
    backup.outcome = 'completed';
    // An automatic backup's status is fixed: completing one fixes it anew.
    if (backup.fixedStatus) backup.fixedStatus = 'completed';
    this.end(backup, nowMs);
    return backupAt(backup, nowMs);
  }

  fail(backupId: string): void {
    const backup = this.backups.get(backupId);
    if (!backup) throw new Error(`No backup ${backupId} in the simulator`);
    backup.fixedStatus = 'failed';
  }

  /** With data, the databases reopen empty (and pending backup timers are dropped). */
  clear(databases: readonly string[]): void {
    this.settings.data?.dropAll();
    this.databases.clear();
    this.backups.clear();
    this.backupsByDatabase.clear();
    databases.forEach((id) => this.addDatabase(id));
  }

  /** The backup ends now; with data, a completed one holds the data as it is now. */
  private end(backup: StoredBackup, nowMs: number): void {
    backup.endedAtMs = nowMs;
    if (backup.outcome === 'completed') backup.snapshot = this.databases.get(backup.databaseId)?.snapshot();
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
      // Plausible sizes between 1 MiB and 513 MiB, when there is no snapshot to measure.
      sizeBytes: this.settings.data ? undefined : 1_048_576 + Math.floor(Math.random() * 512 * 1_048_576),
    };
    this.backups.set(backup.id, backup);
    const own = this.backupsByDatabase.get(databaseId);
    if (own) own.push(backup);
    else this.backupsByDatabase.set(databaseId, [backup]);
    return backup;
  }
}
