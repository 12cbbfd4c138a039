// `cancel`: ask a run to stop. A run cancelled before its restore has started never restores.
import { Command } from 'commander';
import { commandLine, type CliContext } from '../context';
import { temporalErrorToCli } from '../temporal-errors';
import { queryStatus } from '../../runs/follow-run';
import { describeRun } from './inspect';

export function cancelCommand(ctx: CliContext): Command {
  return new Command('cancel')
    .description(
      'Cancel a run. Before its restore has started, it then never restores; a restore already sent to the API is finished, not undone.',
    )
    .argument('<workflow-id>', 'the run to cancel')
    .action(async (workflowId: string) => {
      const { handle, description } = await describeRun(ctx, workflowId);
      if (description.status.name !== 'RUNNING') {
        ctx.out(`${workflowId} already ended (${description.status.name}); nothing to cancel.`);
        return;
      }
      const phase = (await queryStatus(handle))?.phase;
      await handle.cancel().catch((err) => {
        throw temporalErrorToCli(err, ctx);
      });
      if (phase === 'restoring') {
        ctx.out(
          `${workflowId} has already sent its restore to the API, which cancelling does not undo: the run finishes the restore and then ends.`,
        );
      } else {
        const effect = phase ? 'it will not restore' : 'a run whose restore was not sent yet never restores';
        ctx.out(
          `Cancellation of ${workflowId} requested; ${effect}. \`${commandLine(ctx, `status ${workflowId}`)}\` shows when it has stopped.`,
        );
      }
    });
}
