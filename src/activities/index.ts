// Activity factory: the Management API client is injected, so tests and the worker choose it.
// Every activity is registered on every worker; one the worker's profile cannot serve fails with
// ProfileMismatch before any request is sent.
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApiError } from '../api/api-error';
import { hasProfile, type ManagementApi } from '../api/client';
import { isSameBackup, MAX_BACKUP_LIST_LIMIT, type ApiProfile, type DatabaseSummary } from '../shared/api-types';
import { ErrorType } from '../shared/errors';
import { pastBackupDurationsMs } from '../shared/predict-completion';
import type { Inventory } from '../shared/workflow-types';
import { chooseBackup } from './choose-backup';
import { withReadOnlySession, type DatabaseAccess, type DatabaseUrls } from './database-access';
import { readInventory, runSqlCheck } from './inventory';
import { pastReadyWaits } from './past-runs';
import { restoreVerdict } from './restore-verdict';
import { toApplicationFailure } from './to-failure';
import type {
  BackupStatusInput,
  BackupStatusResult,
  ChooseBackupInput,
  ChosenBackup,
  CreateBackupInput,
  CreateDatabaseFromBackupInput,
  CreatedBackup,
  CreatedDatabase,
  DatabaseState,
  DatabaseStatusInput,
  DeleteDatabaseInput,
  DeletedDatabase,
  PastReadyWaitsInput,
  ReadDatabaseInput,
  ReadRestoreTargetInput,
  RestoreDatabaseInput,
  RestoreInput,
  RestoreResult,
  RestoreStarted,
  RestoreTargetState,
  SqlCheckInput,
  SqlCheckOutcome,
} from './types';

export type * from './types';

/** Heartbeats while a call is under way, so a worker that died mid-call is noticed within the heartbeat timeout. */
const HEARTBEAT_EVERY_MS = 2_000;

async function mapped<T>(call: () => Promise<T>): Promise<T> {
  const context = Context.current();
  context.heartbeat();
  const heartbeats = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await call();
  } catch (err) {
    // An aborted request is our own cancellation, not an API failure to retry.
    if (signal().aborted) throw new CancelledFailure('Activity cancelled while calling the Management API');
    throw toApplicationFailure(err, context.info.attempt);
  } finally {
    clearInterval(heartbeats);
  }
}

const signal = () => Context.current().cancellationSignal;

const nonRetryable = (type: ErrorType, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/** The client narrowed to the profile an activity speaks, or ProfileMismatch saying how to fix the worker. */
function requireProfile<P extends ApiProfile>(api: ManagementApi, profile: P, activity: string): ManagementApi<P> {
  if (hasProfile(api, profile)) return api;
  const speaks = profile === 'prisma' ? "Prisma's Management API" : 'a seed-style API (create backup, list, restore)';
  throw nonRetryable(
    ErrorType.ProfileMismatch,
    `${activity} speaks ${speaks}, but this worker's PRISMA_API_PROFILE is ${api.profile}. ` +
      `Run the worker with PRISMA_API_PROFILE=${profile} for this run, or start the run for the ${api.profile} profile.`,
  );
}

/** Only a backup as a source goes into history: the other kinds are not what a restore compares. */
function databaseState(database: DatabaseSummary): DatabaseState {
  const { source } = database;
  return source?.type === 'backup'
    ? { status: database.status, source: { databaseId: source.databaseId, backupId: source.backupId } }
    : { status: database.status };
}

export interface ActivityOptions {
  /** Seed profile: the connection strings verification reads (PRISMA_DATABASE_URLS_FILE). */
  databaseUrls?: DatabaseUrls;
  /** Where earlier runs are looked up (their ready waits predict this one's); without it, no history. */
  runs?: Client;
}

export function createActivities(api: ManagementApi, options: ActivityOptions = {}) {
  const access: DatabaseAccess = { api, databaseUrls: options.databaseUrls };
  return {
    // ---- seed profile ----

    async createBackup({ databaseId, label, idempotencyKey }: CreateBackupInput): Promise<CreatedBackup> {
      const backup = await mapped(() => api.createBackup(databaseId, label, { idempotencyKey, signal: signal() }));
      return { backupId: backup.id, status: backup.status };
    },

    /** Finds our backup by id: the list holds automatic backups too, newest first. */
    async getBackupStatus({ databaseId, backupId, history }: BackupStatusInput): Promise<BackupStatusResult> {
      const seed = requireProfile(api, 'seed', 'getBackupStatus');
      const { data } = await mapped(() => seed.listBackups(databaseId, { signal: signal() }));
      const ours = data.find((backup) => backup.id === backupId);
      const past = history ? { pastDurationsMs: pastBackupDurationsMs(data, backupId) } : {};
      return ours ? { found: true, status: ours.status, ...past } : { found: false, ...past };
    },

    /**
     * Fails with RequestNotSent when the restore never reached the API (retryable: safe to send
     * again), or RestoreOutcomeUnknown when it may have been applied: retryable only when the API is
     * declared to honour Idempotency-Key, else it says what to check. After an earlier request whose
     * outcome is unknown, it sends nothing unless the API is declared to honour the key: only the
     * worker knows that.
     */
    async restoreBackup({ databaseId, backupId, idempotencyKey, afterUnknownOutcome }: RestoreInput): Promise<RestoreResult> {
      if (afterUnknownOutcome && api.profile === 'seed' && !api.idempotencyKeysHonoured) {
        throw nonRetryable(
          ErrorType.RestoreOutcomeUnknown,
          `An earlier request to restore ${databaseId} from backup ${backupId} may or may not have been applied: its attempt was lost ` +
            '(its worker stopped, or it timed out) after it may have been sent. Nothing was sent again. Check the database (its data, ' +
            'or the Prisma Console) before restoring again. If the API replays the answer to a repeated Idempotency-Key, set ' +
            'PRISMA_API_IDEMPOTENCY_KEYS=honoured on the worker so such a restore is sent again.',
        );
      }
      const accepted = await mapped(() => api.restoreBackup(databaseId, backupId, { idempotencyKey, signal: signal() }));
      return { status: accepted.status, message: accepted.message ?? '' };
    },

    // ---- prisma profile ----

    /** The named backup, or the newest completed one (see choose-backup.ts); `running`: ask again later. */
    async chooseBackup(input: ChooseBackupInput): Promise<ChosenBackup> {
      const prisma = requireProfile(api, 'prisma', 'chooseBackup');
      const list = await mapped(() => prisma.listBackups(input.databaseId, { limit: MAX_BACKUP_LIST_LIMIT, signal: signal() }));
      const choice = chooseBackup(list, input);
      if (choice.kind === 'refused') throw nonRetryable(choice.type, choice.message);
      return choice.backup;
    },

    /**
     * One restore request. Give it maximumAttempts: 1 and decide on a failure in the workflow:
     * RequestNotSent (nonRetryable false) and RateLimited mean nothing was restored, so sending it
     * again is safe; RestoreOutcomeUnknown, or an attempt that timed out or was lost with its
     * worker, means read the target back (readRestoreTarget) before sending anything again; any
     * other type is a definite refusal.
     */
    async restoreDatabase({ targetDatabaseId, source }: RestoreDatabaseInput): Promise<RestoreStarted> {
      requireProfile(api, 'prisma', 'restoreDatabase');
      const target = await mapped(() => api.restoreDatabase(targetDatabaseId, source, { signal: signal() }));
      return { status: target.status };
    },

    /** The database's status (wait for `ready` or `failure`) and the backup it was last made from. */
    async getDatabaseStatus({ databaseId }: DatabaseStatusInput): Promise<DatabaseState> {
      requireProfile(api, 'prisma', 'getDatabaseStatus');
      return databaseState(await mapped(() => api.getDatabase(databaseId, { signal: signal() })));
    },

    /** The restore target read back, with whether our restore took effect (see RestoreVerdict). */
    async readRestoreTarget({ databaseId, source, sourceBefore }: ReadRestoreTargetInput): Promise<RestoreTargetState> {
      requireProfile(api, 'prisma', 'readRestoreTarget');
      const state = databaseState(await mapped(() => api.getDatabase(databaseId, { signal: signal() })));
      return { ...state, verdict: restoreVerdict(state, source, sourceBefore) };
    },

    /**
     * A new database from a backup, exactly once across retries: Prisma's create is not idempotent,
     * so the project's databases are searched by name first, and one made from this backup is
     * taken as made by an earlier attempt. Returns its id only, never a connection string.
     */
    async createDatabaseFromBackup(input: CreateDatabaseFromBackupInput): Promise<CreatedDatabase> {
      requireProfile(api, 'prisma', 'createDatabaseFromBackup');
      const { name, region, source, besideDatabaseId } = input;
      const projectId = input.projectId ?? (await projectOf(besideDatabaseId!));
      const named = (await mapped(() => api.listProjectDatabases(projectId, { signal: signal() }))).filter((db) => db.name === name);
      const ours = named.filter((db) => isSameBackup(db.source, source));
      if (named.length === 1 && ours.length === 1) return { databaseId: ours[0].id, existed: true };
      if (ours.length === 0 && named.length > 0) {
        throw nonRetryable(
          ErrorType.DatabaseNameTaken,
          `Project ${projectId} already has a database named "${name}" (${named.map((db) => db.id).join(', ')}) that was not made ` +
            `from backup ${source.backupId} of database ${source.databaseId}; nothing was created. Choose another name, or delete that database.`,
        );
      }
      if (named.length > 1) {
        throw nonRetryable(
          ErrorType.DatabaseNameTaken,
          `Project ${projectId} has ${named.length} databases named "${name}" (${named.map((db) => db.id).join(', ')}); nothing was created. ` +
            'Keep the one you want and delete the others, then try again.',
        );
      }
      const created = await mapped(() => api.createDatabaseFromBackup({ projectId, name, region, source }, { signal: signal() }));
      return { databaseId: created.id, existed: false };
    },

    /** Idempotent: a database that is already gone (404) counts as deleted. */
    async deleteDatabase({ databaseId }: DeleteDatabaseInput): Promise<DeletedDatabase> {
      requireProfile(api, 'prisma', 'deleteDatabase');
      const outcome = await mapped(() =>
        api.deleteDatabase(databaseId, { signal: signal() }).then(
          () => 'deleted' as const,
          (err: unknown) => {
            if (err instanceof ApiError && err.type === ErrorType.DatabaseNotFound) return 'gone' as const;
            throw err;
          },
        ),
      );
      return { alreadyDeleted: outcome === 'gone' };
    },

    // ---- verification (both profiles) ----

    /** The database's table inventory, read in one snapshot; the connection it needs is obtained here and never returned. */
    async readInventory({ databaseId, connectionName }: ReadDatabaseInput): Promise<Inventory> {
      const context = Context.current();
      return mapped(() =>
        withReadOnlySession(access, { databaseId, connectionName, signal: signal() }, (session) =>
          readInventory(session, databaseId, () => context.heartbeat()),
        ),
      );
    },

    /** The user's check, READ ONLY; what it found is its result, so a failed check is not retried. */
    async checkSql({ databaseId, connectionName, sql }: SqlCheckInput): Promise<SqlCheckOutcome> {
      return mapped(() =>
        withReadOnlySession(access, { databaseId, connectionName, signal: signal() }, (session) => runSqlCheck(session, sql)),
      );
    },

    /** `prisma`: how long earlier completed runs into the same target waited until it was ready, newest first. */
    async pastReadyWaits(input: PastReadyWaitsInput): Promise<number[]> {
      return pastReadyWaits(options.runs, input);
    },
  };

  /** The project a database belongs to, for a database created beside it. */
  async function projectOf(databaseId: string): Promise<string> {
    const database = await mapped(() => api.getDatabase(databaseId, { signal: signal() }));
    if (database.projectId === undefined) {
      throw nonRetryable(
        ErrorType.ProtocolError,
        `GET databases/${databaseId} does not name the database's project, so no database can be created beside it.`,
      );
    }
    return database.projectId;
  }
}

export type Activities = ReturnType<typeof createActivities>;
