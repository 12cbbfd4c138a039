import { strict as assert } from 'assert';
import {
  errorFromNetwork,
  errorFromResponse,
  MAX_RETRY_AFTER_MS,
  notFoundSubject,
  parseRetryAfter,
  type HttpOutcome,
  type NetworkFailure,
} from '../../src/api/error-mapping';
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

  it('network failures and timeouts → retryable Transient, sent or not', () => {
    const get = (code: string, timedOut: boolean, sent: boolean) =>
      errorFromNetwork({ operation: 'listDatabaseBackups', request: 'GET x', code, timedOut, sent });
    assert.equal(get('ECONNRESET', false, true).type, ErrorType.Transient);
    assert.equal(get('ECONNREFUSED', false, false).type, ErrorType.Transient);
    assert.equal(get('ECONNRESET', false, true).retryable, true);
    assert.match(get('ECONNRESET', false, true).message, /ECONNRESET/);
    assert.match(get('ETIMEDOUT', true, true).message, /timed out/);
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
    const err = errorFromNetwork({
      operation: 'postV1DatabasesByTargetDatabaseIdRestore',
      request: 'POST x',
      code: 'ERR_INVALID_CHAR',
      timedOut: false,
      sent: false,
    });
    assert.equal(err.type, ErrorType.InvalidRequest);
    assert.equal(err.retryable, false);
  });
  it('a redirect says to check PRISMA_API_URL', () => {
    const err = errorFromResponse(outcome(301), now);
    assert.equal(err.type, ErrorType.InvalidRequest);
    assert.match(err.message, /redirect, which is not followed\. Check PRISMA_API_URL/);
  });
});

describe('error mapping: restores', () => {
  const prismaRestore = (status: number, body = envelope('SOME_CODE', 'some message'), ids: HttpOutcome['ids'] = {}) =>
    errorFromResponse(
      { operation: 'postV1DatabasesByTargetDatabaseIdRestore', request: 'POST databases/db_t/restore', status, body, ids },
      now,
    );
  const restoreIds = { 'target database': 'db_t', 'source database': 'db_s', backup: 'bkp_1' };

  it('409 → RestoreConflict: wait, never send a second restore', () => {
    const err = prismaRestore(409, envelope('DATABASE_BUSY', 'Database db_t is recovering'));
    assert.equal(err.type, ErrorType.RestoreConflict);
    assert.equal(err.retryable, false);
    assert.match(err.message, /answered 409 \(DATABASE_BUSY: Database db_t is recovering\)/);
    assert.match(err.message, /Do not send another: wait until the database is ready, then read it back/);
  });

  it('409 elsewhere stays InvalidRequest (the seed simulator refuses an unfinished backup so)', () => {
    assert.equal(errorFromResponse(outcome(409, { operation: 'restoreDatabaseBackup' }), now).type, ErrorType.InvalidRequest);
  });

  it('422 → BackupNotUsable for a restore or a create from backup; a list says backups are not supported', () => {
    assert.equal(prismaRestore(422).type, ErrorType.BackupNotUsable);
    assert.equal(errorFromResponse(outcome(422, { operation: 'postV1Databases' }), now).type, ErrorType.BackupNotUsable);
    const list = errorFromResponse(outcome(422, { operation: 'getV1DatabasesByDatabaseIdBackups' }), now);
    assert.equal(list.type, ErrorType.InvalidRequest);
    assert.match(list.message, /remote databases/);
  });

  describe('404 names what is missing', () => {
    for (const [code, message, type, named] of [
      ['DATABASE_NOT_FOUND', 'Target database db_t not found', ErrorType.DatabaseNotFound, 'the target database db_t'],
      ['DATABASE_NOT_FOUND', 'Source database db_s not found', ErrorType.DatabaseNotFound, 'the source database db_s'],
      ['BACKUP_NOT_FOUND', 'Backup bkp_1 not found for database db_s', ErrorType.BackupNotFound, 'the backup bkp_1'],
      ['NOT_FOUND', 'Database db_s does not exist', ErrorType.DatabaseNotFound, 'the source database db_s'],
    ] as const) {
      it(`${code}: ${message} → ${type}`, () => {
        const err = prismaRestore(404, envelope(code, message), restoreIds);
        assert.deepEqual([err.type, err.retryable], [type, false]);
        assert.match(err.message, new RegExp(`: ${named} does not exist or the token cannot see it`));
      });
    }

    it('an answer that does not say which → NotFound listing every id', () => {
      for (const body of [envelope('NOT_FOUND', 'Not found'), '<html>404</html>']) {
        const err = prismaRestore(404, body, restoreIds);
        assert.equal(err.type, ErrorType.NotFound);
        assert.match(
          err.message,
          /the target database db_t, the source database db_s or the backup bkp_1 does not exist .* the answer does not say which/,
        );
      }
    });

    it('"database" alone is the target when the backup is of the target itself', () => {
      const same = { ...restoreIds, 'source database': 'db_t' };
      assert.equal(
        notFoundSubject('postV1DatabasesByTargetDatabaseIdRestore', envelope('NOT_FOUND', 'Database not found'), same),
        'target database',
      );
      assert.equal(
        notFoundSubject('postV1DatabasesByTargetDatabaseIdRestore', envelope('NOT_FOUND', 'Database not found'), restoreIds),
        undefined,
      );
    });

    it('an operation with one candidate names it whatever the body', () => {
      assert.equal(notFoundSubject('getV1DatabasesByDatabaseId', 'x'), 'database');
      assert.equal(notFoundSubject('getV1ProjectsByProjectIdDatabases', 'x'), 'project');
      const err = errorFromResponse(outcome(404, { operation: 'getV1ProjectsByProjectIdDatabases', ids: { project: 'proj_1' } }), now);
      assert.equal(err.type, ErrorType.ProjectNotFound);
      assert.match(err.message, /the project proj_1 does not exist/);
    });
  });

  describe('sent or not', () => {
    const network = (failure: Partial<NetworkFailure>) =>
      errorFromNetwork({
        operation: 'postV1DatabasesByTargetDatabaseIdRestore',
        request: 'POST databases/db_t/restore',
        timedOut: false,
        sent: true,
        ...failure,
      });

    it('never sent (refused, DNS, reset before the last byte, timed out connecting) → RequestNotSent, safe to send again', () => {
      for (const failure of [
        { code: 'ECONNREFUSED' },
        { code: 'ENOTFOUND' },
        { code: 'ECONNRESET' },
        { code: 'ETIMEDOUT', timedOut: true },
      ]) {
        const err = network({ ...failure, sent: false });
        assert.deepEqual([err.type, err.retryable], [ErrorType.RequestNotSent, true]);
        assert.match(err.message, /before the request was sent: nothing was restored, and sending it again is safe/);
      }
    });

    it('sent, then reset or timed out → RestoreOutcomeUnknown, not retryable: read the target back', () => {
      for (const failure of [{ code: 'ECONNRESET' }, { code: 'ETIMEDOUT', timedOut: true }]) {
        const err = network(failure);
        assert.deepEqual([err.type, err.retryable], [ErrorType.RestoreOutcomeUnknown, false]);
        assert.match(
          err.message,
          /after the request was sent: the restore may or may not have been applied\. Read the target database back/,
        );
      }
    });

    it('5xx to a restore → RestoreOutcomeUnknown, keeping Retry-After for a 503', () => {
      const err = errorFromResponse(
        { operation: 'postV1DatabasesByTargetDatabaseIdRestore', request: 'POST x', status: 503, retryAfter: '5', body: '' },
        now,
      );
      assert.deepEqual([err.type, err.retryable, err.retryAfterMs], [ErrorType.RestoreOutcomeUnknown, false, 5000]);
    });

    it('a seed restore is sent again only when the API is declared to honour Idempotency-Key', () => {
      const seed = (resendSafe: boolean) =>
        errorFromNetwork({
          operation: 'restoreDatabaseBackup',
          request: 'POST r',
          code: 'ECONNRESET',
          timedOut: false,
          sent: true,
          resendSafe,
        });
      assert.deepEqual([seed(true).type, seed(true).retryable], [ErrorType.RestoreOutcomeUnknown, true]);
      assert.match(seed(true).message, /same Idempotency-Key/);
      assert.deepEqual([seed(false).type, seed(false).retryable], [ErrorType.RestoreOutcomeUnknown, false]);
      assert.match(seed(false).message, /Check the database .* set PRISMA_API_IDEMPOTENCY_KEYS=honoured/);
      const server = errorFromResponse({ ...outcome(500), operation: 'restoreDatabaseBackup', resendSafe: true }, now);
      assert.deepEqual([server.type, server.retryable], [ErrorType.RestoreOutcomeUnknown, true]);
    });

    it('a request that could not be built is not a restore question: InvalidRequest', () => {
      assert.equal(network({ code: 'ERR_INVALID_URL', sent: false }).type, ErrorType.InvalidRequest);
    });
  });
});
