// The simulator's public shapes: options, records and the handles tests drive it through.
import type { IncomingHttpHeaders } from 'http';
import type { Backup, BackupStatus } from '../src/shared/api-types';
import type { FaultControl, FaultKind } from './fault-book';
import type { OperationId } from './operation-ids';
import type { DatabaseSource, PrismaBackup, PrismaBackupStatus, PrismaBackupType } from './prisma/shapes';

export type { OperationId };

/** `seed`: the seed's three backup operations; `prisma`: Prisma's published Management API. */
export type ProfileName = 'seed' | 'prisma';

/** How a backup ends once its duration has passed. */
export type BackupOutcome = 'completed' | 'failed';

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
}

/** The seed profile (the default). */
export interface SimulatorOptions extends CommonOptions {
  profile?: 'seed';
  /** Time from creation to the end of a manual backup. Default 3000; Infinity never ends. */
  backupDurationMs?: number;
  /** How manual backups end. Default 'completed'. */
  backupOutcome?: BackupOutcome;
  /** Replay the first successful answer to a POST carrying the same Idempotency-Key. Default true. */
  honourIdempotencyKeys?: boolean;
}

/** The prisma profile. Database ids must match Prisma's pattern, e.g. db_demo (no further `_`). */
export interface PrismaSimulatorOptions extends CommonOptions {
  profile: 'prisma';
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

interface SimulatorBase {
  /** Base URL including `/v1`, e.g. http://127.0.0.1:PORT/v1 */
  readonly url: string;
  /** The latest requests, oldest first (see requestLogLimit); the array stays the same across reset(). */
  readonly requests: readonly RequestRecord[];
  readonly effects: Readonly<Effects>;
  readonly faults: FaultControl;
  readonly stats: Readonly<SimulatorStats>;
  /** Adds a database that exists without having been created through the API (not an effect). */
  addDatabase(databaseId: string): void;
  /** Back to the starting state: initial databases, no backups, records, faults or cached answers. */
  reset(): void;
  close(): Promise<void>;
}

export interface AutomaticBackupOptions {
  /** Fixed status of the automatic backup. Default 'completed'. */
  status?: BackupStatus;
}

/** The seed profile's handle. */
export interface Simulator extends SimulatorBase {
  readonly profile: 'seed';
  addAutomaticBackup(databaseId: string, options?: AutomaticBackupOptions): Backup;
  /** Makes a backup `failed` from now on, whatever its progress. */
  failBackup(backupId: string): void;
}

export interface PrismaBackupOptions {
  /** Default 'completed'. A `running` backup stays running until finishBackup. */
  status?: PrismaBackupStatus;
  /** Default: now. Not in the future. */
  createdAt?: Date;
  /** Default 'full'. */
  backupType?: PrismaBackupType;
  /** Bytes, shown once completed. Default: a plausible random size. */
  size?: number;
}

export interface RestoreFailureOptions {
  /** Only restores into this database; any database when absent. */
  databaseId?: string;
  /** How many restores end in `failure`. Default 1; Infinity for every one. */
  times?: number;
}

/** The prisma profile's handle. */
export interface PrismaSimulator extends SimulatorBase {
  readonly profile: 'prisma';
  /** Adds an automatic backup, as Prisma's daily backups appear; returns it as the list shows it. */
  addBackup(databaseId: string, options?: PrismaBackupOptions): PrismaBackup;
  /** Ends a `running` backup as `completed` or `failed`; any other status is refused. */
  finishBackup(backupId: string, status: 'completed' | 'failed'): PrismaBackup;
  /** The next matching restores end in `failure` instead of `ready` once their recovery time is over. */
  failRestores(options?: RestoreFailureOptions): void;
}
