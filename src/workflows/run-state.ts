// A run's state: the one record the status query, the Web UI's current details and continue-as-new
// are derived from, and the pure steps that change it. Times are epoch milliseconds.
import { formatDuration } from '../shared/durations';
import { ErrorType } from '../shared/errors';
import type { BackupStatus } from '../shared/api-types';
import type { BackupWait, CarriedState, Phase, PollPolicy, WorkflowStatus } from '../shared/workflow-types';
import { MAX_POLL_ERROR_LENGTH } from '../shared/validate-input';

export interface RunState {
  phase: Phase;
  databaseId: string;
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
}

/** The state a run starts with: fresh, or as its previous execution carried it. */
export function initialState(databaseId: string, runStartedAt: number, carried?: CarriedState): RunState {
  if (!carried) return { phase: 'starting', databaseId, runStartedAt, continuedAsNew: 0 };
  const { continuedAsNew, runStartedAt: firstStartedAt, ...wait } = carried;
  return { phase: 'starting', databaseId, runStartedAt: firstStartedAt, continuedAsNew, wait };
}

/** A wait that begins now: the deadline counts from here. */
export function beginWait(backupId: string, backupStatus: BackupStatus, now: number, policy: PollPolicy): BackupWait {
  return { backupId, backupStatus, pollsMade: 0, unlistedPolls: 0, failedPolls: 0, startedAt: now, deadlineAt: now + policy.deadlineMs };
}

/** What the next execution needs to go on waiting. */
export function carriedState({ wait, continuedAsNew, runStartedAt }: RunState & { wait: BackupWait }): CarriedState {
  return { ...wait, continuedAsNew: continuedAsNew + 1, runStartedAt };
}

/** The `status` query's answer. */
export function runStatus(state: RunState, policy: PollPolicy): WorkflowStatus {
  const { wait } = state;
  const status: WorkflowStatus = {
    phase: state.phase,
    databaseId: state.databaseId,
    backupId: wait?.backupId,
    backupStatus: wait?.backupStatus,
    pollsMade: wait?.pollsMade ?? 0,
    nextPollAt: state.nextPollAt,
    deadlineAt: wait?.deadlineAt,
    approvalDeadlineAt: state.approvalDeadlineAt,
    continuedAsNew: state.continuedAsNew,
    runStartedAt: state.runStartedAt,
    endedAt: state.endedAt,
    failedPolls: wait?.failedPolls ?? 0,
    lastPollError: wait?.lastPollError,
    pollFailingSince: wait?.pollFailingSince,
    pollFailingDeadlineAt: wait?.pollFailingSince === undefined ? undefined : wait.pollFailingSince + policy.failingLimitMs,
  };
  // Absent rather than undefined, so the answer reads the same in JSON and in tests.
  return Object.fromEntries(Object.entries(status).filter(([, value]) => value !== undefined)) as unknown as WorkflowStatus;
}

/** What one poll learnt: our backup's status, that the list did not show it, or why the poll failed. */
export type PollOutcome = { found: true; status: BackupStatus } | { found: false } | { error: string };

/** The wait after poll number `wait.pollsMade + 1`, which began at `polledAt`. */
export function recordPoll(wait: BackupWait, outcome: PollOutcome, polledAt: number): BackupWait {
  const pollsMade = wait.pollsMade + 1;
  if ('error' in outcome) {
    return {
      ...wait,
      pollsMade,
      failedPolls: wait.failedPolls + 1,
      pollFailingSince: wait.pollFailingSince ?? polledAt,
      lastPollError: outcome.error.slice(0, MAX_POLL_ERROR_LENGTH),
    };
  }
  // Answered: whatever failed before is over.
  const answered = { ...wait, pollsMade, failedPolls: 0, pollFailingSince: undefined, lastPollError: undefined };
  return outcome.found
    ? { ...answered, backupStatus: outcome.status, unlistedPolls: 0 }
    : { ...answered, unlistedPolls: wait.unlistedPolls + 1 };
}

/** Polls in a row that may not find our backup in the list before we stop believing it exists. */
export const MAX_UNLISTED_POLLS = 10;

export interface RunEnding {
  type: ErrorType;
  message: string;
}

/** Why the wait must end now without a restore, if it must; checked before each poll. */
export function waitEnding(databaseId: string, wait: BackupWait, policy: PollPolicy, now: number): RunEnding | undefined {
  const ours = `Backup ${wait.backupId} of database ${databaseId}`;
  const lastPolls = wait.failedPolls === 1 ? 'The last poll' : `The last ${wait.failedPolls} polls`;
  const failing = wait.failedPolls > 0 ? ` ${lastPolls} failed; the last error: ${JSON.stringify(wait.lastPollError)}.` : '';
  if (wait.backupStatus === 'failed') {
    return { type: ErrorType.BackupFailed, message: `${ours} failed; nothing was restored. Start a new run to try again.` };
  }
  if (wait.unlistedPolls >= MAX_UNLISTED_POLLS) {
    return {
      type: ErrorType.BackupNotFound,
      message:
        `${ours} was missing from the backup list ${wait.unlistedPolls} polls in a row; nothing was restored. ` +
        'Check the database in the Prisma Console and start a new run.',
    };
  }
  if (wait.pollFailingSince !== undefined && now - wait.pollFailingSince >= policy.failingLimitMs) {
    return {
      type: ErrorType.PollFailing,
      message:
        `Polls of backup ${wait.backupId} of database ${databaseId} have failed for over ${formatDuration(policy.failingLimitMs)} ` +
        `(${wait.failedPolls} in a row); the last error: ${JSON.stringify(wait.lastPollError)}. Nothing was restored. ` +
        'Fix what the error names (the API URL, the network, the API itself), then start a new run; ' +
        `the backup may still complete, and \`restore --backup-id ${wait.backupId}\` restores from it.`,
    };
  }
  if (now >= wait.deadlineAt) {
    return {
      type: ErrorType.BackupTimedOut,
      message:
        `${ours} was still ${wait.backupStatus} at the deadline (${formatDuration(policy.deadlineMs)} after the run began waiting); ` +
        `nothing was restored. Raise the deadline or start a new run later.${failing}`,
    };
  }
  return undefined;
}
