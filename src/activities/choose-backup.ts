// Which of a database's backups a prisma-profile run restores from. Pure, so every case is unit-tested.
//
// A backup whose status is `unknown` is never restored: Prisma cannot say it is complete, and a
// restore overwrites the target. Choosing the newest completed one skips it; naming it is refused
// (BackupNotUsable). A `running` backup is not restored yet: it is returned as `running` so the run
// waits for it, when it is the one named, or the newest one when no completed one qualifies.
import type { PrismaBackup, PrismaBackupList } from '../shared/api-types';
import { ErrorType } from '../shared/errors';
import type { ChooseBackupInput, ChosenBackup } from './types';

export type BackupChoice = { kind: 'chosen'; backup: ChosenBackup } | { kind: 'refused'; type: ErrorType; message: string };

const refused = (type: ErrorType, message: string): BackupChoice => ({ kind: 'refused', type, message });

const chosen = (backup: PrismaBackup & { status: ChosenBackup['status'] }): BackupChoice => ({
  kind: 'chosen',
  backup: { backupId: backup.id, status: backup.status, createdAt: backup.createdAt },
});

/** The newest by createdAt (the list's order is not documented); the first listed on a tie. */
function newest(backups: PrismaBackup[]): PrismaBackup | undefined {
  return backups.reduce<PrismaBackup | undefined>(
    (best, b) => (!best || Date.parse(b.createdAt) > Date.parse(best.createdAt) ? b : best),
    undefined,
  );
}

export function chooseBackup(list: PrismaBackupList, input: ChooseBackupInput): BackupChoice {
  const { databaseId, backupId, createdAfter } = input;
  const after = createdAfter === undefined ? undefined : Date.parse(createdAfter);
  if (after !== undefined && !Number.isFinite(after)) {
    return refused(
      ErrorType.InvalidInput,
      `createdAfter "${createdAfter}" is not a time: give an ISO 8601 instant, e.g. 2026-01-31T00:00:00Z.`,
    );
  }
  const { data, meta, pagination } = list;
  const among = pagination.hasMore ? `the ${data.length} newest backups` : `the ${data.length} backups`;
  const kept = `Prisma keeps backups ${meta.backupRetentionDays} days`;
  const isAfter = (b: PrismaBackup) => after === undefined || Date.parse(b.createdAt) > after;
  const afterText = createdAfter === undefined ? '' : ` created after ${createdAfter}`;

  if (backupId !== undefined) {
    const named = data.find((b) => b.id === backupId);
    const which = `Backup ${backupId} of database ${databaseId}`;
    if (!named) {
      return refused(ErrorType.BackupNotFound, `${which} is not among ${among} listed; nothing was restored. Check the id (${kept}).`);
    }
    if (!isAfter(named)) {
      return refused(
        ErrorType.BackupNotUsable,
        `${which} was taken at ${named.createdAt}, not after ${createdAfter} as asked; nothing was restored.`,
      );
    }
    switch (named.status) {
      case 'completed':
      case 'running':
        return chosen({ ...named, status: named.status });
      case 'failed':
        return refused(ErrorType.BackupFailed, `${which} failed; nothing was restored. Choose a completed backup.`);
      case 'unknown':
        return refused(
          ErrorType.BackupNotUsable,
          `${which} has status unknown: Prisma cannot say it is complete, so it is not restored. Choose a completed backup.`,
        );
    }
  }

  const eligible = data.filter(isAfter);
  const completed = newest(eligible.filter((b) => b.status === 'completed'));
  if (completed) return chosen({ ...completed, status: 'completed' });
  const running = newest(eligible.filter((b) => b.status === 'running'));
  if (running) return chosen({ ...running, status: 'running' });
  if (data.length === 0 && meta.backupRetentionDays === 0) {
    return refused(
      ErrorType.BackupNotFound,
      `Database ${databaseId} has no backups: Prisma keeps none for it (backupRetentionDays 0; the free plan has none). Nothing was restored.`,
    );
  }
  const others = eligible.length === 0 ? '' : ` (${eligible.map((b) => `${b.id}: ${b.status}`).join(', ')})`;
  return refused(
    ErrorType.BackupNotFound,
    `Database ${databaseId} has no completed backup${afterText} among ${among} listed${others}; nothing was restored. ` +
      `Backups are automatic and daily (${kept}): wait for the next one, or name one with --backup-id.`,
  );
}
