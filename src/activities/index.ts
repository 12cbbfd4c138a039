// The activities, around an injected API client; one the worker's profile cannot serve fails with ProfileMismatch, sending nothing.
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { ManagementApi } from '../api/client';
import { ApiError, CHECK_BEFORE_RESTORING } from '../api/errors';
import { DATABASE_ID_KEY, WORKFLOW_TYPE } from '../shared/constants';
import { ErrorType } from '../shared/errors';
import { failureReason } from '../shared/failure-reason';
import { DATABASE_ID } from '../shared/input';
import { usableDurations } from '../shared/policy';
import type { BackupSource } from '../shared/types';
import { call, nonRetryable, requireProfile } from './call';
import { withReadOnlySession, type DatabaseUrls } from './database-access';
import { readInventory, runSqlCheck } from './inventory';
import type { AwaitBackupInput, AwaitDatabaseInput, CreateDatabaseInput, PastDurationsInput, ReadDatabaseInput } from './types';
import { databaseWait, prismaBackupWait, seedBackupWait } from './waits';

export type * from './types';
/** Earlier completed runs read for their durations: the newest this many. */
export const PAST_RUNS_READ = 20;
const signal = () => Context.current().cancellationSignal;

export interface ActivityOptions {
  /** Seed: the connection strings verification reads (PRISMA_DATABASE_URLS_FILE). */
  databaseUrls?: DatabaseUrls;
  /** Where earlier runs are looked up, for their durations; without it, no history. */
  runs?: Client;
}

export function createActivities(api: ManagementApi, options: ActivityOptions = {}) {
  const prisma = (activity: string) => requireProfile(api, 'prisma', activity);
  const seed = (activity: string) => requireProfile(api, 'seed', activity);
  const read = <T>({ databaseId, connectionName }: ReadDatabaseInput, use: Parameters<typeof withReadOnlySession<T>>[3]) =>
    call(() => withReadOnlySession(api, options.databaseUrls, { databaseId, connectionName, signal: signal() }, use));
  return {
    /** Seed: `POST databases/{id}/backups` under the run's Idempotency-Key, so a retry never makes two. */
    async createBackup({ databaseId, label, idempotencyKey }: { databaseId: string; label?: string; idempotencyKey: string }) {
      const backup = await call(() => seed('createBackup').createBackup(databaseId, label, { idempotencyKey, signal: signal() }));
      return { backupId: backup.id, status: backup.status, createdAt: backup.createdAt };
    },
    /** Until the backup is completed; each attempt is one look at the list. */
    awaitBackup: (input: AwaitBackupInput) =>
      input.profile === 'seed' ? seedBackupWait(seed('awaitBackup'), input) : prismaBackupWait(prisma('awaitBackup'), input),
    /** Seed, one attempt; after an unknown outcome, nothing is sent again unless the API honours the Idempotency-Key. */
    async restoreBackup(input: { databaseId: string; backupId: string; idempotencyKey: string; afterUnknownOutcome?: boolean }) {
      const api = seed('restoreBackup');
      if (input.afterUnknownOutcome && !api.idempotencyKeysHonoured) {
        const earlier = `An earlier request to restore ${input.databaseId} from backup ${input.backupId} may or may not have been applied`;
        throw nonRetryable(ErrorType.RestoreOutcomeUnknown, `${earlier}; nothing was sent again. ${CHECK_BEFORE_RESTORING}`);
      }
      const { databaseId, backupId, idempotencyKey } = input;
      const { status, message } = await call(() => api.restoreBackup(databaseId, backupId, { idempotencyKey, signal: signal() }));
      return { status, message: message ?? '' };
    },
    /** Prisma, one attempt: the workflow decides what follows a failure, so a restore is never sent twice blindly. */
    async restoreDatabase({ targetDatabaseId, source }: { targetDatabaseId: string; source: BackupSource }) {
      const { status } = await call(() => prisma('restoreDatabase').restoreDatabase(targetDatabaseId, source, { signal: signal() }));
      return { status };
    },
    /** Until the database is as the mode asks; each attempt is one read of it. */
    awaitDatabase: (input: AwaitDatabaseInput) => databaseWait(prisma('awaitDatabase'), input),
    /** A new database from a backup, once across retries: the project is searched by name first. Returns its id only. */
    async createDatabaseFromBackup(input: CreateDatabaseInput) {
      const api = prisma('createDatabaseFromBackup');
      const { name, region, source } = input;
      const projectId = input.projectId ?? (await call(() => api.getDatabase(input.besideDatabaseId!, { signal: signal() }))).projectId;
      if (!projectId) throw nonRetryable(ErrorType.ProtocolError, `GET databases/${input.besideDatabaseId} does not name its project.`);
      const named = (await call(() => api.listProjectDatabases(projectId, { signal: signal() }))).filter((db) => db.name === name);
      const ours = named.filter((db) => db.source?.databaseId === source.databaseId && db.source.backupId === source.backupId);
      if (named.length === 1 && ours.length === 1) return { databaseId: ours[0].id, existed: true };
      if (named.length > 0)
        throw nonRetryable(
          ErrorType.DatabaseNameTaken,
          `Project ${projectId} already has ${named.length === 1 ? 'a database' : `${named.length} databases`} named "${name}" (${named.map((db) => db.id).join(', ')}) not made from backup ${source.backupId} alone; nothing was created. Choose another name.`,
        );
      const created = await call(() =>
        api.createDatabaseFromBackup({ projectId, name, ...(region ? { region } : {}), source }, { signal: signal() }),
      );
      return { databaseId: created.id, existed: false };
    },
    /** Idempotent: a database already gone counts as deleted. */
    async deleteDatabase({ databaseId }: { databaseId: string }) {
      const api = prisma('deleteDatabase');
      const gone = (err: unknown) => (err instanceof ApiError && err.type === ErrorType.DatabaseNotFound ? true : Promise.reject(err));
      return { alreadyDeleted: await call(() => api.deleteDatabase(databaseId, { signal: signal() }).then(() => false, gone)) };
    },
    /** Prisma: the ids of a project's databases, every page. */
    async listDatabases({ projectId }: { projectId: string }) {
      const databases = await call(() => prisma('listDatabases').listProjectDatabases(projectId, { signal: signal() }));
      return databases.map((db) => db.id);
    },
    /** The database's table inventory, in one snapshot. */
    readInventory: (input: ReadDatabaseInput) => {
      const context = Context.current();
      return read(input, (session) => readInventory(session, input.databaseId, () => context.heartbeat()));
    },
    /** The user's check, READ ONLY; a check that does not pass is its result, not a failure to retry. */
    checkSql: (input: ReadDatabaseInput & { sql: string }) => read(input, (session) => runSqlCheck(session, input.sql)),
    /** The outcome of a run that exists already (a fleet retried after starting it): its result, or its typed failure. */
    async runOutcome({ workflowId }: { workflowId: string }) {
      const handle = options.runs!.workflow.getHandle(workflowId);
      return call(() =>
        handle.result().then(
          (result: unknown) => ({ result, error: undefined }),
          (err: unknown) => ({ result: undefined, error: failureReason(err) }),
        ),
      );
    },
    /** How long earlier completed runs of the database took (backups, or waits until ready), newest first; numbers only. */
    async pastDurations({ databaseId, kind, targetDatabaseId }: PastDurationsInput): Promise<number[]> {
      const client = options.runs;
      // The id goes into a visibility query: only ids of the checked shape do.
      if (!client || !DATABASE_ID.test(databaseId)) return [];
      const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ${DATABASE_ID_KEY.name} = '${databaseId}' AND ExecutionStatus = 'Completed'`;
      const runs: { workflowId: string; runId: string }[] = [];
      for await (const run of client.workflow.list({ query, pageSize: PAST_RUNS_READ })) {
        if (runs.push(run) >= PAST_RUNS_READ) break;
      }
      // A result purged since it was listed is simply no history.
      const resultOf = (run: { workflowId: string; runId: string }) => client.workflow.getHandle(run.workflowId, run.runId).result();
      const results = await Promise.all(runs.map((run) => resultOf(run).catch(() => undefined)));
      return usableDurations(results.flatMap((result) => pastDuration(result, kind, targetDatabaseId)));
    },
  };
}

/** One earlier result's duration of this kind, as a list of zero or one; results are untrusted JSON. */
function pastDuration(result: unknown, kind: PastDurationsInput['kind'], targetDatabaseId?: string): number[] {
  const { timings, targetDatabaseId: target, createdDatabaseId } = (result ?? {}) as Record<string, unknown>;
  const took = (timings ?? {}) as Record<string, unknown>;
  const value = kind === 'backup' ? took.backupTookMs : took.readyWaitMs;
  const sameTarget =
    kind === 'backup' || (targetDatabaseId === undefined ? typeof createdDatabaseId === 'string' : target === targetDatabaseId);
  return sameTarget && typeof value === 'number' ? [value] : [];
}

export type Activities = ReturnType<typeof createActivities>;
