// Defaults shared by startSimulator and the CLI's banner.
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATABASES: readonly string[] = ['db_demo'];
export const DEFAULT_BACKUP_DURATION_MS = 3000;
export const DEFAULT_RECOVERY_MS = 3000;
export const DEFAULT_PROVISIONING_MS = 3000;
export const DEFAULT_BACKUP_RETENTION_DAYS = 7;
/** The prisma profile's one project: every database belongs to it. */
export const DEFAULT_PROJECT = { id: 'proj_demo', name: 'Demo project' } as const;
/** Bodies above this are refused with 413 (the API's own bodies are well under 1 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;
export const DEFAULT_REQUEST_LOG_LIMIT = 1000;
/** With data 'postgres': databases held at once (about 200 MB each). */
export const DEFAULT_MAX_LIVE_DATABASES = 4;
