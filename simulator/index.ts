// Public API of the Management API simulator.
export { startSimulator } from './server';
export { FAULT_KINDS, FaultBook } from './fault-book';
export type { FaultControl, FaultKind, FaultSpec } from './fault-book';
export type {
  AutomaticBackupOptions,
  BackupOutcome,
  Effects,
  OperationId,
  RequestRecord,
  RestoreApplied,
  Simulator,
  SimulatorOptions,
  SimulatorStats,
} from './types';
