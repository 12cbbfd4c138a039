// Which backup a prisma run restores: never an `unknown` one (Prisma cannot say it is complete); a `running` one is waited for. Pure.
import type { PrismaBackup, PrismaBackupList } from '../api/schemas';
import { ErrorType } from '../shared/errors';

export type BackupChoice =
  | { kind: 'chosen'; backup: PrismaBackup & { status: 'completed' | 'running' } }
  | { kind: 'none-yet'; message: string }
  | { kind: 'refused'; type: ErrorType; message: string };

const newest = (backups: PrismaBackup[]) => [...backups].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).at(0);

export function chooseBackup(list: PrismaBackupList, databaseId: string, backupId?: string, createdAfter?: string): BackupChoice {
  const after = createdAfter === undefined ? -Infinity : Date.parse(createdAfter);
  const { data, meta, pagination } = list;
  const among = `${pagination.hasMore ? 'newest ' : ''}${data.length} backups listed (Prisma keeps them ${meta.backupRetentionDays} days)`;
  const eligible = data.filter((b) => Date.parse(b.createdAt) > after);
  if (backupId !== undefined) {
    const named = data.find((b) => b.id === backupId);
    const which = `Backup ${backupId} of database ${databaseId}`;
    if (!named)
      return { kind: 'refused', type: ErrorType.BackupNotFound, message: `${which} is not among the ${among}; nothing was restored.` };
    if (named.status === 'failed')
      return { kind: 'refused', type: ErrorType.BackupFailed, message: `${which} failed; nothing was restored.` };
    if (named.status === 'unknown')
      return {
        kind: 'refused',
        type: ErrorType.BackupNotUsable,
        message: `${which} has status unknown, so it is never restored; choose a completed one.`,
      };
    return { kind: 'chosen', backup: { ...named, status: named.status } };
  }
  const completed = newest(eligible.filter((b) => b.status === 'completed'));
  if (completed) return { kind: 'chosen', backup: { ...completed, status: 'completed' } };
  const running = newest(eligible.filter((b) => b.status === 'running'));
  if (running) return { kind: 'chosen', backup: { ...running, status: 'running' } };
  if (createdAfter !== undefined)
    return { kind: 'none-yet', message: `No backup of ${databaseId} newer than ${createdAfter} is listed yet` };
  const none = meta.backupRetentionDays === 0 && data.length === 0 ? ' (Prisma keeps none for it: backupRetentionDays 0)' : '';
  const others = data.length === 0 ? '' : ` (${data.map((b) => `${b.id}: ${b.status}`).join(', ')})`;
  return {
    kind: 'refused',
    type: ErrorType.BackupNotFound,
    message: `Database ${databaseId} has no completed backup among the ${among}${none}${others}; nothing was restored. Backups are daily: wait for the next, or name one with --backup-id.`,
  };
}
