// Shapes of Prisma's published Management API (spec/official/prisma-management-api-openapi.json)
// as the prisma profile answers them. The simulator keeps its own copy so it never depends on the
// client's reading of the description.

export type PrismaBackupStatus = 'running' | 'completed' | 'failed' | 'unknown';
export type PrismaBackupType = 'full' | 'incremental';

export interface PrismaBackup {
  id: string;
  backupType: PrismaBackupType;
  createdAt: string;
  /** Bytes of the gzipped backup files; the simulator shows it once the backup is completed. */
  size?: number;
  status: PrismaBackupStatus;
  type: 'backup';
}

export interface PrismaBackupList {
  data: PrismaBackup[];
  meta: { backupRetentionDays: number };
  pagination: { hasMore: boolean; limit: number };
}

export type DatabaseStatus = 'provisioning' | 'ready' | 'recovering' | 'failure';

export type DatabaseSource =
  { type: 'empty' } | { type: 'backup'; databaseId: string; backupId: string } | { type: 'database'; databaseId: string };

export interface PrismaDatabase {
  id: string;
  type: 'database';
  url: string;
  name: string;
  status: DatabaseStatus;
  createdAt: string;
  isDefault: boolean;
  defaultConnectionId: string | null;
  /** Those created through POST /connections (with data 'postgres'), without credentials. */
  connections: PrismaConnection[];
  project: { id: string; url: string; name: string };
  region: { id: string; name: string } | null;
  /** Null for databases that exist without having been created through the API. */
  source: DatabaseSource | null;
}

export interface PrismaDatabaseList {
  data: PrismaDatabase[];
  pagination: { nextCursor: string | null; hasMore: boolean };
}

export interface ConnectionEndpoint {
  host: string;
  port: number;
}

/** A connection as lists and databases show it: where to connect, no credentials. */
export interface PrismaConnection {
  id: string;
  type: 'connection';
  url: string;
  name: string;
  createdAt: string;
  kind: 'postgres';
  endpoints: { direct: ConnectionEndpoint };
  database: { id: string; url: string; name: string };
}

/** The answer that creates a connection, the only one that carries its credentials. */
export interface CreatedConnection extends Omit<PrismaConnection, 'endpoints'> {
  endpoints: { direct: ConnectionEndpoint & { connectionString: string } };
  /** The deprecated fields the description still requires; `host` is host:port, as there is no port field. */
  connectionString: string;
  directConnection: { host: string; user: string; pass: string };
  host: string;
  user: string;
  pass: string;
}

export interface PrismaConnectionList {
  data: PrismaConnection[];
  pagination: { nextCursor: string | null; hasMore: boolean };
}

/** The project-scoped create also answers the deprecated credential fields, left empty: connections are created through POST /connections. */
export interface CreatedProjectDatabase extends PrismaDatabase {
  apiKeys: [];
  connectionString: null;
  directConnection: null;
}

/** The path and body patterns of the description. */
export const DATABASE_ID_PATTERN = /^(db_)?([cC][^\s-]{8,}|[a-z0-9]+)$/;
export const PROJECT_ID_PATTERN = /^(proj_)?([cC][^\s-]{8,}|[a-z0-9]+)$/;

/** The regions a create accepts (besides `inherit`), with display names. */
export const REGIONS = {
  'us-east-1': 'US East (N. Virginia)',
  'us-west-1': 'US West (N. California)',
  'eu-west-3': 'Europe (Paris)',
  'eu-central-1': 'Europe (Frankfurt)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
} as const;
export type RegionId = keyof typeof REGIONS;
