// The seed profile's admin actions: an automatic backup now (completed, or pending to finish later),
// and the end of an unfinished one (completeBackup / failBackup). With data, the answer waits until
// the snapshot is written, so it shows the size and a restore from it can start at once.
import type { AdminActions } from '../admin';
import { errorReply, type Reply } from '../reply';
import type { BackupStore } from './backup-store';

export function seedAdmin(store: BackupStore, clock: () => number): AdminActions {
  const written = async (status: number, backupId: string): Promise<Reply> => {
    await store.written(backupId);
    return { status, body: store.view(backupId, clock()) };
  };
  return {
    unfinished: 'pending',
    async backupNow(databaseId, unfinished) {
      if (!store.hasDatabase(databaseId)) return errorReply(404, 'DATABASE_NOT_FOUND', `Database ${databaseId} not found`);
      const backup = store.addAutomatic(databaseId, unfinished ? 'pending' : 'completed', clock());
      return written(201, backup.id);
    },
    async finishBackup(backupId, status) {
      const backup = store.view(backupId, clock());
      if (!backup) return errorReply(404, 'BACKUP_NOT_FOUND', `Backup ${backupId} not found`);
      if (backup.status !== 'pending' && backup.status !== 'in_progress') {
        return errorReply(
          409,
          'BACKUP_FINISHED',
          `Backup ${backupId} is ${backup.status}; only a pending or in-progress backup can finish`,
        );
      }
      if (status === 'completed') store.complete(backupId, clock());
      else store.fail(backupId);
      return written(200, backupId);
    },
  };
}
