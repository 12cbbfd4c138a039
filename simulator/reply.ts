// An answer before it is written to the socket; errors always use the API's envelope.

export interface Reply {
  status: number;
  /** Undefined for an answer without a body (204). */
  body: unknown;
  headers?: Record<string, string>;
  /** Work the answer reports as done (the seed's restore of real data): it is sent once this settles, 500 if it fails. */
  after?: Promise<void>;
}

/** What an error may add to `code` and `message`: the seed's `details` or Prisma's `hint`, each only in its own profile. */
export interface ErrorExtras {
  details?: Record<string, unknown>;
  hint?: string;
}

/** `{"error": {"code", "message", ...extras}}`: with no extras, valid in both profiles' descriptions. */
export function errorReply(
  status: number,
  code: string,
  message: string,
  extras: ErrorExtras = {},
  headers?: Record<string, string>,
): Reply {
  const body = { error: { code, message, ...extras } };
  return headers ? { status, body, headers } : { status, body };
}
