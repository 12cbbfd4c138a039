// Request checks of the prisma profile, by the description's request schemas. Each refusal answers
// the status the operation describes for invalid requests (422 for the restore, 400 for creates)
// and names the field.
import { errorReply, type Reply } from '../reply';
import { DATABASE_ID_PATTERN, PROJECT_ID_PATTERN, REGIONS, type DatabaseSource, type RegionId } from './shapes';

export type Checked<T> = { ok: true; value: T } | { ok: false; reply: Reply };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const invalid = (status: number, message: string): Checked<never> => ({
  ok: false,
  reply: errorReply(status, 'VALIDATION_ERROR', message),
});

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as a JSON object, or the refusal with `status`. */
function objectBody(raw: string, status: number): Checked<Json> {
  if (raw.trim() === '') return invalid(status, 'The request body must be a JSON object; none was sent');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reply: errorReply(status, 'INVALID_JSON', 'The request body is not valid JSON') };
  }
  return isObject(value) ? ok(value) : invalid(status, 'The request body must be a JSON object');
}

function idField(value: unknown, field: string, pattern: RegExp, status: number): Checked<string> {
  if (typeof value !== 'string') return invalid(status, `${field} must be a string`);
  if (!pattern.test(value)) return invalid(status, `${field} ${JSON.stringify(value)} does not match ${pattern.source}`);
  return ok(value);
}

/** `limit` of the backup list: an integer from 1 to 100, 25 when absent. */
export function backupListLimit(query: URLSearchParams): Checked<number> {
  const text = query.get('limit');
  if (text === null) return ok(25);
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > 100)
    return invalid(422, `limit must be an integer from 1 to 100, got ${JSON.stringify(text)}`);
  return ok(limit);
}

/**
 * `limit` and `cursor` of the database and connection lists: limit a number from 1 to 100 (fractions
 * cut), 100 when absent, the description's default; the cursor is one a previous page gave out (the
 * creation sequence number, or for connections the position, where the next page starts).
 */
export function databasePage(query: URLSearchParams): Checked<{ limit: number; fromSeq: number }> {
  const text = query.get('limit');
  const limit = text === null ? 100 : Number(text);
  if (text !== null && (text.trim() === '' || !(limit >= 1 && limit <= 100)))
    return invalid(400, `limit must be a number from 1 to 100, got ${JSON.stringify(text)}`);
  const cursor = query.get('cursor') || undefined;
  if (cursor !== undefined && !/^\d+$/.test(cursor)) return invalid(400, `cursor ${JSON.stringify(cursor)} is not one this API gave out`);
  return ok({ limit: Math.floor(limit), fromSeq: cursor === undefined ? 0 : Number(cursor) });
}

/** `{"source": {"type": "backup", "databaseId", "backupId"}}`; anything else is 422. */
export function restoreSource(raw: string): Checked<{ databaseId: string; backupId: string }> {
  const body = objectBody(raw, 422);
  if (!body.ok) return body;
  const { source } = body.value;
  if (!isObject(source)) return invalid(422, 'source must be an object: {"type": "backup", "databaseId", "backupId"}');
  if (source.type !== 'backup') return invalid(422, `source.type must be "backup", got ${JSON.stringify(source.type)}`);
  const databaseId = idField(source.databaseId, 'source.databaseId', DATABASE_ID_PATTERN, 422);
  if (!databaseId.ok) return databaseId;
  if (typeof source.backupId !== 'string') return invalid(422, 'source.backupId must be a string');
  return ok({ databaseId: databaseId.value, backupId: source.backupId });
}

/** `{"name"}` of a new connection: a non-empty string; anything else is 400. */
export function connectionName(raw: string): Checked<string> {
  const body = objectBody(raw, 400);
  if (!body.ok) return body;
  const { name } = body.value;
  if (typeof name !== 'string' || name === '') return invalid(400, 'name is required: a non-empty string');
  return ok(name);
}

export interface CreateRequest {
  /** Undefined on the project-scoped create, whose path names the project. */
  projectId?: string;
  name?: string;
  regionId: RegionId;
  isDefault: boolean;
  source: DatabaseSource;
}

/**
 * The create bodies: `POST /v1/databases` requires `projectId`; `POST /v1/projects/{projectId}/databases`
 * takes no projectId but accepts the deprecated `fromDatabase` ({id, backupId?}) instead of `source`.
 */
export function createRequest(raw: string, scope: 'workspace' | 'project'): Checked<CreateRequest> {
  const body = objectBody(raw, 400);
  if (!body.ok) return body;
  const { projectId, name, region = 'us-east-1', isDefault = false } = body.value;
  let checkedProjectId: string | undefined;
  if (scope === 'workspace') {
    if (projectId === undefined) return invalid(400, 'projectId is required');
    const checked = idField(projectId, 'projectId', PROJECT_ID_PATTERN, 400);
    if (!checked.ok) return checked;
    checkedProjectId = checked.value;
  }
  if (name !== undefined && (typeof name !== 'string' || name === '')) return invalid(400, 'name must be a non-empty string');
  if (!(region === 'inherit' || isRegion(region))) {
    return invalid(400, `region must be one of ${[...Object.keys(REGIONS), 'inherit'].join(', ')}, got ${JSON.stringify(region)}`);
  }
  if (typeof isDefault !== 'boolean') return invalid(400, 'isDefault must be a boolean');
  const source = createSource(body.value, scope);
  if (!source.ok) return source;
  return ok({
    projectId: checkedProjectId,
    name: name as string | undefined,
    // The simulated project's default region is us-east-1, which is what `inherit` takes.
    regionId: region === 'inherit' ? 'us-east-1' : region,
    isDefault,
    source: source.value,
  });
}

function isRegion(value: unknown): value is RegionId {
  return typeof value === 'string' && Object.hasOwn(REGIONS, value);
}

function createSource(body: Json, scope: 'workspace' | 'project'): Checked<DatabaseSource> {
  const { source, fromDatabase } = body;
  if (scope === 'project' && fromDatabase !== undefined) {
    if (source !== undefined) return invalid(400, 'Send source or the deprecated fromDatabase, not both');
    if (!isObject(fromDatabase)) return invalid(400, 'fromDatabase must be an object: {"id", "backupId"?}');
    const id = idField(fromDatabase.id, 'fromDatabase.id', DATABASE_ID_PATTERN, 400);
    if (!id.ok) return id;
    if (fromDatabase.backupId === undefined) return ok({ type: 'database', databaseId: id.value });
    if (typeof fromDatabase.backupId !== 'string') return invalid(400, 'fromDatabase.backupId must be a string');
    return ok({ type: 'backup', databaseId: id.value, backupId: fromDatabase.backupId });
  }
  if (source === undefined) return ok({ type: 'empty' });
  if (!isObject(source)) return invalid(400, 'source must be an object with a type of empty, backup or database');
  switch (source.type) {
    case 'empty':
      return ok({ type: 'empty' });
    case 'backup': {
      const databaseId = idField(source.databaseId, 'source.databaseId', DATABASE_ID_PATTERN, 400);
      if (!databaseId.ok) return databaseId;
      if (typeof source.backupId !== 'string') return invalid(400, 'source.backupId must be a string');
      return ok({ type: 'backup', databaseId: databaseId.value, backupId: source.backupId });
    }
    case 'database': {
      const databaseId = idField(source.databaseId, 'source.databaseId', DATABASE_ID_PATTERN, 400);
      return databaseId.ok ? ok({ type: 'database', databaseId: databaseId.value }) : databaseId;
    }
    default:
      return invalid(400, `source.type must be empty, backup or database, got ${JSON.stringify(source.type)}`);
  }
}
