// Starts the simulator: an http server on loopback plus the handle tests use to steer and inspect it.
import http from 'http';
import type { AddressInfo } from 'net';
import { PostgresData } from './data/postgres-data';
import { DEFAULT_HOST, DEFAULT_MAX_LIVE_DATABASES, DEFAULT_REQUEST_LOG_LIMIT } from './defaults';
import { FAULT_KINDS, FaultBook, type FaultKind } from './fault-book';
import { handleRequest, type SimulatorState } from './handle-request';
import { IdempotencyCache } from './idempotency-cache';
import { prismaSetup } from './prisma/setup';
import { seedSetup } from './seed/setup';
import type {
  AnySimulatorOptions,
  DataMode,
  Effects,
  PrismaSimulator,
  PrismaSimulatorOptions,
  Simulator,
  SimulatorOptions,
  SimulatorStats,
} from './types';

export function startSimulator(options: PrismaSimulatorOptions): Promise<PrismaSimulator>;
export function startSimulator(options: SimulatorOptions): Promise<Simulator>;
export function startSimulator(options: AnySimulatorOptions): Promise<Simulator | PrismaSimulator>;
export async function startSimulator(options: AnySimulatorOptions): Promise<Simulator | PrismaSimulator> {
  if (!options.token) throw new Error('startSimulator needs a non-empty token');
  const profileName: unknown = options.profile ?? 'seed';
  if (profileName !== 'seed' && profileName !== 'prisma')
    throw new RangeError(`profile must be seed or prisma, got ${String(profileName)}`);
  const requestLogLimit = options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT;
  if (!(Number.isInteger(requestLogLimit) && requestLogLimit >= 0)) {
    throw new RangeError(`requestLogLimit must be a whole number >= 0, got ${requestLogLimit}`);
  }
  const host = options.host ?? DEFAULT_HOST;
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => {});
  const mode = dataMode(options);
  const data = postgresData(options, mode, host, log);
  const effects: Effects = { backupsCreated: [], restoresApplied: [], databasesCreated: [], databasesDeleted: [] };
  let url = '';
  let setup;
  try {
    setup =
      options.profile === 'prisma'
        ? prismaSetup(options, effects, clock, () => url, data, mode)
        : seedSetup(options, effects, clock, mode === 'postgres' ? data : undefined);
  } catch (err) {
    await data.close(); // the initial databases opened before the one refused
    throw err;
  }

  const closing = new AbortController();
  const stats: SimulatorStats = { faultsInjected: zeroCounts(), requestsReceived: 0, requestsDropped: 0 };
  const state: SimulatorState = {
    token: options.token,
    profile: setup.profile,
    requests: [],
    requestLogLimit,
    stats,
    faults: new FaultBook(Math.random, setup.profile.operations),
    cache: setup.honourIdempotencyKeys ? new IdempotencyCache() : undefined,
    clock,
    closing: closing.signal,
    log,
    admin: options.adminRoutes ? setup.admin : undefined,
  };

  const server = http.createServer((req, res) => {
    handleRequest(state, req, res).catch((err: unknown) => {
      state.log(`simulator error: ${err instanceof Error ? err.message : String(err)}`);
      if (res.headersSent || res.destroyed) return;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'The simulator failed to answer' } }));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // The initial databases hold their (empty) data before anyone is told the simulator is up.
    await data.settled();
  } catch (err) {
    if (server.listening) await new Promise((resolve) => server.close(resolve));
    await data.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`;

  const base = {
    url,
    requests: state.requests,
    effects,
    faults: state.faults,
    stats,
    reset() {
      // In place, so arrays a test already holds stay live.
      setup.clear();
      state.requests.length = 0;
      Object.values(effects).forEach((records: unknown[]) => (records.length = 0));
      state.faults.clear();
      state.cache?.clear();
      FAULT_KINDS.forEach((kind) => (stats.faultsInjected[kind] = 0));
      stats.requestsReceived = 0;
      stats.requestsDropped = 0;
    },
    async close() {
      if (!server.listening) return;
      closing.abort();
      // Keep-alive connections would otherwise hold close() open for seconds.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await data.close();
    },
  };
  return { ...base, ...setup.methods };
}

function dataMode(options: AnySimulatorOptions): DataMode {
  const mode: unknown = options.data ?? 'metadata';
  if (mode !== 'metadata' && mode !== 'postgres') throw new RangeError(`data must be metadata or postgres, got ${String(mode)}`);
  return mode;
}

/**
 * Opens nothing until asked. The seed profile uses it with data 'postgres' only, so maxLiveDatabases
 * is refused there otherwise; in the prisma profile a database may hold data of its own whatever the mode.
 */
function postgresData(options: AnySimulatorOptions, mode: DataMode, host: string, log: (line: string) => void): PostgresData {
  if (options.profile !== 'prisma' && mode === 'metadata' && options.maxLiveDatabases !== undefined) {
    throw new RangeError("maxLiveDatabases applies with data: 'postgres' only");
  }
  const maxLiveDatabases = options.maxLiveDatabases ?? DEFAULT_MAX_LIVE_DATABASES;
  if (!(Number.isInteger(maxLiveDatabases) && maxLiveDatabases >= 1)) {
    throw new RangeError(`maxLiveDatabases must be a whole number >= 1, got ${maxLiveDatabases}`);
  }
  return new PostgresData({ host, maxLiveDatabases, log });
}

function zeroCounts(): Record<FaultKind, number> {
  return Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
}
