// A restore replaces a database's data. As in Prisma's own CLI (`database restore TARGET --backup ID
// --confirm TARGET`), the consent is the exact id of that target database: a bare yes confirms
// nothing, and an id typed for another database stops the command.
import type { BackupAndRestoreInput } from '../shared/workflow-types';
import { CliError, EXIT, type CliContext } from './context';

/** --yes, refused wherever it is given: it says yes without saying to what. */
export const YES_REFUSED =
  '--yes no longer confirms a restore: give the exact id of the database whose data it replaces, --confirm <target database id>, ' +
  "as Prisma's own CLI asks (`database restore TARGET --confirm TARGET`). A restore into a new database (--new-database-in) needs no confirmation.";

/** The existing database a run would replace the data of; undefined when it replaces none (no restore, or a new database). */
export function replacedDatabase(input: Pick<BackupAndRestoreInput, 'databaseId' | 'restore' | 'targetDatabaseId' | 'newDatabase'>) {
  if (input.restore === false || input.newDatabase !== undefined) return undefined;
  return input.targetDatabaseId ?? input.databaseId;
}

/** Which backup a run restores, in words. */
export function backupInWords(input: BackupAndRestoreInput): string {
  const source = input.databaseId;
  const ofSource = replacedDatabase(input) === source ? '' : ` of database ${source}`;
  if (input.backupId !== undefined) return `backup ${input.backupId}${ofSource}`;
  if (input.profile !== 'prisma') return 'the new backup';
  if (input.waitForNewerBackup) return `the first backup of ${source} newer than the run's start`;
  return `the newest completed backup of ${source}`;
}

/** What is wrong with the consent given for replacing `target`'s data; undefined when it is exactly right. */
export function consentProblem(target: string, confirm: string | undefined): string | undefined {
  if (confirm === undefined) return `Confirm with --confirm ${target}, the exact id of the database whose data it replaces.`;
  if (confirm === target) return undefined;
  return `--confirm ${JSON.stringify(confirm.slice(0, 40))} is not the target database: this restore replaces the data of ${target}, so --confirm must be exactly ${target}.`;
}

/** --confirm where nothing existing is replaced: it would confirm nothing, so it is a mistake about what the command does. */
export function needlessConsent(what: string): string {
  return `--confirm names the existing database a restore replaces, and ${what} replaces none: leave --confirm out.`;
}

export interface Replacement {
  /** The database whose data is replaced. */
  target: string;
  /** What happens, e.g. "This restores database db_1 from backup bkp_1, replacing all of its current data." */
  warning: string;
  /** The same command with --confirm <target>, as the user can type it where they are. */
  example: string;
  /** What nothing was when it is not confirmed: started, approved. */
  nothing: string;
  /** A safer command to mention, if there is one. */
  alternative?: string;
}

/** Resolves when `confirm` is exactly the target, or a person types it on a terminal; throws a CliError otherwise. */
export async function confirmReplacement(ctx: CliContext, replacement: Replacement, confirm: string | undefined): Promise<void> {
  const { target, warning, nothing } = replacement;
  if (confirm !== undefined) {
    const problem = consentProblem(target, confirm);
    if (problem) throw new CliError(`${problem} Nothing was ${nothing}.`, EXIT.usage);
    return;
  }
  if (ctx.isTTY && ctx.ask) {
    const answer = await ctx.ask(`${warning}\nType the target database id (${target}) to confirm: `);
    if (answer.trim() === target) return;
    throw new CliError(`Not confirmed (the answer was not ${target}); nothing was ${nothing}.`, EXIT.usage);
  }
  const alternative = replacement.alternative ? ` ${replacement.alternative}` : '';
  throw new CliError(
    `${warning} Nothing was ${nothing}: add --confirm ${target} to the same command (e.g. \`${replacement.example}\`), or run it on a terminal to be asked.${alternative}`,
    EXIT.usage,
  );
}
