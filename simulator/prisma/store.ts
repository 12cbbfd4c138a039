// The prisma profile's databases and backups, in memory. Statuses come from the clock at read time,
// as in the seed profile, so nothing has to tick in the background.
//
// Seam for real data: every change to what a database holds goes through one method here. A backup
// completes in addBackup or finishBackup (where a snapshot of the database would be taken), a
// snapshot is copied in by startRestore and by createDatabase from a backup, and deleteDatabase
// drops the data. A later change can attach a PGlite instance to StoredDatabase and a snapshot to
// StoredBackup at these points, without touching the operations.
import { randomBytes } from 'crypto';
import { DEFAULT_PROJECT } from '../defaults';
import type { PrismaBackupOptions, RestoreFailureOptions } from '../types';
import {
  DATABASE_ID_PATTERN,
  REGIONS,
  type DatabaseSource,
  type DatabaseStatus,
  type PrismaBackup,
  type PrismaBackupStatus,
  type PrismaDatabase,
  type RegionId,
} from './shapes';

const DAY_MS = 86_400_000;

/** `status` until `durationMs` have passed since `sinceMs`, then `endsAs`. */
interface Transition {
  status: 'provisioning' | 'recovering';
  sinceMs: number;
  durationMs: number;
  endsAs: 'ready' | 'failure';
}

export interface StoredDatabase {
  id: string;
  name: string;
  projectId: string;
  regionId: RegionId;
  isDefault: boolean;
  createdAtMs: number;
  /** Creation order: lists and cursors follow it. */
  seq: number;
  source: DatabaseSource | null;
  state: Transition | { status: 'ready' | 'failure' };
}

export interface StoredBackup {
  id: string;
  databaseId: string;
  backupType: PrismaBackup['backupType'];
  createdAtMs: number;
  /** Breaks ties between backups created in the same millisecond. */
  seq: number;
  size: number;
  status: PrismaBackupStatus;
}

export interface DatabaseStoreSettings {
  recoveryMs: number;
  provisioningMs: number;
  backupRetentionDays: number;
}

export interface NewDatabase {
  projectId: string;
  name?: string;
  regionId: RegionId;
  isDefault: boolean;
  source: DatabaseSource;
}

/** Transitional at the instant it starts, even with a zero duration, so the answer that starts it shows it. */
export function databaseStatusAt(db: StoredDatabase, nowMs: number): DatabaseStatus {
  const { state } = db;
  if (!('sinceMs' in state)) return state.status;
  const elapsed = nowMs - state.sinceMs;
  return elapsed > 0 && elapsed >= state.durationMs ? state.endsAs : state.status;
}

/**
 * The database as the API shows it at `nowMs`; links point into the simulator at `apiUrl`. Connections
 * are not simulated yet: a later change keeps them on StoredDatabase and shows them here (their
 * /connections routes answer 501 until then).
 */
export function databaseView(db: StoredDatabase, nowMs: number, apiUrl: string): PrismaDatabase {
  return {
    id: db.id,
    type: 'database',
    url: `${apiUrl}/databases/${db.id}`,
    name: db.name,
    status: databaseStatusAt(db, nowMs),
    createdAt: new Date(db.createdAtMs).toISOString(),
    isDefault: db.isDefault,
    defaultConnectionId: null,
    connections: [],
    project: { id: db.projectId, url: `${apiUrl}/projects/${db.projectId}`, name: DEFAULT_PROJECT.name },
    region: { id: db.regionId, name: REGIONS[db.regionId] },
    source: db.source,
  };
}

/** Size only once completed: a running or failed backup has no finished files to measure. */
export function backupView(backup: StoredBackup): PrismaBackup {
  const view: PrismaBackup = {
    id: backup.id,
    backupType: backup.backupType,
    createdAt: new Date(backup.createdAtMs).toISOString(),
    status: backup.status,
    type: 'backup',
  };
  if (backup.status === 'completed') view.size = backup.size;
  return view;
}

export class DatabaseStore {
  private readonly databases = new Map<string, StoredDatabase>();
  private readonly backups = new Map<string, StoredBackup>();
  private restoreFailures: { databaseId?: string; remaining: number }[] = [];
  private seq = 0;

  constructor(readonly settings: DatabaseStoreSettings) {}

  hasProject(projectId: string): boolean {
    return projectId === DEFAULT_PROJECT.id;
  }

  database(databaseId: string): StoredDatabase | undefined {
    return this.databases.get(databaseId);
  }

  /** In creation order; only the project's when `projectId` is given. */
  list(projectId?: string): StoredDatabase[] {
    return [...this.databases.values()].filter((db) => projectId === undefined || db.projectId === projectId);
  }

  /** A ready database that was never created through the API (a test hook, not an effect). */
  addDatabase(databaseId: string, nowMs: number): void {
    if (!DATABASE_ID_PATTERN.test(databaseId)) {
      throw new Error(`Database id ${databaseId} does not match Prisma's pattern ${DATABASE_ID_PATTERN.source} (e.g. db_demo)`);
    }
    if (this.databases.has(databaseId)) throw new Error(`Database ${databaseId} already exists in the simulator`);
    this.insertDatabase({
      id: databaseId,
      name: databaseId,
      projectId: DEFAULT_PROJECT.id,
      regionId: 'us-east-1',
      isDefault: false,
      createdAtMs: nowMs,
      source: null,
      state: { status: 'ready' },
    });
  }

  /** Provisioning for provisioningMs, then ready. */
  createDatabase(input: NewDatabase, nowMs: number): StoredDatabase {
    const id = `db_${cuidLike()}`;
    return this.insertDatabase({
      id,
      name: input.name ?? id,
      projectId: input.projectId,
      regionId: input.regionId,
      isDefault: input.isDefault,
      createdAtMs: nowMs,
      source: input.source,
      state: { status: 'provisioning', sinceMs: nowMs, durationMs: this.settings.provisioningMs, endsAs: 'ready' },
    });
  }

  /** Its backups go with it. */
  deleteDatabase(databaseId: string): void {
    this.databases.delete(databaseId);
    for (const backup of this.backups.values()) if (backup.databaseId === databaseId) this.backups.delete(backup.id);
  }

  addBackup(databaseId: string, options: PrismaBackupOptions, nowMs: number): StoredBackup {
    if (!this.databases.has(databaseId)) throw new Error(`No database ${databaseId} in the simulator`);
    const createdAtMs = options.createdAt?.getTime() ?? nowMs;
    if (!(createdAtMs <= nowMs)) throw new RangeError(`createdAt must be a valid time not in the future, got ${String(options.createdAt)}`);
    if (options.size !== undefined && !(Number.isInteger(options.size) && options.size >= 0)) {
      throw new RangeError(`size must be a whole number of bytes, got ${options.size}`);
    }
    const backup: StoredBackup = {
      id: cuidLike(),
      databaseId,
      backupType: options.backupType ?? 'full',
      createdAtMs,
      seq: this.seq++,
      // Plausible sizes between 1 MiB and 513 MiB.
      size: options.size ?? 1_048_576 + Math.floor(Math.random() * 512 * 1_048_576),
      status: options.status ?? 'completed',
    };
    this.backups.set(backup.id, backup);
    return backup;
  }

  finishBackup(backupId: string, status: 'completed' | 'failed'): StoredBackup {
    const backup = this.backups.get(backupId);
    if (!backup) throw new Error(`No backup ${backupId} in the simulator`);
    if (backup.status !== 'running') throw new Error(`Backup ${backupId} is ${backup.status}; only a running backup can finish`);
    backup.status = status;
    return backup;
  }

  /** Backups inside the retention window, newest first (later-added first within a millisecond). */
  backupsOf(databaseId: string, nowMs: number): StoredBackup[] {
    const retainedMs = this.settings.backupRetentionDays * DAY_MS;
    return [...this.backups.values()]
      .filter((b) => b.databaseId === databaseId && nowMs - b.createdAtMs < retainedMs)
      .sort((a, b) => b.createdAtMs - a.createdAtMs || b.seq - a.seq);
  }

  /** Undefined when the backup does not exist, belongs to another database, or is past retention. */
  findBackup(databaseId: string, backupId: string, nowMs: number): StoredBackup | undefined {
    return this.backupsOf(databaseId, nowMs).find((b) => b.id === backupId);
  }

  /** Puts `target` in recovery from the backup; returns how the recovery will end. */
  startRestore(target: StoredDatabase, source: { databaseId: string; backupId: string }, nowMs: number): 'ready' | 'failure' {
    const endsAs = this.takeRestoreFailure(target.id) ? 'failure' : 'ready';
    target.source = { type: 'backup', ...source };
    target.state = { status: 'recovering', sinceMs: nowMs, durationMs: this.settings.recoveryMs, endsAs };
    return endsAs;
  }

  failRestores({ databaseId, times = 1 }: RestoreFailureOptions): void {
    if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
      throw new RangeError(`times must be a positive integer or Infinity, got ${times}`);
    }
    this.restoreFailures.push({ databaseId, remaining: times });
  }

  clear(initialDatabases: readonly string[], nowMs: number): void {
    this.databases.clear();
    this.backups.clear();
    this.restoreFailures = [];
    initialDatabases.forEach((id) => this.addDatabase(id, nowMs));
  }

  private insertDatabase(db: Omit<StoredDatabase, 'seq'>): StoredDatabase {
    const stored = { ...db, seq: this.seq++ };
    this.databases.set(stored.id, stored);
    return stored;
  }

  private takeRestoreFailure(databaseId: string): boolean {
    const armed = this.restoreFailures.find((f) => f.databaseId === undefined || f.databaseId === databaseId);
    if (!armed) return false;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.restoreFailures = this.restoreFailures.filter((f) => f !== armed);
    return true;
  }
}

/** Prisma's ids look like cuids: `c` and lowercase letters and digits. */
function cuidLike(): string {
  return `c${randomBytes(12).toString('hex')}`;
}
