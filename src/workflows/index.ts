// Everything the worker's workflow bundle exports.
export { backupAndRestoreDatabase } from './backup-and-restore';
export { approveRestoreUpdate, statusQuery } from './messages';
