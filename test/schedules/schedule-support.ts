// What the schedule tests share: cleaning up the schedules a test made, and an exit-0 check.
import { strict as assert } from 'assert';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { EXIT } from '../../src/cli/context';
import type { CliRun } from '../support/cli';

/** Schedules made by a test, deleted after it with the runs they started. */
export function scheduleCleanup(client: () => Client, taskQueue?: string) {
  const created = new Set<string>();
  return {
    created,
    async clean() {
      const notFound = (err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      };
      for (const id of created) {
        const handle = client().schedule.getHandle(id);
        const d = await handle.describe().catch(notFound);
        await handle.delete().catch(notFound);
        for (const { action } of d?.info.recentActions ?? []) {
          await client()
            .workflow.getHandle(action.workflow.workflowId)
            .terminate('schedule test cleanup')
            .catch(() => undefined);
        }
      }
      created.clear();
      if (!taskQueue) return;
      // And any run the schedules above no longer list.
      for await (const execution of client().workflow.list({ query: `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"` })) {
        await client()
          .workflow.getHandle(execution.workflowId)
          .terminate('schedule test cleanup')
          .catch(() => undefined);
      }
    },
  };
}

export const ok = (result: CliRun) => {
  assert.equal(result.code, EXIT.ok, result.text);
  return result;
};
