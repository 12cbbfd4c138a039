// Response parsing for the prisma profile: check a 2xx body against Prisma's published description
// (spec/official/prisma-management-api-openapi.json) and copy out only the fields the project uses.
// A database's answer also carries connection strings and credentials: they are never copied.
import {
  DATABASE_STATUSES,
  isSameBackup,
  MAX_BACKUP_LIST_LIMIT,
  PRISMA_BACKUP_STATUSES,
  PRISMA_BACKUP_TYPES,
  type BackupSource,
  type ConnectionSummary,
  type DatabaseSource,
  type DatabaseSummary,
  type PrismaBackup,
  type PrismaBackupList,
} from '../shared/api-types';
import { ApiError } from './api-error';
import { restoreOutcomeUnknown } from './error-mapping';
import { isObject, parseJson, protocolError } from './parse';

const isDate = (v: unknown): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v));
const isId = (v: unknown): v is string => typeof v === 'string' && v !== '';

function checkBackup(request: string, value: unknown, where: string): PrismaBackup {
  if (!isObject(value)) throw protocolError(request, `${where} is not an object`);
  if (!isId(value.id)) throw protocolError(request, `${where}.id is missing or not a string`);
  if (!PRISMA_BACKUP_TYPES.includes(value.backupType as never)) {
    throw protocolError(request, `${where}.backupType is not one of ${PRISMA_BACKUP_TYPES.join(', ')}`);
  }
  // Described as a timestamp; the choice of backup compares them, so it must be one.
  if (!isDate(value.createdAt)) throw protocolError(request, `${where}.createdAt is missing or not a timestamp`);
  if (!PRISMA_BACKUP_STATUSES.includes(value.status as never)) {
    throw protocolError(request, `${where}.status is not one of ${PRISMA_BACKUP_STATUSES.join(', ')}`);
  }
  if (value.size !== undefined && (typeof value.size !== 'number' || !Number.isFinite(value.size))) {
    throw protocolError(request, `${where}.size is not a number`);
  }
  if (value.type !== undefined && value.type !== 'backup') throw protocolError(request, `${where}.type is not "backup"`);
  const backup: PrismaBackup = {
    id: value.id,
    backupType: value.backupType as PrismaBackup['backupType'],
    createdAt: value.createdAt,
    status: value.status as PrismaBackup['status'],
  };
  if (value.size !== undefined) backup.size = value.size;
  if (value.type !== undefined) backup.type = 'backup';
  return backup;
}

/** `GET databases/{id}/backups`: `{data, meta: {backupRetentionDays}, pagination: {hasMore, limit}}`. */
export function parsePrismaBackupList(request: string, body: string): PrismaBackupList {
  const value = parseJson(request, body);
  if (!isObject(value) || !Array.isArray(value.data)) throw protocolError(request, 'body.data is not an array');
  const { meta, pagination } = value;
  if (!isObject(meta) || typeof meta.backupRetentionDays !== 'number') {
    throw protocolError(request, 'body.meta.backupRetentionDays is missing or not a number');
  }
  if (!isObject(pagination) || typeof pagination.hasMore !== 'boolean') {
    throw protocolError(request, 'body.pagination.hasMore is missing or not a boolean');
  }
  const { limit } = pagination;
  if (limit !== null && !(Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= MAX_BACKUP_LIST_LIMIT)) {
    throw protocolError(request, `body.pagination.limit is not null or an integer from 1 to ${MAX_BACKUP_LIST_LIMIT}`);
  }
  return {
    data: value.data.map((item, i) => checkBackup(request, item, `body.data[${i}]`)),
    meta: { backupRetentionDays: meta.backupRetentionDays },
    pagination: { hasMore: pagination.hasMore, limit: limit as number | null },
  };
}

/** A database's `source`: one of the described variants, or null (undefined here). */
function checkSource(request: string, value: unknown, where: string): DatabaseSource | undefined {
  if (value === null) return undefined;
  if (isObject(value)) {
    if (value.type === 'empty') return { type: 'empty' };
    if (value.type === 'database' && isId(value.databaseId)) return { type: 'database', databaseId: value.databaseId };
    if (value.type === 'backup' && isId(value.databaseId) && isId(value.backupId)) {
      return { type: 'backup', databaseId: value.databaseId, backupId: value.backupId };
    }
  }
  throw protocolError(request, `${where} is not null or a source of type empty, database or backup with its ids`);
}

/** The fields of a database the project uses, checked; everything else (urls, connections) is dropped. */
function checkDatabase(request: string, value: unknown, where: string): DatabaseSummary {
  if (!isObject(value)) throw protocolError(request, `${where} is not an object`);
  if (value.type !== 'database') throw protocolError(request, `${where}.type is not "database"`);
  for (const field of ['id', 'name'] as const) {
    if (typeof value[field] !== 'string') throw protocolError(request, `${where}.${field} is missing or not a string`);
  }
  if (!isId(value.id)) throw protocolError(request, `${where}.id is empty`);
  if (!DATABASE_STATUSES.includes(value.status as never)) {
    throw protocolError(request, `${where}.status is not one of ${DATABASE_STATUSES.join(', ')}`);
  }
  if (!isDate(value.createdAt)) throw protocolError(request, `${where}.createdAt is missing or not a timestamp`);
  if (!('source' in value)) throw protocolError(request, `${where}.source is missing`);
  const database: DatabaseSummary = {
    id: value.id,
    name: value.name as string,
    status: value.status as DatabaseSummary['status'],
    createdAt: value.createdAt,
  };
  const source = checkSource(request, value.source, `${where}.source`);
  if (source) database.source = source;
  if (isObject(value.project) && isId(value.project.id)) database.projectId = value.project.id;
  return database;
}

/** `GET databases/{id}` and `POST databases`: `{data: database}`. */
export function parseDatabase(request: string, body: string): DatabaseSummary {
  const value = parseJson(request, body);
  if (!isObject(value)) throw protocolError(request, 'body is not an object');
  return checkDatabase(request, value.data, 'body.data');
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  hasMore: boolean;
}

export type DatabasePage = Page<DatabaseSummary>;

/** A cursor-paginated list, `{data: [item], pagination: {nextCursor, hasMore}}`, each item checked. */
function parsePage<T>(request: string, body: string, checkItem: (item: unknown, where: string) => T): Page<T> {
  const value = parseJson(request, body);
  if (!isObject(value) || !Array.isArray(value.data)) throw protocolError(request, 'body.data is not an array');
  const { pagination } = value;
  if (!isObject(pagination) || typeof pagination.hasMore !== 'boolean') {
    throw protocolError(request, 'body.pagination.hasMore is missing or not a boolean');
  }
  if (pagination.nextCursor !== null && typeof pagination.nextCursor !== 'string') {
    throw protocolError(request, 'body.pagination.nextCursor is not null or a string');
  }
  return {
    data: value.data.map((item, i) => checkItem(item, `body.data[${i}]`)),
    nextCursor: pagination.nextCursor,
    hasMore: pagination.hasMore,
  };
}

/** `GET projects/{id}/databases`. */
export const parseDatabasePage = (request: string, body: string): DatabasePage =>
  parsePage(request, body, (item, where) => checkDatabase(request, item, where));

/** `GET databases/{id}/connections`: only ids and names are kept. */
export const parseConnectionPage = (request: string, body: string): Page<ConnectionSummary> =>
  parsePage(request, body, (item, where) => {
    if (!isObject(item) || !isId(item.id) || typeof item.name !== 'string') {
      throw protocolError(request, `${where} is not a connection with an id and a name`);
    }
    return { id: item.id, name: item.name };
  });

/**
 * `POST databases/{id}/connections`: the new connection's id and its connection string
 * (`endpoints.direct.connectionString`, else the deprecated top-level `connectionString`). No
 * message here quotes the body: it holds credentials.
 */
export function parseCreatedConnection(request: string, body: string): { id: string; connectionString: string } {
  const value = parseJson(request, body);
  const data = isObject(value) ? value.data : undefined;
  if (!isObject(data) || !isId(data.id)) throw protocolError(request, 'body.data.id is missing or not a string');
  const direct = isObject(data.endpoints) && isObject(data.endpoints.direct) ? data.endpoints.direct.connectionString : undefined;
  const connectionString = typeof direct === 'string' ? direct : data.connectionString;
  if (typeof connectionString !== 'string' || !/^postgres(ql)?:\/\//.test(connectionString)) {
    throw protocolError(request, 'body.data.endpoints.direct.connectionString is missing or not a postgres:// URL');
  }
  return { id: data.id, connectionString };
}

/**
 * The 200 to a restore: the target database, recovering from our backup. An answer off the
 * description (a proxy's page, a truncated body, another backup as its source) proves nothing:
 * the restore's outcome is unknown, and the target must be read back.
 */
export function parseRestoreStarted(request: string, body: string, ours: BackupSource): DatabaseSummary {
  let database: DatabaseSummary;
  try {
    database = parseDatabase(request, body);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    throw restoreOutcomeUnknown('postV1DatabasesByTargetDatabaseIdRestore', `${request} answered 2xx off the API description`, false);
  }
  if (!isSameBackup(database.source, ours)) {
    throw restoreOutcomeUnknown(
      'postV1DatabasesByTargetDatabaseIdRestore',
      `${request} answered 2xx, but not with backup ${ours.backupId} of database ${ours.databaseId} as the source`,
      false,
    );
  }
  return database;
}
