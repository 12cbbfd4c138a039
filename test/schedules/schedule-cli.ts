// Drives `schedule` in-process, as the CLI's program does: a commander program holding
// scheduleCommand(ctx), with a context that captures what is printed.
import type { Client } from '@temporalio/client';
import { Command, CommanderError } from 'commander';
import { scheduleCommand } from '../../src/cli/commands/schedule';
import { CliError, EXIT, type CliContext } from '../../src/cli/context';
import { testNamespace, testTemporalAddress } from '../support/temporal';

export interface ScheduleCliRun {
  code: number;
  out: string[];
  err: string[];
  /** stdout and stderr, in order. */
  text: string;
}

export interface ScheduleCliOptions {
  client: Client;
  taskQueue: string;
  /** When set, `ctx.client()` fails as an unreachable Temporal would (to prove nothing contacts it). */
  noClient?: boolean;
}

export async function scheduleCli(options: ScheduleCliOptions, ...args: string[]): Promise<ScheduleCliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const all: string[] = [];
  const ctx: CliContext = {
    out: (line) => (out.push(line), all.push(line)),
    err: (line) => (err.push(line), all.push(line)),
    isTTY: false,
    client: async () => {
      if (options.noClient) throw new Error('the command contacted Temporal');
      return options.client;
    },
    temporal: { address: testTemporalAddress(), namespace: testNamespace() },
    taskQueue: options.taskQueue,
    followIntervalMs: 100,
  };
  const program = new Command('cli').addCommand(scheduleCommand(ctx));
  const configure = (command: Command) => {
    command.exitOverride().configureOutput({
      writeOut: (text) => ctx.out(text.replace(/\n$/, '')),
      writeErr: (text) => ctx.err(text.replace(/\n$/, '')),
    });
    command.commands.forEach(configure);
  };
  configure(program);
  let code: number = EXIT.ok;
  try {
    await program.parseAsync(['node', 'cli', 'schedule', ...args]);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    else if (error instanceof CliError) {
      ctx.err(error.message);
      code = error.exitCode;
    } else throw error;
  }
  return { code, out, err, text: all.join('\n') };
}
