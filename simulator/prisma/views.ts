// The prisma profile's records as the API shows them, computed at read time.
import { postgresUrl } from '../data/postgres-data';
import { DEFAULT_PROJECT } from '../defaults';
import {
  REGIONS,
  type CreatedConnection,
  type DatabaseStatus,
  type PrismaBackup,
  type PrismaConnection,
  type PrismaDatabase,
} from './shapes';
import type { StoredBackup, StoredConnection, StoredDatabase } from './store';

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
    project: { id: db.projectId, url: `${apiUrl}/projects/${db.projectId}`, name: projectName(db.projectId) },
    region: { id: db.regionId, name: REGIONS[db.regionId] },
    source: db.source,
  };
}

/** Other projects than the demo one are named by their ids. */
function projectName(projectId: string): string {
  return projectId === DEFAULT_PROJECT.id ? DEFAULT_PROJECT.name : projectId;
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
    endpoints: { direct: { host: connection.host, port: connection.port } },
    database: { id: db.id, url: `${apiUrl}/databases/${db.id}`, name: db.name },
  };
}

/** The connection with its credentials, as the answer that creates it shows them. */
export function createdConnectionView(db: StoredDatabase, connection: StoredConnection, apiUrl: string): CreatedConnection {
  const { host, port, user, pass } = connection;
  const connectionString = postgresUrl(host, port, user, pass);
  const hostAndPort = `${host}:${port}`;
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
