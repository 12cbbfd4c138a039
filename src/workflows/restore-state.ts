// A `prisma` restore, step by step, and how a failed request is answered: the pure rules that keep a
// destructive restore at most once. The workflow (prisma-restore.ts) only carries them out.
//
// Why at most once: a request is sent again only when the one before it definitely had no effect:
// it never reached the API (RequestNotSent), the API turned it away unapplied (429), or the target
// read back afterwards shows it was not applied. A request whose outcome is unknown (a lost answer,
// a timed-out or cancelled attempt) is read back first; a 409 is never answered with another request.
import { ActivityFailure, ApplicationFailure, CancelledFailure, TimeoutFailure } from '@temporalio/workflow';
import type { RestoreVerdict } from '../activities/types';
import { isSameBackup, type ApiProfile, type BackupSource, type DatabaseStatus } from '../shared/api-types';
import { formatDuration } from '../shared/durations';
import { ErrorType } from '../shared/errors';
import type { DatabaseWait, PollPolicy, RestoreProgress } from '../shared/workflow-types';
import { answeredPoll, failedPoll, failingTooLong, type RunEnding } from './run-state';

/** What one look at the database saw; a read-back adds whether our restore took effect. */
export interface DatabaseSeen {
  status: DatabaseStatus;
  source?: BackupSource;
  verdict?: RestoreVerdict;
}

export type DatabasePollOutcome = DatabaseSeen | { error: string };

const busy = (status: DatabaseStatus | undefined) => status === undefined || status === 'provisioning' || status === 'recovering';

const seenFields = ({ status, source, verdict }: DatabaseSeen) => ({
  status,
  ...(source === undefined ? {} : { source }),
  ...(verdict === undefined ? {} : { verdict }),
});

/** A wait on the database that begins now, under its own deadline; `seen`: what the last look saw. */
export function beginDatabaseWait(now: number, deadlineMs: number, seen?: DatabaseSeen): DatabaseWait {
  return { ...(seen ? seenFields(seen) : {}), pollsMade: 0, failedPolls: 0, startedAt: now, deadlineAt: now + deadlineMs };
}

/** The wait after one more look at the database, which began at `polledAt`. */
export function recordDatabasePoll(wait: DatabaseWait, outcome: DatabasePollOutcome, polledAt: number): DatabaseWait {
  if ('error' in outcome) return failedPoll(wait, outcome.error, polledAt);
  const { status: _status, source: _source, verdict: _verdict, ...counts } = answeredPoll(wait);
  return { ...counts, ...seenFields(outcome) };
}

/** Whether the wait at this step is over (what comes next is decided by afterReadBack / afterConflict, or the restore is done). */
export function databaseWaitDone(step: RestoreProgress['step'], wait: DatabaseWait, ours: BackupSource): boolean {
  switch (step) {
    case 'check':
    case 'conflict':
      return !busy(wait.status);
    case 'read-back':
      return wait.verdict !== undefined && wait.verdict !== 'busy';
    case 'applied':
      return wait.status === 'ready' && isSameBackup(wait.source, ours);
    case 'send':
      return true;
  }
}

const backupText = (ours: BackupSource) => `backup ${ours.backupId} of database ${ours.databaseId}`;
const nowText = (wait: DatabaseWait) => (wait.status ? `still ${wait.status}` : 'not read yet');

/** The restore in words, for messages: "the restore of db_2 from backup b1 of database db_1". */
function restoreText(restore: RestoreProgress, ours: BackupSource): string {
  return restore.created
    ? `the database ${restore.databaseId} created from ${backupText(ours)}`
    : `the restore of ${restore.databaseId} from ${backupText(ours)}`;
}

const sentence = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;

/** Why a wait on the database must end the run now, if it must; checked before each look. */
export function databaseWaitEnding(
  restore: RestoreProgress & { wait: DatabaseWait },
  ours: BackupSource,
  policy: PollPolicy,
  now: number,
): RunEnding | undefined {
  const { wait, databaseId, step } = restore;
  const what = sentence(restoreText(restore, ours));
  if (step === 'applied' && wait.status === 'failure') {
    const next = restore.created
      ? 'Delete it, then start a new run.'
      : 'Check it in the Prisma Console, then restore it again with a new run.';
    return {
      type: ErrorType.RestoreFailed,
      message: `${what} ended in status failure: the database is not usable. ${next}`,
    };
  }
  const failing = failingTooLong(wait, policy, now);
  if (!failing && now < wait.deadlineAt) return undefined;
  const why = failing
    ? `reading ${databaseId} has failed for over ${formatDuration(policy.failingLimitMs)} (${wait.failedPolls} in a row); the last error: ${JSON.stringify(wait.lastPollError)}`
    : `${databaseId} was ${nowText(wait)} ${formatDuration(wait.deadlineAt - wait.startedAt)} later`;
  switch (step) {
    case 'check':
      return {
        type: failing ? ErrorType.PollFailing : ErrorType.ReadyTimedOut,
        message:
          `${databaseId} was busy (provisioning or recovering) before the restore from ${backupText(ours)} could be sent, and ${why}. ` +
          'No restore was sent. Start a new run once the database is ready.',
      };
    case 'read-back':
      return {
        type: ErrorType.RestoreOutcomeUnknown,
        message:
          `${what} may or may not have been applied: the answer to its request was lost, and ${why}. Nothing was sent twice. ` +
          'Check the database in the Prisma Console (its status and the backup it was restored from) before restoring again.',
      };
    case 'conflict':
      return {
        type: ErrorType.RestoreConflict,
        message: `DATABASE_RESTORE_CONFLICT: the API refused ${restoreText(restore, ours)} (409): the target was being restored or provisioned by something else, and ${why}. Nothing was sent twice. Start a new run once it is ready.`,
      };
    default:
      return {
        type: failing ? ErrorType.PollFailing : ErrorType.ReadyTimedOut,
        message: `${what} is under way, but ${why}. Nothing is sent again; it may still become ready: check it in the Prisma Console.`,
      };
  }
}

/** The next step once a read-back is decided (see RestoreVerdict), or why the run must end. */
export function afterReadBack(restore: RestoreProgress & { wait: DatabaseWait }, ours: BackupSource): 'applied' | 'send' | RunEnding {
  switch (restore.wait.verdict) {
    case 'applied':
      return 'applied';
    case 'not-applied':
      return 'send';
    default:
      return {
        type: ErrorType.RestoreOutcomeUnknown,
        message:
          `${sentence(restoreText(restore, ours))} may or may not have been applied: the answer to its request was lost, and the database names ` +
          `${backupText(ours)} as its source, as it already did before the restore was sent, so reading it back cannot tell. ` +
          'Nothing was sent twice. Check its data before restoring again.',
      };
  }
}

/** After a 409, once the target is no longer busy: restored from our backup after all, or a conflict. */
export function afterConflict(restore: RestoreProgress & { wait: DatabaseWait }, ours: BackupSource): 'applied' | RunEnding {
  const { wait } = restore;
  if (wait.verdict === 'applied') return 'applied';
  const from = wait.source ? ` from backup ${wait.source.backupId} of database ${wait.source.databaseId}` : '';
  return {
    type: ErrorType.RestoreConflict,
    message:
      `DATABASE_RESTORE_CONFLICT: the API refused ${restoreText(restore, ours)} (409): the target was being restored or provisioned by something else; ` +
      `nothing was sent twice. It is now ${wait.status}${from}. Check it, then start a new run to restore it.`,
  };
}

/**
 * What to do after a failed restore request:
 * - `resend`: it definitely had no effect; send again after `afterMs`. In `seed`, `outcomeUnknown`
 *   says an earlier attempt may have been applied: the next request goes out only if the worker's
 *   API honours Idempotency-Key (the activity decides, as only the worker knows);
 * - `read-back` (`prisma`): it may have been applied; read the target back before anything else;
 * - `conflict` (`prisma`, 409): never send again; wait for the target, then read it back;
 * - `fail`: a definite refusal; the run ends with it.
 */
export type RestoreFailureAction =
  { kind: 'resend'; afterMs?: number; outcomeUnknown: boolean } | { kind: 'read-back' } | { kind: 'conflict' } | { kind: 'fail' };

/** Retry-After, which the activity passes in the failure's details (a workflow does not get nextRetryDelay). */
function retryAfterMs(failure: ApplicationFailure): number | undefined {
  const [details] = (failure.details ?? []) as ({ retryAfterMs?: unknown } | undefined)[];
  return typeof details?.retryAfterMs === 'number' ? details.retryAfterMs : undefined;
}

export function restoreFailureAction(profile: ApiProfile, err: unknown): RestoreFailureAction {
  if (!(err instanceof ActivityFailure)) return { kind: 'fail' };
  const { cause } = err;
  if (cause instanceof ApplicationFailure) {
    const definitelyNotApplied = cause.type === ErrorType.RequestNotSent || cause.type === ErrorType.RateLimited;
    if (definitelyNotApplied && !cause.nonRetryable) return { kind: 'resend', afterMs: retryAfterMs(cause), outcomeUnknown: false };
    if (profile === 'prisma' && cause.type === ErrorType.RestoreConflict) return { kind: 'conflict' };
    // Prisma's API takes no Idempotency-Key, so its unknown outcomes are never retryable: they are read back.
    if (profile === 'prisma' && cause.type === ErrorType.RestoreOutcomeUnknown) return { kind: 'read-back' };
    if (cause.nonRetryable) return { kind: 'fail' };
    // Anything else retryable may have reached the API.
    return profile === 'prisma' ? { kind: 'read-back' } : { kind: 'resend', afterMs: retryAfterMs(cause), outcomeUnknown: true };
  }
  // The attempt was lost: its worker died (a timeout) or it was cancelled, perhaps after the request left.
  if (cause instanceof TimeoutFailure || cause instanceof CancelledFailure) {
    return profile === 'prisma' ? { kind: 'read-back' } : { kind: 'resend', outcomeUnknown: true };
  }
  return { kind: 'fail' };
}
