// Activity factory: the Management API client is injected, so tests and the worker choose it.
import { CancelledFailure, Context } from '@temporalio/activity';
import type { ManagementApi } from '../api/client';
import { toApplicationFailure } from './to-failure';
import type { BackupStatusInput, BackupStatusResult, CreateBackupInput, CreatedBackup, RestoreInput, RestoreResult } from './types';

export type * from './types';

/** Heartbeats while a call is under way, so a worker that died mid-call is noticed within the heartbeat timeout. */
const HEARTBEAT_EVERY_MS = 2_000;

async function mapped<T>(call: () => Promise<T>): Promise<T> {
  const context = Context.current();
  context.heartbeat();
  const heartbeats = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await call();
  } catch (err) {
    // An aborted request is our own cancellation, not an API failure to retry.
    if (signal().aborted) throw new CancelledFailure('Activity cancelled while calling the Management API');
    throw toApplicationFailure(err, context.info.attempt);
  } finally {
    clearInterval(heartbeats);
  }
}

const signal = () => Context.current().cancellationSignal;

export function createActivities(api: ManagementApi) {
  return {
    async createBackup({ databaseId, label, idempotencyKey }: CreateBackupInput): Promise<CreatedBackup> {
      const backup = await mapped(() => api.createBackup(databaseId, label, { idempotencyKey, signal: signal() }));
      return { backupId: backup.id, status: backup.status };
    },

    /** Finds our backup by id: the list holds automatic backups too, newest first. */
    async getBackupStatus({ databaseId, backupId }: BackupStatusInput): Promise<BackupStatusResult> {
      const { data } = await mapped(() => api.listBackups(databaseId, { signal: signal() }));
      const ours = data.find((backup) => backup.id === backupId);
      return ours ? { found: true, status: ours.status } : { found: false };
    },

    async restoreBackup({ databaseId, backupId, idempotencyKey }: RestoreInput): Promise<RestoreResult> {
      const accepted = await mapped(() => api.restoreBackup(databaseId, backupId, { idempotencyKey, signal: signal() }));
      return { status: accepted.status, message: accepted.message ?? '' };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
