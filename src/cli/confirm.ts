// A restore replaces a database's data: it starts only after an explicit yes.
import type { BackupAndRestoreInput } from '../shared/workflow-types';
import { CliError, commandLine, EXIT, type CliContext } from './context';

/** Resolves when confirmed by --yes or by typing the database id on a terminal; throws otherwise. */
export async function confirmRestore(
  ctx: CliContext,
  input: BackupAndRestoreInput,
  yes: boolean | undefined,
  command: string,
): Promise<void> {
  if (yes) return;
  const what = input.backupId ? `backup ${input.backupId}` : 'the new backup';
  const warning = `This restores database ${input.databaseId} from ${what}, replacing all of its current data.`;
  if (ctx.isTTY && ctx.ask) {
    const answer = await ctx.ask(`${warning}\nType the database id (${input.databaseId}) to confirm: `);
    if (answer.trim() === input.databaseId) return;
    throw new CliError(`Not confirmed (the answer was not ${input.databaseId}); nothing was started.`, EXIT.usage);
  }
  const example = commandLine(
    ctx,
    [command, '--database-id', input.databaseId, ...(input.backupId ? ['--backup-id', input.backupId] : []), '--yes'].join(' '),
  );
  const alternative = input.backupId ? '' : ' To back up without restoring, use `backup`.';
  throw new CliError(
    `${warning} Nothing was started: add --yes to the same command (e.g. \`${example}\`), or run it on a terminal to be asked.${alternative}`,
    EXIT.usage,
  );
}
