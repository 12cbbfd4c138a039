import { strict as assert } from 'assert';
import { ApiError } from '../../src/api/api-error';
import { parseDatabase, parseDatabasePage, parsePrismaBackupList, parseRestoreStarted } from '../../src/api/parse-prisma';
import { ErrorType } from '../../src/shared/errors';
import { officialApi } from '../support/openapi';

const req = 'GET databases/db_1/backups?limit=100';
const backup = { id: 'bkp_1', backupType: 'full', createdAt: '2026-11-27T03:00:00.000Z', size: 1024, status: 'completed', type: 'backup' };
const list = (data: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ data, meta: { backupRetentionDays: 7 }, pagination: { hasMore: false, limit: 100 }, ...extra });

// A database as Prisma describes it, secrets included: none of them may come out of the parser.
const SECRET = 'postgres://user:s3cret@db.example/x';
const database = (extra: Record<string, unknown> = {}) => ({
  id: 'db_1',
  type: 'database',
  url: SECRET,
  name: 'main',
  status: 'ready',
  createdAt: '2026-11-01T00:00:00.000Z',
  isDefault: true,
  defaultConnectionId: null,
  connections: [
    {
      id: 'con_1',
      type: 'connection',
      url: SECRET,
      name: 'default',
      createdAt: '2026-11-01T00:00:00.000Z',
      kind: 'postgres',
      endpoints: { direct: { host: 'db.example', port: 5432 } },
      directConnection: { host: 'db.example', user: 'user', pass: 's3cret' },
      database: { id: 'db_1', url: 'https://api.prisma.io/v1/databases/db_1', name: 'main' },
    },
  ],
  project: { id: 'proj_1', url: 'https://api.prisma.io/v1/projects/proj_1', name: 'p' },
  region: { id: 'us-east-1', name: 'US East' },
  source: { type: 'backup', databaseId: 'db_src', backupId: 'bkp_1' },
  ...extra,
});

function assertProtocolError(fn: () => unknown, detail: RegExp) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.type, ErrorType.ProtocolError);
    assert.match(err.message, detail);
    assert.match(err.message, /PRISMA_API_PROFILE/);
    return true;
  });
}

describe('parsing the prisma profile', () => {
  it("tests with answers that conform to Prisma's description", () => {
    assert.deepEqual(officialApi.validateResponse('getV1DatabasesByDatabaseIdBackups', 200, JSON.parse(list([backup]))), []);
    assert.deepEqual(officialApi.validateResponse('getV1DatabasesByDatabaseId', 200, { data: database() }), []);
    assert.deepEqual(
      officialApi.validateResponse('postV1DatabasesByTargetDatabaseIdRestore', 200, { data: database({ status: 'recovering' }) }),
      [],
    );
    assert.deepEqual(officialApi.validateResponse('postV1Databases', 201, { data: database({ status: 'provisioning' }) }), []);
  });

  describe('backup list', () => {
    it('accepts the described shape, keeping only the described fields', () => {
      const parsed = parsePrismaBackupList(
        req,
        list([
          { ...backup, extra: 'x' },
          { id: 'bkp_2', backupType: 'incremental', createdAt: backup.createdAt, status: 'running' },
        ]),
      );
      assert.deepEqual(parsed, {
        data: [backup, { id: 'bkp_2', backupType: 'incremental', createdAt: backup.createdAt, status: 'running' }],
        meta: { backupRetentionDays: 7 },
        pagination: { hasMore: false, limit: 100 },
      });
    });
    it('accepts an empty list and a null limit', () => {
      assert.deepEqual(parsePrismaBackupList(req, list([], { pagination: { hasMore: false, limit: null } })).pagination, {
        hasMore: false,
        limit: null,
      });
    });
    it('refuses the seed shape (no meta), naming what is off', () => {
      assertProtocolError(() => parsePrismaBackupList(req, JSON.stringify({ data: [] })), /body\.meta\.backupRetentionDays/);
    });
    it('refuses a list without pagination, or a limit out of 1–100', () => {
      assertProtocolError(
        () => parsePrismaBackupList(req, JSON.stringify({ data: [], meta: { backupRetentionDays: 7 } })),
        /pagination\.hasMore/,
      );
      assertProtocolError(() => parsePrismaBackupList(req, list([], { pagination: { hasMore: false, limit: 0 } })), /pagination\.limit/);
    });
    for (const [field, value, detail] of [
      ['id', '', /body\.data\[0\]\.id/],
      ['backupType', 'weekly', /backupType is not one of full, incremental/],
      ['status', 'pending', /status is not one of running, completed, failed, unknown/],
      ['createdAt', 'yesterday', /createdAt is missing or not a timestamp/],
      ['size', '12', /size is not a number/],
      ['type', 'snapshot', /type is not "backup"/],
    ] as const) {
      it(`refuses a backup whose ${field} is ${JSON.stringify(value)}`, () => {
        assertProtocolError(() => parsePrismaBackupList(req, list([{ ...backup, [field]: value }])), detail);
      });
    }
    it('refuses non-JSON', () => assertProtocolError(() => parsePrismaBackupList(req, '<html>'), /body is not JSON/));
  });

  describe('database', () => {
    it('returns id, name, status, createdAt, source and project id, and never a url, connection or credential', () => {
      const parsed = parseDatabase('GET databases/db_1', JSON.stringify({ data: database() }));
      assert.deepEqual(parsed, {
        id: 'db_1',
        name: 'main',
        status: 'ready',
        createdAt: '2026-11-01T00:00:00.000Z',
        source: { type: 'backup', databaseId: 'db_src', backupId: 'bkp_1' },
        projectId: 'proj_1',
      });
      assert.ok(!JSON.stringify(parsed).includes('s3cret'));
    });
    it('reads every kind of source; null is no source', () => {
      const source = (s: unknown) => parseDatabase('GET x', JSON.stringify({ data: database({ source: s }) })).source;
      assert.deepEqual(source({ type: 'empty' }), { type: 'empty' });
      assert.deepEqual(source({ type: 'database', databaseId: 'db_2' }), { type: 'database', databaseId: 'db_2' });
      assert.equal(source(null), undefined);
    });
    it('refuses what is off the description', () => {
      const parse = (data: unknown) => () => parseDatabase('GET x', JSON.stringify({ data }));
      assertProtocolError(parse(database({ status: 'restoring' })), /status is not one of provisioning, ready, recovering, failure/);
      assertProtocolError(parse(database({ type: 'backup' })), /body\.data\.type is not "database"/);
      assertProtocolError(parse(database({ source: { type: 'backup', databaseId: 'db_2' } })), /body\.data\.source/);
      const { source: _source, ...noSource } = database();
      assertProtocolError(parse(noSource), /body\.data\.source is missing/);
      assertProtocolError(() => parseDatabase('GET x', JSON.stringify(database())), /body\.data is not an object/);
    });
    it('reads a page of databases', () => {
      const page = parseDatabasePage('GET x', JSON.stringify({ data: [database()], pagination: { hasMore: true, nextCursor: 'c2' } }));
      assert.deepEqual([page.data.map((d) => d.id), page.hasMore, page.nextCursor], [['db_1'], true, 'c2']);
      assertProtocolError(() => parseDatabasePage('GET x', JSON.stringify({ data: [], pagination: { hasMore: false } })), /nextCursor/);
    });
  });

  describe('restore answer', () => {
    const ours = { databaseId: 'db_src', backupId: 'bkp_1' };
    const restoring = database({ status: 'recovering' });
    it('accepts the target recovering from our backup', () => {
      assert.equal(parseRestoreStarted('POST databases/db_1/restore', JSON.stringify({ data: restoring }), ours).status, 'recovering');
    });
    it('takes an answer off the description, or naming another backup, as an unknown outcome, not retryable', () => {
      for (const body of [
        '<html>proxy</html>',
        '{"data":{}}',
        JSON.stringify({ data: { ...restoring, source: { ...ours, type: 'backup', backupId: 'bkp_9' } } }),
      ]) {
        assert.throws(
          () => parseRestoreStarted('POST databases/db_1/restore', body, ours),
          (err: unknown) =>
            err instanceof ApiError &&
            err.type === ErrorType.RestoreOutcomeUnknown &&
            !err.retryable &&
            /Read the target database back/.test(err.message),
        );
      }
    });
  });
});
