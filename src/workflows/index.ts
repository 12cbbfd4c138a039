// Everything the worker's workflow bundle exports.
export { backupAndRestoreDatabase } from './run';
export { fleet } from './fleet';
export { approveRestoreUpdate, fleetQuery, statusQuery } from './messages';
