// Defaults shared by startSimulator and the CLI's banner.
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATABASES: readonly string[] = ['db_demo'];
export const DEFAULT_BACKUP_DURATION_MS = 3000;
