// The simulator's public shapes: options, records and the handle tests drive it through.
import type { IncomingHttpHeaders } from 'http';
import type { Backup, BackupStatus, OperationId } from '../src/shared/api-types';
import type { FaultControl, FaultKind } from './fault-book';

export type { OperationId };

/** How a backup ends once its duration has passed. */
export type BackupOutcome = 'completed' | 'failed';

export interface SimulatorOptions {
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Port to bind. Default 0: an ephemeral port. */
  port?: number;
  /** The only bearer token accepted. */
  token: string;
  /** Databases that exist from the start. Default ['db_demo']. */
  databases?: string[];
  /** Time from creation to the end of a manual backup. Default 3000; Infinity never ends. */
  backupDurationMs?: number;
  /** How manual backups end. Default 'completed'. */
  backupOutcome?: BackupOutcome;
  /** Receives one line per request; never the token. */
  log?: (line: string) => void;
}

/** One HTTP request as the simulator received and answered it. */
export interface RequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Undefined when the path or method matches no operation. */
  operation?: OperationId;
  /** Node lowercases header names. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
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
  databaseId: string;
  backupId: string;
  backupStatusAtRestore: BackupStatus;
  /** Epoch milliseconds. */
  at: number;
}

/** What the API actually did, so tests can count exactly-once effects. */
export interface Effects {
  /** Each backup as the create call answered it. */
  backupsCreated: Backup[];
  restoresApplied: RestoreApplied[];
}

export interface SimulatorStats {
  faultsInjected: Record<FaultKind, number>;
}

export interface AutomaticBackupOptions {
  /** Fixed status of the automatic backup. Default 'completed'. */
  status?: BackupStatus;
}

export interface Simulator {
  /** Base URL including `/v1`, e.g. http://127.0.0.1:PORT/v1 */
  readonly url: string;
  readonly requests: readonly RequestRecord[];
  readonly effects: Readonly<Effects>;
  readonly faults: FaultControl;
  readonly stats: Readonly<SimulatorStats>;
  addDatabase(databaseId: string): void;
  addAutomaticBackup(databaseId: string, options?: AutomaticBackupOptions): Backup;
  /** Makes a backup `failed` from now on, whatever its progress. */
  failBackup(backupId: string): void;
  /** Back to the starting state: initial databases, no backups, records, faults or cached answers. */
  reset(): void;
  close(): Promise<void>;
}
