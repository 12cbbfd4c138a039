// Waiting for what Temporal shows eventually (schedule lists and descriptions are eventually consistent).
import { strict as assert } from 'node:assert';
import { ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries `check` until it passes or `timeoutMs` ends; then its last error is thrown. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}

/** The schedule once it has seen its runs end. */
export function describeWhenIdle(client: Client, id: string): Promise<ScheduleDescription> {
  return eventually(async () => {
    const d = await client.schedule.getHandle(id).describe();
    assert.equal(d.info.runningActions.length, 0);
    return d;
  });
}

/** Triggers the schedule as `temporal schedule trigger` does (under its overlap policy, SKIP); returns the id of the run it started. */
export async function triggerSchedule(client: Client, id: string): Promise<string> {
  const schedule = client.schedule.getHandle(id);
  const before = (await schedule.describe()).info.recentActions.length;
  await schedule.trigger(ScheduleOverlapPolicy.SKIP);
  return eventually(async () => {
    const { recentActions } = (await schedule.describe()).info;
    assert.ok(recentActions.length > before, 'no run started yet');
    return recentActions.at(-1)!.action.workflow.workflowId;
  });
}

/** temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED */
const WORKFLOW_EXECUTION_STATUS_FAILED = 3;

/** After a failed run: the schedule is not paused and will not pause, and its page in the Web UI shows the run as Failed. */
export async function expectScheduleKeptGoing(client: Client, id: string, what: string): Promise<void> {
  const described = await describeWhenIdle(client, id);
  assert.equal(described.state.paused, false, `a failed ${what} does not stop later ones`);
  assert.equal(described.policies.pauseOnFailure, false);
  await eventually(async () => {
    const raw = (await client.schedule.getHandle(id).describe()).raw;
    assert.equal(String(raw.info?.recentActions?.at(-1)?.startWorkflowStatus), String(WORKFLOW_EXECUTION_STATUS_FAILED));
  });
}
