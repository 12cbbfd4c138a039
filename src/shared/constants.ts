// One definition of each name that the worker, the client, the CLI and the tests must agree on.

/** The task queue the worker polls and the starter sends runs to. */
export const TASK_QUEUE = 'prisma-backup-restore';

/** Workflow type name, as the seed's Arazzo `workflowId`. */
export const WORKFLOW_TYPE = 'backupAndRestoreDatabase';

/** Custom search attributes; the dev-server script registers them (all Keyword). */
export const SEARCH_ATTRIBUTES = {
  phase: 'BackupPhase',
  databaseId: 'DatabaseId',
  backupId: 'BackupId',
} as const;

/** Idempotency-Key steps: the key is `<workflowId>/<firstExecutionRunId>/<step>` (src/workflows/idempotency.ts). */
export const IDEMPOTENCY_STEPS = {
  createBackup: 'create-backup',
  restore: 'restore',
} as const;
