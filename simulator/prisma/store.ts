// The prisma profile's projects, databases, backups and connections, indexed so that a fleet of
// thousands costs each request its own records only; views.ts shows them. A database holds real data
// (a LiveDatabase) when the simulator's data is 'postgres', when it was added with data 'postgres',
// or when it was created from a source holding data; the connections of any other lead to the one
// shared empty database. A database with data stays provisioning or recovering until it is loaded.
import { randomBytes } from 'crypto';
import type { LiveDatabase } from '../data/live-database';
import { emptySnapshot, type PostgresData } from '../data/postgres-data';
import type { Snapshot } from '../data/snapshot';
import type { DataMode, PrismaBackupOptions, RestoreFailureOptions } from '../types';
import { SeqList } from './seq-list';
import {
  DATABASE_ID_PATTERN,
  PROJECT_ID_PATTERN,
  type DatabaseSource,
  type PrismaBackup,
  type PrismaBackupStatus,
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
  /** When it holds data of its own. */
  data?: LiveDatabase;
  /** Created through POST /connections, oldest first. */
  connections: StoredConnection[];
}

export interface StoredConnection {
  id: string;
  name: string;
  user: string;
  /** Shown once, in the answer that creates it; PGlite accepts any. */
  pass: string;
  createdAtMs: number;
  /** Where it led when it was created: a database keeps its address across restores. */
  host: string;
  port: number;
}

export interface StoredBackup {
  id: string;
  databaseId: string;
  backupType: PrismaBackup['backupType'];
  createdAtMs: number;
  /** Breaks ties between backups created in the same millisecond. */
  seq: number;
  /** Given, or a plausible one without data; else the snapshot's is shown. */
  size?: number;
  status: PrismaBackupStatus;
  /** With data, once completed: the data at completion. */
  snapshot?: Snapshot;
}

export interface DatabaseStoreSettings {
  recoveryMs: number;
  provisioningMs: number;
  backupRetentionDays: number;
  /** What a database holds unless it is told otherwise. */
  data: DataMode;
}

export interface NewDatabase {
  projectId: string;
  name?: string;
  regionId: RegionId;
  isDefault: boolean;
  source: DatabaseSource;
}

/** Where a database added by the handle goes and what it holds. */
export interface AddedDatabase {
  projectId: string;
  data: DataMode;
}

export class DatabaseStore {
  /** Each project's databases. */
  private readonly projects = new Map<string, SeqList<StoredDatabase>>();
  private readonly databases = new Map<string, StoredDatabase>();
  private readonly ordered = new SeqList<StoredDatabase>();
  private readonly backups = new Map<string, StoredBackup>();
  /** Each database's backups, in the order added. */
  private readonly backupsByDatabase = new Map<string, StoredBackup[]>();
  private readonly connectionOwners = new Map<string, StoredDatabase>();
  private restoreFailures: { databaseId?: string; remaining: number }[] = [];
  private seq = 0;

  constructor(
    readonly settings: DatabaseStoreSettings,
    private readonly data: PostgresData,
  ) {}

  hasProject(projectId: string): boolean {
    return this.projects.has(projectId);
  }

  addProject(projectId: string): void {
    if (!PROJECT_ID_PATTERN.test(projectId)) {
      throw new Error(`Project id ${projectId} does not match Prisma's pattern ${PROJECT_ID_PATTERN.source} (e.g. proj_demo)`);
    }
    if (this.projects.has(projectId)) throw new Error(`Project ${projectId} already exists in the simulator`);
    this.projects.set(projectId, new SeqList());
  }

  database(databaseId: string): StoredDatabase | undefined {
    return this.databases.get(databaseId);
  }

  /** Up to `count` databases in creation order from the cursor `fromSeq`; only the project's when `projectId` is given. */
  page(projectId: string | undefined, fromSeq: number, count: number): StoredDatabase[] {
    const list = projectId === undefined ? this.ordered : this.projects.get(projectId);
    return list?.from(fromSeq, count) ?? [];
  }

  /** Why a database created from `source` cannot hold data now (naming the option); undefined when it can, or holds none. */
  dataLimitReached(source: DatabaseSource, nowMs: number): string | undefined {
    return this.holdsData(source, nowMs) ? this.data.limitReached() : undefined;
  }

  /** A ready database that was never created through the API (a test hook, not an effect). */
  addDatabase(databaseId: string, { projectId, data }: AddedDatabase, nowMs: number): void {
    this.checkNewId(databaseId);
    if (!this.projects.has(projectId)) throw new Error(`No project ${projectId} in the simulator; add it first (addProject or projects)`);
    this.insertDatabase({
      id: databaseId,
      name: databaseId,
      projectId,
      regionId: 'us-east-1',
      isDefault: false,
      createdAtMs: nowMs,
      source: null,
      state: { status: 'ready' },
      data: data === 'postgres' ? this.data.open(databaseId) : undefined,
      connections: [],
    });
  }

  /**
   * `count` databases named `db_<prefix><number>`, numbered past the ids already taken, each with a
   * backup unless `backup` is false; all or none are added. Returns their ids in creation order.
   */
  addDatabases(prefix: string, count: number, added: AddedDatabase, backup: PrismaBackupOptions | false, nowMs: number): string[] {
    if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`count must be a whole number >= 0, got ${count}`);
    if (backup) checkBackupOptions(backup, nowMs);
    const ids: string[] = [];
    for (let n = 1; ids.length < count; n++) {
      const id = `db_${prefix}${String(n).padStart(4, '0')}`;
      if (!this.databases.has(id)) ids.push(id);
    }
    ids.forEach((id) => this.checkNewId(id));
    if (added.data === 'postgres' && count > this.data.freePlaces()) {
      throw new Error(`${count} databases with data would pass maxLiveDatabases: ${this.data.freePlaces()} places are free`);
    }
    for (const id of ids) {
      this.addDatabase(id, added, nowMs);
      if (backup) this.addBackup(id, backup, nowMs);
    }
    return ids;
  }

  /**
   * Provisioning for provisioningMs (and, with data, until the source's data is loaded), then ready;
   * one created from a backup is a restore into a new database, so a failure armed for any database (failRestores) ends it in failure.
   */
  createDatabase(input: NewDatabase, nowMs: number): StoredDatabase {
    const id = `db_${cuidLike()}`;
    const endsAs = input.source.type === 'backup' && this.takeRestoreFailure(id) ? 'failure' : 'ready';
    return this.insertDatabase({
      id,
      name: input.name ?? id,
      projectId: input.projectId,
      regionId: input.regionId,
      isDefault: input.isDefault,
      createdAtMs: nowMs,
      source: input.source,
      state: { status: 'provisioning', sinceMs: nowMs, durationMs: this.settings.provisioningMs, endsAs },
      data: this.holdsData(input.source, nowMs) ? this.data.open(id, this.dataOf(input.source, nowMs)) : undefined,
      connections: [],
    });
  }

  /** Its backups and connections go with it. */
  deleteDatabase(databaseId: string): void {
    const db = this.databases.get(databaseId);
    if (!db) throw new Error(`No database ${databaseId} in the simulator`);
    if (db.data) this.data.drop(db.data);
    this.databases.delete(databaseId);
    this.ordered.remove(db);
    this.projects.get(db.projectId)?.remove(db);
    for (const backup of this.backupsByDatabase.get(databaseId) ?? []) this.backups.delete(backup.id);
    this.backupsByDatabase.delete(databaseId);
    for (const connection of db.connections) this.connectionOwners.delete(connection.id);
  }

  /** The database stays, as metadata only: its data closed, its backups' snapshots dropped. */
  releaseData(databaseId: string): void {
    const db = this.databases.get(databaseId);
    if (!db?.data) return;
    this.data.drop(db.data);
    db.data = undefined;
    for (const backup of this.backupsByDatabase.get(databaseId) ?? []) {
      backup.size ??= backup.snapshot?.size;
      backup.snapshot = undefined;
    }
  }

  /** Where the database's connections lead: its own data, or the shared empty database (started on first use). */
  reader(db: StoredDatabase): LiveDatabase {
    return db.data ?? this.data.shared();
  }

  /** `to` is where it leads, already listening. */
  addConnection(db: StoredDatabase, name: string, to: LiveDatabase, nowMs: number): StoredConnection {
    const connection = {
      id: `con_${cuidLike()}`,
      name,
      user: `u_${cuidLike()}`,
      pass: randomBytes(18).toString('base64url'),
      createdAtMs: nowMs,
      host: to.host,
      port: to.port,
    };
    db.connections.push(connection);
    this.connectionOwners.set(connection.id, db);
    return connection;
  }

  /** False when no database has it. */
  deleteConnection(connectionId: string): boolean {
    const db = this.connectionOwners.get(connectionId);
    if (!db) return false;
    this.connectionOwners.delete(connectionId);
    db.connections = db.connections.filter((connection) => connection.id !== connectionId);
    return true;
  }

  addBackup(databaseId: string, options: PrismaBackupOptions, nowMs: number): StoredBackup {
    const db = this.databases.get(databaseId);
    if (!db) throw new Error(`No database ${databaseId} in the simulator`);
    const createdAtMs = checkBackupOptions(options, nowMs);
    const backup: StoredBackup = {
      id: cuidLike(),
      databaseId,
      backupType: options.backupType ?? 'full',
      createdAtMs,
      seq: this.seq++,
      // Plausible sizes between 1 MiB and 513 MiB, when there is no snapshot to measure.
      size: options.size ?? (db.data ? undefined : 1_048_576 + Math.floor(Math.random() * 512 * 1_048_576)),
      status: options.status ?? 'completed',
    };
    if (backup.status === 'completed') backup.snapshot = db.data?.snapshot();
    this.backups.set(backup.id, backup);
    const own = this.backupsByDatabase.get(databaseId);
    if (own) own.push(backup);
    else this.backupsByDatabase.set(databaseId, [backup]);
    return backup;
  }

  /** Whatever its age: retention limits what the API shows, not what the handle reaches. */
  backup(backupId: string): StoredBackup | undefined {
    return this.backups.get(backupId);
  }

  finishBackup(backupId: string, status: 'completed' | 'failed'): StoredBackup {
    const backup = this.backups.get(backupId);
    if (!backup) throw new Error(`No backup ${backupId} in the simulator`);
    if (backup.status !== 'running') throw new Error(`Backup ${backupId} is ${backup.status}; only a running backup can finish`);
    backup.status = status;
    if (status === 'completed') backup.snapshot = this.databases.get(backup.databaseId)?.data?.snapshot();
    return backup;
  }

  /** Backups inside the retention window, newest first (later-added first within a millisecond). */
  backupsOf(databaseId: string, nowMs: number): StoredBackup[] {
    return (this.backupsByDatabase.get(databaseId) ?? [])
      .filter((b) => this.retained(b, nowMs))
      .sort((a, b) => b.createdAtMs - a.createdAtMs || b.seq - a.seq);
  }

  /** Undefined when the backup does not exist, belongs to another database, or is past retention. */
  findBackup(databaseId: string, backupId: string, nowMs: number): StoredBackup | undefined {
    const backup = this.backups.get(backupId);
    return backup?.databaseId === databaseId && this.retained(backup, nowMs) ? backup : undefined;
  }

  /**
   * Puts `target` in recovery from the backup and, when the target holds data and the recovery is
   * not set to fail, loads the backup's snapshot (a backup without one holds an empty database).
   */
  startRestore(target: StoredDatabase, backup: StoredBackup, nowMs: number): 'ready' | 'failure' {
    const endsAs = this.takeRestoreFailure(target.id) ? 'failure' : 'ready';
    target.source = { type: 'backup', databaseId: backup.databaseId, backupId: backup.id };
    target.state = { status: 'recovering', sinceMs: nowMs, durationMs: this.settings.recoveryMs, endsAs };
    if (endsAs === 'ready' && target.data) {
      void this.data.report(target.data.replace(backup.snapshot ?? emptySnapshot()), `restoring database ${target.id}`);
    }
    return endsAs;
  }

  failRestores({ databaseId, times = 1 }: RestoreFailureOptions): void {
    if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
      throw new RangeError(`times must be a positive integer or Infinity, got ${times}`);
    }
    this.restoreFailures.push({ databaseId, remaining: times });
  }

  /** The initial projects, and the initial databases in the first of them; with data, those reopen empty. */
  clear(initialProjects: readonly string[], initialDatabases: readonly string[], nowMs: number): void {
    this.data.dropAll();
    this.projects.clear();
    this.databases.clear();
    this.ordered.clear();
    this.backups.clear();
    this.backupsByDatabase.clear();
    this.connectionOwners.clear();
    this.restoreFailures = [];
    initialProjects.forEach((id) => this.addProject(id));
    const added: AddedDatabase = { projectId: initialProjects[0], data: this.settings.data };
    initialDatabases.forEach((id) => this.addDatabase(id, added, nowMs));
  }

  private checkNewId(databaseId: string): void {
    if (!DATABASE_ID_PATTERN.test(databaseId)) {
      throw new Error(`Database id ${databaseId} does not match Prisma's pattern ${DATABASE_ID_PATTERN.source} (e.g. db_demo)`);
    }
    if (this.databases.has(databaseId)) throw new Error(`Database ${databaseId} already exists in the simulator`);
  }

  private retained(backup: StoredBackup, nowMs: number): boolean {
    return nowMs - backup.createdAtMs < this.settings.backupRetentionDays * DAY_MS;
  }

  /** A new database holds data in a simulator with data 'postgres', or when its source holds some. */
  private holdsData(source: DatabaseSource, nowMs: number): boolean {
    if (this.settings.data === 'postgres') return true;
    if (source.type === 'database') return this.databases.get(source.databaseId)?.data !== undefined;
    return source.type === 'backup' && this.findBackup(source.databaseId, source.backupId, nowMs)?.snapshot !== undefined;
  }

  /** What a new database with data starts with: the source's data as it is now, or the backup's (empty when there is none). */
  private dataOf(source: DatabaseSource, nowMs: number): Snapshot | undefined {
    if (source.type === 'database') return this.databases.get(source.databaseId)?.data?.snapshot();
    if (source.type === 'empty') return undefined;
    return this.findBackup(source.databaseId, source.backupId, nowMs)?.snapshot;
  }

  private insertDatabase(db: Omit<StoredDatabase, 'seq'>): StoredDatabase {
    const stored = { ...db, seq: this.seq++ };
    this.databases.set(stored.id, stored);
    this.ordered.append(stored);
    this.projects.get(stored.projectId)?.append(stored);
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

/** Throws when the options cannot make a backup at `nowMs`; returns its creation time. */
function checkBackupOptions(options: PrismaBackupOptions, nowMs: number): number {
  const createdAtMs = options.createdAt?.getTime() ?? nowMs;
  if (!(createdAtMs <= nowMs)) throw new RangeError(`createdAt must be a valid time not in the future, got ${String(options.createdAt)}`);
  if (options.size !== undefined && !(Number.isInteger(options.size) && options.size >= 0)) {
    throw new RangeError(`size must be a whole number of bytes, got ${options.size}`);
  }
  return createdAtMs;
}

/** Prisma's ids look like cuids: `c` and lowercase letters and digits. */
function cuidLike(): string {
  return `c${randomBytes(12).toString('hex')}`;
}
