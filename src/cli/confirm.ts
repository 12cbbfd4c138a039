// Consent to replace a database's data is its exact id, as in Prisma's CLI (`--confirm TARGET`): a bare yes confirms nothing.
import type { Command } from 'commander';
import type { RunInput } from '../shared/input';
import { CliError, type CliContext } from './context';
import { collect } from './flags';

/** The existing database a run replaces the data of; undefined when none (no restore, or a new database). */
export const replacedDatabase = (input: Pick<RunInput, 'databaseId' | 'restore' | 'targetDatabaseId' | 'newDatabase' | 'drill'>) =>
  input.restore === false || input.newDatabase !== undefined ? undefined : (input.targetDatabaseId ?? input.databaseId);

export const YES_REFUSED = new CliError(
  'CONFIRM_BY_ID',
  '--yes confirms nothing: a restore is confirmed with the exact id of the database whose data it replaces.',
  'Give --confirm <target database id> instead.',
);

/** Adds --confirm <id>, the consent to replace the data of the database whose data `replaces`, and a refused --yes. */
export const withConsent = (command: Command, replaces: string) =>
  command
    .option('--confirm <id>', `consent: the exact id of the database whose data ${replaces}`, collect)
    .option('-y, --yes', 'refused: confirm with --confirm <id>');

/** Resolves when `given` holds exactly the `targets` (or a person types each on a terminal); else throws: nothing was `nothing`. */
export async function confirmTargets(ctx: CliContext, targets: string[], given: string[], nothing = 'started'): Promise<void> {
  const wanted = [...new Set(targets)].sort();
  const extra = given.filter((id) => !wanted.includes(id));
  if (wanted.length === 0 && extra.length === 0) return;
  if (extra.length > 0) {
    const what = wanted.length === 0 ? 'nothing existing is replaced' : `it replaces the data of ${wanted.join(', ')}`;
    throw new CliError(
      'NOT_CONFIRMED',
      `--confirm ${extra.join(', ')} does not name a database this replaces: ${what}; nothing was ${nothing}.`,
      wanted.length ? `Give --confirm ${wanted.join(' --confirm ')}.` : 'Leave --confirm out.',
    );
  }
  const missing = wanted.filter((id) => !given.includes(id));
  if (missing.length === 0) return;
  if (ctx.isTTY && ctx.ask) {
    for (const id of missing) {
      const answer = await ctx.ask(`This replaces all data of database ${id}. Type its id to confirm: `);
      if (answer.trim() !== id)
        throw new CliError(
          'NOT_CONFIRMED',
          `Not confirmed (the answer was not ${id}); nothing was ${nothing}.`,
          `Run it again and type ${id}, or give --confirm ${id}.`,
        );
    }
    return;
  }
  throw new CliError(
    'NOT_CONFIRMED',
    `This replaces all data of ${missing.join(', ')}, and nothing confirmed it; nothing was ${nothing}.`,
    `Add --confirm ${missing.join(' --confirm ')} to the same command, or run it on a terminal to be asked.`,
  );
}
