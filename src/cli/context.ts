// What every command gets: output, the terminal, a Temporal client made on first use (so --help needs no server), and how it fails.
import type { Client } from '@temporalio/client';
import type { ApiProfile } from '../shared/input';
import { CLI_NAME, type NpmScript } from './invocation';

export const EXIT = { ok: 0, failed: 1, usage: 2, unavailable: 3, notFound: 4, interrupted: 130 } as const;

/** An error for the user, as Prisma's CLI says them: `✖ [CODE] what happened` and `→ what to do`. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    readonly summary: string,
    readonly fix: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(`${summary} ${fix}`);
    this.name = 'CliError';
  }
}

/** The fix when Temporal cannot be reached. */
export const START_TEMPORAL = 'Start one (`npm run temporal:dev`) or set TEMPORAL_ADDRESS to yours.';
/** Bad input: nothing was started (exit 2). */
export const invalid = (summary: string, fix: string) => new CliError('INVALID_INPUT', summary, fix);
/** What a line is about, for JSON log lines. */
export type LineFields = { workflowId?: string; runId?: string; databaseId?: string };

export interface CliContext {
  out(line: string, fields?: LineFields): void;
  err(line: string, fields?: LineFields): void;
  /** A person at the terminal: progress redraws, and consent may be asked for. */
  isTTY: boolean;
  /** On a terminal: replaces the progress line; undefined ends it. */
  redraw?(line: string | undefined): void;
  /** Calls `handler` on Ctrl-C (then exits 130); returns the function that stops listening. */
  onInterrupt?(handler: () => void): () => void;
  ask?(question: string): Promise<string>;
  client(): Promise<Client>;
  temporal: { address: string; namespace: string };
  taskQueue: string;
  /** The profile the workers speak (PRISMA_API_PROFILE, read as the worker reads it). */
  apiProfile(): ApiProfile;
  /** Set by a command whose outcome is not success. */
  exitCode?: number;
  followIntervalMs: number;
  /** How the user starts the CLI here, e.g. `npm run starter --`; default `prisma-backup`. */
  invocation?: string;
  npmScript?: NpmScript;
}

/** A command as the user can type it where they are: every hint names one. */
export const commandLine = (ctx: Pick<CliContext, 'invocation'>, args: string) => `${ctx.invocation ?? CLI_NAME} ${args}`;
