// Follow a run until it ends, reading its status query at every tick.
import type { WorkflowHandle } from '@temporalio/client';
import type { BackupAndRestoreResult, WorkflowStatus } from '../shared/workflow-types';
import type { backupAndRestoreDatabase } from '../workflows/backup-and-restore';
import { statusQuery } from '../workflows/messages';

/** A query waits for a worker; give up on one after this long, so a run nobody works on is noticed. */
export const QUERY_TIMEOUT_MS = 5_000;

/** The run's status, or undefined when no worker answers in time (or the run just ended). */
export function queryStatus(
  handle: WorkflowHandle<typeof backupAndRestoreDatabase>,
  timeoutMs = QUERY_TIMEOUT_MS,
): Promise<WorkflowStatus | undefined> {
  // A gRPC deadline ends the call itself, retries included, so nothing is left running.
  return handle.client.withDeadline(Date.now() + timeoutMs, () => handle.query(statusQuery)).catch(() => undefined);
}

export type RunOutcome = { ok: true; result: BackupAndRestoreResult } | { ok: false; error: unknown };

export async function followRun(
  handle: WorkflowHandle<typeof backupAndRestoreDatabase>,
  onStatus: (status: WorkflowStatus) => void,
  intervalMs = 1000,
  /** Called at each tick without an answer, with the time since the last one (or the start). */
  onNoAnswer: (silentMs: number) => void = () => undefined,
): Promise<RunOutcome> {
  let lastAnswer = Date.now();
  let done = false;
  const outcome = handle.result().then(
    (result): RunOutcome => ({ ok: true, result }),
    (error): RunOutcome => ({ ok: false, error }),
  );
  void outcome.finally(() => (done = true));

  while (!done) {
    const status = await queryStatus(handle);
    if (status) {
      onStatus(status);
      lastAnswer = Date.now();
    } else {
      // No worker has picked the run up yet, or it just ended: keep waiting for the result.
      onNoAnswer(Date.now() - lastAnswer);
    }
    await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, intervalMs))]);
  }
  return outcome;
}
