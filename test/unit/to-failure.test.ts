import { strict as assert } from 'assert';
import { ApplicationFailure } from '@temporalio/common';
import { PROTOCOL_ERROR_ATTEMPTS, toApplicationFailure } from '../../src/activities/to-failure';
import { ApiError } from '../../src/api/api-error';
import { ErrorType } from '../../src/shared/errors';

const failure = (err: ApiError, attempt: number) => toApplicationFailure(err, attempt) as ApplicationFailure;

describe('API errors as Temporal failures', () => {
  it('keeps the type, the message and the Retry-After delay', () => {
    const f = failure(new ApiError(ErrorType.RateLimited, 'slow down', true, 3000, 429), 1);
    assert.ok(f instanceof ApplicationFailure);
    assert.deepEqual([f.type, f.message, f.nonRetryable, f.nextRetryDelay], [ErrorType.RateLimited, 'slow down', false, 3000]);
  });

  it('never retries what retrying cannot fix', () => {
    assert.equal(failure(new ApiError(ErrorType.Unauthorized, 'token', false), 1).nonRetryable, true);
  });

  it(`retries a garbled answer until attempt ${PROTOCOL_ERROR_ATTEMPTS}, then gives up`, () => {
    const garbled = new ApiError(ErrorType.ProtocolError, 'not JSON', false);
    const nonRetryable = [1, 2, 3, 4].map((attempt) => failure(garbled, attempt).nonRetryable);
    assert.deepEqual(nonRetryable, [false, false, true, true]);
  });

  it('passes other errors through', () => {
    const other = new Error('x');
    assert.equal(toApplicationFailure(other, 1), other);
  });
});
