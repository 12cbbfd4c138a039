// The seed's three operations against the store. Auth and idempotency happen before.
type RestoreAccepted = { status: 'restoring'; message?: string };
import type { SeedOperationId } from '../operation-ids';
import type { OperationRequest } from '../profile';
import { errorReply, type Reply } from '../reply';
import type { Effects } from '../types';
import type { BackupStore } from './backup-store';

export interface OperationContext {
  store: BackupStore;
  effects: Effects;
}

/** The status each operation answers on success. */
export const SUCCESS_STATUS: Record<SeedOperationId, number> = {
  createDatabaseBackup: 202,
  listDatabaseBackups: 200,
  restoreDatabaseBackup: 202,
};

export const OPERATIONS: Record<SeedOperationId, (ctx: OperationContext, request: OperationRequest) => Reply> = {
  createDatabaseBackup(ctx, { params: { databaseId }, raw, nowMs }) {
    const refused = checkBackupCreate(raw);
    if (refused) return refused;
    if (!ctx.store.hasDatabase(databaseId)) return databaseNotFound(databaseId);
    const backup = ctx.store.createManual(databaseId, nowMs);
    ctx.effects.backupsCreated.push({ ...backup });
    return { status: 202, body: backup };
  },

  listDatabaseBackups(ctx, { params: { databaseId }, nowMs }) {
    if (!ctx.store.hasDatabase(databaseId)) return databaseNotFound(databaseId);
    return { status: 200, body: { data: ctx.store.list(databaseId, nowMs) } };
  },

  restoreDatabaseBackup(ctx, { params: { databaseId, backupId }, raw, nowMs }) {
    // The seed describes no body; one that is sent must still be JSON.
    if (raw.trim() !== '' && parseJson(raw) === undefined) return invalidJson();
    if (!ctx.store.hasDatabase(databaseId)) return databaseNotFound(databaseId);
    const backup = ctx.store.find(databaseId, backupId, nowMs);
    if (!backup) {
      return errorReply(404, 'BACKUP_NOT_FOUND', `Backup ${backupId} not found for database ${databaseId}`, {
        details: { databaseId, backupId },
      });
    }
    // The seed describes no refusal, but a real API cannot restore from an unfinished or failed
    // backup. 409 Conflict: the request is well-formed, the backup's current state forbids it.
    if (backup.status !== 'completed') {
      return errorReply(409, 'BACKUP_NOT_COMPLETED', `Backup ${backupId} is ${backup.status}; only a completed backup can be restored`, {
        details: { backupId, status: backup.status },
      });
    }
    ctx.effects.restoresApplied.push({
      databaseId,
      sourceDatabaseId: databaseId,
      backupId,
      backupStatusAtRestore: backup.status,
      at: nowMs,
    });
    const body: RestoreAccepted = {
      status: 'restoring',
      message: `Restoring database ${databaseId} from backup ${backupId}`,
    };
    // The seed has no way to ask whether a restore is done, so with data the answer waits for it.
    return { status: 202, body, after: ctx.store.restoreData(databaseId, backupId) };
  },
};

/** Undefined when the body is acceptable: none at all, or the seed's BackupCreate (an object whose optional `label` is a string). */
function checkBackupCreate(raw: string): Reply | undefined {
  if (raw.trim() === '') return undefined;
  const value = parseJson(raw);
  if (value === undefined) return invalidJson();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return errorReply(400, 'VALIDATION_ERROR', 'The request body must be a JSON object');
  }
  const label = (value as { label?: unknown }).label;
  if (label !== undefined && typeof label !== 'string') {
    return errorReply(400, 'VALIDATION_ERROR', 'label must be a string', { details: { field: 'label' } });
  }
  return undefined;
}

/** Undefined when `raw` is not JSON (no JSON text parses to undefined). */
function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function invalidJson(): Reply {
  return errorReply(400, 'INVALID_JSON', 'The request body is not valid JSON');
}

function databaseNotFound(databaseId: string): Reply {
  return errorReply(404, 'DATABASE_NOT_FOUND', `Database ${databaseId} not found`, { details: { databaseId } });
}
