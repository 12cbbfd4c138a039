// Starts the simulator: an http server on loopback plus the handle tests use to steer and inspect it.
import http from 'http';
import type { AddressInfo } from 'net';
import { BackupStore } from './backup-store';
import { DEFAULT_BACKUP_DURATION_MS, DEFAULT_DATABASES, DEFAULT_HOST } from './defaults';
import { FAULT_KINDS, FaultBook, type FaultKind } from './fault-book';
import { handleRequest, type SimulatorState } from './handle-request';
import { IdempotencyCache } from './idempotency-cache';
import type { Effects, Simulator, SimulatorOptions, SimulatorStats } from './types';

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  if (!options.token) throw new Error('startSimulator needs a non-empty token');
  const backupDurationMs = options.backupDurationMs ?? DEFAULT_BACKUP_DURATION_MS;
  if (!(backupDurationMs >= 0)) throw new RangeError(`backupDurationMs must be >= 0, got ${backupDurationMs}`);
  const initialDatabases = [...(options.databases ?? DEFAULT_DATABASES)];
  const host = options.host ?? DEFAULT_HOST;

  const closing = new AbortController();
  const store = new BackupStore({ backupDurationMs, backupOutcome: options.backupOutcome ?? 'completed' });
  store.clear(initialDatabases);
  const effects: Effects = { backupsCreated: [], restoresApplied: [] };
  const stats: SimulatorStats = { faultsInjected: zeroCounts() };
  const state: SimulatorState = {
    token: options.token,
    store,
    requests: [],
    effects,
    stats,
    faults: new FaultBook(),
    cache: new IdempotencyCache(),
    closing: closing.signal,
    log: options.log ?? (() => {}),
  };

  const server = http.createServer((req, res) => {
    handleRequest(state, req, res).catch((err: unknown) => {
      state.log(`simulator error: ${err instanceof Error ? err.message : String(err)}`);
      if (res.headersSent || res.destroyed) return;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'The simulator failed to answer' } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
    requests: state.requests,
    effects,
    faults: state.faults,
    stats,
    addDatabase: (databaseId) => store.addDatabase(databaseId),
    addAutomaticBackup: (databaseId, { status = 'completed' } = {}) => store.addAutomatic(databaseId, status, Date.now()),
    failBackup: (backupId) => store.fail(backupId),
    reset() {
      // In place, so arrays a test already holds stay live.
      store.clear(initialDatabases);
      state.requests.length = 0;
      effects.backupsCreated.length = 0;
      effects.restoresApplied.length = 0;
      state.faults.clear();
      state.cache.clear();
      FAULT_KINDS.forEach((kind) => (stats.faultsInjected[kind] = 0));
    },
    async close() {
      if (!server.listening) return;
      closing.abort();
      // Keep-alive connections would otherwise hold close() open for seconds.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function zeroCounts(): Record<FaultKind, number> {
  return Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
}
