// Test helpers: a simulator per test and a thin fetch wrapper over real loopback HTTP.
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';

export const TOKEN = 'sim-test-token-5f3a9c';

export function startTestSimulator(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({ token: TOKEN, backupDurationMs: 150, ...options });
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
export async function call(sim: Simulator, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
