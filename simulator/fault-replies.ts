// What each fault puts on the wire instead of the real answer (the off-description bodies are the profiles').
import { errorReply, type Reply } from './reply';

const STATUS_CODES: Record<number, string> = {
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** An injected error status, in the envelope, with Retry-After when asked for. */
export function statusFaultReply(status: number, retryAfterSeconds?: number): Reply {
  const headers = retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) };
  return errorReply(status, STATUS_CODES[status] ?? `HTTP_${status}`, `Injected fault: HTTP ${status}`, {}, headers);
}

/** The real answer cut in half, as a broken proxy would leave it. A strict prefix of a JSON object never parses. */
export function malformedJson(reply: Reply): string {
  const text = JSON.stringify(reply.body);
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
