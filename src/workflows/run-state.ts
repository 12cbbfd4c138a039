// A run's state: the one record the status query, the Web UI's current details and continue-as-new
// are derived from, and the pure steps that change it. Times are epoch milliseconds.
import { formatDuration } from '../shared/durations';
import { ErrorType } from '../shared/errors';
import type { ApiProfile, BackupStatus, PrismaBackupStatus } from '../shared/api-types';
import type {
  BackupAndRestoreInput,
  BackupWait,
  CarriedState,
  Phase,
  PollCounts,
  PollPolicy,
  RestoreProgress,
  VerificationProgress,
  WorkflowStatus,
} from '../shared/workflow-types';
import { MAX_POLL_ERROR_LENGTH, profileOf } from '../shared/validate-input';

export interface RunState {
  phase: Phase;
  profile: ApiProfile;
  databaseId: string;
  /** `prisma`: the existing database the run restores into; absent when it creates one. */
  targetDatabaseId?: string;
  /** When the run's first execution started. */
  runStartedAt: number;
  /** When the run completed, failed or was cancelled. */
  endedAt?: number;
  continuedAsNew: number;
  /** The backup the run waits for (and restores), once known. */
  wait?: BackupWait;
  nextPollAt?: number;
  /** Set while the run waits for an `approveRestore` update. */
  approvalDeadlineAt?: number;
  /** `prisma`: the restore, once it began. */
  restore?: RestoreProgress;
  /** With verify: what the verification has recorded so far. */
  verification?: VerificationProgress;
  /** A drill: its database is scratch. */
  drill?: true;
  /** Set once the drill's scratch database was deleted. */
  deletedDatabaseId?: string;
}

/** The state a run starts with: fresh, or as its previous execution carried it. Any input, even one that is refused. */
export function initialState(input: BackupAndRestoreInput | undefined, runStartedAt: number, carried?: CarriedState): RunState {
  const profile = profileOf(input);
  const state: RunState = { phase: 'starting', profile, databaseId: input?.databaseId as string, runStartedAt, continuedAsNew: 0 };
  if (profile === 'prisma' && input?.newDatabase === undefined) state.targetDatabaseId = input?.targetDatabaseId ?? input?.databaseId;
  if (input?.drill === true) state.drill = true;
  if (!carried) return state;
  const { continuedAsNew, runStartedAt: firstStartedAt, restore, verification, ...wait } = carried;
  return {
    ...state,
    runStartedAt: firstStartedAt,
    continuedAsNew,
    wait,
    ...(restore ? { restore } : {}),
    ...(verification ? { verification } : {}),
  };
}

/** A wait that begins now: the deadline counts from here. `backupId` absent: a `prisma` run waits for a newer backup to be listed. */
export function beginWait(
  backupId: string | undefined,
  backupStatus: BackupStatus | PrismaBackupStatus | undefined,
  now: number,
  policy: PollPolicy,
  backupCreatedAt?: string,
): BackupWait {
  return {
    ...(backupId === undefined ? {} : { backupId, backupStatus }),
    ...(backupCreatedAt === undefined ? {} : { backupCreatedAt }),
    pollsMade: 0,
    unlistedPolls: 0,
    failedPolls: 0,
    startedAt: now,
    deadlineAt: now + policy.deadlineMs,
  };
}

/** What the next execution needs to go on waiting: for the backup, or on the database a `prisma` run restores. */
export function carriedState({ wait, continuedAsNew, runStartedAt, restore, verification }: RunState & { wait: BackupWait }): CarriedState {
  return {
    ...wait,
    continuedAsNew: continuedAsNew + 1,
    runStartedAt,
    ...(restore ? { restore } : {}),
    ...(verification ? { verification } : {}),
  };
}

/**
 * The `status` query's answer. Failing polls are those of the wait under way: on the database once
 * the restore began, on a verification's reference database while it is awaited.
 */
export function runStatus(state: RunState, policy: PollPolicy): WorkflowStatus {
  const { wait, restore } = state;
  const reference = state.verification?.reference;
  const awaited = reference ?? restore;
  const polling: PollCounts | undefined = awaited?.wait ?? (restore ? undefined : wait);
  const status: WorkflowStatus = {
    phase: state.phase,
    profile: state.profile,
    databaseId: state.databaseId,
    backupId: wait?.backupId,
    backupStatus: wait?.backupStatus,
    backupCreatedAt: wait?.backupCreatedAt,
    pollsMade: wait?.pollsMade ?? 0,
    nextPollAt: state.nextPollAt,
    deadlineAt: restore ? undefined : wait?.deadlineAt,
    approvalDeadlineAt: state.approvalDeadlineAt,
    continuedAsNew: state.continuedAsNew,
    runStartedAt: state.runStartedAt,
    endedAt: state.endedAt,
    expectedCompletion: polling?.prediction && {
      earliestAt: polling.startedAt + polling.prediction.earliestMs,
      latestAt: polling.startedAt + polling.prediction.latestMs,
      samples: polling.prediction.samples,
    },
    failedPolls: polling?.failedPolls ?? 0,
    lastPollError: polling?.lastPollError,
    pollFailingSince: polling?.pollFailingSince,
    pollFailingDeadlineAt: polling?.pollFailingSince === undefined ? undefined : polling.pollFailingSince + policy.failingLimitMs,
    targetDatabaseId: restore?.databaseId ?? state.targetDatabaseId,
    createdDatabaseId: restore?.created ? restore.databaseId : undefined,
    restoreStep: restore?.step,
    restoreRequestsSent: restore?.requestsSent,
    databaseStatus: awaited?.wait?.status,
    databasePollsMade: awaited?.wait?.pollsMade,
    databaseDeadlineAt: awaited?.wait?.deadlineAt,
    referenceDatabaseId: reference?.databaseId,
    drill: state.drill,
  };
  // Absent rather than undefined, so the answer reads the same in JSON and in tests.
  return Object.fromEntries(Object.entries(status).filter(([, value]) => value !== undefined)) as unknown as WorkflowStatus;
}

/** A poll that failed (its retries ran out): counted in a row from the first, with the last error, cut to a bounded length. */
export function failedPoll<W extends PollCounts>(wait: W, error: string, polledAt: number): W {
  return {
    ...wait,
    pollsMade: wait.pollsMade + 1,
    failedPolls: wait.failedPolls + 1,
    pollFailingSince: wait.pollFailingSince ?? polledAt,
    lastPollError: error.slice(0, MAX_POLL_ERROR_LENGTH),
  };
}

/** A poll that was answered: whatever failed before is over. */
export function answeredPoll<W extends PollCounts>(wait: W): W {
  const { pollFailingSince: _since, lastPollError: _error, ...rest } = wait;
  return { ...(rest as W), pollsMade: wait.pollsMade + 1, failedPolls: 0 };
}

/** Whether polls have failed in a row for the policy's limit. */
export const failingTooLong = (wait: PollCounts, policy: PollPolicy, now: number) =>
  wait.pollFailingSince !== undefined && now - wait.pollFailingSince >= policy.failingLimitMs;

/** " The last 2 polls failed; the last error: "…"." while polls fail, else nothing. */
function failingPollsText(wait: PollCounts): string {
  if (wait.failedPolls === 0) return '';
  const lastPolls = wait.failedPolls === 1 ? 'The last poll' : `The last ${wait.failedPolls} polls`;
  return ` ${lastPolls} failed; the last error: ${JSON.stringify(wait.lastPollError)}.`;
}

/**
 * What one poll of the backup learnt: its status (in `prisma`, with the backup the list now offers),
 * that the list did not show it, that no backup newer than the run's start is listed yet (`prisma`),
 * or why the poll failed.
 */
export type PollOutcome =
  | { found: true; status: BackupStatus | PrismaBackupStatus; backupId?: string; createdAt?: string }
  | { found: false }
  | { noneYet: true }
  | { error: string };

/** The wait after poll number `wait.pollsMade + 1`, which began at `polledAt`. */
export function recordPoll(wait: BackupWait, outcome: PollOutcome, polledAt: number): BackupWait {
  if ('error' in outcome) return failedPoll(wait, outcome.error, polledAt);
  const answered = { ...answeredPoll(wait), unlistedPolls: 0 };
  if ('noneYet' in outcome) {
    const { backupId: _id, backupStatus: _status, backupCreatedAt: _at, ...none } = answered;
    return none;
  }
  if (!outcome.found) return { ...answered, unlistedPolls: wait.unlistedPolls + 1 };
  const { backupId = wait.backupId, createdAt = wait.backupCreatedAt } = outcome;
  return { ...answered, backupId, backupStatus: outcome.status, ...(createdAt === undefined ? {} : { backupCreatedAt: createdAt }) };
}

/** Polls in a row that may not find our backup in the list before we stop believing it exists. */
export const MAX_UNLISTED_POLLS = 10;

export interface RunEnding {
  type: ErrorType;
  message: string;
}

/** Why the wait must end now without a restore, if it must; checked before each poll. */
export function waitEnding(databaseId: string, wait: BackupWait, policy: PollPolicy, now: number): RunEnding | undefined {
  const { backupId } = wait;
  const ours = `Backup ${backupId} of database ${databaseId}`;
  if (backupId !== undefined && wait.backupStatus === 'failed') {
    return { type: ErrorType.BackupFailed, message: `${ours} failed; nothing was restored. Start a new run to try again.` };
  }
  if (backupId !== undefined && wait.unlistedPolls >= MAX_UNLISTED_POLLS) {
    return {
      type: ErrorType.BackupNotFound,
      message:
        `${ours} was missing from the backup list ${wait.unlistedPolls} polls in a row; nothing was restored. ` +
        'Check the database in the Prisma Console and start a new run.',
    };
  }
  if (failingTooLong(wait, policy, now)) {
    const polled = backupId === undefined ? `the backup list of database ${databaseId}` : `backup ${backupId} of database ${databaseId}`;
    const later =
      backupId === undefined
        ? 'a backup may still be listed later.'
        : `the backup may still complete, and \`restore --backup-id ${backupId}\` restores from it.`;
    return {
      type: ErrorType.PollFailing,
      message:
        `Polls of ${polled} have failed for over ${formatDuration(policy.failingLimitMs)} ` +
        `(${wait.failedPolls} in a row); the last error: ${JSON.stringify(wait.lastPollError)}. Nothing was restored. ` +
        `Fix what the error names (the API URL, the network, the API itself), then start a new run; ${later}`,
    };
  }
  if (now >= wait.deadlineAt) {
    const waited = `${formatDuration(policy.deadlineMs)} after the run began waiting`;
    const message =
      backupId === undefined
        ? `No backup of database ${databaseId} newer than the run's start was completed at the deadline (${waited}); nothing was restored. ` +
          "Prisma's backups are automatic and daily: raise the deadline to cover the next one, or start a new run later."
        : `${ours} was still ${wait.backupStatus} at the deadline (${waited}); nothing was restored. Raise the deadline or start a new run later.`;
    return { type: ErrorType.BackupTimedOut, message: `${message}${failingPollsText(wait)}` };
  }
  return undefined;
}
