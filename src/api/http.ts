// One HTTP exchange with the Management API: no retries of got's own (Temporal retries the activity), a timeout
// below the activity's, the caller's abort signal, every failure a typed ApiError, every 2xx body checked.
import got, { RequestError } from 'got';
import type { z } from 'zod';
import { errorFromNetwork, errorFromResponse, protocolError, type Operation, type Subject } from './errors';

export interface Exchange {
  operation: Operation;
  method: 'GET' | 'POST' | 'DELETE';
  /** Relative to the base URL; ids encoded by `path`. */
  path: string;
  searchParams?: Record<string, string | number>;
  json?: unknown;
  signal?: AbortSignal;
  idempotencyKey?: string;
  /** The ids the request names, so a 404 can say which one is missing. */
  ids?: Partial<Record<Subject, string>>;
}

/** Sends one request; a 2xx body must match `schema` (none: the body is not read). */
export interface Send {
  <S extends z.ZodType>(exchange: Exchange, schema: S): Promise<z.infer<S>>;
  (exchange: Exchange): Promise<void>;
}

/** A path from segments, each encoded so no id can change the path. */
export const path = (...segments: string[]) => segments.map(encodeURIComponent).join('/');
/** Every occurrence of the token replaced, as a last guard on text that leaves the worker. */
// A token of a few characters would blank out common words; service tokens are far longer.
export const redact = (text: string, token: string) => (token.length >= 8 ? text.split(token).join('[redacted]') : text);

export function createSend(options: { baseUrl: string; token: string; requestTimeoutMs: number; resendSafe: boolean }): Send {
  const http = got.extend({
    prefixUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
    retry: { limit: 0 },
    timeout: { request: options.requestTimeoutMs },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
  });
  return (async (exchange: Exchange, schema?: z.ZodType) => {
    const { method, searchParams } = exchange;
    const request = `${method} ${exchange.path}${searchParams ? `?${new URLSearchParams(searchParams as Record<string, string>)}` : ''}`;
    const about = { operation: exchange.operation, request, resendSafe: options.resendSafe };
    let response;
    try {
      response = await http(exchange.path, {
        method,
        searchParams,
        signal: exchange.signal,
        json: exchange.json,
        headers: exchange.idempotencyKey ? { 'idempotency-key': exchange.idempotencyKey } : {},
      });
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      // timings.upload is set once the whole request was handed to the OS: only then can a server act on it.
      throw errorFromNetwork({ ...about, code: err.code, timedOut: err.name === 'TimeoutError', sent: err.timings?.upload !== undefined });
    }
    const { statusCode, body } = response;
    if (statusCode < 200 || statusCode >= 300) {
      // The body is the server's text: redacted in case it echoes the token.
      const outcome = { ...about, status: statusCode, retryAfter: response.headers['retry-after'], ids: exchange.ids };
      throw errorFromResponse({ ...outcome, body: redact(body, options.token) }, Date.now());
    }
    if (!schema) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      // A body that is not JSON is nothing to a schema that takes anything (a 2xx that only says "accepted").
      if (!schema.safeParse(undefined).success) throw protocolError(request, 'the body is not JSON');
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const [issue] = parsed.error.issues;
    throw protocolError(request, `body.${issue.path.join('.')} ${issue.message}`);
  }) as Send;
}
