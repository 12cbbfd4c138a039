// The API answers we read, as zod schemas of the descriptions in spec/; unused fields pass unread, credentials are never copied out.
import { z } from 'zod';

const timestamp = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'is not a timestamp');
const id = z.string().min(1);

// The seed API's.
export const SEED_BACKUP_STATUSES = ['pending', 'in_progress', 'completed', 'failed'] as const;

export const SeedBackup = z.object({
  id,
  databaseId: id,
  type: z.enum(['automatic', 'manual']),
  status: z.enum(SEED_BACKUP_STATUSES),
  sizeBytes: z.number().int().optional(),
  createdAt: id,
  completedAt: z.string().optional(),
});
export type SeedBackup = z.infer<typeof SeedBackup>;
export const SeedBackupList = z.object({ data: z.array(SeedBackup) });
export const SeedRestoreAccepted = z.object({ status: z.literal('restoring'), message: z.string().optional() });

// Prisma's Management API's.
export const PRISMA_BACKUP_STATUSES = ['running', 'completed', 'failed', 'unknown'] as const;
export const DATABASE_STATUSES = ['provisioning', 'ready', 'recovering', 'failure'] as const;
export type DatabaseStatus = (typeof DATABASE_STATUSES)[number];

export const PrismaBackup = z.object({
  id,
  backupType: z.enum(['full', 'incremental']),
  createdAt: timestamp,
  size: z.number().optional(),
  status: z.enum(PRISMA_BACKUP_STATUSES),
});
export type PrismaBackup = z.infer<typeof PrismaBackup>;

export const PrismaBackupList = z.object({
  data: z.array(PrismaBackup),
  meta: z.object({ backupRetentionDays: z.number() }),
  pagination: z.object({ hasMore: z.boolean(), limit: z.number().int().min(1).max(100).nullable() }),
});
export type PrismaBackupList = z.infer<typeof PrismaBackupList>;

const Source = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('backup'), databaseId: id, backupId: id }),
    z.object({ type: z.literal('database'), databaseId: id }),
    z.object({ type: z.literal('empty') }),
  ])
  .nullable();

/** A database, cut down to what the project uses: never its url or connections. */
export const Database = z
  .object({
    id,
    type: z.literal('database'),
    name: z.string(),
    status: z.enum(DATABASE_STATUSES),
    createdAt: timestamp,
    source: Source,
    project: z.object({ id }).optional(),
  })
  .transform(({ id, name, status, source, project }) => ({
    id,
    name,
    status,
    ...(source?.type === 'backup' ? { source: { databaseId: source.databaseId, backupId: source.backupId } } : {}),
    ...(project ? { projectId: project.id } : {}),
  }));
export type Database = z.infer<typeof Database>;
export const DatabaseAnswer = z.object({ data: Database }).transform((answer) => answer.data);

const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), pagination: z.object({ nextCursor: z.string().nullable(), hasMore: z.boolean() }) });

export const DatabasePage = page(Database);
export const ConnectionPage = page(z.object({ id, name: z.string() }).transform(({ id, name }) => ({ id, name })));
const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//);

/** A new connection: its id and the credentials only its creation answers (a secret, never logged). */
export const CreatedConnection = z
  .object({
    data: z.object({
      id,
      endpoints: z.object({ direct: z.object({ connectionString: postgresUrl }).optional() }).optional(),
      connectionString: postgresUrl.nullable().optional(),
    }),
  })
  .transform(({ data }) => ({ id: data.id, connectionString: data.endpoints?.direct?.connectionString ?? data.connectionString ?? '' }))
  .refine((c) => c.connectionString !== '', 'has no postgres:// connection string');
