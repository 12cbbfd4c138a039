// Waits on Temporal's retry engine: each attempt looks once; not yet, it fails as a benign NotYet whose nextRetryDelay
// the poll policy sets, so the server makes the next look (no history event per look). The heartbeat carries the rest.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import type { PrismaApi, SeedApi } from '../api/client';
import type { SeedBackup } from '../api/schemas';
import { madeFrom } from '../shared/describe';
import { at, roughDuration, formatDuration } from '../shared/durations';
import { ErrorType } from '../shared/errors';
import { nextLookDelayMs, predictCompletion, type CompletionPrediction } from '../shared/policy';
import type { BackupSource } from '../shared/types';
import { chooseBackup } from './choose-backup';
import { call, nonRetryable } from './call';
import type { AwaitBackupInput, AwaitDatabaseInput, BackupFound, DatabaseSeen, WaitSpec } from './types';

/** Carried from one look to the next in the heartbeat details. */
interface Carried {
  looks: number;
  /** The first look was put off to the predicted window once; the next attempt looks. */
  planned?: true;
  /** What the last look saw, for the run's message should the deadline come first. */
  said?: string;
  /** Seed: looks in a row whose list did not show our backup. */
  unlisted?: number;
  failingSince?: number;
  lastError?: string;
  prediction?: CompletionPrediction;
}

type Look<T> = { done: T } | { notYet: string; carry?: Partial<Carried> };
/** Our own backup missing from the list this many looks in a row: it is not coming. */
export const MAX_UNLISTED_LOOKS = 10;

/** One attempt of a wait: `what` names it in failures, `look` looks once. */
async function attempt<T>(spec: WaitSpec, what: string, look: (carried: Carried) => Promise<Look<T>>): Promise<T & { looks: number }> {
  const context = Context.current();
  const carried: Carried = context.info.heartbeatDetails ?? { looks: 0 };
  const now = Date.now();
  const { policy, startedAt, deadlineAt } = spec;
  const predicted = (c: Carried) => (policy.mode === 'predictive' ? (c.prediction ?? spec.prediction) : undefined);
  const clock = (looksMade: number) => ({ looksMade, elapsedMs: now - startedAt, remainingMs: deadlineAt - now, random: Math.random() });
  const prediction = predicted(carried);
  if (carried.looks === 0 && !carried.planned && prediction) {
    // The first look waits for the predicted end, once: no request before it.
    const delay = nextLookDelayMs(policy, prediction, clock(0));
    if (delay > policy.initialIntervalMs) {
      context.heartbeat({ ...carried, planned: true });
      throw notYet(`${what}: first look at ${at(now + delay)}, where earlier runs (${prediction.samples}) predict the end`, delay);
    }
  }
  const looks = carried.looks + 1;
  let outcome: Look<T>;
  try {
    outcome = await call(() => look(carried), carried);
  } catch (err) {
    // A typed refusal ends the wait; anything else (a garbled answer too) is a failed look.
    if (!(err instanceof ApplicationFailure) || (err.nonRetryable && err.type !== ErrorType.ProtocolError)) throw err;
    const since = carried.failingSince ?? now;
    if (now - since >= policy.failingLimitMs)
      throw nonRetryable(
        ErrorType.PollFailing,
        `Looks at ${what} have failed since ${at(since)} (over ${formatDuration(policy.failingLimitMs)}); the last error: ${err.message} ` +
          'Fix what it names (PRISMA_API_URL, the network, the API), then start a new run.',
      );
    context.heartbeat({ ...carried, looks, failingSince: since, lastError: err.message.slice(0, 500) });
    const retryAfter = err.nextRetryDelay === undefined ? undefined : Number(err.nextRetryDelay);
    const delay = retryAfter ?? nextLookDelayMs(policy, undefined, clock(looks - 1));
    throw ApplicationFailure.create({
      type: err.type ?? ErrorType.Transient,
      message: `Look ${looks} at ${what} failed (failing since ${at(since)}; gives up at ${at(since + policy.failingLimitMs)}): ${err.message}`,
      nextRetryDelay: delay,
    });
  }
  if ('done' in outcome) return { ...outcome.done, looks };
  const cleared = { planned: undefined, failingSince: undefined, lastError: undefined };
  const next: Carried = { ...carried, ...outcome.carry, looks, said: outcome.notYet, ...cleared };
  context.heartbeat(next);
  const delay = nextLookDelayMs(policy, predicted(next), clock(looks - 1));
  throw notYet(`${outcome.notYet}, ${roughDuration(now - startedAt)} in (look ${looks})`, delay);
}

const notYet = (message: string, delayMs: number) =>
  ApplicationFailure.create({
    type: ErrorType.NotYet,
    message: `${message}; next look in ${roughDuration(delayMs)}.`,
    nextRetryDelay: Math.max(delayMs, 1),
    category: ApplicationFailureCategory.BENIGN,
  });

/** How long the list's other completed backups took, newest first: history from the list the look fetched anyway. */
export function pastBackupDurationsMs(backups: readonly SeedBackup[], exceptBackupId: string): number[] {
  return backups
    .filter((b) => b.id !== exceptBackupId && b.status === 'completed' && b.completedAt !== undefined)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .map((b) => Date.parse(b.completedAt!) - Date.parse(b.createdAt));
}

export function seedBackupWait(api: SeedApi, input: AwaitBackupInput): Promise<BackupFound> {
  const { databaseId, backupId } = input;
  const what = `Backup ${backupId} of ${databaseId}`;
  return attempt(input, what, async (carried): Promise<Look<Omit<BackupFound, 'looks'>>> => {
    const { data } = await api.listBackups(databaseId, { signal: Context.current().cancellationSignal });
    const ours = data.find((b) => b.id === backupId);
    const learnt =
      !input.existing && !carried.prediction && !input.prediction ? predictCompletion(pastBackupDurationsMs(data, backupId!)) : undefined;
    const carry = learnt ? { prediction: learnt } : {};
    if (!ours) {
      const unlisted = (carried.unlisted ?? 0) + 1;
      if (input.existing || unlisted >= MAX_UNLISTED_LOOKS) {
        const when = input.existing ? 'is not in' : `was missing from ${unlisted} looks in a row at`;
        throw nonRetryable(
          ErrorType.BackupNotFound,
          `Backup ${backupId} ${when} the backup list of ${databaseId}; nothing was restored. Check the id.`,
        );
      }
      return { notYet: `${what} is not listed yet`, carry: { ...carry, unlisted } };
    }
    if (ours.status === 'failed')
      throw nonRetryable(ErrorType.BackupFailed, `Backup ${backupId} of ${databaseId} failed; nothing was restored. Start a new run.`);
    if (ours.status !== 'completed') return { notYet: `${what} is ${ours.status}`, carry: { ...carry, unlisted: 0 } };
    const tookMs = ours.completedAt ? Date.parse(ours.completedAt) - Date.parse(ours.createdAt) : undefined;
    return { done: { backupId: ours.id, createdAt: ours.createdAt, ...(tookMs! > 0 ? { tookMs } : {}) } };
  });
}

export function prismaBackupWait(api: PrismaApi, input: AwaitBackupInput): Promise<BackupFound> {
  const { databaseId, backupId, createdAfter } = input;
  const what = backupId ? `backup ${backupId} of ${databaseId}` : `the backups of ${databaseId}`;
  return attempt(input, what, async (): Promise<Look<Omit<BackupFound, 'looks'>>> => {
    const list = await api.listBackups(databaseId, { signal: Context.current().cancellationSignal });
    const choice = chooseBackup(list, databaseId, backupId, createdAfter);
    if (choice.kind === 'refused') throw nonRetryable(choice.type, choice.message);
    if (choice.kind === 'none-yet') return { notYet: choice.message };
    const { backup } = choice;
    if (backup.status === 'running') return { notYet: `Backup ${backup.id} of ${databaseId} is running` };
    return { done: { backupId: backup.id, createdAt: backup.createdAt } };
  });
}

const sameBackup = (a: BackupSource | null | undefined, b: BackupSource) => a?.databaseId === b.databaseId && a.backupId === b.backupId;

/** Whether our restore took effect, from the target read back. Pure. */
export function restoreVerdict(seen: Pick<DatabaseSeen, 'status' | 'source'>, ours: BackupSource, sourceBefore?: BackupSource | null) {
  switch (seen.status) {
    case 'provisioning':
      return 'busy';
    case 'recovering':
      // Recovering from another backup is not ours: ours would have got a 409.
      return seen.source && !sameBackup(seen.source, ours) ? 'busy' : 'applied';
    default:
      if (!sameBackup(seen.source, ours)) return 'not-applied';
      return sameBackup(sourceBefore, ours) ? 'undecidable' : 'applied';
  }
}

const from = (source?: BackupSource) => (source ? ` (from backup ${source.backupId} of ${source.databaseId})` : '');

export function databaseWait(api: PrismaApi, input: AwaitDatabaseInput): Promise<DatabaseSeen> {
  const { databaseId, mode, source: ours } = input;
  return attempt(input, databaseId, async (): Promise<Look<Omit<DatabaseSeen, 'looks'>>> => {
    const database = await api.getDatabase(databaseId, { signal: Context.current().cancellationSignal });
    const seen = { status: database.status, ...(database.source ? { source: database.source } : {}) };
    const is = `${databaseId} is ${seen.status}${from(seen.source)}`;
    const busy = seen.status === 'provisioning' || seen.status === 'recovering';
    switch (mode) {
      case 'idle':
        return busy ? { notYet: `${is}: nothing is sent while it is busy` } : { done: seen };
      case 'conflict':
        return busy
          ? { notYet: `${is} after a 409; no second restore is sent` }
          : { done: { ...seen, verdict: restoreVerdict(seen, ours, input.sourceBefore) } };
      case 'ready':
        if (seen.status === 'failure')
          throw nonRetryable(
            ErrorType.RestoreFailed,
            `${madeFrom(databaseId, ours, input.created)} ended in status failure: it is not usable.`,
          );
        return seen.status === 'ready' && sameBackup(seen.source, ours) ? { done: seen } : { notYet: is };
    }
    const verdict = restoreVerdict(seen, ours, input.sourceBefore);
    if (verdict === 'undecidable')
      throw nonRetryable(
        ErrorType.RestoreOutcomeUnknown,
        `${databaseId} names backup ${ours.backupId} of ${ours.databaseId} as its source, as it did before the restore was sent, so reading it back cannot tell whether the restore was applied. Nothing was sent twice; check its data before restoring again.`,
      );
    if (verdict === 'busy') return { notYet: `${is}; reading it back until it tells` };
    const held = `${is}: no sign of our restore yet; a request the API still holds could apply it until ${at(input.holdUntil ?? 0)}`;
    if (verdict === 'not-applied' && Date.now() < (input.holdUntil ?? 0)) return { notYet: `${held}, so nothing is sent before` };
    return { done: { ...seen, verdict } };
  });
}
