// Runs CLI commands in-process against the test Temporal server, capturing what they print; and
// finds the compiled entry points for tests that run the CLI or the worker as processes.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { CliContext } from '../../src/cli/context';
import type { ApiProfile } from '../../src/shared/input';
import { runCli } from '../../src/cli/program';
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
