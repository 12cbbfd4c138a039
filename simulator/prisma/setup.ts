// The prisma profile's part of a simulator: its store, its profile and its handle methods.
import { metadataOnlyMethods, type PostgresData } from '../data/postgres-data';
import { DEFAULT_BACKUP_RETENTION_DAYS, DEFAULT_DATABASES, DEFAULT_PROVISIONING_MS, DEFAULT_RECOVERY_MS } from '../defaults';
import type { PrismaOperationId } from '../operation-ids';
import type { Profile } from '../profile';
import type { Effects, PrismaSimulator, PrismaSimulatorOptions } from '../types';
import { prismaProfile } from './profile';
import { backupView, DatabaseStore } from './store';

export interface PrismaSetup {
  profile: Profile<PrismaOperationId>;
  honourIdempotencyKeys: false;
  methods: Pick<
    PrismaSimulator,
    'profile' | 'addDatabase' | 'releaseData' | 'addBackup' | 'finishBackup' | 'failRestores' | 'connectionString' | 'sql' | 'settled'
  >;
  /** Back to the initial databases, without backups or armed restore failures. */
  clear(): void;
}

export function prismaSetup(
  options: PrismaSimulatorOptions,
  effects: Effects,
  clock: () => number,
  apiUrl: () => string,
  data?: PostgresData,
): PrismaSetup {
  if ((options.honourIdempotencyKeys as boolean | undefined) === true) {
    throw new Error("honourIdempotencyKeys cannot be true in the prisma profile: Prisma's API has no Idempotency-Key");
  }
  const recoveryMs = duration('recoveryMs', options.recoveryMs ?? DEFAULT_RECOVERY_MS);
  const provisioningMs = duration('provisioningMs', options.provisioningMs ?? DEFAULT_PROVISIONING_MS);
  const backupRetentionDays = options.backupRetentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS;
  if (!(Number.isInteger(backupRetentionDays) && backupRetentionDays >= 0)) {
    throw new RangeError(`backupRetentionDays must be a whole number of days >= 0, got ${backupRetentionDays}`);
  }
  const initialDatabases = [...(options.databases ?? DEFAULT_DATABASES)];
  const store = new DatabaseStore({ recoveryMs, provisioningMs, backupRetentionDays }, data);
  store.clear(initialDatabases, clock());
  return {
    profile: prismaProfile({ store, effects, apiUrl }, data !== undefined),
    honourIdempotencyKeys: false,
    methods: {
      profile: 'prisma',
      addDatabase: (databaseId) => store.addDatabase(databaseId, clock()),
      releaseData: (databaseId) => store.releaseData(databaseId),
      addBackup: (databaseId, backupOptions = {}) => backupView(store.addBackup(databaseId, backupOptions, clock())),
      finishBackup: (backupId, status) => backupView(store.finishBackup(backupId, status)),
      failRestores: (failureOptions = {}) => store.failRestores(failureOptions),
      ...(data ? data.methods((databaseId) => store.database(databaseId)?.data) : metadataOnlyMethods()),
    },
    clear: () => store.clear(initialDatabases, clock()),
  };
}

function duration(name: string, ms: number): number {
  if (!(ms >= 0)) throw new RangeError(`${name} must be >= 0 (Infinity never ends), got ${ms}`);
  return ms;
}
