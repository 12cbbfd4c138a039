// `approve`: lets a run started with --require-approval restore, naming the backup and confirming the exact target:
// approving is the moment the data is replaced, perhaps long after the start and by someone else.
import { Command } from 'commander';
import type { RunStatus } from '../../shared/types';
import { approveRestoreUpdate, statusQuery } from '../../workflows/messages';
import { confirmTargets, withConsent, YES_REFUSED } from '../confirm';
import { CliError, commandLine, EXIT, type CliContext } from '../context';
import { inCliTerms } from '../temporal-errors';
import { describeRun } from './inspect';

const ANSWER_WITHIN_MS = 30_000;

async function approve(ctx: CliContext, workflowId: string, options: { backupId: string; confirm?: string[]; yes?: boolean }) {
  if (options.yes) throw YES_REFUSED;
  const { handle, description } = await describeRun(ctx, workflowId);
  const execution = description.status.name;
  if (execution !== 'RUNNING')
    throw new CliError('NOT_WAITING', `${workflowId} already ended (${execution}).`, 'There is nothing to approve.', EXIT.failed);
  const answer = <T>(ask: () => Promise<T>) => inCliTerms(handle.client.withDeadline(Date.now() + ANSWER_WITHIN_MS, ask), ctx);
  const status = await answer(() => handle.query<RunStatus>(statusQuery));
  await confirmTargets(ctx, status.targetDatabaseId ? [status.targetDatabaseId] : [], options.confirm ?? [], 'approved');
  await answer(() => handle.executeUpdate(approveRestoreUpdate, { args: [{ backupId: options.backupId }] }));
  ctx.out(`Approved: ${workflowId} now restores backup ${options.backupId}. \`${commandLine(ctx, `watch ${workflowId}`)}\` follows it.`);
}

export function approveCommand(ctx: CliContext): Command {
  const command = new Command('approve')
    .description('Approve the restore of a run waiting for approval: name its backup, and confirm its target database.')
    .argument('<workflow-id>')
    .requiredOption('--backup-id <id>', 'the backup the run will restore (`status` shows it)');
  return withConsent(command, 'it replaces').action((workflowId: string, options: { backupId: string }) =>
    approve(ctx, workflowId, options),
  );
}
