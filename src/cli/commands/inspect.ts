// `status` and `watch`: where a run is now, once or until it ends.
import { Command } from 'commander';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { FailureReason } from '../../shared/failure-reason';
import { queryStatus } from '../../runs/follow-run';
import { progressLine } from '../../runs/progress';
import { WORKFLOW_TYPE } from '../../shared/constants';
import { BACKUP_ID_KEY, DATABASE_ID_KEY, PHASE_KEY } from '../../shared/search-attributes';
import type { BackupAndRestoreResult, WorkflowStatus } from '../../shared/workflow-types';
import type { backupAndRestoreDatabase } from '../../workflows/backup-and-restore';
import { CliError, EXIT, type CliContext } from '../context';
import { followToEnd, printEnd, runFailure } from '../follow';
import { workflowIdProblem } from '../run-options';
import { temporalErrorToCli } from '../temporal-errors';

/** The run's handle, once it is known to exist and to be one of ours. */
export async function describeRun(ctx: CliContext, workflowId: string) {
  const problem = workflowIdProblem('The workflow id', workflowId);
  if (problem) throw new CliError(problem, EXIT.usage);
  const client = await ctx.client();
  const handle = client.workflow.getHandle<typeof backupAndRestoreDatabase>(workflowId);
  const description = await handle.describe().catch((err) => {
    throw temporalErrorToCli(err, ctx);
  });
  if (description.type !== WORKFLOW_TYPE) {
    throw new CliError(`${workflowId} is a ${description.type} workflow, not a backup run.`, EXIT.notFound);
  }
  return { handle, description };
}

/** The last phase the run recorded, when no worker answers the query. */
function recordedStatus(description: WorkflowExecutionDescription): Partial<WorkflowStatus> {
  const attributes = description.typedSearchAttributes;
  return {
    phase: attributes.get(PHASE_KEY) as WorkflowStatus['phase'] | undefined,
    databaseId: attributes.get(DATABASE_ID_KEY),
    backupId: attributes.get(BACKUP_ID_KEY),
  };
}

/** What `status` prints: the live status, or the last recorded phase when no worker answers, or how the run ended. */
interface StatusReport {
  workflowId: string;
  execution: string;
  startTime: string;
  status?: WorkflowStatus;
  recorded?: Partial<WorkflowStatus>;
  result?: BackupAndRestoreResult;
  failure?: FailureReason;
}

export function statusCommand(ctx: CliContext): Command {
  return new Command('status')
    .description('Show where a run is: its phase, backup, polls and, once it ended, its result or typed failure.')
    .argument('<workflow-id>', 'the run, as `run`/`list` printed it')
    .option('--json', 'print one JSON object')
    .action(async (workflowId: string, options: { json?: boolean }) => {
      const { handle, description } = await describeRun(ctx, workflowId);
      const report: StatusReport = { workflowId, execution: description.status.name, startTime: description.startTime.toISOString() };
      if (report.execution === 'RUNNING') {
        const live = await queryStatus(handle);
        if (live) report.status = live;
        else report.recorded = recordedStatus(description);
      } else {
        await handle.result().then(
          (result) => (report.result = result),
          (error) => (report.failure = runFailure(error)),
        );
        ctx.exitCode = report.failure ? EXIT.runFailed : EXIT.ok;
      }
      if (options.json) return ctx.out(JSON.stringify(report));
      ctx.out(`${workflowId}: ${report.execution} (started ${report.startTime})`);
      if (report.status) ctx.out(`  ${progressLine(report.status, Date.now(), description.startTime.getTime())}`);
      if (report.recorded) ctx.out(`  ${report.recorded.phase ?? 'unknown phase'} (as last recorded; no worker answered)`);
      printEnd(ctx, report);
    });
}

export function watchCommand(ctx: CliContext): Command {
  return new Command('watch')
    .description('Follow a run until it ends: a live progress line on a terminal, a line per change otherwise.')
    .argument('<workflow-id>', 'the run, as `run`/`list` printed it')
    .option('--json', 'print JSON lines: each status change, then the result or failure')
    .action(async (workflowId: string, options: { json?: boolean }) => {
      const { handle, description } = await describeRun(ctx, workflowId);
      ctx.exitCode = await followToEnd(ctx, handle, {
        json: options.json,
        startedAt: description.startTime.getTime(),
        runId: description.runId,
      });
    });
}
