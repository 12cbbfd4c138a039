// `cancel`: ask a run to stop. Before its restore was sent it never restores; a sent one is finished.
import { Command } from 'commander';
import type { RunStatus } from '../../shared/types';
import { statusQuery } from '../../workflows/messages';
import { commandLine, type CliContext } from '../context';
import { inCliTerms } from '../temporal-errors';
import { describeRun } from './inspect';

export function cancelCommand(ctx: CliContext): Command {
  return new Command('cancel')
    .description('Cancel a run or fleet. A restore not yet sent is never sent; one already sent is finished, not undone.')
    .argument('<workflow-id>')
    .action(async (workflowId: string) => {
      const { handle, description } = await describeRun(ctx, workflowId);
      if (description.status.name !== 'RUNNING')
        return ctx.out(`${workflowId} already ended (${description.status.name}); nothing to cancel.`);
      const status = await handle.query<RunStatus>(statusQuery).catch(() => undefined);
      await inCliTerms(handle.cancel(), ctx);
      const sent = status?.restoreStep !== undefined && status.restoreStep !== 'check';
      if (!status?.drill && (sent || status?.phase === 'creating-database' || status?.phase === 'waiting-for-database')) {
        ctx.out(`${workflowId} has sent its restore, which cancelling does not undo: it finishes the restore, then ends.`);
      } else {
        ctx.out(
          `Cancellation of ${workflowId} requested; a restore not yet sent is never sent. \`${commandLine(ctx, `status ${workflowId}`)}\` shows when it stopped.`,
        );
      }
    });
}
