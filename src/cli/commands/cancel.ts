// `cancel`: ask a run to stop. A run cancelled before its restore has started never restores.
import { Command } from 'commander';
import type { CliContext } from '../context';
import { temporalErrorToCli } from '../temporal-errors';
import { describeRun } from './inspect';

export function cancelCommand(ctx: CliContext): Command {
  return new Command('cancel')
    .description('Cancel a run. Before its restore has started, it then never restores; a restore already sent to the API is not undone.')
    .argument('<workflow-id>', 'the run to cancel')
    .action(async (workflowId: string) => {
      const client = await ctx.client();
      const { handle, description } = await describeRun(ctx, client, workflowId);
      if (description.status.name !== 'RUNNING') {
        ctx.out(`${workflowId} already ended (${description.status.name}); nothing to cancel.`);
        return;
      }
      await handle.cancel().catch((err) => {
        throw temporalErrorToCli(err, ctx);
      });
      ctx.out(`Cancellation of ${workflowId} requested. \`status ${workflowId}\` shows when it has stopped.`);
    });
}
