// One Temporal service (history, matching, frontend or worker) as a process of its own, started,
// stopped and restarted on the same ports. Its output goes to <logsDir>/<service>.log; its pid to
// <stateDir>/run/<service>.pid, so a run that was killed leaves nothing the next one cannot clean up.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOOPBACK, type TemporalService } from './topology';

export interface ServerProcessOptions {
  service: TemporalService;
  binary: string;
  env: Record<string, string>;
  /** It is up once this port accepts connections (gRPC; membership for the worker service, which serves no gRPC). */
  readyPort: number;
  stateDir: string;
  logsDir: string;
}

// Every live server, killed when this process exits however it ends (short of SIGKILL: then the pid files).
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false));
    probe.listen({ host: LOOPBACK, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: LOOPBACK, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const pidFileOf = (stateDir: string, service: TemporalService) => path.join(stateDir, 'run', `${service}.pid`);

/** Kills a server of ours that a killed run left behind (same binary), so its ports are free again; true if there was one. */
export async function killLeftoverServer(stateDir: string, service: TemporalService, binary: string): Promise<boolean> {
  const pidFile = pidFileOf(stateDir, service);
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile, { force: true });
  try {
    if (readlinkSync(`/proc/${pid}/exe`) !== binary) return false;
    process.kill(pid, 'SIGKILL');
  } catch {
    return false;
  }
  while (existsSync(`/proc/${pid}`)) await sleep(50);
  return true;
}

export class ServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private log: WriteStream | undefined;
  starts = 0;

  constructor(readonly options: ServerProcessOptions) {
    mkdirSync(path.join(options.stateDir, 'run'), { recursive: true });
    mkdirSync(options.logsDir, { recursive: true });
  }

  get service(): TemporalService {
    return this.options.service;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logFile(): string {
    return path.join(this.options.logsDir, `${this.service}.log`);
  }

  private get pidFile(): string {
    return pidFileOf(this.options.stateDir, this.service);
  }

  /** Starts the service and resolves once its gRPC port accepts connections; rejects with its log's tail. */
  async start(timeoutMs = 120_000): Promise<void> {
    if (this.child) throw new Error(`${this.service} is already running`);
    this.starts += 1;
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    this.log.write(`--- start ${this.starts}, ${new Date().toISOString()} ---\n`);
    // Only PATH from our environment: TEMPORAL_* variables of the caller (e.g. TEMPORAL_CONFIG_DIR)
    // would change how the server loads its configuration.
    // A process group of its own: a Ctrl-C in the terminal reaches only us, and we stop the services in order.
    const child = spawn(this.options.binary, ['start'], {
      env: { PATH: process.env.PATH ?? '', ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    live.add(child);
    const log = this.log;
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    if (child.pid) writeFileSync(this.pidFile, String(child.pid));
    this.exited = new Promise((resolve) =>
      child.once('close', (code, signal) => {
        live.delete(child);
        if (this.child === child) this.child = undefined;
        log.end(`--- exited (${signal ?? `code ${code}`}) ---\n`);
        rmSync(this.pidFile, { force: true });
        resolve();
      }),
    );
    const end = Date.now() + timeoutMs;
    while (!(await accepts(this.options.readyPort))) {
      if (this.child !== child) throw new Error(`Temporal ${this.service} exited while starting:\n${this.logTail()}`);
      if (Date.now() > end) {
        await this.stop();
        throw new Error(
          `Temporal ${this.service} did not listen on ${LOOPBACK}:${this.options.readyPort} within ${timeoutMs / 1000} s:\n${this.logTail()}`,
        );
      }
      await sleep(200);
    }
  }

  /** SIGTERM (the server shuts down gracefully), SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  logTail(lines = 15): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}
