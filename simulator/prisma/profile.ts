// The prisma profile: the database and backup operations of Prisma's published Management API
// (spec/official/prisma-management-api-openapi.json).
import { PRISMA_CONNECTION_OPERATIONS, PRISMA_OPERATIONS, type PrismaOperationId } from '../operation-ids';
import type { Profile } from '../profile';
import type { Route } from '../routes';
import { OPERATIONS, SUCCESS_STATUS, type OperationContext } from './operations';

const ROUTES: readonly Route[] = [
  { pattern: /^\/v1\/databases$/, params: [], methods: { GET: 'getV1Databases', POST: 'postV1Databases' } },
  {
    pattern: /^\/v1\/databases\/([^/]+)$/,
    params: ['databaseId'],
    methods: { GET: 'getV1DatabasesByDatabaseId', DELETE: 'deleteV1DatabasesByDatabaseId' },
    notSimulated: ['PATCH'],
  },
  { pattern: /^\/v1\/databases\/([^/]+)\/backups$/, params: ['databaseId'], methods: { GET: 'getV1DatabasesByDatabaseIdBackups' } },
  {
    pattern: /^\/v1\/databases\/([^/]+)\/restore$/,
    params: ['targetDatabaseId'],
    methods: { POST: 'postV1DatabasesByTargetDatabaseIdRestore' },
  },
  {
    pattern: /^\/v1\/databases\/([^/]+)\/connections$/,
    params: ['databaseId'],
    methods: { GET: 'getV1DatabasesByDatabaseIdConnections', POST: 'postV1DatabasesByDatabaseIdConnections' },
  },
  { pattern: /^\/v1\/connections\/([^/]+)$/, params: ['id'], methods: { DELETE: 'deleteV1ConnectionsById' }, notSimulated: ['GET'] },
  {
    pattern: /^\/v1\/projects\/([^/]+)\/databases$/,
    params: ['projectId'],
    methods: { GET: 'getV1ProjectsByProjectIdDatabases', POST: 'postV1ProjectsByProjectIdDatabases' },
  },
];

export function prismaProfile(ctx: OperationContext): Profile<PrismaOperationId> {
  return {
    routes: ROUTES,
    operations: [...PRISMA_OPERATIONS, ...PRISMA_CONNECTION_OPERATIONS],
    successStatus: (operation) => SUCCESS_STATUS[operation],
    answer: (operation, request) => OPERATIONS[operation](ctx, request),
    invalidBody,
  };
}

/** Wrong types, values outside enums, required members missing. */
function invalidBody(operation: PrismaOperationId): unknown {
  const brokenDatabase = { id: 42, type: 'db', status: 'restoring', createdAt: 'yesterday' };
  const brokenConnection = { id: 7, type: 'conn', kind: 'mysql', endpoints: { direct: { host: 5432 } } };
  switch (operation) {
    case 'getV1DatabasesByDatabaseIdBackups':
      return { data: [{ id: 7, backupType: 'daily', status: 'done' }], pagination: { hasMore: 'no' } };
    case 'getV1Databases':
    case 'getV1ProjectsByProjectIdDatabases':
      return { data: [brokenDatabase], pagination: { hasMore: 'no' } };
    case 'getV1DatabasesByDatabaseIdConnections':
      return { data: [brokenConnection], pagination: { hasMore: 'no' } };
    case 'postV1DatabasesByDatabaseIdConnections':
      return { data: brokenConnection };
    // The deletes never get one: body faults pass a 204 by (see FaultBook).
    case 'deleteV1ConnectionsById':
    case 'postV1Databases':
    case 'getV1DatabasesByDatabaseId':
    case 'postV1DatabasesByTargetDatabaseIdRestore':
    case 'postV1ProjectsByProjectIdDatabases':
    case 'deleteV1DatabasesByDatabaseId':
      return { data: brokenDatabase };
  }
}
