// Test helpers: a simulator per test and a thin fetch wrapper over real loopback HTTP.
import { strict as assert } from 'assert';
import {
  startSimulator,
  type PrismaOperationId,
  type PrismaSimulator,
  type PrismaSimulatorOptions,
  type Simulator,
  type SimulatorOptions,
} from '../../simulator';
import { officialApi } from '../support/openapi';

export const TOKEN = 'sim-test-token-5f3a9c';

export function startTestSimulator(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({ token: TOKEN, backupDurationMs: 150, ...options });
}

export function startPrismaSimulator(options: Partial<Omit<PrismaSimulatorOptions, 'profile'>> = {}): Promise<PrismaSimulator> {
  return startSimulator({ token: TOKEN, profile: 'prisma', ...options });
}

/** A clock the test moves by hand, so a lifecycle is stepped through without waiting. */
export function manualClock(startMs = Date.parse('2026-03-01T12:00:00.000Z')) {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance(ms: number) {
      nowMs += ms;
    },
  };
}

export interface CallOptions {
  /** Bearer token to send; null sends no Authorization header. */
  token?: string | null;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body; undefined when the body is not JSON. */
  json: any;
  elapsedMs: number;
}

/** `path` is relative to the simulator's base URL, e.g. `/databases/db_demo/backups`. */
export async function call(sim: { url: string }, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const { token = TOKEN, body, headers = {} } = options;
  const started = Date.now();
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: parseOrUndefined(text), elapsedMs: Date.now() - started };
}

export const createBackup = (sim: Simulator, db = 'db_demo', options?: CallOptions) =>
  call(sim, 'POST', `/databases/${db}/backups`, options);
export const listBackups = (sim: Simulator, db = 'db_demo', options?: CallOptions) => call(sim, 'GET', `/databases/${db}/backups`, options);
export const restoreBackup = (sim: Simulator, backupId: string, db = 'db_demo', options?: CallOptions) =>
  call(sim, 'POST', `/databases/${db}/backups/${backupId}/restore`, options);

/** A prisma-profile call whose answer must match Prisma's description for the status it has. */
async function described(operationId: PrismaOperationId, answer: Promise<ApiResponse>): Promise<ApiResponse> {
  const res = await answer;
  assert.deepEqual(officialApi.validateResponse(operationId, res.status, res.json), [], `${operationId} ${res.status} ${res.text}`);
  return res;
}

/** The prisma profile's operations; every answer is checked against Prisma's description. */
export const prismaApi = {
  listBackups: (sim: PrismaSimulator, db: string, query = '', options?: CallOptions) =>
    described('getV1DatabasesByDatabaseIdBackups', call(sim, 'GET', `/databases/${db}/backups${query}`, options)),
  restore: (sim: PrismaSimulator, target: string, source: { databaseId: string; backupId: string }, options?: CallOptions) =>
    described(
      'postV1DatabasesByTargetDatabaseIdRestore',
      call(sim, 'POST', `/databases/${target}/restore`, { body: { source: { type: 'backup', ...source } }, ...options }),
    ),
  getDatabase: (sim: PrismaSimulator, db: string, options?: CallOptions) =>
    described('getV1DatabasesByDatabaseId', call(sim, 'GET', `/databases/${db}`, options)),
  listDatabases: (sim: PrismaSimulator, query = '', options?: CallOptions) =>
    described('getV1Databases', call(sim, 'GET', `/databases${query}`, options)),
  listProjectDatabases: (sim: PrismaSimulator, projectId: string, query = '', options?: CallOptions) =>
    described('getV1ProjectsByProjectIdDatabases', call(sim, 'GET', `/projects/${projectId}/databases${query}`, options)),
  createDatabase: (sim: PrismaSimulator, body: unknown, options?: CallOptions) =>
    described('postV1Databases', call(sim, 'POST', '/databases', { body, ...options })),
  createProjectDatabase: (sim: PrismaSimulator, projectId: string, body: unknown, options?: CallOptions) =>
    described('postV1ProjectsByProjectIdDatabases', call(sim, 'POST', `/projects/${projectId}/databases`, { body, ...options })),
  deleteDatabase: (sim: PrismaSimulator, db: string, options?: CallOptions) =>
    described('deleteV1DatabasesByDatabaseId', call(sim, 'DELETE', `/databases/${db}`, options)),
  listConnections: (sim: PrismaSimulator, db: string, query = '', options?: CallOptions) =>
    described('getV1DatabasesByDatabaseIdConnections', call(sim, 'GET', `/databases/${db}/connections${query}`, options)),
  createConnection: (sim: PrismaSimulator, db: string, body: unknown, options?: CallOptions) =>
    described('postV1DatabasesByDatabaseIdConnections', call(sim, 'POST', `/databases/${db}/connections`, { body, ...options })),
  deleteConnection: (sim: PrismaSimulator, id: string, options?: CallOptions) =>
    described('deleteV1ConnectionsById', call(sim, 'DELETE', `/connections/${id}`, options)),
};

/** Polls the database until it shows `status`: loading real data takes a moment of its own. */
export async function waitForStatus(sim: PrismaSimulator, db: string, status: string): Promise<void> {
  for (;;) {
    const { json } = await prismaApi.getDatabase(sim, db);
    if (json.data.status === status) return;
    if (json.data.status === 'failure') throw new Error(`Database ${db} ended in failure while waiting for ${status}`);
    await sleep(50);
  }
}

/** Errors of an answer the description lists for no operation (413, 501...) against its error envelope. */
export const prismaErrorEnvelope = (body: unknown) => officialApi.validateResponse('getV1DatabasesByDatabaseId', 404, body);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
