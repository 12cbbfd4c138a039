// The CLI: one program, a command per task; `runCli` turns arguments into an exit code.
import { Command, CommanderError } from 'commander';
import { approveCommand } from './commands/approve';
import { cancelCommand } from './commands/cancel';
import { drillCommand } from './commands/drill';
import { statusCommand, watchCommand } from './commands/inspect';
import { listCommand } from './commands/list';
import { scheduleCommand } from './commands/schedule';
import { startCommand } from './commands/start';
import { CliError, commandLine, EXIT, type CliContext } from './context';
import { CLI_NAME } from './invocation';
import { flagsTakenByNpm, missingDashDashMessage } from './invocation';

const EXAMPLES = [
  'restore --database-id db_123 --new-database-in proj_1   # prisma: the newest backup into a new database',
  'restore --database-id db_123 --confirm db_123           # prisma: the newest backup into db_123 itself',
  'restore --database-id db_123 --require-approval --confirm db_123 --detach',
  'approve backup-db_123-20261127T030000Z --backup-id bkp_1 --confirm db_123',
  'run --database-id db_123 --confirm db_123               # seed: back up, then restore',
  'drill --database-id db_123 --project proj_1              # prisma: would the newest backup restore? (scratch, deleted)',
  'list --database-id db_123',
  'schedule create --database-id db_123 --cron "0 3 * * *" --time-zone Europe/Berlin --with-restore --new-database-in proj_1',
  'schedule check',
];

const afterHelp = (ctx: CliContext) => `
Runs and schedules speak the API of PRISMA_API_PROFILE, as the workers read it: prisma (the default,
Prisma's Management API: automatic daily backups, restores into any database or a new one) or seed
(on-demand backups, restored into their own database). What the profile cannot do is refused.

A restore that replaces an existing database's data needs --confirm <target database id>, the
exact id, as Prisma's CLI asks; --yes confirms nothing.

Exit codes: 0 done; 1 the run or operation failed (its typed reason is printed), or \`schedule
check\` found a schedule unhealthy; 2 bad input or no confirmation (nothing was started);
3 Temporal unreachable; 4 no such run or schedule.

Examples:
${EXAMPLES.map((example) => `  ${commandLine(ctx, example)}`).join('\n')}`;

export function buildProgram(ctx: CliContext): Command {
  // Named as the user runs it, so usage lines show a command that works where they are.
  const program = new Command(ctx.invocation ?? CLI_NAME)
    .description('Back up and restore Prisma Postgres databases with durable Temporal workflows.')
    .addHelpText('after', afterHelp(ctx))
    .showHelpAfterError('(add --help for usage)');
  program.addCommand(startCommand(ctx, 'run'));
  program.addCommand(startCommand(ctx, 'backup'));
  program.addCommand(startCommand(ctx, 'restore'));
  for (const make of [drillCommand, statusCommand, watchCommand, cancelCommand, approveCommand, listCommand, scheduleCommand]) {
    program.addCommand(make(ctx));
  }
  // Every command reports through ctx and never exits the process itself.
  const configure = (command: Command) => {
    command.exitOverride().configureOutput({
      writeOut: (text) => ctx.out(text.replace(/\n$/, '')),
      writeErr: (text) => ctx.err(text.replace(/\n$/, '')),
    });
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** Every long flag of the command and its subcommands. */
function longFlags(command: Command): string[] {
  return [...command.options.flatMap((option) => (option.long ? [option.long] : [])), ...command.commands.flatMap(longFlags)];
}

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  ctx.exitCode = EXIT.ok;
  try {
    const taken = flagsTakenByNpm(ctx.npmScript, longFlags(program));
    if (ctx.npmScript && taken.length > 0) throw new CliError(missingDashDashMessage(ctx.npmScript, taken), EXIT.usage);
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander printed the message (and the help) already.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      ctx.err(err.message);
      return err.exitCode;
    }
    ctx.err(`Unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.runFailed;
  }
}
