// A worker as a child process of its own (compiled JS, as production runs it), so its CPU time and
// peak memory are its own in /proc: started, waited on until it says it polls, and stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../local-temporal';

export interface BenchProcessOptions {
  /** The compiled entry point, e.g. dist/bench/worker-main.js or dist/src/worker.js. */
  entry: string;
  env: Record<string, string>;
  /** A line of its output that says it polls. */
  ready: RegExp;
  logFile: string;
  readyTimeoutMs?: number;
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

export class BenchProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private log: WriteStream | undefined;

  constructor(private readonly options: BenchProcessOptions) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns it and resolves, with the milliseconds from spawn to its ready line, once it polls. */
  async start(): Promise<number> {
    if (this.child) throw new Error('already running');
    // A token file would win over PRISMA_API_TOKEN: the worker must use the benchmark's token.
    const { PRISMA_API_TOKEN_FILE: _ignored, ...parentEnv } = process.env;
    this.log = createWriteStream(this.options.logFile, { flags: 'a' });
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, [this.options.entry], {
      cwd: PROJECT_ROOT,
      env: { ...parentEnv, ...this.options.env },
      // The IPC channel lets a bench worker end when this process is gone (worker-main.ts).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    live.add(child);
    this.exited = new Promise((resolve) =>
      child.once('close', () => {
        live.delete(child);
        if (this.child === child) this.child = undefined;
        this.log?.end();
        resolve();
      }),
    );
    const timeoutMs = this.options.readyTimeoutMs ?? 120_000;
    let tail = '';
    const ready = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.options.entry} not ready after ${timeoutMs} ms:\n${tail}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        this.log?.write(chunk);
        tail = (tail + chunk.toString()).slice(-4000);
        if (this.options.ready.test(tail)) {
          clearTimeout(timer);
          resolve(performance.now() - spawnedAt);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', reject);
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${this.options.entry} ended before it was ready:\n${tail}`));
      });
    });
    try {
      return await ready;
    } catch (err) {
      await this.stop(0);
      throw err;
    }
  }

  /** SIGTERM (the SDK drains the worker), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(graceMs === 0 ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
