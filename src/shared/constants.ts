// Names the worker, the clients and the tests must agree on.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

export const TASK_QUEUE = 'prisma-backup-restore';
/** Workflow types: the run (the seed's Arazzo `workflowId`) and the fleet over many databases. */
export const WORKFLOW_TYPE = 'backupAndRestoreDatabase';
export const FLEET_WORKFLOW_TYPE = 'fleet';
/** Custom search attributes (all Keyword); `npm run temporal:dev` registers them. */
export const DATABASE_ID_KEY = defineSearchAttributeKey('DatabaseId', SearchAttributeType.KEYWORD);
export const PHASE_KEY = defineSearchAttributeKey('BackupPhase', SearchAttributeType.KEYWORD);
export const BACKUP_ID_KEY = defineSearchAttributeKey('BackupId', SearchAttributeType.KEYWORD);
export const SEARCH_ATTRIBUTE_NAMES = [DATABASE_ID_KEY.name, PHASE_KEY.name, BACKUP_ID_KEY.name];

/** A run's search attributes as it starts. */
export const startingAttributes = (databaseId: string): SearchAttributePair[] => [
  { key: DATABASE_ID_KEY, value: databaseId },
  { key: PHASE_KEY, value: 'starting' },
];
