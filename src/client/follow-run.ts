// Follow a run until it ends, reading its status query at every tick.
import type { WorkflowHandle } from '@temporalio/client';
import type { BackupAndRestoreResult, WorkflowStatus } from '../shared/workflow-types';
import type { backupAndRestoreDatabase } from '../workflows/backup-and-restore';
import { statusQuery } from '../workflows/messages';

export type RunOutcome = { ok: true; result: BackupAndRestoreResult } | { ok: false; error: unknown };

export async function followRun(
  handle: WorkflowHandle<typeof backupAndRestoreDatabase>,
  onStatus: (status: WorkflowStatus) => void,
  intervalMs = 1000,
): Promise<RunOutcome> {
  let done = false;
  const outcome = handle.result().then(
    (result): RunOutcome => ({ ok: true, result }),
    (error): RunOutcome => ({ ok: false, error }),
  );
  void outcome.finally(() => (done = true));

  while (!done) {
    try {
      onStatus(await handle.query(statusQuery));
    } catch {
      // No worker has picked the run up yet, or it just ended: keep waiting for the result.
    }
    await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, intervalMs))]);
  }
  return outcome;
}
