// The seed profile's connection strings: its API has no connections, so the worker is given them in
// a JSON file (PRISMA_DATABASE_URLS_FILE), `{"db_1": "postgres://…"}`. Read at each use, so an
// edited file applies without a restart; nothing of its content is ever quoted in a message.
import { readFile } from 'node:fs/promises';
import { ApplicationFailure } from '@temporalio/activity';
import { ErrorType } from '../shared/errors';
import type { DatabaseUrls } from './database-access';

export const DATABASE_URLS_FILE_ENV = 'PRISMA_DATABASE_URLS_FILE';

const refused = (message: string) => ApplicationFailure.create({ type: ErrorType.NoDatabaseUrl, message, nonRetryable: true });

/** The connection strings of the file's JSON text; throws a message naming what is wrong, never a value. */
export function parseDatabaseUrls(text: string, file: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refused(`${DATABASE_URLS_FILE_ENV} (${file}) is not JSON: write {"<database id>": "postgres://…"}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw refused(`${DATABASE_URLS_FILE_ENV} (${file}) is not a JSON object of database ids to connection strings.`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const bad = entries.filter(([, url]) => typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)).map(([id]) => id);
  if (bad.length > 0) {
    throw refused(`${DATABASE_URLS_FILE_ENV} (${file}): the entries for ${bad.join(', ')} are not postgres:// connection strings.`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The worker's DatabaseUrls from the file at `file`. */
export function databaseUrlsFromFile(file: string): DatabaseUrls {
  return async (databaseId) => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw refused(`${DATABASE_URLS_FILE_ENV} names ${file}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    return parseDatabaseUrls(text, file)[databaseId];
  };
}
