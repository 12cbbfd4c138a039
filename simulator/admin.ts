// Admin routes for a person trying the simulator with their own rows (the standalone simulator
// serves them): take an automatic backup now, finish an unfinished one. They are not the API: they
// live outside /v1, answer loopback callers only and need the API's token; they are logged, but
// never recorded, faulted or counted.
import type { IncomingMessage, ServerResponse } from 'http';
import { isIP } from 'net';
import { checkBearer } from './auth';
import { MAX_BODY_BYTES } from './defaults';
import { errorReply, type Reply } from './reply';
import { readBody } from './request-body';

export const ADMIN_PREFIX = '/_simulator';

const BACKUP_NOW = /^\/_simulator\/databases\/([^/]+)\/backups$/;
const FINISH = /^\/_simulator\/backups\/([^/]+)\/finish$/;

/** What a profile does for the routes; each answers the backup as the profile's list shows it. */
export interface AdminActions {
  /** The status a backup taken now may have instead of completed, to be finished later. */
  readonly unfinished: 'running' | 'pending';
  backupNow(databaseId: string, unfinished: boolean): Promise<Reply>;
  finishBackup(backupId: string, status: 'completed' | 'failed'): Promise<Reply>;
}

/** One admin request as far as the routes read it. */
export interface AdminRequest {
  method: string;
  path: string;
  remoteAddress: string | undefined;
  authorization: string | undefined;
  /** The body as text; undefined when it was over the cap. */
  raw: string | undefined;
}

/** One line per route, with its body: for the banner and for a 404. */
export function describeAdminRoutes(unfinished: AdminActions['unfinished']): string[] {
  return [
    `POST ${ADMIN_PREFIX}/databases/{databaseId}/backups  takes an automatic backup now; body optional: {"status": "completed" | "${unfinished}"}`,
    `POST ${ADMIN_PREFIX}/backups/{backupId}/finish  ends a ${unfinished} backup; body: {"status": "completed" | "failed"}`,
  ];
}

export function isAdminPath(path: string): boolean {
  return path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
}

/** 127.0.0.0/8 and ::1, also IPv4-mapped (as a dual-stack socket shows an IPv4 peer). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const mapped = /^::ffff:/i.test(address) ? address.slice(7) : address;
  return address === '::1' || (isIP(mapped) === 4 && mapped.startsWith('127.'));
}

export async function handleAdmin(
  actions: AdminActions,
  settings: { token: string; log: (line: string) => void },
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const read = await readBody(req, MAX_BODY_BYTES);
  const method = req.method ?? '';
  const reply = await answerAdmin(actions, settings.token, {
    method,
    path,
    remoteAddress: req.socket.remoteAddress,
    authorization: req.headers.authorization,
    raw: read.ok ? read.raw : undefined,
  });
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(JSON.stringify(reply.body));
  settings.log(`${method} ${path} -> ${reply.status}`);
}

/** The answer to an admin request: the caller's address first, then the token, then the route. */
export async function answerAdmin(actions: AdminActions, token: string, request: AdminRequest): Promise<Reply> {
  if (!isLoopback(request.remoteAddress)) {
    return errorReply(
      403,
      'LOOPBACK_ONLY',
      `The simulator's admin routes (${ADMIN_PREFIX}/…) answer callers on this machine (loopback) only`,
    );
  }
  const refused = checkBearer(request.authorization, token);
  if (refused) return refused;
  if (request.raw === undefined) return errorReply(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES} bytes`);
  const backupNow = BACKUP_NOW.exec(request.path);
  const finish = FINISH.exec(request.path);
  const id = decodeSegment((backupNow ?? finish)?.[1]);
  if (id === undefined) {
    return errorReply(
      404,
      'NOT_FOUND',
      `No admin route at ${request.path}; there are: ${describeAdminRoutes(actions.unfinished).join('; ')}`,
    );
  }
  if (request.method !== 'POST') {
    return errorReply(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use POST`, {}, { allow: 'POST' });
  }
  const body = statusField(request.raw);
  if (!body.ok) return invalid(body.problem);
  const { status } = body;
  if (backupNow) {
    if (status !== undefined && status !== 'completed' && status !== actions.unfinished) {
      return invalid(`status must be "completed" (the default) or "${actions.unfinished}", got ${JSON.stringify(status)}`);
    }
    return actions.backupNow(id, status === actions.unfinished);
  }
  if (status !== 'completed' && status !== 'failed')
    return invalid(`status must be "completed" or "failed", got ${JSON.stringify(status)}`);
  return actions.finishBackup(id, status);
}

/** The body's `status` (undefined without a body), or why the body is not a JSON object. */
function statusField(raw: string): { ok: true; status: unknown } | { ok: false; problem: string } {
  if (raw.trim() === '') return { ok: true, status: undefined };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, problem: 'The request body is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, problem: 'The request body must be a JSON object' };
  return { ok: true, status: (value as { status?: unknown }).status };
}

function invalid(message: string): Reply {
  return errorReply(400, 'VALIDATION_ERROR', message);
}

/** Undefined when there is no segment or it is not valid percent-encoding. */
function decodeSegment(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
