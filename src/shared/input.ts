// The one schema of what a run and a fleet take (zod): the workflows validate with it, the CLI maps
// flags onto it and words its problems in flag terms, and the types below are inferred from it.
import { z } from 'zod';
import { formatDuration } from './durations';

const SECOND = 1000;
const HOUR = 3_600_000;
const MAX_MS = 30 * 24 * HOUR;

export const PROFILES = ['prisma', 'seed'] as const;
export type ApiProfile = (typeof PROFILES)[number];
export const POLL_MODES = ['predictive', 'backoff'] as const;
export const REGIONS = ['us-east-1', 'us-west-1', 'eu-west-3', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-1', 'inherit'] as const;

// Ids become URL path segments and visibility queries: only characters that cannot change either.
export const DATABASE_ID = /^[A-Za-z0-9_]{1,128}$/;
const BACKUP_ID = /^[A-Za-z0-9_-]{1,128}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// NUL and the C0 controls but tab, newline and carriage return.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
/** A check reads: after comments and blanks it begins as a query does. */
const QUERY_START = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(select|with|values|table)\b/i;

const databaseId = z.string().regex(DATABASE_ID, 'is not a database id: use letters, digits and _ (at most 128)');
const projectId = z.string().regex(DATABASE_ID, 'is not a project id: use letters, digits and _ (at most 128)');
const text = z
  .string()
  .min(1, 'is empty')
  .max(200, 'is longer than 200 characters')
  .refine((s) => !CONTROL.test(s), 'contains control characters');
const ms = (min: number, max = MAX_MS) => {
  const range = `must be whole milliseconds from ${formatDuration(min)} to ${formatDuration(max)}`;
  return z.number({ error: range }).int(range).min(min, range).max(max, range);
};

export const PollSchema = z
  .strictObject({
    /** First wait between looks. */
    initialIntervalMs: ms(100, HOUR),
    /** Longest wait between looks. */
    maximumIntervalMs: ms(100, HOUR),
    backoffCoefficient: z.number({ error: 'must be a number from 1 to 10' }).min(1, 'must be from 1 to 10').max(10, 'must be from 1 to 10'),
    /** Share of each wait that is random, so runs do not look in step. */
    jitter: z.number({ error: 'must be a number from 0 to 1' }).min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1'),
    /** Give up, never restoring, when the backup is not completed this long after the wait began. */
    deadlineMs: ms(SECOND),
    /** Give up (PollFailing) when looks have failed in a row this long. */
    failingLimitMs: ms(SECOND),
    /** `predictive`: look around the end earlier runs predict; `backoff`: always the backoff. */
    mode: z.enum(POLL_MODES, { error: `must be ${POLL_MODES.join(' or ')}` }),
  })
  .partial();

export const RunInputSchema = z
  .strictObject({
    /** The API the workers speak: Prisma's Management API, or the seed's. */
    profile: z.enum(PROFILES, { error: 'must be prisma or seed: the API the workers speak (PRISMA_API_PROFILE)' }),
    /** The database backed up (seed) or whose backup is restored (prisma). */
    databaseId,
    /** Seed: the label of the new backup. */
    backupLabel: text.optional(),
    /** Restore once the backup is completed (seed). Default true. */
    restore: z.boolean().optional(),
    /** Restore this existing backup instead of taking one (seed), or instead of the newest (prisma). */
    backupId: z.string().regex(BACKUP_ID, 'is not a backup id: use letters, digits, _ and - (at most 128)').optional(),
    /** Prisma: restore into this existing database. Default databaseId. */
    targetDatabaseId: databaseId.optional(),
    /** Prisma: restore into a new database created from the backup, touching nothing that exists. */
    newDatabase: z
      .strictObject({
        projectId,
        name: text.optional(),
        region: z.enum(REGIONS, { error: `must be one of ${REGIONS.join(', ')}` }).optional(),
      })
      .optional(),
    /** Prisma: wait, under the deadline, for a backup newer than the run's start. */
    waitForNewerBackup: z.boolean().optional(),
    /** Prisma: how long the restored database may take to be ready. Default 1 h. */
    readyDeadlineMs: ms(SECOND).optional(),
    /** Prisma: after a restore whose outcome is unknown, how long a request may be held by the API; nothing is sent again before. Default 15 min. */
    holdWindowMs: ms(SECOND).optional(),
    /** Wait, once the backup is completed, for an `approveRestore` update naming it. */
    approval: z.strictObject({ timeoutMs: ms(SECOND).optional() }).optional(),
    /** Check the restored data; `sql` replaces the default check with a read-only query whose every column must be true. */
    verify: z
      .strictObject({
        sql: z
          .string()
          .max(10_000, 'is longer than 10,000 characters')
          .regex(QUERY_START, 'must be one query beginning with SELECT, WITH, VALUES or TABLE (it runs READ ONLY)')
          .refine((sql) => !UNPRINTABLE.test(sql), 'contains control characters other than tabs and newlines')
          .optional(),
      })
      .optional(),
    /** Prisma, with newDatabase: a restore drill; the new database is verified, then deleted. */
    drill: z.boolean().optional(),
    poll: PollSchema.optional(),
  })
  .superRefine((input, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: path.split('.'), message });
    const { profile, restore, backupId, backupLabel, targetDatabaseId, newDatabase, approval, verify, drill } = input;
    for (const field of ['backupId', 'targetDatabaseId', 'approval', 'verify'] as const) {
      if (restore === false && input[field] !== undefined) problem(field, 'concerns the restore, and restore is false');
    }
    if (backupId !== undefined && backupLabel !== undefined) problem('backupLabel', 'labels a new backup; leave it out with backupId');
    const { initialIntervalMs = 0, maximumIntervalMs = Infinity } = input.poll ?? {};
    if (maximumIntervalMs < initialIntervalMs) problem('poll.maximumIntervalMs', 'must not be smaller than poll.initialIntervalMs');
    if (drill && approval !== undefined) problem('approval', 'is not taken by a drill, which replaces no data');
    if (profile === 'seed') {
      for (const field of ['newDatabase', 'waitForNewerBackup', 'readyDeadlineMs', 'holdWindowMs', 'drill'] as const) {
        if (input[field] !== undefined)
          problem(field, 'needs the prisma profile: the seed API cannot create databases or report their status');
      }
      if (targetDatabaseId !== undefined && targetDatabaseId !== input.databaseId)
        problem('targetDatabaseId', 'must be databaseId: the seed API restores a backup only into its own database');
      if (verify && verify.sql === undefined && backupId !== undefined)
        problem('verify.sql', "is needed: the default check compares with the source's data around a backup the run takes itself");
      return;
    }
    if (restore === false) problem('restore', "cannot be false: Prisma's backups are automatic and daily, so a prisma run always restores");
    if (backupLabel !== undefined) problem('backupLabel', "labels a new backup, and Prisma's API takes none on demand");
    if (input.waitForNewerBackup && backupId !== undefined) problem('waitForNewerBackup', 'cannot be combined with backupId');
    if (newDatabase && targetDatabaseId !== undefined) problem('targetDatabaseId', 'cannot be combined with newDatabase');
    if (drill && !newDatabase) problem('newDatabase', 'is required by a drill: the project its scratch database is created in');
  });

export type RunInput = z.infer<typeof RunInputSchema>;
export type PollSettings = z.infer<typeof PollSchema>;
export const FLEET_ACTIONS = ['drill', 'restore', 'backup'] as const;

export const FleetInputSchema = z
  .strictObject({
    profile: z.enum(PROFILES, { error: 'must be prisma or seed: the API the workers speak (PRISMA_API_PROFILE)' }),
    /** drill (prisma): each database's backup into a scratch database; restore: each into its mapped target; backup (seed). */
    action: z.enum(FLEET_ACTIONS, { error: `must be one of ${FLEET_ACTIONS.join(', ')}` }),
    /** Prisma: every database of this project, as listed when the fleet starts; also where drills create scratch databases. */
    projectId: projectId.optional(),
    /** These databases instead of a project's (the seed API lists none). */
    databaseIds: z.array(databaseId).min(1).max(1000).optional(),
    /** restore: source database id → target database id, each target confirmed. */
    targets: z.record(z.string().regex(DATABASE_ID, 'is not a database id'), databaseId).optional(),
    /** Runs at once. Default 4. */
    concurrency: z.number().int().min(1).max(50).optional(),
    verify: z.strictObject({ sql: RunInputSchema.shape.verify.unwrap().shape.sql }).optional(),
    readyDeadlineMs: ms(SECOND).optional(),
    poll: PollSchema.optional(),
  })
  .superRefine((fleet, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (fleet.action === 'drill' && fleet.profile !== 'prisma') problem('action', 'drill needs the prisma profile');
    if (fleet.action === 'backup' && fleet.profile !== 'seed')
      problem('action', "backup needs the seed profile: Prisma's backups are automatic");
    if (fleet.action === 'restore' && !fleet.targets) problem('targets', 'is required by restore: map each source to its target');
    if (fleet.action !== 'restore' && fleet.targets) problem('targets', 'is only for restore');
    if (fleet.action === 'drill' && !fleet.projectId) problem('projectId', 'is required by a drill: where scratch databases are created');
    if (!fleet.projectId && !fleet.databaseIds && !fleet.targets) problem('projectId', 'or databaseIds is required');
    if (fleet.projectId && fleet.profile === 'seed') problem('projectId', 'needs the prisma profile: the seed API lists no databases');
    // Each child must be a run the run's schema takes: its problems are the fleet's, by the fleet's field.
    if (ctx.issues.length > 0) return;
    const ids = fleet.databaseIds ?? Object.keys(fleet.targets ?? {});
    const seen = new Set<string>();
    for (const databaseId of ids.length > 0 ? ids : ['db_listed']) {
      for (const { path, message } of problemsOf(RunInputSchema, childInput(fleet, databaseId))) {
        const at = CHILD_PATHS[path] ?? path;
        if (!seen.has(at) && at !== 'databaseId') problem(at, `${message} (for ${databaseId})`);
        seen.add(at);
      }
    }
  });

/** A child run's fields, as the fleet's input names them. */
const CHILD_PATHS: Record<string, string> = { targetDatabaseId: 'targets', newDatabase: 'projectId', 'newDatabase.projectId': 'projectId' };
export type FleetInput = z.infer<typeof FleetInputSchema>;

/** The run of one database, as the fleet asks for it. */
export function childInput(fleet: FleetInput, databaseId: string): RunInput {
  const common = {
    profile: fleet.profile,
    databaseId,
    ...(fleet.poll ? { poll: fleet.poll } : {}),
    ...(fleet.readyDeadlineMs ? { readyDeadlineMs: fleet.readyDeadlineMs } : {}),
  };
  if (fleet.action === 'drill') return { ...common, newDatabase: { projectId: fleet.projectId! }, drill: true, verify: fleet.verify ?? {} };
  // Passed on even where a run cannot take it, so its schema refuses it rather than the fleet dropping it.
  if (fleet.action === 'backup') return { ...common, restore: false, ...(fleet.verify ? { verify: fleet.verify } : {}) };
  return { ...common, targetDatabaseId: fleet.targets?.[databaseId] ?? databaseId, ...(fleet.verify ? { verify: fleet.verify } : {}) };
}

export const DEFAULT_READY_DEADLINE_MS = HOUR;
/** Well above the longest hold a gateway in front of an HTTP API applies (Cloudflare's is 100 s). */
export const DEFAULT_HOLD_WINDOW_MS = 15 * 60_000;
export const DEFAULT_APPROVAL_TIMEOUT_MS = 24 * HOUR;
export const DEFAULT_FLEET_CONCURRENCY = 4;

/** One problem with an input: the dotted path of the field, and what is wrong with it. */
export type Problem = { path: string; message: string };

const TOKEN_IN_INPUT = 'must not be in the input, which is kept in workflow history: give the worker PRISMA_API_TOKEN';

/** Every problem zod finds, one per field; unknown fields are named one by one. */
export function problemsOf(schema: z.ZodType, value: unknown): Problem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ path: 'input', message: 'must be an object of fields' }];
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return [];
  const problems = parsed.error.issues.flatMap((issue): Problem[] => {
    const path = issue.path.join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        message: key === 'apiToken' ? TOKEN_IN_INPUT : 'is not a known field',
      }));
    if (issue.code === 'invalid_type' && issue.input === undefined) return [{ path, message: 'is required' }];
    return [{ path: path || 'input', message: issue.message }];
  });
  // One problem a field: the first, which is about its value before any rule relating it to others.
  return problems.filter((p, i) => problems.findIndex((q) => q.path === p.path) === i);
}

/** Problems as one sentence each: "databaseId is required." */
export const problemText = (problems: Problem[], name: (path: string) => string = (p) => p) =>
  problems.map((p) => `${name(p.path)} ${p.message}.`).join(' ');
