// The prisma profile's databases and backups, in memory. Statuses come from the clock at read time,
// as in the seed profile, so nothing has to tick in the background.
//
// With data 'postgres' every change to what a database holds goes through one method here: a backup
// snapshots its database when it completes (addBackup, finishBackup), startRestore and a create from
// a backup load a snapshot, and deleteDatabase closes the data. A database stays provisioning or
// recovering until its data is loaded, however short the configured time.
import { randomBytes } from 'crypto';
import type { LiveDatabase } from '../data/live-database';
import { postgresUrl, type PostgresData } from '../data/postgres-data';
import type { Snapshot } from '../data/snapshot';
import { DEFAULT_PROJECT } from '../defaults';
import type { PrismaBackupOptions, RestoreFailureOptions } from '../types';
import {
  DATABASE_ID_PATTERN,
  REGIONS,
  type CreatedConnection,
  type DatabaseSource,
  type DatabaseStatus,
  type PrismaBackup,
  type PrismaBackupStatus,
  type PrismaConnection,
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
  /** With data 'postgres'. */
  data?: LiveDatabase;
  /** Created through POST /connections, oldest first. */
  connections: StoredConnection[];
}

export interface StoredConnection {
  id: string;
  name: string;
  user: string;
  /** Shown once, in the answer that creates the connection; PGlite accepts any. */
  pass: string;
  createdAtMs: number;
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
}

export interface NewDatabase {
  projectId: string;
  name?: string;
  regionId: RegionId;
  isDefault: boolean;
  source: DatabaseSource;
}

/**
 * Transitional at the instant it starts, even with a zero duration, so the answer that starts it
 * shows it; and, with data, until the data is loaded. Data that failed to load is a failure.
 */
export function databaseStatusAt(db: StoredDatabase, nowMs: number): DatabaseStatus {
  const { state, data } = db;
  if (data?.failure) return 'failure';
  if (!('sinceMs' in state)) return state.status;
  const elapsed = nowMs - state.sinceMs;
  return elapsed > 0 && elapsed >= state.durationMs && !data?.loading ? state.endsAs : state.status;
}

/** The database as the API shows it at `nowMs`; links point into the simulator at `apiUrl`. */
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
    connections: db.connections.map((connection) => connectionView(db, connection, apiUrl)),
    project: { id: db.projectId, url: `${apiUrl}/projects/${db.projectId}`, name: DEFAULT_PROJECT.name },
    region: { id: db.regionId, name: REGIONS[db.regionId] },
    source: db.source,
  };
}

/** Where to connect, without credentials. */
export function connectionView(db: StoredDatabase, connection: StoredConnection, apiUrl: string): PrismaConnection {
  return {
    id: connection.id,
    type: 'connection',
    url: `${apiUrl}/connections/${connection.id}`,
    name: connection.name,
    createdAt: new Date(connection.createdAtMs).toISOString(),
    kind: 'postgres',
    endpoints: { direct: endpointOf(db) },
    database: { id: db.id, url: `${apiUrl}/databases/${db.id}`, name: db.name },
  };
}

/** The connection with its credentials, as the answer that creates it shows them. */
export function createdConnectionView(db: StoredDatabase, connection: StoredConnection, apiUrl: string): CreatedConnection {
  const { host, port } = endpointOf(db);
  const connectionString = postgresUrl(host, port, connection.user, connection.pass);
  const hostAndPort = `${host}:${port}`;
  const { user, pass } = connection;
  return {
    ...connectionView(db, connection, apiUrl),
    endpoints: { direct: { host, port, connectionString } },
    connectionString,
    directConnection: { host: hostAndPort, user, pass },
    host: hostAndPort,
    user,
    pass,
  };
}

function endpointOf(db: StoredDatabase): { host: string; port: number } {
  if (!db.data) throw new Error(`Database ${db.id} holds no data to connect to`);
  return { host: db.data.host, port: db.data.port };
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
  const size = backup.size ?? backup.snapshot?.size;
  if (backup.status === 'completed' && size !== undefined) view.size = size;
  return view;
}

export class DatabaseStore {
  private readonly databases = new Map<string, StoredDatabase>();
  private readonly backups = new Map<string, StoredBackup>();
  private restoreFailures: { databaseId?: string; remaining: number }[] = [];
  private seq = 0;

  /** `data` with data 'postgres'. */
  constructor(
    readonly settings: DatabaseStoreSettings,
    private readonly data?: PostgresData,
  ) {}

  /** With data 'postgres', why no database can be created now (naming the option); else undefined. */
  dataLimitReached(): string | undefined {
    return this.data?.limitReached();
  }

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
      data: this.data?.open(databaseId),
      connections: [],
    });
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
      data: this.data?.open(id, this.dataOf(input.source, nowMs)),
      connections: [],
    });
  }

  /** Its backups go with it. */
  deleteDatabase(databaseId: string): void {
    const db = this.databases.get(databaseId);
    if (db?.data) this.data?.drop(db.data);
    this.databases.delete(databaseId);
    for (const backup of this.backups.values()) if (backup.databaseId === databaseId) this.backups.delete(backup.id);
  }

  /** The database stays, as metadata only: its data closed, its backups' snapshots dropped. */
  releaseData(databaseId: string): void {
    const db = this.databases.get(databaseId);
    if (!db?.data) return;
    this.data?.drop(db.data);
    db.data = undefined;
    for (const backup of this.backups.values()) {
      if (backup.databaseId !== databaseId) continue;
      backup.size ??= backup.snapshot?.size;
      backup.snapshot = undefined;
    }
  }

  addConnection(db: StoredDatabase, name: string, nowMs: number): StoredConnection {
    const connection = {
      id: `con_${cuidLike()}`,
      name,
      user: `u_${cuidLike()}`,
      pass: randomBytes(18).toString('base64url'),
      createdAtMs: nowMs,
    };
    db.connections.push(connection);
    return connection;
  }

  /** False when no database has it. */
  deleteConnection(connectionId: string): boolean {
    for (const db of this.databases.values()) {
      const at = db.connections.findIndex((connection) => connection.id === connectionId);
      if (at !== -1) {
        db.connections.splice(at, 1);
        return true;
      }
    }
    return false;
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
      // Plausible sizes between 1 MiB and 513 MiB, when there is no snapshot to measure.
      size: options.size ?? (this.data ? undefined : 1_048_576 + Math.floor(Math.random() * 512 * 1_048_576)),
      status: options.status ?? 'completed',
    };
    if (backup.status === 'completed') backup.snapshot = this.snapshotOf(databaseId);
    this.backups.set(backup.id, backup);
    return backup;
  }

  finishBackup(backupId: string, status: 'completed' | 'failed'): StoredBackup {
    const backup = this.backups.get(backupId);
    if (!backup) throw new Error(`No backup ${backupId} in the simulator`);
    if (backup.status !== 'running') throw new Error(`Backup ${backupId} is ${backup.status}; only a running backup can finish`);
    backup.status = status;
    if (status === 'completed') backup.snapshot = this.snapshotOf(backup.databaseId);
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

  /** Puts `target` in recovery from the backup, loading its snapshot unless the recovery is set to fail; returns how it will end. */
  startRestore(target: StoredDatabase, backup: StoredBackup, nowMs: number): 'ready' | 'failure' {
    const endsAs = this.takeRestoreFailure(target.id) ? 'failure' : 'ready';
    target.source = { type: 'backup', databaseId: backup.databaseId, backupId: backup.id };
    target.state = { status: 'recovering', sinceMs: nowMs, durationMs: this.settings.recoveryMs, endsAs };
    if (endsAs === 'ready' && target.data && this.data) {
      void this.data.report(target.data.replace(this.snapshotToLoad(backup)), `restoring database ${target.id}`);
    }
    return endsAs;
  }

  failRestores({ databaseId, times = 1 }: RestoreFailureOptions): void {
    if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
      throw new RangeError(`times must be a positive integer or Infinity, got ${times}`);
    }
    this.restoreFailures.push({ databaseId, remaining: times });
  }

  /** With data, the initial databases reopen empty. */
  clear(initialDatabases: readonly string[], nowMs: number): void {
    this.data?.dropAll();
    this.databases.clear();
    this.backups.clear();
    this.restoreFailures = [];
    initialDatabases.forEach((id) => this.addDatabase(id, nowMs));
  }

  /** With data: the database's data as it is now. */
  private snapshotOf(databaseId: string): Snapshot | undefined {
    return this.databases.get(databaseId)?.data?.snapshot();
  }

  /** With data: what a database created from `source` starts with (empty when undefined). */
  private dataOf(source: DatabaseSource, nowMs: number): Snapshot | undefined {
    if (source.type === 'database') return this.snapshotOf(source.databaseId);
    if (source.type === 'empty') return undefined;
    const backup = this.findBackup(source.databaseId, source.backupId, nowMs);
    if (!backup) throw new Error(`No backup ${source.backupId} of database ${source.databaseId} in the simulator`);
    return this.snapshotToLoad(backup);
  }

  private snapshotToLoad(backup: StoredBackup): Snapshot {
    if (!backup.snapshot) throw new Error(`Backup ${backup.id} holds no snapshot to load`);
    return backup.snapshot;
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
