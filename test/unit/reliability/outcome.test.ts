import { strict as assert } from 'assert';
import { ActivityFailure, ApplicationFailure, RetryState, TerminatedFailure } from '@temporalio/common';
import { failureOutcome } from '../../../reliability/outcome';

describe('reliability run outcome', () => {
  it('finds our typed error anywhere in the cause chain', () => {
    const typed = ApplicationFailure.create({ type: 'ProtocolError', message: 'bad body', nonRetryable: true });
    const activity = new ActivityFailure('Activity task failed', 'createBackup', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', typed);
    const outer = new Error('Workflow execution failed', { cause: activity });
    assert.deepEqual(failureOutcome(outer), { kind: 'failed-typed', type: 'ProtocolError', message: 'bad body' });
  });

  it('calls a failure untyped when no ApplicationFailure carries one of our types', () => {
    const foreign = ApplicationFailure.create({ type: 'SomethingElse', message: 'x' });
    assert.equal(failureOutcome(new Error('failed', { cause: foreign })).kind, 'failed-untyped');
    const terminated = failureOutcome(new Error('failed', { cause: new TerminatedFailure('by hand') }));
    assert.equal(terminated.kind, 'failed-untyped');
    assert.match(terminated.kind === 'failed-untyped' ? terminated.description : '', /TerminatedFailure: by hand/);
  });
});
