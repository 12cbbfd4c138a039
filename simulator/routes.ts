// Maps a method and path onto one of the seed's operations (base path /v1).
import type { OperationId } from './types';

export interface RouteParams {
  databaseId: string;
  backupId?: string;
}

export type RouteMatch =
  | { kind: 'operation'; operation: OperationId; params: RouteParams }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allow: string[] };

const ROUTES: { pattern: RegExp; methods: Record<string, OperationId> }[] = [
  {
    pattern: /^\/v1\/databases\/([^/]+)\/backups$/,
    methods: { GET: 'listDatabaseBackups', POST: 'createDatabaseBackup' },
  },
  {
    pattern: /^\/v1\/databases\/([^/]+)\/backups\/([^/]+)\/restore$/,
    methods: { POST: 'restoreDatabaseBackup' },
  },
];

export function matchRoute(method: string, path: string): RouteMatch {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const operation = route.methods[method];
    if (!operation) return { kind: 'method-not-allowed', allow: Object.keys(route.methods) };
    const params = decodeParams(match.slice(1));
    return params ? { kind: 'operation', operation, params } : { kind: 'not-found' };
  }
  return { kind: 'not-found' };
}

/** Undefined when a segment is not valid percent-encoding: such a path names nothing. */
function decodeParams([databaseId, backupId]: string[]): RouteParams | undefined {
  try {
    const params: RouteParams = { databaseId: decodeURIComponent(databaseId) };
    if (backupId !== undefined) params.backupId = decodeURIComponent(backupId);
    return params;
  } catch {
    return undefined;
  }
}
