// One request, start to finish: record it, inject its fault, then auth → body → idempotency → operation.
import type { IncomingMessage, ServerResponse } from 'http';
import { setTimeout as sleep } from 'timers/promises';
import { checkBearer } from './auth';
import type { BackupStore } from './backup-store';
import type { FaultBook } from './fault-book';
import { invalidBody, malformedJson, statusFaultReply } from './fault-replies';
import type { IdempotencyCache } from './idempotency-cache';
import { OPERATIONS, SUCCESS_STATUS } from './operations';
import { errorReply, type Reply } from './reply';
import { bodyForRecord, checkRequestBody } from './request-body';
import { matchRoute, type RouteParams } from './routes';
import type { Effects, OperationId, RequestRecord, SimulatorStats } from './types';

export interface SimulatorState {
  token: string;
  store: BackupStore;
  requests: RequestRecord[];
  effects: Effects;
  stats: SimulatorStats;
  faults: FaultBook;
  cache: IdempotencyCache;
  /** Aborted when the simulator closes, to cut delay faults short. */
  closing: AbortSignal;
  log: (line: string) => void;
}

export async function handleRequest(state: SimulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const time = Date.now();
  const raw = await readBody(req);
  const method = req.method ?? '';
  const path = (req.url ?? '/').split('?')[0];
  const route = matchRoute(method, path);
  const record: RequestRecord = {
    method,
    path,
    operation: route.kind === 'operation' ? route.operation : undefined,
    headers: { ...req.headers },
    body: bodyForRecord(raw),
    time,
  };
  state.requests.push(record);

  const send = (status: number, text: string, headers: Record<string, string> = {}) => {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(text);
    state.log(describe(record));
  };
  const sendReply = (reply: Reply) => send(reply.status, JSON.stringify(reply.body), reply.headers);
  const resetSocket = () => {
    req.socket.destroy();
    state.log(describe(record));
  };

  if (route.kind === 'not-found') return sendReply(errorReply(404, 'NOT_FOUND', `No operation at ${path}`));
  if (route.kind === 'method-not-allowed') {
    const allow = route.allow.join(', ');
    return sendReply(errorReply(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${allow}`, undefined, { allow }));
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
  const reply = answer(state, route.operation, route.params, req, raw, record);
  if (fault?.kind === 'reset-after') return resetSocket();
  const successStatus = SUCCESS_STATUS[route.operation];
  if (fault?.kind === 'malformed-json') return send(successStatus, malformedJson(reply));
  if (fault?.kind === 'invalid-body') return send(successStatus, JSON.stringify(invalidBody(route.operation)));
  sendReply(reply);
}

/** The real answer. Only operation outcomes are cached: a 401 or a bad body has done nothing worth replaying. */
function answer(
  state: SimulatorState,
  operation: OperationId,
  params: RouteParams,
  req: IncomingMessage,
  raw: string,
  record: RequestRecord,
): Reply {
  const refused = checkBearer(req.headers.authorization, state.token) ?? checkRequestBody(operation, raw);
  if (refused) return refused;

  const keyHeader = req.headers['idempotency-key'];
  const { method, path } = record;
  const key = method === 'POST' && typeof keyHeader === 'string' && keyHeader !== '' ? keyHeader : undefined;
  const stored = key === undefined ? undefined : state.cache.get(method, path, key);
  if (stored) {
    record.replayed = true;
    return { ...stored, headers: { ...stored.headers, 'idempotent-replayed': 'true' } };
  }
  const reply = OPERATIONS[operation]({ store: state.store, effects: state.effects, nowMs: Date.now() }, params);
  if (key !== undefined) state.cache.set(method, path, key, reply);
  return reply;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** One log line; built from the record so it can never include a header value such as the token. */
function describe(record: RequestRecord): string {
  const outcome = record.status === undefined ? 'socket reset' : String(record.status);
  const notes = [record.fault && `fault: ${record.fault}`, record.replayed && 'idempotent replay'].filter(Boolean);
  return `${record.method} ${record.path} -> ${outcome}${notes.length ? ` [${notes.join(', ')}]` : ''}`;
}
