// The scale benchmark's baseline: a workflow of the same length as a run, doing nothing but its timers.
import { sleep } from '@temporalio/workflow';

/** Sleeps each of `timersMs` in turn, as a run waits between its polls, and calls nothing. */
export async function benchNoopWorkflow(timersMs: number[]): Promise<void> {
  for (const ms of timersMs) await sleep(ms);
}
