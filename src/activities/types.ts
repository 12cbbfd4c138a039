// Activity inputs and outputs: small, token-free, and all that goes into workflow history.
import type { BackupStatus } from '../shared/api-types';

export interface CreateBackupInput {
  databaseId: string;
  label?: string;
  idempotencyKey: string;
}

export interface CreatedBackup {
  backupId: string;
  status: BackupStatus;
}

export interface BackupStatusInput {
  databaseId: string;
  backupId: string;
}

/** Our backup as the list shows it; `found: false` while the list does not show it yet. */
export type BackupStatusResult = { found: true; status: BackupStatus } | { found: false };

export interface RestoreInput {
  databaseId: string;
  backupId: string;
  idempotencyKey: string;
}

export interface RestoreResult {
  status: 'restoring';
  message: string;
}
