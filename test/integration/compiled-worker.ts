// A compiled worker process as production runs it (`node dist/src/worker.js`), in a namespace of its
// own (./own-namespace.ts), against a prisma simulator, with its metrics on a free loopback port and
// JSON log lines; and the compiled CLI (`node dist/src/starter.js`) beside it. For
// metrics-and-logs.test.ts and metrics-fleet.slow.test.ts.
import { strict as assert } from 'assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../local-temporal';
import { startSimulator, type PrismaSimulator, type PrismaSimulatorOptions } from '../../simulator';
import { freeLoopbackPort } from '../../src/temporal/metrics-server';
import { eventually } from '../support/eventually';
import { testTemporalAddress } from '../support/temporal';
import { ownNamespace, type OwnNamespace } from './own-namespace';

export const WORKER = path.join(PROJECT_ROOT, 'dist', 'src', 'worker.js');
export const STARTER = path.join(PROJECT_ROOT, 'dist', 'src', 'starter.js');
/** src/worker.ts logs this once it polls. */
const READY = /Worker polling task queue /;
/** Never in a scrape or a log line: connection strings. */
export const SECRET_PATTERNS = [/postgres(ql)?:\/\//i];

/** Every non-empty line, parsed; fails naming the first line that is not a JSON object. */
export function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        const parsed = JSON.parse(line);
        assert.equal(typeof parsed, 'object');
        return parsed;
      } catch {
        assert.fail(`not a JSON line: ${line}`);
      }
    });
}

// Every child, so none outlives the test process, whatever way it ends.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface Started {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exit: Promise<number | null>;
}

/** A compiled entry point as a child process, its output kept. */
export function startProcess(entry: string, args: string[], env: NodeJS.ProcessEnv): Started {
  // The token file would win over PRISMA_API_TOKEN: the processes must use the test's token.
  const { PRISMA_API_TOKEN_FILE: _ignored, ...parentEnv } = process.env;
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...parentEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk) => (out.stdout += chunk));
  child.stderr!.on('data', (chunk) => (out.stderr += chunk));
  const exit = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  return { child, out, exit };
}

export interface CompiledWorker {
  token: string;
  namespace: string;
  sim: PrismaSimulator;
  worker: Started;
  /** The worker's /metrics, as Prometheus would scrape it. */
  scrape(): Promise<string>;
  /** The compiled CLI with this Temporal namespace, the prisma profile and JSON lines. */
  cli(...args: string[]): Started;
  /** Everything the worker wrote. */
  output(): string;
  stop(): Promise<void>;
}

export async function startCompiledWorker(simulator: Partial<PrismaSimulatorOptions>): Promise<CompiledWorker> {
  for (const entry of [WORKER, STARTER]) assert.ok(existsSync(entry), `${entry} is missing: run npm run build first`);
  const token = `tok_${randomBytes(16).toString('hex')}`;
  let own: OwnNamespace | undefined;
  let sim: PrismaSimulator | undefined;
  let worker: Started | undefined;
  const stop = async () => {
    if (worker && worker.child.exitCode === null) {
      // The SDK turns SIGTERM into a graceful shutdown; SIGKILL if it does not end.
      worker.child.kill('SIGTERM');
      const w = worker;
      const killer = setTimeout(() => w.child.kill('SIGKILL'), 10_000);
      await w.exit;
      clearTimeout(killer);
    }
    await sim?.close();
    await own?.remove();
  };
  try {
    own = await ownNamespace('metrics-test');
    sim = await startSimulator({ profile: 'prisma', token, recoveryMs: 1_000, provisioningMs: 1_000, ...simulator });
    const port = await freeLoopbackPort();
    const metricsUrl = `http://127.0.0.1:${port}/metrics`;
    const w = (worker = startProcess(WORKER, [], {
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_NAMESPACE: own.namespace,
      PRISMA_API_URL: sim.url,
      PRISMA_API_TOKEN: token,
      PRISMA_API_PROFILE: 'prisma',
      PRISMA_BACKUP_METRICS_ADDRESS: `127.0.0.1:${port}`,
      PRISMA_BACKUP_LOG_FORMAT: 'json',
    }));
    await eventually(async () => {
      assert.ok(w.child.exitCode === null, `the worker ended:\n${w.out.stdout}\n${w.out.stderr}`);
      assert.match(w.out.stdout + w.out.stderr, READY);
    }, 60_000);
    const namespace = own.namespace;
    return {
      token,
      namespace,
      sim,
      worker: w,
      async scrape() {
        const response = await fetch(metricsUrl);
        assert.equal(response.status, 200);
        return response.text();
      },
      cli: (...args) =>
        startProcess(STARTER, args, {
          TEMPORAL_ADDRESS: testTemporalAddress(),
          TEMPORAL_NAMESPACE: namespace,
          PRISMA_API_PROFILE: 'prisma',
          PRISMA_BACKUP_LOG_FORMAT: 'json',
        }),
      output: () => w.out.stdout + w.out.stderr,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
