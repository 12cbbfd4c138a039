import { strict as assert } from 'assert';
import type { WorkflowHandle } from '@temporalio/client';
import { failureReason, type FailureReason } from '../../src/shared/failure-reason';

/** Waits for the run to fail and checks its typed reason; returns it for further checks. */
export async function expectRunFailure(handle: WorkflowHandle, type: string): Promise<FailureReason> {
  let reason: FailureReason | undefined;
  await assert.rejects(handle.result(), (err: unknown) => {
    reason = failureReason(err);
    return true;
  });
  assert.equal(reason!.type, type, `expected ${type}, got ${reason!.type}: ${reason!.message}`);
  return reason!;
}
