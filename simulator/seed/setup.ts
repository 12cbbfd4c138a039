// The seed profile's part of a simulator: its store, its profile, its handle methods and admin actions.
import type { AdminActions } from '../admin';
import { metadataOnlyMethods, type PostgresData } from '../data/postgres-data';
import { DEFAULT_BACKUP_DURATION_MS, DEFAULT_DATABASES } from '../defaults';
import type { SeedOperationId } from '../operation-ids';
import type { Profile } from '../profile';
import type { Effects, Simulator, SimulatorOptions } from '../types';
import { seedAdmin } from './admin';
import { BackupStore } from './backup-store';
import { seedProfile } from './profile';

/** setTimeout's longest delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SeedSetup {
  profile: Profile<SeedOperationId>;
  honourIdempotencyKeys: boolean;
  methods: Pick<
    Simulator,
    | 'profile'
    | 'addDatabase'
    | 'releaseData'
    | 'addAutomaticBackup'
    | 'completeBackup'
    | 'failBackup'
    | 'connectionString'
    | 'sql'
    | 'settled'
  >;
  admin: AdminActions;
  /** Back to the initial databases, without backups. */
  clear(): void;
}

export function seedSetup(options: SimulatorOptions, effects: Effects, clock: () => number, data?: PostgresData): SeedSetup {
  const backupDurationMs = options.backupDurationMs ?? DEFAULT_BACKUP_DURATION_MS;
  if (!(backupDurationMs >= 0)) throw new RangeError(`backupDurationMs must be >= 0, got ${backupDurationMs}`);
  if (data && backupDurationMs > MAX_TIMER_MS && backupDurationMs !== Infinity) {
    throw new RangeError(`With data 'postgres' backupDurationMs must be at most ${MAX_TIMER_MS} (a timer ends it) or Infinity`);
  }
  const initialDatabases = [...(options.databases ?? DEFAULT_DATABASES)];
  const store = new BackupStore({ backupDurationMs, backupOutcome: options.backupOutcome ?? 'completed', clock, data });
  store.clear(initialDatabases);
  return {
    profile: seedProfile(store, effects),
    honourIdempotencyKeys: options.honourIdempotencyKeys ?? true,
    methods: {
      profile: 'seed',
      addDatabase: (databaseId) => store.addDatabase(databaseId),
      releaseData: (databaseId) => store.releaseData(databaseId),
      addAutomaticBackup: (databaseId, { status = 'completed', tookMs } = {}) => store.addAutomatic(databaseId, status, clock(), tookMs),
      completeBackup: (backupId) => store.complete(backupId, clock()),
      failBackup: (backupId) => store.fail(backupId),
      ...(data ? data.methods((databaseId) => store.liveDatabase(databaseId)) : metadataOnlyMethods()),
    },
    admin: seedAdmin(store, clock),
    clear: () => store.clear(initialDatabases),
  };
}
