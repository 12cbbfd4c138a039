// Every operation the simulator serves, named by the operationIds of the description it follows.
type SeedOperationId = 'createDatabaseBackup' | 'listDatabaseBackups' | 'restoreDatabaseBackup';

export type { SeedOperationId };

/** The seed's three backup operations (spec/openapi/prisma-database-backups-api-openapi.yml). */
export const SEED_OPERATIONS = [
  'createDatabaseBackup',
  'listDatabaseBackups',
  'restoreDatabaseBackup',
] as const satisfies readonly SeedOperationId[];

/** The operations of Prisma's published description (spec/official/) that the prisma profile serves. */
export const PRISMA_OPERATIONS = [
  'getV1Databases',
  'postV1Databases',
  'getV1DatabasesByDatabaseId',
  'deleteV1DatabasesByDatabaseId',
  'getV1DatabasesByDatabaseIdBackups',
  'postV1DatabasesByTargetDatabaseIdRestore',
  'getV1ProjectsByProjectIdDatabases',
  'postV1ProjectsByProjectIdDatabases',
] as const;

/** The prisma profile's connections: they lead to a database's data, or to the shared empty database. */
export const PRISMA_CONNECTION_OPERATIONS = [
  'getV1DatabasesByDatabaseIdConnections',
  'postV1DatabasesByDatabaseIdConnections',
  'deleteV1ConnectionsById',
] as const;

export type PrismaOperationId = (typeof PRISMA_OPERATIONS)[number] | (typeof PRISMA_CONNECTION_OPERATIONS)[number];

export type OperationId = SeedOperationId | PrismaOperationId;

export const ALL_OPERATIONS: readonly OperationId[] = [...SEED_OPERATIONS, ...PRISMA_OPERATIONS, ...PRISMA_CONNECTION_OPERATIONS];

/** Operations whose success is 204 No Content: there is no body to garble. */
export const NO_CONTENT_OPERATIONS: readonly OperationId[] = ['deleteV1DatabasesByDatabaseId', 'deleteV1ConnectionsById'];
