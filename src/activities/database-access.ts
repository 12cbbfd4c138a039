// Reaching a database's data for verification through a connection string, a secret that never leaves here: prisma's made
// through the API for this one use and deleted after; seed's from the worker's PRISMA_DATABASE_URLS_FILE, read at each use.
import { readFile } from 'node:fs/promises';
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { Client, DatabaseError } from 'pg';
import { ApiError } from '../api/errors';
import type { ManagementApi, PrismaApi } from '../api/client';
import { ErrorType } from '../shared/errors';
import { nonRetryable } from './call';

/** The connection string of a database; undefined: none for it. */
export type DatabaseUrls = (databaseId: string) => Promise<string | undefined>;

export interface SessionRequest {
  databaseId: string;
  /** Prisma: the name of the connection made for this use, the same on every retry, so a leftover is found. */
  connectionName: string;
  signal: AbortSignal;
}

/** One READ ONLY, REPEATABLE READ transaction (one snapshot), rolled back at the end. */
export type ReadOnlySession = Pick<Client, 'query'>;

// Values print the same whatever the server's defaults, so equal rows hash equally.
const SESSION_SETTINGS = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 1',
  "SET LOCAL bytea_output = 'hex'",
  "SET LOCAL statement_timeout = '20min'",
];
/** Deleting a connection must not depend on the activity's signal, which a cancellation has aborted. */
const RELEASE_TIMEOUT_MS = 15_000;
export const DATABASE_URLS_FILE_ENV = 'PRISMA_DATABASE_URLS_FILE';

/** The seed profile's connection strings from the file at `file`; a problem names the file, never a value. */
export function databaseUrlsFromFile(file: string): DatabaseUrls {
  const refused = (why: string) => nonRetryable(ErrorType.NoDatabaseUrl, `${DATABASE_URLS_FILE_ENV} (${file}) ${why}.`);
  return async (databaseId) => {
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw refused(`cannot be read (${err.code ?? 'error'})`);
    });
    let urls: unknown;
    try {
      urls = JSON.parse(text);
    } catch {
      throw refused('is not JSON: write {"<database id>": "postgres://…"}');
    }
    const url = typeof urls === 'object' && urls !== null ? (urls as Record<string, unknown>)[databaseId] : undefined;
    if (url !== undefined && (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)))
      throw refused(`holds no postgres:// URL for ${databaseId}`);
    return url as string | undefined;
  };
}

/** `text` with the connection string and its password and user replaced. */
export function withoutSecrets(text: string, connectionString: string): string {
  const secrets = [connectionString];
  try {
    const url = new URL(connectionString);
    secrets.push(decodeURIComponent(url.password), url.password, decodeURIComponent(url.username), url.username);
  } catch {
    // Not a URL (or not decodable): the string itself is all there is to hide.
  }
  return secrets.filter((s) => s.length >= 3).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

async function obtain(api: ManagementApi, urls: DatabaseUrls | undefined, request: SessionRequest) {
  const { databaseId, connectionName, signal } = request;
  if (api.profile === 'seed') {
    const url = urls ? await urls(databaseId) : undefined;
    if (url === undefined)
      throw nonRetryable(
        ErrorType.NoDatabaseUrl,
        `No connection string for ${databaseId}: the seed API gives none, so the worker reads them from ${DATABASE_URLS_FILE_ENV} ({"${databaseId}": "postgres://…"}), ${urls ? 'which has no entry for it' : 'which is not set'}.`,
      );
    return { connectionString: url, release: async () => undefined };
  }
  // A connection left by an attempt whose worker died: its credentials must not outlive the run.
  for (const leftover of (await api.listConnections(databaseId, { signal })).filter((c) => c.name === connectionName)) {
    await deleteConnection(api, leftover.id);
  }
  const created = await api.createConnection(databaseId, connectionName, { signal });
  return { connectionString: created.connectionString, release: () => deleteConnection(api, created.id) };
}

async function deleteConnection(api: PrismaApi, connectionId: string): Promise<void> {
  await api.deleteConnection(connectionId, { signal: AbortSignal.timeout(RELEASE_TIMEOUT_MS) }).catch((err: unknown) => {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  });
}

/** A query's error by its SQLSTATE only: Postgres quotes the offending value in the message of many. */
export const sqlErrorText = (err: DatabaseError) =>
  err.code === '25006'
    ? 'the check tried to write, and it runs READ ONLY'
    : err.code === '57014'
      ? 'the check took too long and was cancelled'
      : `the query failed with SQLSTATE ${err.code} (see the Postgres error codes; the message is not shown, as it may quote the data)`;

/** Runs `use` in a read-only session on the database, and releases the connection whatever happens, a cancellation too. */
export async function withReadOnlySession<T>(
  api: ManagementApi,
  urls: DatabaseUrls | undefined,
  request: SessionRequest,
  use: (session: ReadOnlySession) => Promise<T>,
): Promise<T> {
  const { connectionString, release } = await obtain(api, urls, request);
  const result = await inSession(connectionString, request, use).catch(async (err: unknown) => {
    await release().catch(() => undefined);
    throw err;
  });
  await release();
  return result;
}

async function inSession<T>(connectionString: string, request: SessionRequest, use: (session: ReadOnlySession) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString, connectionTimeoutMillis: 20_000, application_name: 'prisma-backup-verify' });
  // A session the server ends also emits 'error' besides failing the query.
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
    const host = URL.canParse(connectionString) ? new URL(connectionString).host : '';
    const message =
      err instanceof DatabaseError ? sqlErrorText(err) : withoutSecrets(err instanceof Error ? err.message : String(err), connectionString);
    throw ApplicationFailure.create({
      type: ErrorType.Transient,
      message: `Reading ${request.databaseId}${host && ` at ${host}`} failed: ${message}`,
    });
  } finally {
    request.signal.removeEventListener('abort', stop);
    await client.end().catch(() => undefined);
  }
}
