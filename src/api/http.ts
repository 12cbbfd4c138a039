// One HTTP exchange with the Management API, for both profiles: one got instance, got's own
// retries off (Temporal retries the activity), a request timeout below the activity timeout, the
// caller's abort signal, and every failure mapped to a typed ApiError.
import got, { RequestError, type Got } from 'got';
import { errorFromNetwork, errorFromResponse } from './error-mapping';
import type { ApiOperationId, NotFoundSubject } from './operations';
import { redact } from './token';

export interface HttpOptions {
  /** e.g. `https://api.prisma.io/v1` */
  baseUrl: string;
  token: string;
  /** Whole-request timeout; keep it below the activity's start-to-close timeout. */
  requestTimeoutMs: number;
  /** A restore whose outcome is unknown may be sent again (seed API declared to honour Idempotency-Key). */
  resendSafe: boolean;
}

export interface Exchange {
  operation: ApiOperationId;
  method: 'GET' | 'POST' | 'DELETE';
  /** Relative to the base URL, ids already encoded (operations.ts). */
  path: string;
  searchParams?: Record<string, string | number>;
  json?: unknown;
  signal?: AbortSignal;
  idempotencyKey?: string;
  /** The ids the request names, so a 404 can say which one is missing. */
  ids?: Partial<Record<NotFoundSubject, string>>;
}

/** Sends one request; a 2xx body goes to `parse` with the request's description for messages. */
export type Send = <T>(exchange: Exchange, parse: (request: string, body: string) => T) => Promise<T>;

export function createSend(options: HttpOptions): Send {
  const http: Got = got.extend({
    prefixUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
    retry: { limit: 0 },
    timeout: { request: options.requestTimeoutMs },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
  });

  return async (exchange, parse) => {
    const { operation, method, path, searchParams } = exchange;
    const query = searchParams
      ? `?${new URLSearchParams(Object.entries(searchParams).map(([k, v]): [string, string] => [k, String(v)]))}`
      : '';
    const request = `${method} ${path}${query}`;
    let response;
    try {
      response = await http(path, {
        method,
        searchParams,
        signal: exchange.signal,
        json: exchange.json,
        headers: exchange.idempotencyKey ? { 'idempotency-key': exchange.idempotencyKey } : {},
      });
    } catch (err) {
      if (err instanceof RequestError) {
        // timings.upload is set once the whole request was handed to the OS (see NetworkFailure.sent).
        const sent = err.timings?.upload !== undefined;
        throw errorFromNetwork({
          operation,
          request,
          code: err.code,
          timedOut: err.name === 'TimeoutError',
          sent,
          resendSafe: options.resendSafe,
        });
      }
      throw err;
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return parse(request, response.body);
    const retryAfter = response.headers['retry-after'];
    // The body is the server's text: redact in case it echoes the token back.
    const body = redact(response.body, options.token);
    throw errorFromResponse(
      { operation, request, status: response.statusCode, retryAfter, body, ids: exchange.ids, resendSafe: options.resendSafe },
      Date.now(),
    );
  };
}
