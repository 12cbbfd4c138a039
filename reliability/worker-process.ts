// A worker as a real child process, compiled JS as production runs it (worker-main.ts by default),
// started, SIGKILLed and restarted by the reliability and cluster suites, and measured by the
// benchmark (its CPU time and memory are its own in /proc). Its stdout/stderr are kept (for the
// token search) and appended to a log file.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../local-temporal';
import { WORKER_READY_LINE } from './worker-ready';

export interface WorkerProcessOptions {
  /** TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, PRISMA_API_URL, PRISMA_API_TOKEN, RELIABILITY_* */
  env: Record<string, string>;
  logFile: string;
  readyTimeoutMs?: number;
  /** The compiled entry point; default workerEntry(). */
  entry?: string;
  /** What its output says once it polls; default WORKER_READY_LINE. */
  ready?: RegExp;
}

// Every live child, so none outlives this process, whatever way it ends.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A file of the build (dist/...), refused when `npm run build` has not made it. */
export function compiled(...parts: string[]): string {
  const file = path.join(PROJECT_ROOT, 'dist', ...parts);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  return file;
}

/**
 * Always the compiled worker, as production runs it, even under ts-node (the tests): ts-node in the
 * child would measure and kill a different program, and compile it again at every restart.
 */
export const workerEntry = (): string => compiled('reliability', 'worker-main.js');

export class WorkerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly chunks: string[] = [];
  /** Times the worker was started. */
  starts = 0;
  /** Exits nobody asked for (the worker crashed on its own). */
  unexpectedExits = 0;
  /** Every pid it had, one per start (the SDK's worker identity is `<pid>@<host>`). */
  readonly pids: number[] = [];

  constructor(private readonly options: WorkerProcessOptions) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Everything the worker processes wrote so far, all incarnations. */
  output(): string {
    return this.chunks.join('');
  }

  /** Spawns a worker and resolves, with the milliseconds from spawn to ready, once it polls; rejects (and kills it) when it ends or hangs first. */
  async start(): Promise<number> {
    if (this.child) throw new Error('The worker is already running');
    this.starts += 1;
    this.note(`--- start ${this.starts} ---\n`);
    // The token file would win over PRISMA_API_TOKEN: the worker must use the suite's token.
    const { PRISMA_API_TOKEN_FILE: _ignored, ...parentEnv } = process.env;
    const entry = this.options.entry ?? workerEntry();
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, [entry], {
      cwd: PROJECT_ROOT,
      env: { ...parentEnv, ...this.options.env },
      // The IPC channel only tells the child when this process is gone (worker-main.ts).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    if (child.pid) this.pids.push(child.pid);
    live.add(child);
    this.exited = new Promise((resolve) =>
      child.once('close', (code, signal) => {
        live.delete(child);
        if (this.child === child) this.child = undefined;
        this.note(`--- exited (${signal ?? `code ${code}`}) ---\n`);
        if (!this.ending.has(child)) this.unexpectedExits += 1;
        resolve();
      }),
    );

    const readyTimeoutMs = this.options.readyTimeoutMs ?? 120_000;
    let seen = '';
    const readyLine = this.options.ready ?? new RegExp(WORKER_READY_LINE);
    const ready = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${entry} not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        this.note(text);
        seen = (seen + text).slice(-4000);
        if (readyLine.test(seen)) {
          clearTimeout(timer);
          resolve(performance.now() - spawnedAt);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', reject);
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${entry} ended before it was ready:\n${seen.slice(-2000)}`));
      });
    });
    try {
      return await ready;
    } catch (err) {
      await this.end('SIGKILL');
      throw err;
    }
  }

  /** Children this object ended on purpose (their exit is not "unexpected"). */
  private readonly ending = new Set<ChildProcess>();

  private async end(signal: NodeJS.Signals, graceMs?: number): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.ending.add(child);
    child.kill(signal);
    const timer = graceMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL, as a crash would end it; resolves once it is gone. */
  async kill(): Promise<void> {
    if (!this.child) return;
    await this.end('SIGKILL');
  }

  /** SIGTERM (the SDK drains the worker), then SIGKILL after `graceMs`. Not counted as a kill. */
  stop(graceMs = 5_000): Promise<void> {
    return this.end('SIGTERM', graceMs);
  }

  private note(text: string): void {
    this.chunks.push(text);
    try {
      appendFileSync(this.options.logFile, text);
    } catch {
      // The log file is a convenience (the output is kept above): a removed folder must not crash the run.
    }
  }
}
