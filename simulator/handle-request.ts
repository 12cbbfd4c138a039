// One request, start to finish: record it, cap its body, inject its fault, then auth → idempotency → operation.
// Admin routes (when served) go their own way first: they are not the API.
import type { IncomingMessage, ServerResponse } from 'http';
import { setTimeout as sleep } from 'timers/promises';
import { handleAdmin, isAdminPath, type AdminActions } from './admin';
import { checkBearer } from './auth';
import { MAX_BODY_BYTES } from './defaults';
import type { FaultBook } from './fault-book';
import { malformedJson, statusFaultReply } from './fault-replies';
import type { IdempotencyCache } from './idempotency-cache';
import type { OperationId } from './operation-ids';
import type { OperationRequest, Profile } from './profile';
import { errorReply, type Reply } from './reply';
import { bodyForRecord, readBody } from './request-body';
import { matchRoute } from './routes';
import type { RequestRecord, SimulatorStats } from './types';

export interface SimulatorState {
  token: string;
  profile: Profile;
  requests: RequestRecord[];
  requestLogLimit: number;
  stats: SimulatorStats;
  faults: FaultBook;
  /** Undefined when Idempotency-Keys are not honoured. */
  cache?: IdempotencyCache;
  clock: () => number;
  /** Aborted when the simulator closes, to cut delay faults short. */
  closing: AbortSignal;
  log: (line: string) => void;
  /** Set when the admin routes are served. */
  admin?: AdminActions;
}

export async function handleRequest(state: SimulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? '';
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
  if (state.admin && isAdminPath(path)) return handleAdmin(state.admin, { token: state.token, log: state.log }, req, res, path);
  const route = matchRoute(state.profile.routes, method, path);
  const record: RequestRecord = {
    seq: ++state.stats.requestsReceived,
    method,
    path,
    operation: route.kind === 'operation' ? route.operation : undefined,
    headers: { ...req.headers },
    body: undefined,
    time: state.clock(),
  };
  keepRecord(state, record);

  const send = (status: number, text: string | undefined, headers: Record<string, string> = {}) => {
    record.status = status;
    res.writeHead(status, text === undefined ? headers : { 'content-type': 'application/json', ...headers });
    res.end(text);
    state.log(describe(record));
  };
  const sendReply = (reply: Reply) => send(reply.status, reply.body === undefined ? undefined : JSON.stringify(reply.body), reply.headers);
  const resetSocket = () => {
    req.socket.destroy();
    state.log(describe(record));
  };

  const read = await readBody(req, MAX_BODY_BYTES);
  if (!read.ok) {
    const message = `The request body is larger than ${MAX_BODY_BYTES} bytes`;
    return sendReply(errorReply(413, 'PAYLOAD_TOO_LARGE', message));
  }
  record.body = bodyForRecord(read.raw);

  if (route.kind === 'not-found') return sendReply(errorReply(404, 'NOT_FOUND', `No operation at ${path}`));
  if (route.kind === 'not-simulated') {
    return sendReply(errorReply(501, 'NOT_SIMULATED', `${method} ${path} is in the API's description but the simulator does not serve it`));
  }
  if (route.kind === 'method-not-allowed') {
    const allow = route.allow.join(', ');
    return sendReply(errorReply(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${allow}`, {}, { allow }));
  }

  const fault = state.faults.take(route.operation);
  if (fault) {
    state.stats.faultsInjected[fault.kind] += 1;
    record.fault = fault.kind;
  }
  if (fault?.kind === 'reset-before') return resetSocket();
  if (fault?.kind === 'status') return sendReply(statusFaultReply(fault.status, fault.retryAfterSeconds));
  if (fault?.kind === 'delay') {
    try {
      await sleep(fault.ms, undefined, { signal: state.closing });
    } catch {
      return; // The simulator is closing; its sockets are being destroyed.
    }
  }

  // A slow or dropped answer does not stop the work: like a real server, the effect still applies.
  const request: OperationRequest = { params: route.params, query, raw: read.raw, nowMs: state.clock() };
  const reply = await answer(state, route.operation, request, req, record);
  if (fault?.kind === 'reset-after') return resetSocket();
  await reply.after;
  const successStatus = state.profile.successStatus(route.operation);
  if (fault?.kind === 'malformed-json') return send(successStatus, malformedJson(reply));
  if (fault?.kind === 'invalid-body') return send(successStatus, JSON.stringify(state.profile.invalidBody(route.operation)));
  sendReply(reply);
}

/**
 * The real answer. Only successes are stored for an Idempotency-Key: a refusal (401, 404, a 409 for
 * a backup not yet completed...) applied nothing, and the same request may succeed once things change.
 */
async function answer(
  state: SimulatorState,
  operation: OperationId,
  request: OperationRequest,
  req: IncomingMessage,
  record: RequestRecord,
): Promise<Reply> {
  const refused = checkBearer(req.headers.authorization, state.token);
  if (refused) return refused;

  const keyHeader = req.headers['idempotency-key'];
  const { method, path } = record;
  const key = state.cache && method === 'POST' && typeof keyHeader === 'string' && keyHeader !== '' ? keyHeader : undefined;
  const stored = key === undefined ? undefined : state.cache?.get(method, path, key);
  if (stored) {
    record.replayed = true;
    return { ...stored, headers: { ...stored.headers, 'idempotent-replayed': 'true' } };
  }
  const reply = await state.profile.answer(operation, request);
  if (key !== undefined && reply.status >= 200 && reply.status < 300) state.cache?.set(method, path, key, reply);
  return reply;
}

/** Keeps the latest requestLogLimit records, counting the ones dropped, so the log cannot grow without bound. */
function keepRecord(state: SimulatorState, record: RequestRecord): void {
  state.requests.push(record);
  const excess = state.requests.length - state.requestLogLimit;
  if (excess > 0) {
    state.requests.splice(0, excess);
    state.stats.requestsDropped += excess;
  }
}

/** One log line; built from the record so it can never include a header value such as the token. */
function describe(record: RequestRecord): string {
  const outcome = record.status === undefined ? 'socket reset' : String(record.status);
  const notes = [record.fault && `fault: ${record.fault}`, record.replayed && 'idempotent replay'].filter(Boolean);
  return `${record.method} ${record.path} -> ${outcome}${notes.length ? ` [${notes.join(', ')}]` : ''}`;
}
