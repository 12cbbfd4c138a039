// The prisma profile's part of a simulator: its store, its profile, its handle methods and admin actions.
import type { AdminActions } from '../admin';
import type { PostgresData } from '../data/postgres-data';
import {
  DEFAULT_BACKUP_RETENTION_DAYS,
  DEFAULT_DATABASES,
  DEFAULT_PROJECT,
  DEFAULT_PROVISIONING_MS,
  DEFAULT_RECOVERY_MS,
} from '../defaults';
import type { PrismaOperationId } from '../operation-ids';
import type { Profile } from '../profile';
import type { DataMode, Effects, PrismaDatabaseOptions, PrismaSimulator, PrismaSimulatorOptions } from '../types';
import { prismaAdmin } from './admin';
import { prismaProfile } from './profile';
import { DatabaseStore, type AddedDatabase } from './store';
import { backupView } from './views';

export interface PrismaSetup {
  profile: Profile<PrismaOperationId>;
  honourIdempotencyKeys: false;
  methods: Pick<
    PrismaSimulator,
    | 'profile'
    | 'addProject'
    | 'addDatabase'
    | 'addDatabases'
    | 'deleteDatabase'
    | 'releaseData'
    | 'addBackup'
    | 'finishBackup'
    | 'failRestores'
    | 'connectionString'
    | 'sql'
    | 'settled'
  >;
  admin: AdminActions;
  /** Back to the initial projects and databases, without backups or armed restore failures. */
  clear(): void;
}

export function prismaSetup(
  options: PrismaSimulatorOptions,
  effects: Effects,
  clock: () => number,
  apiUrl: () => string,
  data: PostgresData,
  mode: DataMode,
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
  const initialProjects = [...(options.projects ?? [DEFAULT_PROJECT.id])];
  if (initialProjects.length === 0) throw new RangeError('projects must name at least one project');
  const initialDatabases = [...(options.databases ?? DEFAULT_DATABASES)];
  const store = new DatabaseStore({ recoveryMs, provisioningMs, backupRetentionDays, data: mode }, data);
  store.clear(initialProjects, initialDatabases, clock());
  const added = ({ projectId = initialProjects[0], data: own = mode }: PrismaDatabaseOptions): AddedDatabase => ({ projectId, data: own });
  return {
    profile: prismaProfile({ store, effects, apiUrl }),
    honourIdempotencyKeys: false,
    methods: {
      profile: 'prisma',
      addProject: (projectId) => store.addProject(projectId),
      addDatabase: (databaseId, databaseOptions = {}) => store.addDatabase(databaseId, added(databaseOptions), clock()),
      addDatabases: ({ count, prefix = 'fleet', backup = {}, ...databaseOptions }) =>
        store.addDatabases(prefix, count, added(databaseOptions), backup, clock()),
      deleteDatabase: (databaseId) => store.deleteDatabase(databaseId),
      releaseData: (databaseId) => store.releaseData(databaseId),
      addBackup: (databaseId, backupOptions = {}) => backupView(store.addBackup(databaseId, backupOptions, clock())),
      finishBackup: (backupId, status) => backupView(store.finishBackup(backupId, status)),
      failRestores: (failureOptions = {}) => store.failRestores(failureOptions),
      ...data.methods((databaseId) => {
        const db = store.database(databaseId);
        return db && store.reader(db);
      }),
    },
    admin: prismaAdmin(store, clock),
    clear: () => store.clear(initialProjects, initialDatabases, clock()),
  };
}

function duration(name: string, ms: number): number {
  if (!(ms >= 0)) throw new RangeError(`${name} must be >= 0 (Infinity never ends), got ${ms}`);
  return ms;
}
