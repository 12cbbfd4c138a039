// The seed profile: the three backup operations of spec/openapi/prisma-database-backups-api-openapi.yml.
import { SEED_OPERATIONS, type SeedOperationId } from '../operation-ids';
import type { Profile } from '../profile';
import type { Route } from '../routes';
import type { Effects } from '../types';
import type { BackupStore } from './backup-store';
import { OPERATIONS, SUCCESS_STATUS } from './operations';

const ROUTES: readonly Route[] = [
  {
    pattern: /^\/v1\/databases\/([^/]+)\/backups$/,
    params: ['databaseId'],
    methods: { GET: 'listDatabaseBackups', POST: 'createDatabaseBackup' },
  },
  {
    pattern: /^\/v1\/databases\/([^/]+)\/backups\/([^/]+)\/restore$/,
    params: ['databaseId', 'backupId'],
    methods: { POST: 'restoreDatabaseBackup' },
  },
];

export function seedProfile(store: BackupStore, effects: Effects): Profile<SeedOperationId> {
  return {
    routes: ROUTES,
    operations: SEED_OPERATIONS,
    successStatus: (operation) => SUCCESS_STATUS[operation],
    answer: (operation, request) => OPERATIONS[operation]({ store, effects }, request),
    invalidBody,
  };
}

/** Missing ids, values outside enums. */
function invalidBody(operation: SeedOperationId): unknown {
  const brokenBackup = { databaseId: 42, type: 'manual', status: 'done', createdAt: 'yesterday' };
  switch (operation) {
    case 'createDatabaseBackup':
      return brokenBackup;
    case 'listDatabaseBackups':
      return { data: [brokenBackup] };
    case 'restoreDatabaseBackup':
      return { status: 'restored', message: 7 };
  }
}
