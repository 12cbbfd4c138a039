// Whether a prisma-profile restore took effect, from the target read back after its outcome was
// left unknown. Pure, so every case is unit-tested. It assumes nothing else restores the target
// meanwhile: another restore from the same backup would look like ours.
import { isSameBackup, type BackupSource } from '../shared/api-types';
import type { DatabaseState, RestoreVerdict } from './types';

/** Whether a source names the same backup. */
export const sameBackup = (a: BackupSource | null | undefined, b: BackupSource) =>
  a?.databaseId === b.databaseId && a.backupId === b.backupId;

export function restoreVerdict(target: DatabaseState, ours: BackupSource, sourceBefore?: BackupSource | null): RestoreVerdict {
  switch (target.status) {
    case 'provisioning':
      return 'busy';
    case 'recovering':
      // A restore is under way; one from another backup is not ours, and ours would get 409 now.
      return target.source && !isSameBackup(target.source, ours) ? 'busy' : 'applied';
    case 'ready':
    case 'failure':
      if (!isSameBackup(target.source, ours)) return 'not-applied';
      // It named our backup before we sent anything: this proves nothing about our restore.
      return isSameBackup(sourceBefore, ours) ? 'undecidable' : 'applied';
  }
}
