import { strict as assert } from 'assert';
import { errorFromNetwork, errorFromResponse, MAX_RETRY_AFTER_MS, parseRetryAfter, type HttpOutcome } from '../../src/api/error-mapping';
import { ErrorType } from '../../src/shared/errors';

const envelope = (code: string, message: string) => JSON.stringify({ error: { code, message } });
const outcome = (status: number, extra: Partial<HttpOutcome> = {}): HttpOutcome => ({
  operation: 'createDatabaseBackup',
  request: 'POST databases/db_1/backups',
  status,
  body: envelope('SOME_CODE', 'some message'),
  ...extra,
});
const now = Date.parse('2026-11-27T10:00:00Z');

describe('error mapping', () => {
  for (const status of [401, 403]) {
    it(`${status} → non-retryable Unauthorized that says how to fix it`, () => {
      const err = errorFromResponse(outcome(status), now);
      assert.equal(err.type, ErrorType.Unauthorized);
      assert.equal(err.retryable, false);
      assert.match(err.message, /PRISMA_API_TOKEN/);
      assert.match(err.message, new RegExp(`answered ${status} \\(SOME_CODE: some message\\)`));
    });
  }

  it('404 on a database path → DatabaseNotFound; on a restore → BackupNotFound', () => {
    assert.equal(errorFromResponse(outcome(404), now).type, ErrorType.DatabaseNotFound);
    assert.equal(errorFromResponse(outcome(404, { operation: 'listDatabaseBackups' }), now).type, ErrorType.DatabaseNotFound);
    const restore = errorFromResponse(outcome(404, { operation: 'restoreDatabaseBackup' }), now);
    assert.equal(restore.type, ErrorType.BackupNotFound);
    assert.equal(restore.retryable, false);
  });

  for (const status of [400, 405, 409, 422]) {
    it(`${status} → non-retryable InvalidRequest`, () => {
      const err = errorFromResponse(outcome(status), now);
      assert.equal(err.type, ErrorType.InvalidRequest);
      assert.equal(err.retryable, false);
    });
  }

  it('429 → retryable RateLimited after Retry-After', () => {
    const err = errorFromResponse(outcome(429, { retryAfter: '7' }), now);
    assert.equal(err.type, ErrorType.RateLimited);
    assert.equal(err.retryable, true);
    assert.equal(err.retryAfterMs, 7000);
  });

  it('429 without Retry-After leaves the delay to the retry policy', () => {
    assert.equal(errorFromResponse(outcome(429), now).retryAfterMs, undefined);
  });

  for (const status of [500, 502, 503, 504]) {
    it(`${status} → retryable Transient`, () => {
      const err = errorFromResponse(outcome(status, { body: '<html>oops</html>' }), now);
      assert.equal(err.type, ErrorType.Transient);
      assert.equal(err.retryable, true);
      assert.match(err.message, new RegExp(`answered ${status}: server error`));
    });
  }

  it('network failures and timeouts → retryable Transient', () => {
    assert.equal(errorFromNetwork('GET x', 'ECONNRESET', false).retryable, true);
    assert.match(errorFromNetwork('GET x', 'ECONNRESET', false).message, /ECONNRESET/);
    assert.match(errorFromNetwork('GET x', 'ETIMEDOUT', true).message, /timed out/);
  });

  describe('Retry-After', () => {
    it('reads seconds and HTTP dates', () => {
      assert.equal(parseRetryAfter('3', now), 3000);
      assert.equal(parseRetryAfter('Fri, 27 Nov 2026 10:00:30 GMT', now), 30_000);
    });
    it('ignores absent or malformed values, clamps past dates to 0 and huge ones to the cap', () => {
      assert.equal(parseRetryAfter(undefined, now), undefined);
      assert.equal(parseRetryAfter('soon', now), undefined);
      assert.equal(parseRetryAfter('-3', now), undefined);
      assert.equal(parseRetryAfter('Fri, 27 Nov 2026 09:00:00 GMT', now), 0);
      assert.equal(parseRetryAfter('999999', now), MAX_RETRY_AFTER_MS);
    });
  });
});

describe('error mapping: requests that cannot be sent or are redirected', () => {
  it('a request Node refuses to build is not retried', () => {
    const err = errorFromNetwork('POST x', 'ERR_INVALID_CHAR', false);
    assert.equal(err.type, ErrorType.InvalidRequest);
    assert.equal(err.retryable, false);
  });
  it('a redirect says to check PRISMA_API_URL', () => {
    const err = errorFromResponse(outcome(301), now);
    assert.equal(err.type, ErrorType.InvalidRequest);
    assert.match(err.message, /redirect, which is not followed\. Check PRISMA_API_URL/);
  });
});
