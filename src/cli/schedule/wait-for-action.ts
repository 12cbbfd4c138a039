// After `trigger` or `backfill`: what the schedule did, seen in its counters and recent actions.
import type { ScheduleDescription, ScheduleHandle } from '@temporalio/client';

export interface ScheduleActionSeen {
  /** Workflow ids of the runs started since `before`, oldest first. */
  started: string[];
  /** Scheduled times skipped since `before` because a run was still running. */
  skipped: number;
  /** The schedule as last described. */
  after: ScheduleDescription;
}

/** Polls the schedule until it took or skipped an action since `before`, or `timeoutMs` passed (then both are empty). */
export async function waitForScheduleAction(
  handle: ScheduleHandle,
  before: ScheduleDescription,
  { timeoutMs, intervalMs }: { timeoutMs: number; intervalMs: number },
): Promise<ScheduleActionSeen> {
  const known = new Set(before.info.recentActions.map((a) => a.action.workflow.workflowId));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const after = await handle.describe();
    const taken = after.info.numActionsTaken - before.info.numActionsTaken;
    const skipped = after.info.numActionsSkippedOverlap - before.info.numActionsSkippedOverlap;
    const started = after.info.recentActions.map((a) => a.action.workflow.workflowId).filter((id) => !known.has(id));
    if ((taken > 0 && started.length > 0) || skipped > 0 || Date.now() >= deadline) return { started, skipped, after };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
