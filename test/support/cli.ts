// Runs CLI commands in-process against the test Temporal server, capturing what they print; and
// finds the compiled entry points for tests that run the CLI or the worker as processes.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import type { CliContext } from '../../src/cli/context';
import type { ApiProfile } from '../../src/shared/input';
import { runCli } from '../../src/cli/program';
import { WorkerProcess } from '../../reliability/worker-process';
import { testNamespace, testTemporalAddress } from './temporal';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
  /** stdout and stderr, in order. */
  text: string;
  /** On a terminal: each redrawn progress line (undefined where the line was ended). */
  redrawn: (string | undefined)[];
}

export interface CliOptions {
  /** Without one, asking for the client fails: proof that a command is refused before contacting Temporal. */
  client?: Client;
  taskQueue?: string;
  /** The workers' API profile; default seed, which the harness's simulator and worker speak. */
  profile?: ApiProfile;
  /** A person at a terminal who answers prompts with this. */
  terminalAnswer?: string;
  /** Receives the function that presses Ctrl-C, once a command listens for it. */
  ctrlC?: (press: () => void) => void;
}

export async function cli(options: CliOptions, ...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const all: string[] = [];
  const redrawn: (string | undefined)[] = [];
  const terminal = options.terminalAnswer !== undefined;
  const ctx: CliContext = {
    out: (line) => (out.push(line), all.push(line)),
    err: (line) => (err.push(line), all.push(line)),
    isTTY: terminal,
    redraw: terminal ? (line) => redrawn.push(line) : undefined,
    ask: terminal ? async (question) => (all.push(question), options.terminalAnswer!) : undefined,
    onInterrupt: options.ctrlC
      ? (handler) => {
          options.ctrlC!(handler);
          return () => undefined;
        }
      : undefined,
    client: async () => {
      if (!options.client) throw new Error(`contacted Temporal for: ${argv.join(' ')}`);
      return options.client;
    },
    temporal: { address: testTemporalAddress(), namespace: testNamespace() },
    taskQueue: options.taskQueue ?? 'no-task-queue',
    apiProfile: () => options.profile ?? 'seed',
    followIntervalMs: 200,
  };
  const code = await runCli(argv, ctx);
  return { code, out, err, text: all.join('\n'), redrawn };
}

/** The checkout's root. */
export const ROOT = path.join(__dirname, '../..');

/**
 * A compiled entry point, as users run it (`npm run starter` / `npm run worker` run `node dist/src/…`).
 * `npm test` builds first; a single file run by hand needs `npm run build`.
 */
export function compiledEntry(name: 'starter' | 'worker'): string {
  const file = path.join(ROOT, 'dist', 'src', `${name}.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (\`npm test\` does).`);
  return file;
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The environment without this process's PRISMA_* and npm_* settings (as in a fresh shell), plus `env`. */
export function environment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PRISMA_|npm_)/i.test(key)));
  return { ...clean, ...env };
}

/** Runs `file` in the checkout as a process; its exit code, output and how long it took. */
export async function exec(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const started = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd: ROOT, env: environment(env), timeout: 90_000 });
    return { code: 0, stdout, stderr, ms: ms() };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, ms: ms() };
  }
}

/** `prisma-backup …`: node running the bin, dist/src/starter.js. */
export const starter = (args: string[], env: NodeJS.ProcessEnv = {}) => exec(process.execPath, [compiledEntry('starter'), ...args], env);
/** Nothing listens on port 1: a client cannot connect. */
export const NO_TEMPORAL = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

/** A compiled worker process on `taskQueue` for the harness's simulator and the test server; its log in test-artifacts/<folder>/. */
export function workerProcessFor(
  h: { sim: { url: string; profile: ApiProfile }; token: string },
  taskQueue: string,
  folder: string,
  env: Record<string, string> = {},
): WorkerProcess {
  return new WorkerProcess({
    env: {
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_NAMESPACE: testNamespace(),
      PRISMA_API_URL: h.sim.url,
      PRISMA_API_TOKEN: h.token,
      PRISMA_API_PROFILE: h.sim.profile,
      RELIABILITY_TASK_QUEUE: taskQueue,
      RELIABILITY_WORKFLOW_BUNDLE: path.join(ROOT, 'dist', 'src', 'workflow-bundle.js'),
      ...env,
    },
    logFile: path.join(ROOT, 'test-artifacts', folder, `${taskQueue}.log`),
  });
}
