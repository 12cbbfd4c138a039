// Waiting for what Temporal shows eventually (schedule lists and descriptions are eventually consistent).
import { strict as assert } from 'node:assert';
import type { Client, ScheduleDescription } from '@temporalio/client';

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
