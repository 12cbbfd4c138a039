// The scale benchmark's baseline: a workflow that waits as a run does, and does nothing else. Each
// activity of a run is a no-op activity here, retried as often and as long as the run's was (a wait
// is one activity whose retries are its looks), and each timer a timer. Its own bundle: no product code.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { noopActivities } from './noop-activities';

/** One step of a run, in order: an activity whose attempts fail "not yet" after the given delays, or a timer. */
export type NoopStep = { activity: string; retryDelaysMs: number[] } | { timerMs: number };

// The run's wait options (src/workflows/options.ts WAIT): the delays come from the activity itself.
const { benchNoopAttempt } = proxyActivities<typeof noopActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

export async function benchNoopWorkflow(steps: NoopStep[]): Promise<void> {
  for (const step of steps) {
    if ('timerMs' in step) await sleep(step.timerMs);
    else await benchNoopAttempt(step.retryDelaysMs);
  }
}
