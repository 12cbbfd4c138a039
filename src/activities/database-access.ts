// Reaching a database's data for verification. A connection string is a secret, like the token: the
// activity that uses it obtains it here and it never leaves this module, in a result, a log line or
// an error message. `prisma`: a connection made through the Management API for this one use and
// deleted after; `seed` (whose API has no connections): the worker's PRISMA_DATABASE_URLS_FILE.
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { Client } from 'pg';
import { ApiError } from '../api/api-error';
import { hasProfile, type ManagementApi } from '../api/client';
import { ErrorType } from '../shared/errors';

/** The connection string of a database, as the worker is configured with them; undefined: none for it. */
export type DatabaseUrls = (databaseId: string) => Promise<string | undefined>;

export interface DatabaseAccess {
  api: ManagementApi;
  /** Seed profile only. */
  databaseUrls?: DatabaseUrls;
}

export interface SessionRequest {
  databaseId: string;
  /** `prisma`: the name of the connection made for this use; the same on every retry, so a leftover is found. */
  connectionName: string;
  signal: AbortSignal;
}

/** A session: one READ ONLY, REPEATABLE READ transaction (one snapshot), rolled back at the end. */
export type ReadOnlySession = Pick<Client, 'query'>;

/** How long one statement may take: a large table is read in full. */
const STATEMENT_TIMEOUT = '20min';
const CONNECT_TIMEOUT_MS = 20_000;

// Values are printed the same way whatever the server's defaults, so equal rows hash equally.
const SESSION_SETTINGS = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 1',
  "SET LOCAL bytea_output = 'hex'",
  `SET LOCAL statement_timeout = '${STATEMENT_TIMEOUT}'`,
];

const nonRetryable = (type: ErrorType, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/** `text` with every secret in it replaced; the parts of a URL too, as drivers quote them separately. */
export function withoutSecrets(text: string, connectionString: string): string {
  const secrets = [connectionString];
  try {
    const url = new URL(connectionString);
    secrets.push(decodeURIComponent(url.password), url.password, decodeURIComponent(url.username), url.username);
  } catch {
    // Not a URL: the string itself is all there is to hide.
  }
  return secrets.filter((s) => s.length >= 3).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/** A connection string for the database, and how to give it back. */
async function obtain(access: DatabaseAccess, request: SessionRequest): Promise<{ connectionString: string; release(): Promise<void> }> {
  const { api, databaseUrls } = access;
  const { databaseId, connectionName, signal } = request;
  if (!hasProfile(api, 'prisma')) {
    const url = databaseUrls ? await databaseUrls(databaseId) : undefined;
    if (url === undefined) {
      throw nonRetryable(
        ErrorType.NoDatabaseUrl,
        `No connection string for database ${databaseId}: the seed API gives none, so verification reads them from the JSON file ` +
          `PRISMA_DATABASE_URLS_FILE names on the worker ({"${databaseId}": "postgres://…"}); ${databaseUrls ? 'it has no entry for this database' : 'it is not set'}.`,
      );
    }
    return { connectionString: url, release: () => Promise.resolve() };
  }
  // A connection left by an attempt whose worker died: its credentials must not outlive the run.
  for (const leftover of (await api.listConnections(databaseId, { signal })).filter((c) => c.name === connectionName)) {
    await deleteConnection(api, leftover.id, signal);
  }
  const created = await api.createConnection(databaseId, connectionName, { signal });
  return { connectionString: created.connectionString, release: () => deleteConnection(api, created.id, signal) };
}

async function deleteConnection(api: ManagementApi, connectionId: string, signal: AbortSignal): Promise<void> {
  await api.deleteConnection(connectionId, { signal }).catch((err: unknown) => {
    // Already gone is what we want.
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  });
}

/**
 * Runs `use` in a read-only session on the database: obtains a connection string, connects, and
 * releases both whatever happens. Failures of the database connection are retryable (the data may
 * still be loading); none of them says more than the connection string's host.
 */
export async function withReadOnlySession<T>(
  access: DatabaseAccess,
  request: SessionRequest,
  use: (session: ReadOnlySession) => Promise<T>,
): Promise<T> {
  const { connectionString, release } = await obtain(access, request);
  let result: T;
  try {
    result = await inSession(connectionString, request, use);
  } catch (err) {
    await release().catch(() => undefined);
    throw err;
  }
  await release();
  return result;
}

async function inSession<T>(connectionString: string, request: SessionRequest, use: (session: ReadOnlySession) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'prisma-backup-verify' });
  // A session ended by the server also emits 'error' besides failing the query.
  client.on('error', () => undefined);
  const stop = () => void client.end().catch(() => undefined);
  request.signal.addEventListener('abort', stop);
  try {
    await client.connect();
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const setting of SESSION_SETTINGS) await client.query(setting);
    return await use(client);
  } catch (err) {
    if (request.signal.aborted) throw new CancelledFailure('Activity cancelled while reading the database');
    if (err instanceof ApplicationFailure) throw err;
    const message = withoutSecrets(err instanceof Error ? err.message : String(err), connectionString);
    const host = hostOf(connectionString);
    throw ApplicationFailure.create({
      type: ErrorType.Transient,
      message: `Reading database ${request.databaseId}${host ? ` at ${host}` : ''} failed: ${message}`,
      nonRetryable: false,
    });
  } finally {
    request.signal.removeEventListener('abort', stop);
    await client.end().catch(() => undefined);
  }
}

/** host:port of a connection string, which is not secret; undefined when it is not a URL. */
function hostOf(connectionString: string): string | undefined {
  try {
    return new URL(connectionString).host || undefined;
  } catch {
    return undefined;
  }
}
