// The CLI: one program, a command per task; `runCli` turns arguments into an exit code.
import { Command, CommanderError } from 'commander';
import { approveCommand } from './commands/approve';
import { cancelCommand } from './commands/cancel';
import { fleetCommand } from './commands/fleet';
import { statusCommand, watchCommand } from './commands/inspect';
import { listCommand } from './commands/list';
import { scheduleCommand } from './commands/schedule';
import { startCommand } from './commands/start';
import { CliError, commandLine, EXIT, type CliContext } from './context';
import { CLI_NAME, flagsTakenByNpm } from './invocation';

const EXAMPLES = [
  'restore --database-id db_123 --confirm db_123              # prisma: the newest completed backup into db_123',
  'restore --database-id db_123 --new-database-in proj_1      # into a new database, replacing nothing',
  'drill --database-id db_123 --project proj_1                # would the newest backup restore? (scratch, deleted)',
  'fleet drill --project proj_1                               # every database of the project, with a report',
  'run --database-id db_123 --confirm db_123                  # seed: back up, then restore',
  'schedule create --project proj_1 --drill --cron "0 4 * * *"',
  'status <workflow id>',
];

export function buildProgram(ctx: CliContext): Command {
  const program = new Command(ctx.invocation ?? CLI_NAME)
    .description('Back up, restore and drill Prisma Postgres databases with durable Temporal workflows.')
    .addHelpText(
      'after',
      `\nProfiles: PRISMA_API_PROFILE=prisma (default, Prisma's Management API) or seed, as the workers read it.\n` +
        'A restore that replaces an existing database needs --confirm <its exact id>.\n' +
        'Exit codes: 0 done; 1 failed (typed reason printed); 2 bad input, nothing started; 3 Temporal unreachable; 4 not found.\n\n' +
        `Examples:\n${EXAMPLES.map((e) => `  ${commandLine(ctx, e)}`).join('\n')}`,
    )
    .showHelpAfterError('(add --help for usage)');
  for (const kind of ['run', 'backup', 'restore', 'drill'] as const) program.addCommand(startCommand(ctx, kind));
  for (const make of [fleetCommand, statusCommand, watchCommand, cancelCommand, approveCommand, listCommand, scheduleCommand])
    program.addCommand(make(ctx));
  // Every command reports through ctx and never exits the process itself.
  const configure = (command: Command) => {
    command
      .exitOverride()
      .configureOutput({ writeOut: (t) => ctx.out(t.replace(/\n$/, '')), writeErr: (t) => ctx.err(t.replace(/\n$/, '')) });
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

const longFlags = (command: Command): string[] => [
  ...command.options.flatMap((o) => (o.long ? [o.long] : [])),
  ...command.commands.flatMap(longFlags),
];

/** `✖ [CODE] what happened` and `→ what to do`. */
export const renderError = (err: CliError) => `✖ [${err.code}] ${err.summary}\n→ ${err.fix}`;

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  ctx.exitCode = EXIT.ok;
  try {
    const taken = flagsTakenByNpm(ctx.npmScript, longFlags(program));
    if (ctx.npmScript && taken.length > 0)
      throw new CliError(
        'MISSING_DASH_DASH',
        `npm took ${taken.join(', ')} for itself, so the CLI never got them; nothing was done.`,
        `Put \`--\` after \`npm run ${ctx.npmScript.name}\`.`,
      );
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    // Commander printed its own message (and help) already.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof CliError) {
      ctx.err(renderError(err));
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    ctx.err(renderError(new CliError('UNEXPECTED', message, 'This is a bug: please report it with the command you ran.', EXIT.failed)));
    return EXIT.failed;
  }
}
