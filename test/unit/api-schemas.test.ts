// The zod schemas of the API answers (src/api/schemas.ts) held against the published descriptions:
// Prisma's (spec/official/prisma-management-api-openapi.json) and the seed's
// (spec/openapi/prisma-database-backups-api-openapi.yml). Each schema, as JSON Schema (io: 'input'),
// reads only described properties of the described types, with the described enums, and requires
// only what the description requires; the few deliberate differences are listed with their reason,
// so a new drift, or one that went away, fails. Answers the descriptions accept parse.
import { strict as assert } from 'assert';
import { z } from 'zod';
import * as schemas from '../../src/api/schemas';
import { officialApi, seedApi } from '../support/openapi';
import { PRISMA_DESCRIPTION, schemaDrift, SEED_DESCRIPTION, type Description } from '../support/schema-drift';

interface Case {
  schema: z.ZodType;
  description: Description;
  operationId: string;
  status: number;
  /** Deliberate differences, each with why it is right. */
  expected?: Record<string, string>;
}

const RESTORE_SOURCE =
  "one Database schema reads every answer; the restore's answer names a backup source, and the client then requires it to be ours (else RestoreOutcomeUnknown)";

const CASES: Record<string, Case> = {
  'seed: a created backup': { schema: schemas.SeedBackup, description: SEED_DESCRIPTION, operationId: 'createDatabaseBackup', status: 202 },
  'seed: the backup list': {
    schema: schemas.SeedBackupList,
    description: SEED_DESCRIPTION,
    operationId: 'listDatabaseBackups',
    status: 200,
    expected: {
      'body.data: required here, optional in the description':
        'the description requires nothing of the list; a list answer without its list says nothing about our backup, so it is a protocol error',
    },
  },
  'seed: a restore accepted': {
    schema: schemas.SeedRestoreAccepted,
    description: SEED_DESCRIPTION,
    operationId: 'restoreDatabaseBackup',
    status: 202,
    expected: {
      'body.status: required here, optional in the description':
        'only read with safeParse: any 2xx to a restore counts as accepted, whatever its body (src/api/client.ts)',
    },
  },
  'prisma: the backup list': {
    schema: schemas.PrismaBackupList,
    description: PRISMA_DESCRIPTION,
    operationId: 'getV1DatabasesByDatabaseIdBackups',
    status: 200,
  },
  'prisma: a database': {
    schema: schemas.DatabaseAnswer,
    description: PRISMA_DESCRIPTION,
    operationId: 'getV1DatabasesByDatabaseId',
    status: 200,
  },
  'prisma: a restore accepted': {
    schema: schemas.DatabaseAnswer,
    description: PRISMA_DESCRIPTION,
    operationId: 'postV1DatabasesByTargetDatabaseIdRestore',
    status: 200,
    expected: {
      'body.data.source: the database variant here, object in the description': RESTORE_SOURCE,
      'body.data.source: the empty variant here, object in the description': RESTORE_SOURCE,
      'body.data.source: null is accepted here, which the description never sends': RESTORE_SOURCE,
    },
  },
  'prisma: a database created': {
    schema: schemas.DatabaseAnswer,
    description: PRISMA_DESCRIPTION,
    operationId: 'postV1Databases',
    status: 201,
  },
  "prisma: a project's databases": {
    schema: schemas.DatabasePage,
    description: PRISMA_DESCRIPTION,
    operationId: 'getV1ProjectsByProjectIdDatabases',
    status: 200,
  },
  "prisma: a database's connections": {
    schema: schemas.ConnectionPage,
    description: PRISMA_DESCRIPTION,
    operationId: 'getV1DatabasesByDatabaseIdConnections',
    status: 200,
  },
  'prisma: a connection created': {
    schema: schemas.CreatedConnection,
    description: PRISMA_DESCRIPTION,
    operationId: 'postV1DatabasesByDatabaseIdConnections',
    status: 200,
    expected: {
      'body.data.connectionString: null is accepted here, which the description never sends':
        'the field is deprecated (endpoints.direct.connectionString replaces it): read only as a fallback, so its absence or a null is tolerated',
    },
  },
};

describe('the API schemas against the published descriptions', () => {
  for (const [what, { schema, description, operationId, status, expected = {} }] of Object.entries(CASES)) {
    it(`${what} (${operationId} ${status})`, () => {
      assert.deepEqual(schemaDrift(schema, description, operationId, status).sort(), Object.keys(expected).sort());
    });
  }

  it('covers every answer schema src/api/schemas.ts exports (the parts of answers aside)', () => {
    const parts: unknown[] = [schemas.PrismaBackup, schemas.Database];
    const covered = new Set<unknown>(Object.values(CASES).map((c) => c.schema));
    const exported = Object.entries(schemas).filter(([, value]) => value instanceof z.ZodType && !parts.includes(value));
    assert.ok(exported.length >= 8);
    assert.deepEqual(
      exported.filter(([, schema]) => !covered.has(schema)).map(([name]) => name),
      [],
    );
  });

  describe('fails when a schema drifts (scratch copies, not src)', () => {
    const { PrismaBackup, SeedBackup } = schemas;
    const listOf = (backup: z.ZodType) => schemas.PrismaBackupList.extend({ data: z.array(backup) });
    const drift = (schema: z.ZodType, operationId = 'getV1DatabasesByDatabaseIdBackups', description = PRISMA_DESCRIPTION, status = 200) =>
      schemaDrift(schema, description, operationId, status);

    it('an enum with a value less, or one more', () => {
      assert.deepEqual(drift(listOf(PrismaBackup.extend({ status: z.enum(['running', 'completed', 'failed']) }))), [
        'body.data[].status: enum ["running","completed","failed"] here, ["running","completed","failed","unknown"] in the description',
      ]);
      assert.equal(drift(listOf(PrismaBackup.extend({ backupType: z.enum(['full', 'incremental', 'differential']) }))).length, 1);
    });

    it('a property the description does not have, or of another type', () => {
      assert.deepEqual(drift(listOf(PrismaBackup.extend({ sizeBytes: z.number().optional() }))), [
        'body.data[].sizeBytes: read here, not in the description',
      ]);
      assert.deepEqual(drift(listOf(PrismaBackup.extend({ size: z.string().optional() }))), [
        'body.data[].size: string here, number in the description',
      ]);
      assert.deepEqual(drift(schemas.PrismaBackupList.extend({ meta: z.object({ backupRetentionDays: z.number().int() }) })), [
        'body.meta.backupRetentionDays: integer here, number in the description',
      ]);
    });

    it('a field required that the description leaves optional, and a null it allows refused', () => {
      assert.deepEqual(drift(SeedBackup.extend({ sizeBytes: z.number().int() }), 'createDatabaseBackup', SEED_DESCRIPTION, 202), [
        'body.sizeBytes: required here, optional in the description',
      ]);
      assert.deepEqual(
        drift(schemas.PrismaBackupList.extend({ pagination: z.object({ hasMore: z.boolean(), limit: z.number().int().min(1).max(100) }) })),
        ['body.pagination.limit: the description allows null, which is refused here'],
      );
    });
  });
});

describe('answers the descriptions accept parse', () => {
  // A database as Prisma describes it, every field; its secrets must not come out of the schema.
  const database = (extra: Record<string, unknown> = {}) => ({
    id: 'db_1',
    type: 'database',
    url: 'https://api.prisma.io/v1/databases/db_1',
    name: 'main',
    status: 'ready',
    createdAt: '2026-11-01T00:00:00.000Z',
    isDefault: true,
    defaultConnectionId: null,
    connections: [
      {
        id: 'con_1',
        type: 'connection',
        url: 'https://api.prisma.io/v1/connections/con_1',
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
  const backups = {
    data: [
      { id: 'bkp_1', backupType: 'full', createdAt: '2026-11-27T03:00:00.000Z', size: 1024, status: 'completed', type: 'backup' },
      { id: 'bkp_2', backupType: 'incremental', createdAt: '2026-11-28T03:00:00.000Z', status: 'running' },
    ],
    meta: { backupRetentionDays: 7 },
    pagination: { hasMore: false, limit: 100 },
  };
  const seedBackup = {
    id: 'bkp_1',
    databaseId: 'db_1',
    type: 'manual',
    status: 'completed',
    sizeBytes: 42,
    createdAt: '2026-11-27T10:00:00Z',
    completedAt: '2026-11-27T10:01:00Z',
  };

  const samples: [string, typeof officialApi, string, number, unknown, z.ZodType][] = [
    [
      'seed: a created backup',
      seedApi,
      'createDatabaseBackup',
      202,
      { ...seedBackup, status: 'pending', completedAt: undefined },
      schemas.SeedBackup,
    ],
    ['seed: the backup list', seedApi, 'listDatabaseBackups', 200, { data: [seedBackup] }, schemas.SeedBackupList],
    [
      'seed: a restore accepted',
      seedApi,
      'restoreDatabaseBackup',
      202,
      { status: 'restoring', message: 'ok' },
      schemas.SeedRestoreAccepted,
    ],
    ['prisma: the backup list', officialApi, 'getV1DatabasesByDatabaseIdBackups', 200, backups, schemas.PrismaBackupList],
    ['prisma: a database', officialApi, 'getV1DatabasesByDatabaseId', 200, { data: database() }, schemas.DatabaseAnswer],
    [
      'prisma: a database from nothing',
      officialApi,
      'getV1DatabasesByDatabaseId',
      200,
      { data: database({ source: null, region: null }) },
      schemas.DatabaseAnswer,
    ],
    [
      'prisma: a restore accepted',
      officialApi,
      'postV1DatabasesByTargetDatabaseIdRestore',
      200,
      { data: database({ status: 'recovering' }) },
      schemas.DatabaseAnswer,
    ],
    [
      'prisma: a database created',
      officialApi,
      'postV1Databases',
      201,
      { data: database({ status: 'provisioning' }) },
      schemas.DatabaseAnswer,
    ],
  ];
  for (const [what, api, operationId, status, body, schema] of samples) {
    it(what, () => {
      const json = JSON.parse(JSON.stringify(body));
      assert.deepEqual(api.validateResponse(operationId, status, json), [], 'the sample conforms to the description');
      const parsed = schema.safeParse(json);
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
      assert.ok(!JSON.stringify(parsed.data).includes('s3cret'), 'no credential leaves the schema');
    });
  }

  it('a database comes out cut down to what the project uses', () => {
    assert.deepEqual(schemas.DatabaseAnswer.parse({ data: database() }), {
      id: 'db_1',
      name: 'main',
      status: 'ready',
      source: { databaseId: 'db_src', backupId: 'bkp_1' },
      projectId: 'proj_1',
    });
  });
});
