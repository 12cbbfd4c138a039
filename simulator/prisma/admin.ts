// The prisma profile's admin actions: an automatic backup now (completed, or running to finish
// later), and the end of a running one. With data, the answer waits until the snapshot is written,
// so it shows the size and a restore from it can start at once.
import type { AdminActions } from '../admin';
import { errorReply, type Reply } from '../reply';
import type { DatabaseStore, StoredBackup } from './store';
import { backupView } from './views';

export function prismaAdmin(store: DatabaseStore, clock: () => number): AdminActions {
  return {
    unfinished: 'running',
    async backupNow(databaseId, unfinished) {
      if (!store.database(databaseId)) return errorReply(404, 'DATABASE_NOT_FOUND', `Database ${databaseId} not found`);
      return written(201, store.addBackup(databaseId, { status: unfinished ? 'running' : 'completed' }, clock()));
    },
    async finishBackup(backupId, status) {
      const backup = store.backup(backupId);
      if (!backup) return errorReply(404, 'BACKUP_NOT_FOUND', `Backup ${backupId} not found`);
      if (backup.status !== 'running') {
        return errorReply(409, 'BACKUP_NOT_RUNNING', `Backup ${backupId} is ${backup.status}; only a running backup can finish`);
      }
      return written(200, store.finishBackup(backupId, status));
    },
  };
}

async function written(status: number, backup: StoredBackup): Promise<Reply> {
  await backup.snapshot?.bytes();
  return { status, body: backupView(backup) };
}
