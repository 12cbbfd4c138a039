// Public API of the Management API simulator.
export { startSimulator } from './server';
export { FAULT_KINDS, FaultBook } from './fault-book';
export type { FaultControl, FaultKind, FaultSpec } from './fault-book';
export { PRISMA_CONNECTION_OPERATIONS, PRISMA_OPERATIONS, SEED_OPERATIONS } from './operation-ids';
export type { PrismaOperationId, SeedOperationId } from './operation-ids';
export type {
  CreatedConnection,
  DatabaseSource,
  DatabaseStatus,
  PrismaBackup,
  PrismaBackupList,
  PrismaBackupStatus,
  PrismaConnection,
  PrismaConnectionList,
  PrismaDatabase,
} from './prisma/shapes';
export type {
  AnySimulatorOptions,
  AutomaticBackupOptions,
  BackupOutcome,
  DataMethods,
  DataMode,
  DatabaseCreated,
  DatabaseDeleted,
  Effects,
  OperationId,
  PrismaBackupOptions,
  PrismaDatabaseOptions,
  PrismaFleetOptions,
  PrismaSimulator,
  PrismaSimulatorOptions,
  ProfileName,
  RequestRecord,
  RestoreApplied,
  RestoreFailureOptions,
  Simulator,
  SimulatorOptions,
  SimulatorStats,
} from './types';
