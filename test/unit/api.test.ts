// The Management API clients: how every HTTP outcome becomes a typed error (src/api/errors.ts), and
// the clients themselves (src/api/client.ts over src/api/http.ts) against a tiny HTTP server on
// 127.0.0.1: requests as sent, answers checked against their schemas, secrets kept in.
import { strict as assert } from 'assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createManagementApi, readApiToken, TokenConfigError, type PrismaApi, type SeedApi } from '../../src/api/client';
import {
  ApiError,
  errorFromNetwork,
  errorFromResponse,
  MAX_RETRY_AFTER_MS,
  notFoundSubject,
  parseRetryAfter,
  protocolError,
  type HttpOutcome,
  type NetworkFailure,
} from '../../src/api/errors';
import { path as apiPath, redact } from '../../src/api/http';
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
      assert.deepEqual([err.type, err.retryable, err.status], [ErrorType.Unauthorized, false, status]);
      assert.match(
        err.message,
        new RegExp(
          `^POST databases/db_1/backups answered ${status} \\(SOME_CODE: some message\\)\\. Give the worker a valid service token in PRISMA_API_TOKEN`,
        ),
      );
    });
  }

  it('404 on a database path → DatabaseNotFound; on a seed restore → BackupNotFound', () => {
    assert.equal(errorFromResponse(outcome(404), now).type, ErrorType.DatabaseNotFound);
    assert.equal(errorFromResponse(outcome(404, { operation: 'listDatabaseBackups' }), now).type, ErrorType.DatabaseNotFound);
    const restore = errorFromResponse(outcome(404, { operation: 'restoreDatabaseBackup', ids: { backup: 'bkp_1' } }), now);
    assert.deepEqual([restore.type, restore.retryable], [ErrorType.BackupNotFound, false]);
    assert.match(restore.message, /: the backup bkp_1 does not exist or the token cannot see it\.$/);
  });

  for (const status of [400, 405, 409, 410, 422]) {
    it(`${status} → non-retryable InvalidRequest`, () => {
      const err = errorFromResponse(outcome(status), now);
      assert.deepEqual([err.type, err.retryable], [ErrorType.InvalidRequest, false]);
      assert.match(err.message, /the request was refused; it is not retried\.$/);
    });
  }

  it('429 → retryable RateLimited, after Retry-After when given', () => {
    const err = errorFromResponse(outcome(429, { retryAfter: '7' }), now);
    assert.deepEqual([err.type, err.retryable, err.retryAfterMs], [ErrorType.RateLimited, true, 7_000]);
    assert.equal(errorFromResponse(outcome(429), now).retryAfterMs, undefined);
  });

  for (const status of [500, 502, 503, 504]) {
    it(`${status} → retryable Transient`, () => {
      const err = errorFromResponse(outcome(status, { body: '<html>oops</html>' }), now);
      assert.deepEqual([err.type, err.retryable], [ErrorType.Transient, true]);
      assert.match(err.message, new RegExp(`answered ${status}: server error; retrying\\.$`));
    });
  }

  it('Retry-After counts on a 503, not on other server errors', () => {
    assert.equal(errorFromResponse(outcome(503, { retryAfter: '5' }), now).retryAfterMs, 5_000);
    assert.equal(errorFromResponse(outcome(500, { retryAfter: '5' }), now).retryAfterMs, undefined);
  });

  it('a redirect is not followed: check PRISMA_API_URL', () => {
    const err = errorFromResponse(outcome(301), now);
    assert.deepEqual([err.type, err.retryable], [ErrorType.InvalidRequest, false]);
    assert.match(err.message, /a redirect, which is not followed\. Check PRISMA_API_URL/);
  });

  it('network failures and timeouts of a non-restore → retryable Transient, sent or not', () => {
    const get = (code: string | undefined, timedOut: boolean, sent: boolean) =>
      errorFromNetwork({ operation: 'listDatabaseBackups', request: 'GET x', code, timedOut, sent });
    for (const err of [get('ECONNRESET', false, true), get('ECONNREFUSED', false, false), get(undefined, false, true)]) {
      assert.deepEqual([err.type, err.retryable], [ErrorType.Transient, true]);
      assert.match(err.message, /PRISMA_API_URL/);
    }
    assert.match(get('ECONNRESET', false, true).message, /^GET x failed \(ECONNRESET\); retrying\./);
    assert.match(get(undefined, false, true).message, /failed \(network error\)/);
    assert.match(get('ETIMEDOUT', true, true).message, /^GET x timed out; retrying\./);
  });

  it('a request Node refuses to build is not retried, restore or not', () => {
    for (const operation of ['listDatabaseBackups', 'postV1DatabasesByTargetDatabaseIdRestore'] as const) {
      const err = errorFromNetwork({ operation, request: 'POST x', code: 'ERR_INVALID_CHAR', timedOut: false, sent: false });
      assert.deepEqual([err.type, err.retryable], [ErrorType.InvalidRequest, false]);
    }
  });

  describe('Retry-After', () => {
    it('reads seconds and HTTP dates', () => {
      assert.equal(parseRetryAfter('3', now), 3_000);
      assert.equal(parseRetryAfter(' 3 ', now), 3_000);
      assert.equal(parseRetryAfter('Fri, 27 Nov 2026 10:00:30 GMT', now), 30_000);
    });
    it('ignores absent or malformed values, clamps past dates to 0 and huge ones to the cap', () => {
      for (const value of [undefined, '', 'soon', '-3', '1.5', '+2']) assert.equal(parseRetryAfter(value, now), undefined, value);
      assert.equal(parseRetryAfter('Fri, 27 Nov 2026 09:00:00 GMT', now), 0);
      assert.equal(parseRetryAfter('999999', now), MAX_RETRY_AFTER_MS);
      assert.equal(MAX_RETRY_AFTER_MS, 10 * 60_000);
    });
  });

  describe('restores', () => {
    const restoreIds = { 'target database': 'db_t', 'source database': 'db_s', backup: 'bkp_1' };
    const prismaRestore = (status: number, body = envelope('SOME_CODE', 'some message'), ids: HttpOutcome['ids'] = {}) =>
      errorFromResponse(
        { operation: 'postV1DatabasesByTargetDatabaseIdRestore', request: 'POST databases/db_t/restore', status, body, ids },
        now,
      );

    it('409 → RestoreConflict: never a second restore', () => {
      const err = prismaRestore(409, envelope('DATABASE_BUSY', 'Database db_t is recovering'));
      assert.deepEqual([err.type, err.retryable], [ErrorType.RestoreConflict, false]);
      assert.match(
        err.message,
        /answered 409 \(DATABASE_BUSY: Database db_t is recovering\): the target is provisioning or recovering, so this restore was refused; no second one is sent\.$/,
      );
    });

    it('409 elsewhere stays InvalidRequest', () => {
      assert.equal(errorFromResponse(outcome(409, { operation: 'restoreDatabaseBackup' }), now).type, ErrorType.InvalidRequest);
    });

    it('422 → BackupNotUsable for a restore or a create from backup; a backup list says it has none for remote databases', () => {
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
          assert.deepEqual([err.type, err.retryable, err.status], [type, false, 404]);
          assert.match(err.message, new RegExp(`: ${named} does not exist or the token cannot see it\\.$`));
        });
      }

      it('an answer that does not say which → NotFound listing every id', () => {
        for (const body of [envelope('NOT_FOUND', 'Not found'), '<html>404</html>', '']) {
          const err = prismaRestore(404, body, restoreIds);
          assert.equal(err.type, ErrorType.NotFound);
          assert.match(
            err.message,
            /the target database db_t, the source database db_s or the backup bkp_1 does not exist .* the answer does not say which\.$/,
          );
        }
      });

      it('"database" alone is the target when the backup is of the target itself', () => {
        const op = 'postV1DatabasesByTargetDatabaseIdRestore';
        assert.equal(
          notFoundSubject(op, envelope('NOT_FOUND', 'Database not found'), { ...restoreIds, 'source database': 'db_t' }),
          'target database',
        );
        assert.equal(notFoundSubject(op, envelope('NOT_FOUND', 'Database not found'), restoreIds), undefined);
      });

      it('a create from a backup: the project, the source or the backup', () => {
        const ids = { project: 'proj_1', 'source database': 'db_s', backup: 'bkp_1' };
        assert.equal(notFoundSubject('postV1Databases', envelope('NOT_FOUND', 'Project not found'), ids), 'project');
        assert.equal(notFoundSubject('postV1Databases', envelope('NOT_FOUND', 'No such thing: db_s'), ids), 'source database');
      });

      it('an operation with one candidate names it whatever the body', () => {
        assert.equal(notFoundSubject('getV1DatabasesByDatabaseId', 'x'), 'database');
        assert.equal(notFoundSubject('getV1ProjectsByProjectIdDatabases', 'x'), 'project');
        const err = errorFromResponse(outcome(404, { operation: 'getV1ProjectsByProjectIdDatabases', ids: { project: 'proj_1' } }), now);
        assert.equal(err.type, ErrorType.ProjectNotFound);
        assert.match(err.message, /the project proj_1 does not exist/);
        assert.equal(errorFromResponse(outcome(404, { operation: 'deleteV1ConnectionsById' }), now).type, ErrorType.NotFound);
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
          assert.match(err.message, /before the request was sent: nothing was restored\./);
        }
      });

      it('sent, then reset or timed out → RestoreOutcomeUnknown, not retried: the target is read back', () => {
        for (const failure of [{ code: 'ECONNRESET' }, { code: 'ETIMEDOUT', timedOut: true }]) {
          const err = network(failure);
          assert.deepEqual([err.type, err.retryable], [ErrorType.RestoreOutcomeUnknown, false]);
          assert.match(
            err.message,
            /after the request was sent: the restore may or may not have been applied\. The target is read back before anything is sent again\.$/,
          );
        }
      });

      it('5xx to a restore → RestoreOutcomeUnknown, keeping Retry-After for a 503', () => {
        const err = errorFromResponse(
          { operation: 'postV1DatabasesByTargetDatabaseIdRestore', request: 'POST x', status: 503, retryAfter: '5', body: '' },
          now,
        );
        assert.deepEqual([err.type, err.retryable, err.retryAfterMs, err.status], [ErrorType.RestoreOutcomeUnknown, false, 5_000, 503]);
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
    });
  });

  it('a 2xx off the description: a ProtocolError that says where to look; after a POST, that it may have been carried out', () => {
    const get = protocolError('GET databases/db_1/backups', 'body.data is missing');
    assert.deepEqual([get.type, get.retryable], [ErrorType.ProtocolError, false]);
    assert.match(
      get.message,
      /^GET databases\/db_1\/backups: the answer does not match the API description \(body\.data is missing\)\. Check that PRISMA_API_URL .* PRISMA_API_PROFILE names it\.$/,
    );
    assert.match(protocolError('POST databases', 'x').message, /The request may have been carried out: check before sending it again\./);
  });
});

// ---- the clients, over HTTP ----

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Answer = { status?: number; body?: unknown; headers?: Record<string, string> } | 'hang';

const TOKEN = 'tok_s3cret-0123456789';

describe('the API clients over HTTP', function () {
  let server: http.Server;
  let baseUrl: string;
  let seen: Seen[];
  let answer: (request: Seen) => Answer;

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const request = { method: req.method!, url: req.url!, headers: req.headers, body };
        seen.push(request);
        const a = answer(request);
        if (a === 'hang') return;
        const text = typeof a.body === 'string' ? a.body : a.body === undefined ? '' : JSON.stringify(a.body);
        res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers }).end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen = [];
    answer = () => ({ status: 500 });
  });

  const seed = (honoured = false, requestTimeoutMs?: number) =>
    createManagementApi({ baseUrl, token: TOKEN, profile: 'seed', idempotencyKeysHonoured: honoured, requestTimeoutMs }) as SeedApi;
  const prisma = (requestTimeoutMs?: number) =>
    createManagementApi({ baseUrl, token: TOKEN, profile: 'prisma', requestTimeoutMs }) as PrismaApi;
  const none = {};

  async function rejectsWith(promise: Promise<unknown>, type: string, message?: RegExp): Promise<ApiError> {
    let error: ApiError | undefined;
    await assert.rejects(promise, (err: unknown) => {
      assert.ok(err instanceof ApiError, String(err));
      assert.equal(err.type, type, err.message);
      if (message) assert.match(err.message, message);
      error = err;
      return true;
    });
    return error!;
  }

  const seedBackup = { id: 'bkp_1', databaseId: 'db_1', type: 'manual', status: 'pending', createdAt: '2026-11-27T10:00:00Z' };

  describe('seed', () => {
    it('creates a backup: the token, the Idempotency-Key, the label, and the answer as described', async () => {
      answer = () => ({ status: 201, body: seedBackup });
      assert.deepEqual(await seed().createBackup('db_1', 'nightly', { idempotencyKey: 'wf/run/create-backup' }), seedBackup);
      assert.equal(seen[0].method, 'POST');
      assert.equal(seen[0].url, '/v1/databases/db_1/backups');
      assert.equal(seen[0].headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(seen[0].headers['idempotency-key'], 'wf/run/create-backup');
      assert.deepEqual(JSON.parse(seen[0].body), { label: 'nightly' });
      await seed().createBackup('db_1', undefined, none);
      assert.deepEqual(JSON.parse(seen[1].body), {});
      assert.equal(seen[1].headers['idempotency-key'], undefined);
    });

    it('lists backups, keeping the optional fields', async () => {
      const done = { ...seedBackup, status: 'completed', sizeBytes: 42, completedAt: '2026-11-27T10:01:00Z' };
      answer = () => ({ body: { data: [seedBackup, done] } });
      assert.deepEqual(await seed().listBackups('db_1', none), { data: [seedBackup, done] });
      answer = () => ({ body: { data: [] } });
      assert.deepEqual(await seed().listBackups('db_1', none), { data: [] });
    });

    it('refuses an answer off the description, naming the field, or one that is not JSON', async () => {
      for (const [body, detail] of [
        [{ data: [{ ...seedBackup, status: 'done' }] }, /\(body\.data\.0\.status /],
        [{ data: [{ ...seedBackup, type: 'weekly' }] }, /\(body\.data\.0\.type /],
        [{ data: [{ ...seedBackup, sizeBytes: '12' }] }, /\(body\.data\.0\.sizeBytes /],
        [{ data: [{ ...seedBackup, id: undefined }] }, /\(body\.data\.0\.id /],
        [{ items: [] }, /\(body\.data /],
        ['<html>', /\(the body is not JSON\)/],
      ] as const) {
        answer = () => ({ body });
        const err = await rejectsWith(seed().listBackups('db_1', none), ErrorType.ProtocolError, detail);
        assert.equal(err.retryable, false);
        assert.match(err.message, /PRISMA_API_URL/);
      }
    });

    it('takes any 2xx JSON answer to a restore as accepted, whatever it holds', async () => {
      for (const body of [{ status: 'restoring', message: 'ok' }, { status: 'done' }, { status: 'restoring', message: 1 }, []]) {
        answer = () => ({ status: 202, body });
        const accepted = await seed().restoreBackup('db_1', 'bkp_1', { idempotencyKey: 'k' });
        assert.equal(accepted.status, 'restoring');
      }
      assert.equal(seen[0].url, '/v1/databases/db_1/backups/bkp_1/restore');
      assert.equal(seen[0].headers['idempotency-key'], 'k');
    });

    it('takes a 2xx to a restore whose body is not JSON (or empty) as accepted (BUG: ProtocolError, so a restore under way ends the run as RestoreOutcomeUnknown)', async () => {
      for (const body of ['<html>', '']) {
        answer = () => ({ status: 202, body });
        assert.equal((await seed().restoreBackup('db_1', 'bkp_1', { idempotencyKey: 'k' })).status, 'restoring');
      }
    });

    it('a 5xx to a restore leaves the outcome unknown: retried only under an honoured key', async () => {
      answer = () => ({ status: 502 });
      assert.equal((await rejectsWith(seed(false).restoreBackup('db_1', 'b', none), ErrorType.RestoreOutcomeUnknown)).retryable, false);
      assert.equal((await rejectsWith(seed(true).restoreBackup('db_1', 'b', none), ErrorType.RestoreOutcomeUnknown)).retryable, true);
    });
  });

  describe('any operation', () => {
    it('redacts the token from an answer that echoes it', async () => {
      answer = (request) => ({ status: 401, body: envelope('UNAUTHORIZED', `token ${request.headers.authorization} is not valid`) });
      const err = await rejectsWith(seed().listBackups('db_1', none), ErrorType.Unauthorized);
      assert.ok(!err.message.includes(TOKEN), err.message);
      assert.match(err.message, /\(UNAUTHORIZED: token Bearer \[redacted\] is not valid\)/);
      assert.equal(redact(`a ${TOKEN} b ${TOKEN}`, TOKEN), 'a [redacted] b [redacted]');
      assert.equal(redact('nothing', ''), 'nothing');
    });

    it('names the missing database of a 404, and takes Retry-After from a 429', async () => {
      answer = () => ({ status: 404, body: envelope('NOT_FOUND', 'nope') });
      await rejectsWith(seed().listBackups('db_9', none), ErrorType.DatabaseNotFound, /the database db_9 does not exist/);
      answer = () => ({ status: 429, headers: { 'retry-after': '4' } });
      assert.equal((await rejectsWith(seed().listBackups('db_1', none), ErrorType.RateLimited)).retryAfterMs, 4_000);
    });

    it('follows no redirect', async () => {
      answer = () => ({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } });
      await rejectsWith(seed().listBackups('db_1', none), ErrorType.InvalidRequest, /redirect/);
      assert.equal(seen.length, 1);
    });

    it('encodes each id as one path segment', async () => {
      answer = () => ({ body: { data: [] } });
      await seed().listBackups('a/b?c', none);
      assert.equal(seen[0].url, '/v1/databases/a%2Fb%3Fc/backups');
      assert.equal(apiPath('databases', '../x', 'restore'), 'databases/..%2Fx/restore');
    });

    it('times out a request nobody answers: a read is retried; a restore sent is an unknown outcome', async () => {
      answer = () => 'hang';
      await rejectsWith(seed(false, 150).listBackups('db_1', none), ErrorType.Transient, /timed out; retrying/);
      const err = await rejectsWith(
        prisma(150).restoreDatabase('db_t', { databaseId: 'db_s', backupId: 'c1' }, none),
        ErrorType.RestoreOutcomeUnknown,
      );
      assert.equal(err.retryable, false);
    });

    it('a server that is not there: a read is retried; a restore was never sent', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const api = createManagementApi({ baseUrl: `http://127.0.0.1:${port}/v1`, token: TOKEN, profile: 'prisma' }) as PrismaApi;
      await rejectsWith(api.getDatabase('db_1', none), ErrorType.Transient, /ECONNREFUSED/);
      const err = await rejectsWith(api.restoreDatabase('db_t', { databaseId: 'db_s', backupId: 'c1' }, none), ErrorType.RequestNotSent);
      assert.equal(err.retryable, true);
    });
  });

  describe('prisma', () => {
    // A database as Prisma describes it, secrets included: none of them may come out of the client.
    const SECRET = 'postgres://user:s3cret@db.example/x';
    const database = (extra: Record<string, unknown> = {}) => ({
      id: 'db_1',
      type: 'database',
      url: SECRET,
      name: 'main',
      status: 'ready',
      createdAt: '2026-11-01T00:00:00.000Z',
      isDefault: true,
      connections: [
        { id: 'con_1', type: 'connection', url: SECRET, directConnection: { host: 'db.example', user: 'user', pass: 's3cret' } },
      ],
      project: { id: 'proj_1', url: 'https://api.prisma.io/v1/projects/proj_1', name: 'p' },
      region: { id: 'us-east-1', name: 'US East' },
      source: { type: 'backup', databaseId: 'db_src', backupId: 'c1' },
      ...extra,
    });
    const ours = { databaseId: 'db_src', backupId: 'c1' };

    it('reads a database: id, name, status, a backup source and the project, never a url, connection or credential', async () => {
      answer = () => ({ body: { data: database() } });
      const db = await prisma().getDatabase('db_1', none);
      assert.deepEqual(db, { id: 'db_1', name: 'main', status: 'ready', source: ours, projectId: 'proj_1' });
      assert.ok(!JSON.stringify(db).includes('s3cret'));
      for (const source of [null, { type: 'empty' }, { type: 'database', databaseId: 'db_2' }]) {
        answer = () => ({ body: { data: database({ source }) } });
        assert.equal((await prisma().getDatabase('db_1', none)).source, undefined, JSON.stringify(source));
      }
    });

    it('refuses a database off the description, naming the field and quoting no value', async () => {
      for (const [data, detail] of [
        [database({ status: 'restoring' }), /body\.data\.status /],
        [database({ type: 'backup' }), /body\.data\.type /],
        [database({ source: { type: 'backup', databaseId: 'db_2' } }), /body\.data\.source\.backupId /],
        [database({ createdAt: 'yesterday' }), /body\.data\.createdAt is not a timestamp/],
        [(({ source: _s, ...rest }) => rest)(database()), /body\.data\.source /],
      ] as const) {
        answer = () => ({ body: { data } });
        const err = await rejectsWith(prisma().getDatabase('db_1', none), ErrorType.ProtocolError, detail);
        assert.ok(!err.message.includes('s3cret'));
      }
    });

    it('lists backups, asking for the largest page, and refuses the seed shape', async () => {
      const list = {
        data: [{ id: 'c1', backupType: 'full', createdAt: '2026-11-27T03:00:00.000Z', size: 1024, status: 'completed', type: 'backup' }],
        meta: { backupRetentionDays: 7 },
        pagination: { hasMore: false, limit: 100 },
      };
      answer = () => ({ body: list });
      const parsed = await prisma().listBackups('db_1', none);
      assert.deepEqual(parsed.data, [
        { id: 'c1', backupType: 'full', createdAt: '2026-11-27T03:00:00.000Z', size: 1024, status: 'completed' },
      ]);
      assert.equal(seen[0].url, '/v1/databases/db_1/backups?limit=100');
      answer = () => ({ body: { ...list, pagination: { hasMore: false, limit: null } } });
      assert.equal((await prisma().listBackups('db_1', none)).pagination.limit, null);
      for (const [body, detail] of [
        [{ data: [] }, /body\.meta /],
        [{ ...list, pagination: { hasMore: false, limit: 0 } }, /body\.pagination\.limit /],
        [{ ...list, data: [{ ...list.data[0], status: 'pending' }] }, /body\.data\.0\.status /],
        [{ ...list, data: [{ ...list.data[0], backupType: 'weekly' }] }, /body\.data\.0\.backupType /],
      ] as const) {
        answer = () => ({ body });
        await rejectsWith(prisma().listBackups('db_1', none), ErrorType.ProtocolError, detail);
      }
    });

    describe('restoreDatabase', () => {
      it('sends our backup as the source and takes an answer naming it', async () => {
        answer = () => ({ body: { data: database({ id: 'db_t', status: 'recovering' }) } });
        assert.equal((await prisma().restoreDatabase('db_t', ours, none)).status, 'recovering');
        assert.equal(seen[0].method, 'POST');
        assert.equal(seen[0].url, '/v1/databases/db_t/restore');
        assert.deepEqual(JSON.parse(seen[0].body), { source: { type: 'backup', databaseId: 'db_src', backupId: 'c1' } });
      });

      it('an answer without our backup as the source, or off the description, leaves the outcome unknown: read back, never resent', async () => {
        for (const body of [
          { data: database({ status: 'recovering', source: { type: 'backup', databaseId: 'db_src', backupId: 'c9' } }) },
          { data: database({ status: 'recovering', source: null }) },
          { data: {} },
          '<html>proxy</html>',
        ]) {
          answer = () => ({ body });
          const err = await rejectsWith(
            prisma().restoreDatabase('db_t', ours, none),
            ErrorType.RestoreOutcomeUnknown,
            /the target is read back before anything is sent again/i,
          );
          assert.equal(err.retryable, false);
        }
      });

      it('a 409 is a conflict; a 404 names what is missing', async () => {
        answer = () => ({ status: 409, body: envelope('CONFLICT', 'busy') });
        await rejectsWith(prisma().restoreDatabase('db_t', ours, none), ErrorType.RestoreConflict);
        answer = () => ({ status: 404, body: envelope('BACKUP_NOT_FOUND', 'Backup c1 not found') });
        await rejectsWith(prisma().restoreDatabase('db_t', ours, none), ErrorType.BackupNotFound, /the backup c1 does not exist/);
      });
    });

    describe('pagination', () => {
      const page = (ids: string[], nextCursor: string | null, hasMore: boolean) => ({
        body: { data: ids.map((id) => database({ id, name: id })), pagination: { nextCursor, hasMore } },
      });

      it('follows the cursor to the last page', async () => {
        answer = ({ url }) => (url.includes('cursor=c2') ? page(['db_c'], null, false) : page(['db_a', 'db_b'], 'c2', true));
        assert.deepEqual(
          (await prisma().listProjectDatabases('proj_1', none)).map((db) => db.id),
          ['db_a', 'db_b', 'db_c'],
        );
        assert.deepEqual(
          seen.map((r) => r.url),
          ['/v1/projects/proj_1/databases?limit=100', '/v1/projects/proj_1/databases?limit=100&cursor=c2'],
        );
      });

      it('a list that never ends is a ProtocolError: the same cursor again, none with more to come, or page after page', async () => {
        answer = () => page(['db_a'], 'c1', true);
        await rejectsWith(
          prisma().listProjectDatabases('proj_1', none),
          ErrorType.ProtocolError,
          /its pagination does not end \(over 2 pages\)/,
        );
        answer = () => page(['db_a'], null, true);
        await rejectsWith(prisma().listConnections('db_1', none), ErrorType.ProtocolError, /its pagination does not end \(over 1 pages\)/);
        let n = 0;
        answer = () => page([`db_${n}`], `c${++n}`, true);
        await rejectsWith(prisma().listProjectDatabases('proj_1', none), ErrorType.ProtocolError, /over 100 pages/);
        assert.equal(seen.length, 2 + 1 + 100);
      });
    });

    describe('connections', () => {
      const url = 'postgres://u_1:p%40ss@db.example.com:5432/postgres?sslmode=require';

      it('takes the connection string from the create answer (or its deprecated field) and nothing else', async () => {
        answer = () => ({ status: 201, body: { data: { id: 'con_1', name: 'verify', endpoints: { direct: { connectionString: url } } } } });
        assert.deepEqual(await prisma().createConnection('db_1', 'verify', none), { id: 'con_1', connectionString: url });
        assert.deepEqual(JSON.parse(seen[0].body), { name: 'verify' });
        answer = () => ({ status: 201, body: { data: { id: 'con_1', connectionString: url } } });
        assert.equal((await prisma().createConnection('db_1', 'verify', none)).connectionString, url);
      });

      it('refuses a create answer without a postgres:// string, quoting none of it', async () => {
        for (const data of [
          { id: 'con_1', endpoints: { direct: { connectionString: 'mysql://u:p@h/db' } } },
          { id: 'con_1', endpoints: {} },
          { endpoints: {} },
        ]) {
          answer = () => ({ status: 201, body: { data } });
          const err = await rejectsWith(prisma().createConnection('db_1', 'verify', none), ErrorType.ProtocolError);
          assert.ok(!err.message.includes('u:p') && !err.message.includes('mysql'), err.message);
        }
      });

      it('lists connections by id and name only', async () => {
        answer = () => ({ body: { data: [{ id: 'con_1', name: 'n', pass: 'p', url }], pagination: { nextCursor: null, hasMore: false } } });
        assert.deepEqual(await prisma().listConnections('db_1', none), [{ id: 'con_1', name: 'n' }]);
      });

      it('deletes a connection or a database without reading the answer', async () => {
        answer = () => ({ status: 204 });
        assert.equal(await prisma().deleteConnection('con_1', none), undefined);
        assert.equal(await prisma().deleteDatabase('db_1', none), undefined);
        assert.deepEqual(
          seen.map((r) => `${r.method} ${r.url}`),
          ['DELETE /v1/connections/con_1', 'DELETE /v1/databases/db_1'],
        );
      });
    });

    it('creates a database from a backup, with its project, name and region', async () => {
      answer = () => ({ status: 201, body: { data: database({ id: 'db_new', status: 'provisioning' }) } });
      const created = await prisma().createDatabaseFromBackup(
        { projectId: 'proj_1', name: 'drill', region: 'eu-central-1', source: ours },
        none,
      );
      assert.equal(created.id, 'db_new');
      assert.equal(seen[0].url, '/v1/databases');
      assert.deepEqual(JSON.parse(seen[0].body), {
        projectId: 'proj_1',
        name: 'drill',
        region: 'eu-central-1',
        source: { type: 'backup', ...ours },
      });
    });
  });
});

describe('the API token', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'token-'));

  it('comes from PRISMA_API_TOKEN, or from the file PRISMA_API_TOKEN_FILE names, trimmed', () => {
    assert.equal(readApiToken({ PRISMA_API_TOKEN: ' tok_1\n' }), 'tok_1');
    const file = path.join(dir, 'token');
    writeFileSync(file, 'tok_file\n');
    assert.equal(readApiToken({ PRISMA_API_TOKEN_FILE: file, PRISMA_API_TOKEN: 'tok_env' }), 'tok_file');
  });

  it('is refused when missing or unreadable, naming the settings and never a value', () => {
    assert.throws(
      () => readApiToken({}),
      (err: unknown) => err instanceof TokenConfigError && /set PRISMA_API_TOKEN, or PRISMA_API_TOKEN_FILE/.test(err.message),
    );
    assert.throws(() => readApiToken({ PRISMA_API_TOKEN: '  ' }), TokenConfigError);
    assert.throws(
      () => readApiToken({ PRISMA_API_TOKEN_FILE: path.join(dir, 'missing') }),
      (err: unknown) => err instanceof TokenConfigError && /^Cannot read PRISMA_API_TOKEN_FILE \(ENOENT\)/.test(err.message),
    );
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, '\n');
    assert.throws(() => readApiToken({ PRISMA_API_TOKEN_FILE: empty, PRISMA_API_TOKEN: 'tok_env' }), TokenConfigError);
  });
});
