// The seed profile's part of a simulator: its store, its profile and its handle methods.
import { DEFAULT_BACKUP_DURATION_MS, DEFAULT_DATABASES } from '../defaults';
import type { SeedOperationId } from '../operation-ids';
import type { Profile } from '../profile';
import type { Effects, Simulator, SimulatorOptions } from '../types';
import { BackupStore } from './backup-store';
import { seedProfile } from './profile';

export interface SeedSetup {
  profile: Profile<SeedOperationId>;
  honourIdempotencyKeys: boolean;
  methods: Pick<Simulator, 'profile' | 'addDatabase' | 'addAutomaticBackup' | 'failBackup'>;
  /** Back to the initial databases, without backups. */
  clear(): void;
}

export function seedSetup(options: SimulatorOptions, effects: Effects, clock: () => number): SeedSetup {
  const backupDurationMs = options.backupDurationMs ?? DEFAULT_BACKUP_DURATION_MS;
  if (!(backupDurationMs >= 0)) throw new RangeError(`backupDurationMs must be >= 0, got ${backupDurationMs}`);
  const initialDatabases = [...(options.databases ?? DEFAULT_DATABASES)];
  const store = new BackupStore({ backupDurationMs, backupOutcome: options.backupOutcome ?? 'completed' });
  store.clear(initialDatabases);
  return {
    profile: seedProfile(store, effects),
    honourIdempotencyKeys: options.honourIdempotencyKeys ?? true,
    methods: {
      profile: 'seed',
      addDatabase: (databaseId) => store.addDatabase(databaseId),
      addAutomaticBackup: (databaseId, { status = 'completed' } = {}) => store.addAutomatic(databaseId, status, clock()),
      failBackup: (backupId) => store.fail(backupId),
    },
    clear: () => store.clear(initialDatabases),
  };
}
