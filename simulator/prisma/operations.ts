// The prisma profile's operations against the store. Auth happens before; each operation checks its
// own request, since the description gives each its own status for an invalid one.
import type { PrismaOperationId } from '../operation-ids';
import type { OperationRequest } from '../profile';
import { errorReply, type Reply } from '../reply';
import type { Effects } from '../types';
import { backupListLimit, connectionName, createRequest, databasePage, restoreSource, type CreateRequest } from './checks';
import type { CreatedProjectDatabase, DatabaseSource, PrismaBackupList, PrismaConnectionList, PrismaDatabaseList } from './shapes';
import type { DatabaseStore, StoredDatabase } from './store';
import { backupView, connectionView, createdConnectionView, databaseStatusAt, databaseView } from './views';

export interface OperationContext {
  store: DatabaseStore;
  effects: Effects;
  /** The simulator's base URL (with /v1): the `url` links of databases and projects point into it. */
  apiUrl: () => string;
}

export const SUCCESS_STATUS: Record<PrismaOperationId, number> = {
  getV1Databases: 200,
  postV1Databases: 201,
  getV1DatabasesByDatabaseId: 200,
  deleteV1DatabasesByDatabaseId: 204,
  getV1DatabasesByDatabaseIdBackups: 200,
  postV1DatabasesByTargetDatabaseIdRestore: 200,
  getV1ProjectsByProjectIdDatabases: 200,
  postV1ProjectsByProjectIdDatabases: 201,
  getV1DatabasesByDatabaseIdConnections: 200,
  postV1DatabasesByDatabaseIdConnections: 200,
  deleteV1ConnectionsById: 204,
};

type Operation = (ctx: OperationContext, request: OperationRequest) => Reply | Promise<Reply>;

export const OPERATIONS: Record<PrismaOperationId, Operation> = {
  getV1Databases(ctx, { query, nowMs }) {
    const projectId = query.get('projectId') ?? undefined;
    if (projectId !== undefined && !ctx.store.hasProject(projectId)) {
      return errorReply(403, 'FORBIDDEN', `Project ${projectId} is not in this token's workspace`);
    }
    return databaseList(ctx, query, nowMs, projectId);
  },

  postV1Databases(ctx, { raw, nowMs }) {
    const request = createRequest(raw, 'workspace');
    if (!request.ok) return request.reply;
    const projectId = request.value.projectId ?? '';
    if (!ctx.store.hasProject(projectId)) return errorReply(404, 'PROJECT_NOT_FOUND', `Project ${projectId} not found`);
    const created = createDatabase(ctx, projectId, request.value, nowMs);
    return created.ok ? { status: 201, body: { data: databaseView(created.db, nowMs, ctx.apiUrl()) } } : created.reply;
  },

  getV1DatabasesByDatabaseId(ctx, { params: { databaseId }, nowMs }) {
    const db = ctx.store.database(databaseId);
    if (!db) return databaseNotFound(databaseId);
    return { status: 200, body: { data: databaseView(db, nowMs, ctx.apiUrl()) } };
  },

  deleteV1DatabasesByDatabaseId(ctx, { params: { databaseId }, nowMs }) {
    const db = ctx.store.database(databaseId);
    if (!db) return databaseNotFound(databaseId);
    if (db.isDefault) {
      return errorReply(403, 'FORBIDDEN', `Database ${databaseId} is the project's default environment and cannot be deleted`);
    }
    ctx.store.deleteDatabase(databaseId);
    ctx.effects.databasesDeleted.push({ databaseId, at: nowMs });
    return { status: 204, body: undefined };
  },

  getV1DatabasesByDatabaseIdBackups(ctx, { params: { databaseId }, query, nowMs }) {
    const limit = backupListLimit(query);
    if (!limit.ok) return limit.reply;
    if (!ctx.store.database(databaseId)) return databaseNotFound(databaseId);
    const backups = ctx.store.backupsOf(databaseId, nowMs);
    const body: PrismaBackupList = {
      data: backups.slice(0, limit.value).map(backupView),
      meta: { backupRetentionDays: ctx.store.settings.backupRetentionDays },
      pagination: { hasMore: backups.length > limit.value, limit: limit.value },
    };
    return { status: 200, body };
  },

  postV1DatabasesByTargetDatabaseIdRestore(ctx, { params: { targetDatabaseId }, raw, nowMs }) {
    const source = restoreSource(raw);
    if (!source.ok) return source.reply;
    const { databaseId, backupId } = source.value;
    const target = ctx.store.database(targetDatabaseId);
    if (!target) return errorReply(404, 'DATABASE_NOT_FOUND', `Target database ${targetDatabaseId} not found`);
    if (!ctx.store.database(databaseId)) return errorReply(404, 'DATABASE_NOT_FOUND', `Source database ${databaseId} not found`);
    const backup = ctx.store.findBackup(databaseId, backupId, nowMs);
    if (!backup) return backupNotFound(databaseId, backupId);
    if (backup.status !== 'completed') {
      return errorReply(422, 'BACKUP_NOT_USABLE', `Backup ${backupId} is ${backup.status}; only a completed backup can be restored`);
    }
    const status = databaseStatusAt(target, nowMs);
    if (status === 'provisioning' || status === 'recovering') {
      return errorReply(409, 'DATABASE_BUSY', `Database ${targetDatabaseId} is ${status} and cannot be restored now`, {
        hint: `Wait until GET /v1/databases/${targetDatabaseId} shows ready or failure, then retry`,
      });
    }
    const recoveryOutcome = ctx.store.startRestore(target, backup, nowMs);
    ctx.effects.restoresApplied.push({
      databaseId: targetDatabaseId,
      sourceDatabaseId: databaseId,
      backupId,
      backupStatusAtRestore: backup.status,
      at: nowMs,
      recoveryOutcome,
    });
    return { status: 200, body: { data: databaseView(target, nowMs, ctx.apiUrl()) } };
  },

  getV1ProjectsByProjectIdDatabases(ctx, { params: { projectId }, query, nowMs }) {
    if (!ctx.store.hasProject(projectId)) return errorReply(404, 'PROJECT_NOT_FOUND', `Project ${projectId} not found`);
    return databaseList(ctx, query, nowMs, projectId);
  },

  postV1ProjectsByProjectIdDatabases(ctx, { params: { projectId }, raw, nowMs }) {
    // The description answers an unknown project with 403: the token's workspace does not hold it.
    if (!ctx.store.hasProject(projectId)) return errorReply(403, 'FORBIDDEN', `Project ${projectId} is not in this token's workspace`);
    const request = createRequest(raw, 'project');
    if (!request.ok) return request.reply;
    const created = createDatabase(ctx, projectId, request.value, nowMs);
    if (!created.ok) return created.reply;
    const body: { data: CreatedProjectDatabase } = {
      data: { ...databaseView(created.db, nowMs, ctx.apiUrl()), apiKeys: [], connectionString: null, directConnection: null },
    };
    return { status: 201, body };
  },

  // How a client gets a connection string: to the database's own data, or to the shared empty database.
  getV1DatabasesByDatabaseIdConnections(ctx, { params: { databaseId }, query }) {
    const page = databasePage(query);
    if (!page.ok) return page.reply;
    const db = ctx.store.database(databaseId);
    if (!db) return databaseNotFound(databaseId);
    // The cursor is the position where the next page starts.
    const { limit, fromSeq: from } = page.value;
    const rest = db.connections.slice(from);
    const body: PrismaConnectionList = {
      data: rest.slice(0, limit).map((connection) => connectionView(db, connection, ctx.apiUrl())),
      pagination: { hasMore: rest.length > limit, nextCursor: rest.length > limit ? String(from + limit) : null },
    };
    return { status: 200, body };
  },

  async postV1DatabasesByDatabaseIdConnections(ctx, { params: { databaseId }, raw, nowMs }) {
    const name = connectionName(raw);
    if (!name.ok) return name.reply;
    const db = ctx.store.database(databaseId);
    if (!db) return databaseNotFound(databaseId);
    // The answer names the address, so it waits until there is one (the shared database starts on first use).
    const reader = ctx.store.reader(db);
    await reader.listening;
    if (ctx.store.database(databaseId) !== db) return databaseNotFound(databaseId);
    const connection = ctx.store.addConnection(db, name.value, reader, nowMs);
    return { status: 200, body: { data: createdConnectionView(db, connection, ctx.apiUrl()) } };
  },

  // The simulator's databases accept any credentials, so a deleted connection's string still reaches the data.
  deleteV1ConnectionsById(ctx, { params: { id } }) {
    if (!ctx.store.deleteConnection(id)) return errorReply(404, 'NOT_FOUND', `Connection ${id} not found`);
    return { status: 204, body: undefined };
  },
};

/** Both creates: the source must exist (and a backup be completed); a bad one is an invalid request, 400. */
function createDatabase(
  ctx: OperationContext,
  projectId: string,
  request: CreateRequest,
  nowMs: number,
): { ok: true; db: StoredDatabase } | { ok: false; reply: Reply } {
  const refused = checkCreateSource(ctx, request.source, nowMs);
  if (refused) return { ok: false, reply: refused };
  const full = ctx.store.dataLimitReached(request.source, nowMs);
  if (full) return { ok: false, reply: errorReply(403, 'DATABASE_LIMIT_REACHED', full) };
  const db = ctx.store.createDatabase({ ...request, projectId }, nowMs);
  ctx.effects.databasesCreated.push({ databaseId: db.id, projectId, source: request.source, at: nowMs });
  return { ok: true, db };
}

function checkCreateSource(ctx: OperationContext, source: DatabaseSource, nowMs: number): Reply | undefined {
  if (source.type === 'empty') return undefined;
  if (!ctx.store.database(source.databaseId))
    return errorReply(400, 'DATABASE_NOT_FOUND', `Source database ${source.databaseId} not found`);
  if (source.type === 'database') return undefined;
  const backup = ctx.store.findBackup(source.databaseId, source.backupId, nowMs);
  if (!backup) return errorReply(400, 'BACKUP_NOT_FOUND', `Backup ${source.backupId} not found for database ${source.databaseId}`);
  if (backup.status !== 'completed') {
    return errorReply(400, 'BACKUP_NOT_USABLE', `Backup ${source.backupId} is ${backup.status}; only a completed backup can be restored`);
  }
  return undefined;
}

/** Creation order; the cursor is where the next page starts. */
function databaseList(ctx: OperationContext, query: URLSearchParams, nowMs: number, projectId?: string): Reply {
  const page = databasePage(query);
  if (!page.ok) return page.reply;
  const { limit, fromSeq } = page.value;
  // One more than the page: whether there is more, and where it starts.
  const rest = ctx.store.page(projectId, fromSeq, limit + 1);
  const body: PrismaDatabaseList = {
    data: rest.slice(0, limit).map((db) => databaseView(db, nowMs, ctx.apiUrl())),
    pagination: { hasMore: rest.length > limit, nextCursor: rest.length > limit ? String(rest[limit].seq) : null },
  };
  return { status: 200, body };
}

function databaseNotFound(databaseId: string): Reply {
  return errorReply(404, 'DATABASE_NOT_FOUND', `Database ${databaseId} not found`);
}

function backupNotFound(databaseId: string, backupId: string): Reply {
  return errorReply(404, 'BACKUP_NOT_FOUND', `Backup ${backupId} not found for database ${databaseId}`, {
    hint: 'Backups older than the retention period are no longer listed or restorable',
  });
}
