// `run`, `backup`, `restore` and `drill`: flags to the checked input, consent to a restore, then start the run and follow it.
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import { WORKFLOW_TYPE } from '../../shared/constants';
import { defaultWorkflowId, startRun } from '../../runs/start';
import { confirmTargets, replacedDatabase, withConsent, YES_REFUSED } from '../confirm';
import { CliError, commandLine, invalid, type CliContext } from '../context';
import { RUN_FLAGS, runInput, withFlags, type RunKind } from '../flags';
import { startAndFollow } from '../follow';

const DESCRIPTIONS: Record<RunKind, string> = {
  run: 'Seed: back up a database, wait until that backup is completed, then restore from it. Needs --confirm <database id>.',
  backup: 'Seed: back up a database and wait until the backup is completed.',
  restore:
    'Restore a database from an existing backup (prisma: the newest completed one by default), into itself, another database or a new one.',
  drill: 'Prisma: restore a backup into a scratch database, verify it, delete it (also on failure or cancel). Replaces no data.',
};

/** Refuses what a profile cannot do at all, before anything else. */
function refuseWhatProfileCannot(kind: RunKind, profile: string, options: Record<string, unknown>): void {
  if (profile === 'prisma' && (kind === 'run' || kind === 'backup'))
    throw new CliError(
      'PROFILE_CANNOT',
      `\`${kind}\` takes an on-demand backup, which Prisma's Management API cannot: its backups are automatic and daily.`,
      'Use `restore` (the newest completed backup, or --backup-id), or PRISMA_API_PROFILE=seed for an API with on-demand backups.',
    );
  if (profile === 'seed' && kind === 'drill') {
    const summary = 'A drill restores into a new scratch database, and the seed API cannot create one.';
    throw new CliError('PROFILE_CANNOT', summary, 'Use `run --verify`, or PRISMA_API_PROFILE=prisma.');
  }
  if (profile === 'seed' && kind === 'restore' && options.backupId === undefined)
    throw invalid(
      '`restore` needs --backup-id with the seed API: the completed backup to restore from.',
      'Give --backup-id (`status` of the run that made it shows it), or use `run` to take one.',
    );
}

/** The options every command that starts something has. */
export function withStartOptions(command: Command, consent: boolean): Command {
  return (consent ? withConsent(command, 'this replaces') : command)
    .option('--workflow-id <id>', 'workflow id (default: backup-, drill- or fleet-<action>- then the database or project and the UTC time)')
    .option('--detach', 'print the id and exit instead of following')
    .option('--json', 'print progress and the result as JSON lines');
}

export function checkedWorkflowId(id: string): string {
  // eslint-disable-next-line no-control-regex
  if (id.trim() === '' || id.length > 1000 || /[\u0000-\u001f\u007f]/.test(id))
    throw invalid(
      'Nothing was started: --workflow-id must be 1 to 1000 characters without control characters.',
      'Give another id, or leave it out.',
    );
  return id;
}

export function startCommand(ctx: CliContext, kind: RunKind): Command {
  const command = withStartOptions(
    withFlags(new Command(kind).description(DESCRIPTIONS[kind]), RUN_FLAGS[kind]),
    kind !== 'backup' && kind !== 'drill',
  );
  return command.action(async (options: Record<string, unknown>) => {
    if (options.yes) throw YES_REFUSED;
    const profile = ctx.apiProfile();
    refuseWhatProfileCannot(kind, profile, options);
    const input = runInput(kind, options, profile);
    const workflowId = checkedWorkflowId(
      (options.workflowId as string) ?? defaultWorkflowId(kind === 'drill' ? 'drill' : 'backup', input.databaseId),
    );
    const target = replacedDatabase(input);
    await confirmTargets(ctx, target ? [target] : [], (options.confirm as string[]) ?? []);
    const approve = input.approval
      ? `Approve the restore with \`${commandLine(ctx, `approve ${workflowId} --backup-id <id>${target ? ` --confirm ${target}` : ''}`)}\` once the backup is completed.`
      : undefined;
    const start = (client: Client) => startRun(client, input, workflowId, { taskQueue: ctx.taskQueue });
    const what = { subject: `database ${input.databaseId}`, databaseId: input.databaseId, hint: approve };
    ctx.exitCode = await startAndFollow(ctx, WORKFLOW_TYPE, start, options, what);
  });
}
