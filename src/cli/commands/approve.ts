// `approve`: let a run that waits for approval restore the backup it names.
import { Command } from 'commander';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { approveRestoreUpdate } from '../../workflows/messages';
import { CliError, commandLine, EXIT, type CliContext } from '../context';
import { temporalErrorToCli } from '../temporal-errors';
import { describeRun } from './inspect';

const APPROVE_WAIT_MS = 30_000;

export function approveCommand(ctx: CliContext): Command {
  return new Command('approve')
    .description(
      'Approve the restore of a run started with --require-approval. Naming the backup makes sure you approve what will be restored.',
    )
    .argument('<workflow-id>', 'the run waiting for approval')
    .requiredOption('--backup-id <id>', 'the backup the run will restore (`status` shows it)')
    .action(async (workflowId: string, options: { backupId: string }) => {
      const { handle, description } = await describeRun(ctx, workflowId);
      if (description.status.name !== 'RUNNING') {
        throw new CliError(`${workflowId} already ended (${description.status.name}); there is nothing to approve.`, EXIT.runFailed);
      }
      // An update waits for a worker to run it; without one, say so rather than hang.
      await handle.client
        .withDeadline(Date.now() + APPROVE_WAIT_MS, () =>
          handle.executeUpdate(approveRestoreUpdate, { args: [{ backupId: options.backupId }] }),
        )
        .catch((err) => {
          if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
            throw new CliError(
              `No worker answered within ${APPROVE_WAIT_MS / 1000}s: is one running (\`npm run worker\`)? The approval may still be applied when a worker picks the run up; \`${commandLine(ctx, `status ${workflowId}`)}\` shows it.`,
              EXIT.runFailed,
            );
          }
          throw temporalErrorToCli(err, ctx);
        });
      ctx.out(`Approved: ${workflowId} now restores ${options.backupId}. \`${commandLine(ctx, `watch ${workflowId}`)}\` follows it.`);
    });
}
