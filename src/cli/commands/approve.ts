// `approve`: let a run that waits for approval restore the backup it names.
import { Command } from 'commander';
import { approveRestoreUpdate } from '../../workflows/messages';
import { CliError, EXIT, type CliContext } from '../context';
import { temporalErrorToCli } from '../temporal-errors';
import { describeRun } from './inspect';

export function approveCommand(ctx: CliContext): Command {
  return new Command('approve')
    .description('Approve the restore of a run started with --require-approval. Naming the backup makes sure you approve what will be restored.')
    .argument('<workflow-id>', 'the run waiting for approval')
    .requiredOption('--backup-id <id>', 'the backup the run will restore (`status` shows it)')
    .action(async (workflowId: string, options: { backupId: string }) => {
      const client = await ctx.client();
      const { handle, description } = await describeRun(ctx, client, workflowId);
      if (description.status.name !== 'RUNNING') {
        throw new CliError(`${workflowId} already ended (${description.status.name}); there is nothing to approve.`, EXIT.runFailed);
      }
      await handle.executeUpdate(approveRestoreUpdate, { args: [{ backupId: options.backupId }] }).catch((err) => {
        throw temporalErrorToCli(err, ctx);
      });
      ctx.out(`Approved: ${workflowId} now restores ${options.backupId}. \`watch ${workflowId}\` follows it.`);
    });
}
