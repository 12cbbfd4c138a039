// The no-op baseline's one activity: "not yet" (benign, as the run's waits answer) until it has
// been attempted once more than it has delays, each retry after the next delay; then done.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';

export const noopActivities = {
  async benchNoopAttempt(retryDelaysMs: number[]): Promise<void> {
    const { attempt } = Context.current().info;
    if (attempt > retryDelaysMs.length) return;
    throw ApplicationFailure.create({
      type: 'NotYet',
      message: 'not yet',
      nextRetryDelay: retryDelaysMs[attempt - 1],
      category: ApplicationFailureCategory.BENIGN,
    });
  },
};
