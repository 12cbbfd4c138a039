// An answer before it is written to the socket; errors always use the API's envelope.
import type { ApiErrorBody } from '../src/shared/api-types';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function errorReply(
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
  headers?: Record<string, string>,
): Reply {
  const body: ApiErrorBody = { error: details ? { code, message, details } : { code, message } };
  return headers ? { status, body, headers } : { status, body };
}
