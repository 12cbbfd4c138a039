// Input checks shared by the starter (before a run starts) and the workflow (before any request).
import type { BackupAndRestoreInput, CarriedState } from './workflow-types';
import { DEFAULT_POLL_POLICY, pollPolicyProblems, resolvePollPolicy } from './poll-policy';

/**
 * The safe subset of Prisma's published id pattern (`^(db_)?([cC][^\s-]{8,}|[a-z0-9]+)$`):
 * letters, digits and `_` only, so an id can never change the request path.
 */
export const DATABASE_ID_PATTERN = /^[A-Za-z0-9_]{1,128}$/;
/** Backup ids the same way, with `-` too; they are path segments as well. */
export const BACKUP_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
export const MAX_LABEL_LENGTH = 200;
// C0, DEL and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const INPUT_FIELDS = ['databaseId', 'backupLabel', 'poll', 'restore', 'backupId', 'targetDatabaseId', 'approval'];
const APPROVAL_FIELDS = ['timeoutMs'];
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

/**
 * The state a run carries into its continuation, as strictly as it must be: a backup that is not
 * waited for any more, or a deadline before the wait began, would skip the wait. State carried by
 * older code (in `input.resume`) has no run start and no poll failures.
 */
export function carriedStateProblems(carried: unknown): string[] {
  const state = carried as Partial<CarriedState> | null;
  const optionalCount = (n: unknown) => n === undefined || isCount(n);
  const failing = (state?.failedPolls ?? 0) > 0;
  const valid =
    typeof state === 'object' &&
    state !== null &&
    typeof state.backupId === 'string' &&
    state.backupId !== '' &&
    (state.backupStatus === 'pending' || state.backupStatus === 'in_progress') &&
    [state.pollsMade, state.unlistedPolls, state.continuedAsNew, state.startedAt, state.deadlineAt].every(isCount) &&
    state.deadlineAt! > state.startedAt! &&
    [state.runStartedAt, state.failedPolls].every(optionalCount) &&
    // A failing stretch has a start and an error exactly while polls fail.
    (failing
      ? isCount(state.pollFailingSince) && typeof state.lastPollError === 'string' && state.lastPollError.length <= MAX_POLL_ERROR_LENGTH
      : state.pollFailingSince === undefined && state.lastPollError === undefined);
  return valid
    ? []
    : ['The state this continuation carries is not valid (it could skip the wait for the backup); nothing was restored. Start a new run.'];
}

const quoted = (value: string) => JSON.stringify(value.slice(0, 40));

/** The restore-related fields: which backup, into which database, approved how. */
function restoreProblems({ databaseId, restore, backupId, backupLabel, targetDatabaseId, approval }: BackupAndRestoreInput): string[] {
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
    } else if (targetDatabaseId !== databaseId) {
      problems.push(
        `targetDatabaseId ${quoted(targetDatabaseId)} differs from databaseId: the Management API this project calls restores a backup only into the database it was taken from ` +
          '(POST /databases/{databaseId}/backups/{backupId}/restore). Leave targetDatabaseId out, or restore into another database from the Prisma Console.',
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
  problems.push(...restoreProblems(input));
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
  const stateProblems = carriedStateProblems(state);
  if (stateProblems.length > 0) return { input, problems: [...problems, ...stateProblems] };
  const valid = state as Partial<CarriedState> & Omit<CarriedState, 'runStartedAt' | 'failedPolls'>;
  // Older code carried neither: its runs began waiting right after they started, and knew no failed polls.
  return {
    input,
    carried: { ...valid, runStartedAt: valid.runStartedAt ?? valid.startedAt, failedPolls: valid.failedPolls ?? 0 },
    problems,
  };
}
