// The seed's three operations against the store. Auth, body checks and idempotency happen before.
import type { RestoreAccepted } from '../src/shared/api-types';
import type { BackupStore } from './backup-store';
import { errorReply, type Reply } from './reply';
import type { RouteParams } from './routes';
import type { Effects, OperationId } from './types';

export interface OperationContext {
  store: BackupStore;
  effects: Effects;
  nowMs: number;
}

/** The status each operation answers on success. */
export const SUCCESS_STATUS: Record<OperationId, number> = {
  createDatabaseBackup: 202,
  listDatabaseBackups: 200,
  restoreDatabaseBackup: 202,
};

export const OPERATIONS: Record<OperationId, (ctx: OperationContext, params: RouteParams) => Reply> = {
  createDatabaseBackup(ctx, { databaseId }) {
    if (!ctx.store.hasDatabase(databaseId)) return databaseNotFound(databaseId);
    const backup = ctx.store.createManual(databaseId, ctx.nowMs);
    ctx.effects.backupsCreated.push({ ...backup });
    return { status: 202, body: backup };
  },

  listDatabaseBackups(ctx, { databaseId }) {
    if (!ctx.store.hasDatabase(databaseId)) return databaseNotFound(databaseId);
    return { status: 200, body: { data: ctx.store.list(databaseId, ctx.nowMs) } };
  },

  restoreDatabaseBackup(ctx, { databaseId, backupId = '' }) {
    if (!ctx.store.hasDatabase(databaseId)) return databaseNotFound(databaseId);
    const backup = ctx.store.find(databaseId, backupId, ctx.nowMs);
    if (!backup) {
      return errorReply(404, 'BACKUP_NOT_FOUND', `Backup ${backupId} not found for database ${databaseId}`, {
        databaseId,
        backupId,
      });
    }
    // The seed describes no refusal, but a real API cannot restore from an unfinished or failed
    // backup. 409 Conflict: the request is well-formed, the backup's current state forbids it.
    if (backup.status !== 'completed') {
      return errorReply(409, 'BACKUP_NOT_COMPLETED', `Backup ${backupId} is ${backup.status}; only a completed backup can be restored`, {
        backupId,
        status: backup.status,
      });
    }
    ctx.effects.restoresApplied.push({ databaseId, backupId, backupStatusAtRestore: backup.status, at: ctx.nowMs });
    const body: RestoreAccepted = {
      status: 'restoring',
      message: `Restoring database ${databaseId} from backup ${backupId}`,
    };
    return { status: 202, body };
  },
};

function databaseNotFound(databaseId: string): Reply {
  return errorReply(404, 'DATABASE_NOT_FOUND', `Database ${databaseId} not found`, { databaseId });
}
