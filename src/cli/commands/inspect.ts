// `status` and `watch`: where a run or a fleet is, once or until it ends.
import { Command } from 'commander';
import { DATABASE_ID_KEY, FLEET_WORKFLOW_TYPE, PHASE_KEY, WORKFLOW_TYPE } from '../../shared/constants';
import { CliError, EXIT, invalid, type CliContext } from '../context';
import { follow, outcomeOf, printEnd, progressOf, progressText } from '../follow';
import { inCliTerms } from '../temporal-errors';

/** The handle and description of one of our runs or fleets. */
export async function describeRun(ctx: CliContext, workflowId: string) {
  if (workflowId.trim() === '') throw invalid('The workflow id is empty.', 'Give the id `list` or the start of the run printed.');
  const client = await ctx.client();
  const handle = client.workflow.getHandle(workflowId);
  const description = await inCliTerms(handle.describe(), ctx);
  if (description.type !== WORKFLOW_TYPE && description.type !== FLEET_WORKFLOW_TYPE)
    throw new CliError(
      'NOT_OURS',
      `${workflowId} is a ${description.type} workflow, not a backup run.`,
      'Give the id `list` shows.',
      EXIT.notFound,
    );
  return { handle, description };
}

export function statusCommand(ctx: CliContext): Command {
  return new Command('status')
    .description('Show where a run or fleet is; once it ended, its result or typed failure.')
    .argument('<workflow-id>')
    .option('--json', 'print one JSON object')
    .action(async (workflowId: string, options: { json?: boolean }) => {
      const { handle, description } = await describeRun(ctx, workflowId);
      const execution = description.status.name;
      if (!options.json) ctx.out(`${workflowId}: ${execution}`);
      if (execution !== 'RUNNING') {
        ctx.exitCode = printEnd(ctx, description.type, await outcomeOf(handle, description.type), options.json ?? false);
        return;
      }
      const progress = await progressOf(handle, description.type);
      const recorded = description.typedSearchAttributes.get(PHASE_KEY);
      if (options.json) ctx.out(JSON.stringify({ workflowId, execution, ...(progress ?? { recordedPhase: recorded }) }));
      else
        ctx.out(
          `  ${progress ? progressText(progress, Date.now()) : `${recorded ?? 'unknown phase'} (as last recorded: no worker answered)`}`,
        );
    });
}

export function watchCommand(ctx: CliContext): Command {
  return new Command('watch')
    .description('Follow a run or fleet until it ends; the exit code is its outcome.')
    .argument('<workflow-id>')
    .option('--json', 'print JSON lines: each change, then the result or failure')
    .action(async (workflowId: string, options: { json?: boolean }) => {
      const { handle, description } = await describeRun(ctx, workflowId);
      ctx.exitCode = await follow(ctx, handle, description.type, options.json, {
        runId: description.runId,
        databaseId: description.typedSearchAttributes.get(DATABASE_ID_KEY),
      });
    });
}
