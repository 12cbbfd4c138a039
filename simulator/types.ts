// The simulator's public shapes: options, records and the handles tests drive it through.
import type { IncomingHttpHeaders } from 'http';
import type { SeedBackup as Backup } from '../src/api/schemas';
type BackupStatus = Backup['status'];
import type { FaultControl, FaultKind } from './fault-book';
import type { OperationId } from './operation-ids';
import type { DatabaseSource, PrismaBackup, PrismaBackupStatus, PrismaBackupType } from './prisma/shapes';

export type { OperationId };

/** `seed`: the seed's three backup operations; `prisma`: Prisma's published Management API. */
export type ProfileName = 'seed' | 'prisma';

/** How a backup ends once its duration has passed. */
export type BackupOutcome = 'completed' | 'failed';

/**
 * `metadata`: databases and backups are records only (fast; for most tests and load). In the prisma
 * profile a connection to such a database (POST /connections, or the handle's connectionString)
 * leads to one shared, empty in-memory Postgres on 127.0.0.1, started on the first such request and
 * stopped by reset() and close(): a reader sees a database without tables. It is shared: what one
 * client writes there, every other sees. It is not counted in maxLiveDatabases.
 * `postgres`: each database is an in-memory Postgres (PGlite) that any Postgres client reaches on
 * `host` at a port of its own; a backup holds a snapshot of the data, taken when the backup
 * completes; a restore replaces the data with it (with an empty database when the backup holds no
 * snapshot), and the database keeps its address.
 * The prisma profile mixes both: a database can be added with a mode of its own, and one created
 * from a source that holds data holds data too.
 */
export type DataMode = 'metadata' | 'postgres';

interface CommonOptions {
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Port to bind. Default 0: an ephemeral port. */
  port?: number;
  /** The only bearer token accepted. */
  token: string;
  /** Databases that exist from the start. Default ['db_demo']. */
  databases?: string[];
  /** Receives one line per request; never the token. */
  log?: (line: string) => void;
  /** How many of the latest requests `requests` keeps; older ones are dropped and counted. Default 1000. */
  requestLogLimit?: number;
  /** Epoch milliseconds for lifecycles, records and effects. Default Date.now; tests step a lifecycle with their own. */
  clock?: () => number;
  /** Default 'metadata'. */
  data?: DataMode;
  /**
   * How many databases may hold data at once (each takes about 200 MB); one more is refused
   * (addDatabase throws, the prisma creates answer 403). Default 4. The seed profile takes it with
   * data 'postgres' only; the prisma profile also for databases added with data 'postgres'.
   */
  maxLiveDatabases?: number;
  /**
   * Serves the admin routes under /_simulator/ (the standalone simulator does): take a backup now,
   * finish a backup. Only loopback callers with the API's bearer token are answered. They are not
   * the API: they are logged, but neither recorded in `requests`, counted in `stats`, faulted, nor
   * counted as effects. Default false: their paths answer 404 like any other unknown path.
   */
  adminRoutes?: boolean;
}

/** The seed profile (the default). */
export interface SimulatorOptions extends CommonOptions {
  profile?: 'seed';
  /**
   * Time from creation to the end of a manual backup. Default 3000; Infinity never ends. With data
   * 'postgres' the end comes from a real timer (its snapshot is taken then), not from `clock`.
   */
  backupDurationMs?: number;
  /** How manual backups end. Default 'completed'. */
  backupOutcome?: BackupOutcome;
  /** Replay the first successful answer to a POST carrying the same Idempotency-Key. Default true. */
  honourIdempotencyKeys?: boolean;
}

/** The prisma profile. Database ids must match Prisma's pattern, e.g. db_demo (no further `_`). */
export interface PrismaSimulatorOptions extends CommonOptions {
  profile: 'prisma';
  /** Projects that exist from the start; `databases` go into the first. Default ['proj_demo']. */
  projects?: string[];
  /** Time a restore keeps its target `recovering`. Default 3000; Infinity never ends. */
  recoveryMs?: number;
  /** Time a new database stays `provisioning`. Default 3000; Infinity never ends. */
  provisioningMs?: number;
  /** `meta.backupRetentionDays`; older backups are neither listed nor restorable. Default 7. */
  backupRetentionDays?: number;
  /** Prisma's API has no Idempotency-Key: the header is ignored, and true is refused. */
  honourIdempotencyKeys?: false;
}

export type AnySimulatorOptions = SimulatorOptions | PrismaSimulatorOptions;

/** One HTTP request as the simulator received and answered it. */
export interface RequestRecord {
  /** 1 for the first request since the start (or reset), then one more per request, dropped ones included. */
  seq: number;
  method: string;
  /** Path without the query string, as sent (percent-encoding kept). */
  path: string;
  /** Undefined when the path or method matches no operation. */
  operation?: OperationId;
  /** Node lowercases header names. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty or over the size cap. */
  body: unknown;
  /** Undefined when no answer was sent (socket reset). */
  status?: number;
  /** The fault injected into this request, if any. */
  fault?: FaultKind;
  /** True when the answer was replayed from the Idempotency-Key cache. */
  replayed?: boolean;
  /** Epoch milliseconds when the request arrived. */
  time: number;
}

export interface RestoreApplied {
  /** The database restored into (the target). */
  databaseId: string;
  /** The database the backup belongs to; in the seed profile always the target. */
  sourceDatabaseId: string;
  backupId: string;
  backupStatusAtRestore: BackupStatus | PrismaBackupStatus;
  /** Epoch milliseconds. */
  at: number;
  /** Prisma profile: how the target's recovery ends (`failure` when injected with failRestores). */
  recoveryOutcome?: 'ready' | 'failure';
}

/** Prisma profile: a database created through the API (not by addDatabase). */
export interface DatabaseCreated {
  databaseId: string;
  projectId: string;
  source: DatabaseSource;
  /** Epoch milliseconds. */
  at: number;
}

export interface DatabaseDeleted {
  databaseId: string;
  /** Epoch milliseconds. */
  at: number;
}

/** What the API actually did, so tests can count exactly-once effects. Never capped. */
export interface Effects {
  /** Seed profile: each backup as the create call answered it. */
  backupsCreated: Backup[];
  restoresApplied: RestoreApplied[];
  databasesCreated: DatabaseCreated[];
  databasesDeleted: DatabaseDeleted[];
}

export interface SimulatorStats {
  faultsInjected: Record<FaultKind, number>;
  /** Requests since the start (or reset); the seq of the latest. */
  requestsReceived: number;
  /** Requests dropped from `requests` to keep it within requestLogLimit. */
  requestsDropped: number;
}

/**
 * Reaching a database's data. Seed profile with data 'metadata': the first two reject. Prisma
 * profile: a database without data of its own is reached at the shared empty database (see DataMode).
 */
export interface DataMethods {
  /**
   * A postgres:// connection string for the database (any Postgres client; PGlite accepts any user
   * and password). It stays valid across restores; reset() reopens the initial databases at new
   * addresses. A secret like any connection string: never log it.
   */
  connectionString(databaseId: string): Promise<string>;
  /** Runs one statement on the database through its socket and resolves to the rows; waits while the database is loading. */
  sql<R = Record<string, unknown>>(databaseId: string, text: string, params?: unknown[]): Promise<R[]>;
  /**
   * Resolves when the data work started so far (loads, snapshots, restores, deletions) is done;
   * rejects when a database failed to load. Metadata only: at once.
   */
  settled(): Promise<void>;
}

interface SimulatorBase extends DataMethods {
  /** Base URL including `/v1`, e.g. http://127.0.0.1:PORT/v1 */
  readonly url: string;
  /** The latest requests, oldest first (see requestLogLimit); the array stays the same across reset(). */
  readonly requests: readonly RequestRecord[];
  readonly effects: Readonly<Effects>;
  readonly faults: FaultControl;
  readonly stats: Readonly<SimulatorStats>;
  /**
   * Adds a database that exists without having been created through the API (not an effect). With
   * data 'postgres' it starts empty; throws when maxLiveDatabases are held.
   */
  addDatabase(databaseId: string): void;
  /**
   * With data 'postgres': closes the database's data and drops its backups' snapshots, freeing their
   * memory (and a place under maxLiveDatabases). The database and its backups stay as records
   * (sizes kept); a restore into it then changes its records only, and (prisma) connections made from
   * then on lead to the shared empty database. Metadata only: nothing to free.
   */
  releaseData(databaseId: string): void;
  /** Back to the starting state: initial databases (empty, with data 'postgres'), no backups, records, faults or cached answers. */
  reset(): void;
  close(): Promise<void>;
}

export interface AutomaticBackupOptions {
  /** Fixed status of the automatic backup. Default 'completed'; with data 'postgres' a completed one snapshots the data now. */
  status?: BackupStatus;
  /** A completed backup that took this long: created this long ago, completed now. Default: completed as it was created. */
  tookMs?: number;
}

/** The seed profile's handle. */
export interface Simulator extends SimulatorBase {
  readonly profile: 'seed';
  addAutomaticBackup(databaseId: string, options?: AutomaticBackupOptions): Backup;
  /**
   * Ends a pending or in-progress backup now as completed, whatever backupDurationMs says (with data
   * 'postgres', snapshotting the data now); returns it as the list shows it. Any other status is refused.
   */
  completeBackup(backupId: string): Backup;
  /** Makes a backup `failed` from now on, whatever its progress. */
  failBackup(backupId: string): void;
}

/** Prisma profile: where a database added by the handle goes and what it holds. */
export interface PrismaDatabaseOptions {
  /** Default: the first of the initial projects. */
  projectId?: string;
  /** Default: the simulator's `data`. 'postgres' on a metadata simulator gives this database real rows (within maxLiveDatabases). */
  data?: DataMode;
}

/** Prisma profile: many databases at once, for fleets and benchmarks. */
export interface PrismaFleetOptions extends PrismaDatabaseOptions {
  count: number;
  /** Ids are `db_<prefix><number>`, numbered from 0001 past ids already taken; lowercase letters and digits. Default 'fleet'. */
  prefix?: string;
  /** An automatic backup added to each (addBackup's options); false for none. Default {}: completed, created now. */
  backup?: PrismaBackupOptions | false;
}

export interface PrismaBackupOptions {
  /** Default 'completed'. A `running` backup stays running until finishBackup. */
  status?: PrismaBackupStatus;
  /** Default: now. Not in the future. */
  createdAt?: Date;
  /** Default 'full'. */
  backupType?: PrismaBackupType;
  /** Bytes, shown once completed. Default: a plausible random size; with data 'postgres', the snapshot's once it is written. */
  size?: number;
}

export interface RestoreFailureOptions {
  /** Only restores into this database; any database when absent (databases created from a backup included). */
  databaseId?: string;
  /** How many restores end in `failure`. Default 1; Infinity for every one. A failed restore leaves the data as it was. */
  times?: number;
}

/** The prisma profile's handle. */
export interface PrismaSimulator extends SimulatorBase {
  readonly profile: 'prisma';
  /** Throws when the id does not match Prisma's pattern (e.g. proj_demo) or exists. */
  addProject(projectId: string): void;
  /**
   * Adds a ready database that exists without having been created through the API (not an effect),
   * in the first project unless told; with data 'postgres' it starts empty, and throws when
   * maxLiveDatabases are held.
   */
  addDatabase(databaseId: string, options?: PrismaDatabaseOptions): void;
  /**
   * Adds `count` databases (all or none) and their backups; returns their ids in creation order. A
   * thousand metadata databases with a backup each take a few milliseconds.
   */
  addDatabases(options: PrismaFleetOptions): string[];
  /**
   * Deletes a database as the API's DELETE does (its backups and connections go with it; from then
   * on every operation on it answers 404), but as a test hook: not counted in effects.databasesDeleted.
   * Throws for an unknown database; a default database can be deleted this way.
   */
  deleteDatabase(databaseId: string): void;
  /**
   * Adds an automatic backup, as Prisma's daily backups appear; returns it as the list shows it.
   * With data 'postgres' a completed one snapshots the data now, whatever its createdAt.
   */
  addBackup(databaseId: string, options?: PrismaBackupOptions): PrismaBackup;
  /** Ends a `running` backup as `completed` (with data 'postgres', snapshotting the data now) or `failed`; any other status is refused. */
  finishBackup(backupId: string, status: 'completed' | 'failed'): PrismaBackup;
  /**
   * The next matching restores end in `failure` instead of `ready` once their recovery time is over;
   * without a databaseId, a database created from a backup counts as a restore too (it ends provisioning in `failure`).
   */
  failRestores(options?: RestoreFailureOptions): void;
}
