// Response parsing: check a 2xx body against the seed description, or raise ProtocolError.
// (Prisma's shapes: parse-prisma.ts, with the helpers exported here.)
import { BACKUP_STATUSES, BACKUP_TYPES, type Backup, type BackupList, type RestoreAccepted } from '../shared/api-types';
import { ErrorType } from '../shared/errors';
import { ApiError } from './api-error';

export function protocolError(request: string, problem: string): ApiError {
  // The server answered 2xx: a POST was probably carried out, whatever the body says.
  const applied = request.startsWith('POST') ? ' The request may have been carried out: check the database before sending it again.' : '';
  return new ApiError(
    ErrorType.ProtocolError,
    `${request}: the response does not match the API description (${problem}).${applied} ` +
      'Check that PRISMA_API_URL points at the Management API (…/v1) and that PRISMA_API_PROFILE names the API it is (prisma or seed).',
    false,
  );
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseJson(request: string, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw protocolError(request, 'body is not JSON');
  }
}

function checkBackup(request: string, value: unknown, where: string): Backup {
  if (!isObject(value)) throw protocolError(request, `${where} is not an object`);
  for (const field of ['id', 'databaseId', 'createdAt'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      throw protocolError(request, `${where}.${field} is missing or not a string`);
    }
  }
  if (!BACKUP_TYPES.includes(value.type as never)) throw protocolError(request, `${where}.type is not one of ${BACKUP_TYPES.join(', ')}`);
  if (!BACKUP_STATUSES.includes(value.status as never)) {
    throw protocolError(request, `${where}.status is not one of ${BACKUP_STATUSES.join(', ')}`);
  }
  if (value.sizeBytes !== undefined && !Number.isInteger(value.sizeBytes))
    throw protocolError(request, `${where}.sizeBytes is not an integer`);
  if (value.completedAt !== undefined && typeof value.completedAt !== 'string') {
    throw protocolError(request, `${where}.completedAt is not a string`);
  }
  return value as unknown as Backup;
}

export function parseBackup(request: string, body: string): Backup {
  return checkBackup(request, parseJson(request, body), 'body');
}

export function parseBackupList(request: string, body: string): BackupList {
  const value = parseJson(request, body);
  if (!isObject(value) || !Array.isArray(value.data)) throw protocolError(request, 'body.data is not an array');
  return { data: value.data.map((item, i) => checkBackup(request, item, `body.data[${i}]`)) };
}

/**
 * A 2xx to the restore POST means the restore was accepted, whatever its body says: failing the
 * run (or sending the restore again to learn more) would misreport a restore that is under way.
 */
export function parseRestoreAccepted(request: string, body: string): RestoreAccepted {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    value = undefined;
  }
  if (isObject(value) && value.status === 'restoring' && (value.message === undefined || typeof value.message === 'string')) {
    return { status: 'restoring', message: value.message as string | undefined };
  }
  return {
    status: 'restoring',
    message: `${request} was accepted (2xx), but its answer does not match the API description; the restore is under way.`,
  };
}
