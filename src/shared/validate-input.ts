// Input checks shared by the starter (before a run starts) and the workflow (before any request).
import { API_PROFILES, DATABASE_REGIONS, DATABASE_STATUSES, type ApiProfile } from './api-types';
import type {
  BackupAndRestoreInput,
  CarriedState,
  CompletionPrediction,
  DatabaseWait,
  PollCounts,
  RestoreProgress,
  VerificationProgress,
} from './workflow-types';
import { DEFAULT_POLL_POLICY, pollPolicyProblems, READY_DEADLINE_LIMITS_MS, resolvePollPolicy } from './poll-policy';
import { isInventory, verifyProblems } from './verify-input';

/**
 * The safe subset of Prisma's published id pattern (`^(db_)?([cC][^\s-]{8,}|[a-z0-9]+)$`):
 * letters, digits and `_` only, so an id can never change the request path.
 */
export const DATABASE_ID_PATTERN = /^[A-Za-z0-9_]{1,128}$/;
/** Backup ids the same way, with `-` too; they are path segments as well. */
export const BACKUP_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
/** Project ids the same way as database ids (Prisma's pattern is `^(proj_)?([cC][^\s-]{8,}|[a-z0-9]+)$`). */
export const PROJECT_ID_PATTERN = DATABASE_ID_PATTERN;
export const MAX_LABEL_LENGTH = 200;
// C0, DEL and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const INPUT_FIELDS = [
  'profile',
  'databaseId',
  'backupLabel',
  'poll',
  'restore',
  'backupId',
  'targetDatabaseId',
  'newDatabase',
  'waitForNewerBackup',
  'readyDeadlineMs',
  'approval',
  'verify',
  'drill',
];
const APPROVAL_FIELDS = ['timeoutMs'];
const NEW_DATABASE_FIELDS = ['projectId', 'name', 'region'];
export const APPROVAL_TIMEOUT_LIMITS_MS = { min: 1000, max: 30 * 24 * 3600 * 1000 } as const;
export const DEFAULT_APPROVAL_TIMEOUT_MS = 24 * 3600 * 1000;
const POLL_FIELDS = Object.keys(DEFAULT_POLL_POLICY);

/** Fields the input does not know: a typo would otherwise silently fall back to a default. */
function unknownFieldProblems(value: object, known: string[], where: string): string[] {
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) =>
      key === 'apiToken'
        ? 'apiToken must not be part of the input (inputs are kept in workflow history): give the worker the token in PRISMA_API_TOKEN or PRISMA_API_TOKEN_FILE.'
        : key === 'resume' && where === ''
          ? 'resume is internal to the workflow (a run that continues as new carries its state in a separate argument); leave it out.'
          : `${where}${key} is not a known field; the known ones are ${known.join(', ')}.`,
    );
}

const isCount = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;

/** Longest poll error a run keeps: enough to name the cause, short enough for every status answer. */
export const MAX_POLL_ERROR_LENGTH = 500;

/** A carried prediction: a window after the wait's start, from at least one earlier duration. */
const isPrediction = (prediction: Partial<CompletionPrediction> | undefined) =>
  prediction === undefined ||
  (typeof prediction === 'object' &&
    prediction !== null &&
    [prediction.earliestMs, prediction.latestMs].every((ms) => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) &&
    prediction.latestMs! >= prediction.earliestMs! &&
    isCount(prediction.samples) &&
    prediction.samples! > 0);

const isPollCounts = (wait: Partial<PollCounts>, optionalCount: (n: unknown) => boolean) => {
  const failing = (wait.failedPolls ?? 0) > 0;
  return (
    [wait.pollsMade, wait.startedAt, wait.deadlineAt].every(isCount) &&
    isPrediction(wait.prediction) &&
    wait.deadlineAt! > wait.startedAt! &&
    optionalCount(wait.failedPolls) &&
    // A failing stretch has a start and an error exactly while polls fail.
    (failing
      ? isCount(wait.pollFailingSince) && typeof wait.lastPollError === 'string' && wait.lastPollError.length <= MAX_POLL_ERROR_LENGTH
      : wait.pollFailingSince === undefined && wait.lastPollError === undefined)
  );
};

const isSource = (source: unknown) =>
  typeof source === 'object' &&
  source !== null &&
  DATABASE_ID_PATTERN.test(String((source as { databaseId?: unknown }).databaseId)) &&
  BACKUP_ID_PATTERN.test(String((source as { backupId?: unknown }).backupId));

/**
 * A restore carried into a continuation: only at a step where the run waits on the database, so a
 * continuation never sends a request it cannot account for.
 */
function isCarriedRestore(restore: Partial<RestoreProgress>, input: BackupAndRestoreInput | undefined): boolean {
  const wait = restore.wait as Partial<DatabaseWait> | undefined;
  const sent = isCount(restore.requestsSent) && restore.requestsSent! > 0;
  const stepFits =
    restore.step === 'check'
      ? !restore.created && restore.requestsSent === 0 && restore.sourceBefore === undefined
      : restore.step === 'applied'
        ? restore.created === true || sent
        : (restore.step === 'read-back' || restore.step === 'conflict') && !restore.created && sent;
  // The database the input names (a created one is named by the run).
  const target = restore.created ? input?.newDatabase !== undefined : restore.databaseId === (input?.targetDatabaseId ?? input?.databaseId);
  return (
    typeof restore === 'object' &&
    restore !== null &&
    DATABASE_ID_PATTERN.test(String(restore.databaseId)) &&
    typeof restore.created === 'boolean' &&
    target &&
    isCount(restore.requestsSent) &&
    isCount(restore.backupCompletedAt) &&
    stepFits &&
    (restore.step === 'check' || restore.created || restore.sourceBefore === null || isSource(restore.sourceBefore)) &&
    typeof wait === 'object' &&
    wait !== null &&
    isPollCounts(wait, isCount) &&
    (wait.status === undefined || DATABASE_STATUSES.includes(wait.status)) &&
    (wait.source === undefined || isSource(wait.source))
  );
}

/**
 * A verification carried into a continuation: the seed's inventory taken before the backup, or a
 * prisma run's reference database while it is awaited (it was created, so it is only waited for and deleted).
 */
function isCarriedVerification(verification: Partial<VerificationProgress>, input: BackupAndRestoreInput | undefined): boolean {
  if (typeof verification !== 'object' || verification === null || input?.verify === undefined) return false;
  const { before, reference } = verification;
  const wait = reference?.wait as Partial<DatabaseWait> | undefined;
  return (
    (before === undefined || isInventory(before)) &&
    (reference === undefined ||
      (profileOf(input) === 'prisma' &&
        DATABASE_ID_PATTERN.test(String(reference.databaseId)) &&
        reference.created === true &&
        reference.step === 'applied' &&
        reference.requestsSent === 0 &&
        isCount(reference.backupCompletedAt) &&
        typeof wait === 'object' &&
        wait !== null &&
        isPollCounts(wait, isCount)))
  );
}

/**
 * The state a run carries into its continuation, as strictly as it must be: a backup that is not
 * waited for any more, or a deadline before the wait began, would skip the wait; a restore at a
 * step that sends could send twice. State carried by older code (in `input.resume`) has no run
 * start and no poll failures.
 */
export function carriedStateProblems(carried: unknown, input?: BackupAndRestoreInput): string[] {
  const state = carried as Partial<CarriedState> | null;
  const profile = profileOf(input);
  const optionalCount = (n: unknown) => n === undefined || isCount(n);
  const waiting: readonly unknown[] = profile === 'prisma' ? ['running'] : ['pending', 'in_progress'];
  const hasBackup = typeof state?.backupId === 'string' && BACKUP_ID_PATTERN.test(state.backupId);
  const backup =
    state?.restore !== undefined
      ? profile === 'prisma' && hasBackup && state.backupStatus === 'completed' && isCarriedRestore(state.restore, input)
      : hasBackup
        ? waiting.includes(state?.backupStatus)
        : // A prisma run waiting for a backup newer than its start, none listed yet.
          profile === 'prisma' && state?.backupId === undefined && state?.backupStatus === undefined;
  const valid =
    typeof state === 'object' &&
    state !== null &&
    backup &&
    (state.verification === undefined || isCarriedVerification(state.verification, input)) &&
    (state.backupCreatedAt === undefined || typeof state.backupCreatedAt === 'string') &&
    [state.unlistedPolls, state.continuedAsNew].every(isCount) &&
    optionalCount(state.runStartedAt) &&
    isPollCounts(state, optionalCount);
  return valid
    ? []
    : ['The state this continuation carries is not valid (it could skip the wait for the backup); nothing was restored. Start a new run.'];
}

const quoted = (value: string) => JSON.stringify(value.slice(0, 40));

/** The restore-related fields: which backup, into which database, approved how. */
function restoreProblems({
  profile,
  databaseId,
  restore,
  backupId,
  backupLabel,
  targetDatabaseId,
  approval,
}: BackupAndRestoreInput): string[] {
  const problems: string[] = [];
  if (backupId !== undefined) {
    if (typeof backupId !== 'string' || !BACKUP_ID_PATTERN.test(backupId)) {
      problems.push(
        `backupId ${typeof backupId === 'string' ? quoted(backupId) : String(backupId)} is not a valid backup id: use only letters, digits, _ and - (at most 128).`,
      );
    }
    if (restore === false) problems.push('backupId names a backup to restore from, so it cannot be combined with restore: false.');
    if (backupLabel !== undefined) problems.push('backupLabel labels a new backup; leave it out when restoring from an existing backupId.');
  }
  if (targetDatabaseId !== undefined) {
    if (typeof targetDatabaseId !== 'string' || !DATABASE_ID_PATTERN.test(targetDatabaseId)) {
      problems.push('targetDatabaseId is not a valid database id: use only letters, digits and _ (at most 128).');
    } else if (targetDatabaseId !== databaseId && profileOf({ profile }) === 'seed') {
      problems.push(
        `targetDatabaseId ${quoted(targetDatabaseId)} differs from databaseId: the seed API restores a backup only into the database it was taken from ` +
          '(POST /databases/{databaseId}/backups/{backupId}/restore). Leave targetDatabaseId out, or use the prisma profile (PRISMA_API_PROFILE=prisma), ' +
          'whose API restores a backup into any database.',
      );
    }
    if (restore === false) problems.push('targetDatabaseId names where to restore, so it cannot be combined with restore: false.');
  }
  if (approval !== undefined) {
    if (typeof approval !== 'object' || approval === null) {
      problems.push('approval, when given, must be an object such as { timeoutMs: 86400000 }.');
    } else {
      problems.push(...unknownFieldProblems(approval, APPROVAL_FIELDS, 'approval.'));
      const { timeoutMs } = approval;
      const { min, max } = APPROVAL_TIMEOUT_LIMITS_MS;
      if (timeoutMs !== undefined && !(Number.isSafeInteger(timeoutMs) && timeoutMs >= min && timeoutMs <= max)) {
        problems.push(`approval.timeoutMs must be a whole number from ${min} ms to ${max} ms; got ${String(timeoutMs)}.`);
      }
    }
    if (restore === false) problems.push('approval guards the restore, so it cannot be combined with restore: false.');
  }
  return problems;
}

/** The profile a run speaks: absent (a run started before profiles existed) is `seed`. */
export function profileOf(input: Pick<BackupAndRestoreInput, 'profile'> | undefined): ApiProfile {
  return input?.profile === 'prisma' ? 'prisma' : 'seed';
}

/** What one profile can do and the other cannot, refused with the reason. */
function profileProblems(input: BackupAndRestoreInput): string[] {
  const { profile, restore, backupLabel, backupId, targetDatabaseId, newDatabase, waitForNewerBackup, readyDeadlineMs } = input;
  if (profile !== undefined && !API_PROFILES.includes(profile)) {
    return [
      `profile ${JSON.stringify(profile)} is not a profile: use prisma (Prisma's Management API) or seed (the seed's create-backup API).`,
    ];
  }
  const problems: string[] = [];
  if (profileOf(input) === 'seed') {
    const prismaOnly = (field: string, why: string) =>
      problems.push(
        `${field} needs the prisma profile (PRISMA_API_PROFILE=prisma): ${why}. Leave it out, or run against Prisma's Management API.`,
      );
    if (newDatabase !== undefined) prismaOnly('newDatabase', 'the seed API cannot create a database from a backup');
    if (waitForNewerBackup !== undefined) prismaOnly('waitForNewerBackup', 'a seed run takes a new backup itself');
    if (readyDeadlineMs !== undefined) prismaOnly('readyDeadlineMs', 'the seed API does not say when a restored database is ready');
    return problems;
  }
  if (restore === false) {
    problems.push(
      "restore: false asks for a backup only, which the prisma profile cannot take: Prisma's backups are automatic and daily, and its API " +
        'has no on-demand backup. Leave restore out to restore from an existing backup, or use the seed profile with an API that takes backups on demand.',
    );
  }
  if (backupLabel !== undefined) {
    problems.push(
      "backupLabel labels a new backup, which the prisma profile never takes: Prisma's backups are automatic and daily. " +
        'Leave it out; to restore from a particular backup, give its backupId.',
    );
  }
  if (waitForNewerBackup !== undefined && typeof waitForNewerBackup !== 'boolean') {
    problems.push('waitForNewerBackup, when given, must be true or false.');
  } else if (waitForNewerBackup && backupId !== undefined) {
    problems.push(
      'waitForNewerBackup waits for the next automatic backup, so it cannot be combined with backupId, which names one; give one of them.',
    );
  }
  if (readyDeadlineMs !== undefined) {
    const { min, max } = READY_DEADLINE_LIMITS_MS;
    if (!(Number.isSafeInteger(readyDeadlineMs) && readyDeadlineMs >= min && readyDeadlineMs <= max)) {
      problems.push(`readyDeadlineMs must be a whole number from ${min} ms to ${max} ms; got ${String(readyDeadlineMs)}.`);
    }
  }
  if (newDatabase !== undefined) {
    if (targetDatabaseId !== undefined) {
      problems.push('newDatabase restores into a new database, so it cannot be combined with targetDatabaseId; give one of them.');
    }
    problems.push(...newDatabaseProblems(newDatabase));
  }
  return problems;
}

function newDatabaseProblems(newDatabase: unknown): string[] {
  if (typeof newDatabase !== 'object' || newDatabase === null) {
    return ['newDatabase, when given, must be an object such as { projectId: "proj_abc" }.'];
  }
  const problems = unknownFieldProblems(newDatabase, NEW_DATABASE_FIELDS, 'newDatabase.');
  const { projectId, name, region } = newDatabase as Record<string, unknown>;
  if (typeof projectId !== 'string' || !PROJECT_ID_PATTERN.test(projectId)) {
    problems.push(
      'newDatabase.projectId is required: the id of the project to create the database in (letters, digits and _, as in the Prisma Console).',
    );
  }
  if (name !== undefined) {
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_LABEL_LENGTH || CONTROL_CHARACTERS.test(name)) {
      problems.push(`newDatabase.name, when given, must be 1 to ${MAX_LABEL_LENGTH} characters without control characters.`);
    }
  }
  if (region !== undefined && !DATABASE_REGIONS.includes(region as (typeof DATABASE_REGIONS)[number])) {
    problems.push(`newDatabase.region must be one of ${DATABASE_REGIONS.join(', ')}; got ${JSON.stringify(region)}.`);
  }
  return problems;
}

/** Every problem with the input, each saying what to change; empty when the input is usable. */
export function inputProblems(input: BackupAndRestoreInput | undefined): string[] {
  if (typeof input !== 'object' || input === null) return ['The input must be an object with a databaseId.'];
  const problems = unknownFieldProblems(input, INPUT_FIELDS, '');
  const { databaseId, backupLabel, restore, poll } = input;
  if (typeof databaseId !== 'string' || databaseId.trim() === '') {
    problems.push('databaseId is required: pass the id of the database to back up (e.g. db_abc123).');
  } else if (!DATABASE_ID_PATTERN.test(databaseId)) {
    problems.push(
      `databaseId ${quoted(databaseId)} is not a valid database id: use only letters, digits and _ (at most 128), as in the Prisma Console.`,
    );
  }
  if (backupLabel !== undefined) {
    if (typeof backupLabel !== 'string' || backupLabel.length === 0) {
      problems.push('backupLabel, when given, must be a non-empty string.');
    } else if (backupLabel.length > MAX_LABEL_LENGTH) {
      problems.push(`backupLabel is ${backupLabel.length} characters long; shorten it to at most ${MAX_LABEL_LENGTH}.`);
    } else if (CONTROL_CHARACTERS.test(backupLabel)) {
      problems.push('backupLabel contains control characters (such as newlines or tabs); remove them.');
    }
  }
  if (restore !== undefined && typeof restore !== 'boolean') problems.push('restore, when given, must be true or false.');
  if (poll !== undefined && (typeof poll !== 'object' || poll === null)) {
    problems.push('poll, when given, must be an object of poll settings.');
  } else {
    if (poll) problems.push(...unknownFieldProblems(poll, POLL_FIELDS, 'poll.'));
    problems.push(...pollPolicyProblems(resolvePollPolicy(poll)));
  }
  problems.push(...restoreProblems(input), ...profileProblems(input), ...verifyProblems(input, profileOf(input)));
  return problems;
}

export interface RunArguments {
  input: BackupAndRestoreInput;
  /** Set only in a continuation, and only when valid. */
  carried?: CarriedState;
  problems: string[];
}

/**
 * The workflow's arguments, checked: the input as callers give it, and in a continuation the
 * carried state. Continuations started by older code carried the state in `input.resume`; that
 * form is still accepted in a continuation, so an upgrade loses no waiting run. A run that is not a
 * continuation carries nothing, so no caller can hand it state that skips the wait.
 */
export function readRunArguments(input: BackupAndRestoreInput, carried: unknown, isContinuation: boolean): RunArguments {
  let state = carried;
  if (isContinuation && state === undefined && typeof input === 'object' && input !== null && 'resume' in input) {
    const { resume, ...rest } = input as BackupAndRestoreInput & { resume?: unknown };
    [input, state] = [rest, resume];
  }
  const problems = inputProblems(input);
  if (state === undefined) return { input, problems };
  if (!isContinuation) {
    problems.push('A run takes one argument, its input; only a continuation of a run carries a second. Start runs with the input alone.');
    return { input, problems };
  }
  const stateProblems = carriedStateProblems(state, input);
  if (stateProblems.length > 0) return { input, problems: [...problems, ...stateProblems] };
  const valid = state as Partial<CarriedState> & Omit<CarriedState, 'runStartedAt' | 'failedPolls'>;
  // Older code carried neither: its runs began waiting right after they started, and knew no failed polls.
  return {
    input,
    carried: { ...valid, runStartedAt: valid.runStartedAt ?? valid.startedAt, failedPolls: valid.failedPolls ?? 0 },
    problems,
  };
}
