// Following a run from the terminal until it ends: a redrawn progress line on a terminal, a plain
// line per change otherwise, JSON lines with --json. Returns the exit code of the run's outcome.
import type { WorkflowHandle } from '@temporalio/client';
import { failureReason, type FailureReason } from '../shared/failure-reason';
import { followRun } from '../runs/follow-run';
import { progressLine } from '../runs/progress';
import { ErrorType } from '../shared/errors';
import type { BackupAndRestoreResult } from '../shared/workflow-types';
import type { backupAndRestoreDatabase } from '../workflows/backup-and-restore';
import { EXIT, type CliContext, type LineFields } from './context';

/** Failure types shown in the words of Prisma's own CLI, where it has one for the same thing. */
const PRISMA_CLI_WORDS: Partial<Record<string, string>> = { [ErrorType.RestoreConflict]: 'DATABASE_RESTORE_CONFLICT' };

/** Why a run failed, as the CLI shows it (printed and in JSON alike). */
export function runFailure(err: unknown): FailureReason {
  const reason = failureReason(err);
  const word = PRISMA_CLI_WORDS[reason.type];
  if (!word) return reason;
  // The workflow may lead its message with the same word; say it once.
  return { type: word, message: reason.message.startsWith(`${word}: `) ? reason.message.slice(word.length + 2) : reason.message };
}

/** How long without an answer from the run before saying that maybe no worker is running. */
export const NO_WORKER_HINT_AFTER_MS = 10_000;

export async function followToEnd(
  ctx: CliContext,
  handle: WorkflowHandle<typeof backupAndRestoreDatabase>,
  /** startedAt: when the run started, for a status that does not say (a worker on older code); runId and databaseId label the lines. */
  { json = false, startedAt, runId, databaseId }: { json?: boolean; startedAt?: number; runId?: string; databaseId?: string } = {},
): Promise<number> {
  const fields: LineFields = { workflowId: handle.workflowId, runId, databaseId };
  let last = '';
  let hinted = false;
  // Following is only watching: stopping it leaves the run going on in Temporal.
  const stopListening = ctx.onInterrupt?.(() => {
    ctx.redraw?.(undefined);
    ctx.err(
      `Stopped following ${handle.workflowId}; the run goes on. Follow it again with \`watch ${handle.workflowId}\`, or stop it with \`cancel ${handle.workflowId}\`.`,
    );
  });
  const outcome = await followRun(
    handle,
    (status) => {
      // What changed, not the countdown: plain output gets one line per change.
      const change = JSON.stringify({ ...status, nextPollAt: undefined });
      fields.databaseId = status.databaseId;
      if (json) {
        if (change !== last) ctx.out(JSON.stringify({ event: 'status', workflowId: handle.workflowId, ...status }), fields);
      } else if (ctx.isTTY && ctx.redraw) {
        ctx.redraw(progressLine(status, Date.now(), startedAt));
      } else if (change !== last) {
        ctx.out(`  ${progressLine(status, Date.now(), startedAt)}`, fields);
      }
      last = change;
    },
    ctx.followIntervalMs,
    (silentMs) => {
      if (hinted || silentMs < NO_WORKER_HINT_AFTER_MS) return;
      hinted = true;
      ctx.redraw?.(undefined);
      ctx.err(
        `${handle.workflowId} has not answered for ${Math.round(silentMs / 1000)}s: is a worker running (\`npm run worker\`)? Still waiting for it.`,
        fields,
      );
    },
  );
  stopListening?.();
  ctx.redraw?.(undefined);
  if (outcome.ok) {
    if (json) ctx.out(JSON.stringify({ event: 'completed', workflowId: handle.workflowId, result: outcome.result }), fields);
    else printEnd(ctx, { result: outcome.result }, fields);
    return EXIT.ok;
  }
  const reason = runFailure(outcome.error);
  if (json) ctx.out(JSON.stringify({ event: 'failed', workflowId: handle.workflowId, error: reason }), fields);
  else printEnd(ctx, { failure: reason }, fields);
  return EXIT.runFailed;
}

/** How a run ended, as `watch` and `status` print it. */
export function printEnd(ctx: CliContext, end: { result?: BackupAndRestoreResult; failure?: FailureReason }, fields?: LineFields): void {
  if (end.result) ctx.out(`Result:\n${JSON.stringify(end.result, null, 2)}`, fields);
  if (end.failure) ctx.out(`Run failed: ${end.failure.type}: ${end.failure.message}`, fields);
}
