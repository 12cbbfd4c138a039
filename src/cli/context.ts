// What every CLI command gets: where to print, whether a person is at the terminal, and a Temporal
// client made on first use (so `--help` and bad input never need a server).
import type { Client } from '@temporalio/client';
import type { ApiProfile } from '../shared/api-types';
import { CLI_NAME, type NpmScript } from './invocation';

export const EXIT = {
  ok: 0,
  /** The run (or the operation on it) failed; the typed reason is printed. */
  runFailed: 1,
  /** Bad arguments or input, or a destructive command without confirmation: nothing was started. */
  usage: 2,
  /** Temporal could not be reached. */
  unavailable: 3,
  /** No such run or schedule. */
  notFound: 4,
  interrupted: 130,
} as const;

/** An error meant for the user: its message says what is wrong and what to do. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** What a line is about, for JSON log lines (PRISMA_BACKUP_LOG_FORMAT=json): the run's ids and database. */
export type LineFields = { workflowId?: string; runId?: string; databaseId?: string };

export interface CliContext {
  out(line: string, fields?: LineFields): void;
  err(line: string, fields?: LineFields): void;
  /** True when stdout is a terminal: progress lines redraw, and confirmation may be asked for. */
  isTTY: boolean;
  /** On a terminal: replaces the progress line in place; undefined ends it. */
  redraw?(line: string | undefined): void;
  /** Calls `handler` on Ctrl-C (then exits 130); returns the function that stops listening. */
  onInterrupt?(handler: () => void): () => void;
  /** Asks a question on the terminal; undefined when nobody can answer (not a terminal). */
  ask?(question: string): Promise<string>;
  client(): Promise<Client>;
  /** The Temporal address and namespace, for Web UI links and messages. */
  temporal: { address: string; namespace: string };
  /** The task queue runs are started on. */
  taskQueue: string;
  /**
   * The Management API the workers speak (PRISMA_API_PROFILE, read as the worker reads it): every run
   * and schedule is started for it, and what it cannot do is refused before anything starts. Throws a
   * CliError when the setting is unusable.
   */
  apiProfile(): ApiProfile;
  /** Set by a command whose outcome is not success (a failed run); default EXIT.ok. */
  exitCode?: number;
  /** Milliseconds between two status reads of `watch` and the run commands. */
  followIntervalMs: number;
  /** How the user starts the CLI here (`prisma-backup`, `npm run starter --`; see invocation.ts); default `prisma-backup`. */
  invocation?: string;
  /** The npm script that started the CLI, if one did: npm keeps the flags given to it without `--`. */
  npmScript?: NpmScript;
}

/** A command as the user can type it where they are, e.g. `npm run starter -- watch <id>`: every hint names one. */
export function commandLine(ctx: Pick<CliContext, 'invocation'>, args: string): string {
  return `${ctx.invocation ?? CLI_NAME} ${args}`;
}
