// The API token lives only in the worker's environment: never a workflow input, so it never
// reaches workflow history, search attributes or the Web UI.
import { readFileSync } from 'node:fs';

export class TokenConfigError extends Error {}

export function readApiToken(env: NodeJS.ProcessEnv = process.env): string {
  const file = env.PRISMA_API_TOKEN_FILE;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new TokenConfigError(
        `Cannot read PRISMA_API_TOKEN_FILE (${(err as NodeJS.ErrnoException).code}): point it at a readable file holding the token.`,
      );
    }
    const token = text.trim();
    if (!token) throw new TokenConfigError('PRISMA_API_TOKEN_FILE names an empty file: put the Management API token in it.');
    return token;
  }
  const token = env.PRISMA_API_TOKEN?.trim();
  if (!token) {
    throw new TokenConfigError(
      'No Management API token: set PRISMA_API_TOKEN, or PRISMA_API_TOKEN_FILE to a file holding it, in the worker environment.',
    );
  }
  return token;
}

/** Replace every occurrence of the token, as a last guard on text that leaves the worker. */
export function redact(text: string, token: string): string {
  return token ? text.split(token).join('[redacted]') : text;
}
