// `approve`: let a run that waits for approval restore the backup it names.
import { Command } from 'commander';
import { WorkflowUpdateRPCTimeoutOrCancelledError, type WorkflowHandle } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { BackupAndRestoreInput } from '../../shared/workflow-types';
import { approveRestoreUpdate } from '../../workflows/messages';
import { confirmReplacement, needlessConsent, replacedDatabase, YES_REFUSED } from '../confirm';
import { CliError, commandLine, EXIT, type CliContext } from '../context';
import { withConsentOptions } from '../run-options';
import { temporalErrorToCli } from '../temporal-errors';
import { describeRun } from './inspect';

const APPROVE_WAIT_MS = 30_000;

/**
 * The input of the run's current execution (a continuation carries it too), from its first history
 * event only: approving needs to know which database the run replaces.
 */
async function runInput(handle: WorkflowHandle, runId: string): Promise<Partial<BackupAndRestoreInput>> {
  const { client } = handle;
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: handle.workflowId, runId },
    maximumPageSize: 1,
  });
  const payloads = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  const input = await decodeFromPayloadsAtIndex<unknown>(client.options.loadedDataConverter, 0, payloads);
  return typeof input === 'object' && input !== null ? (input as Partial<BackupAndRestoreInput>) : {};
}

export function approveCommand(ctx: CliContext): Command {
  // Approving is the moment a waiting run replaces the data, perhaps long after it was started and
  // by someone else: so it takes the target database's exact id, as starting the run did.
  const command = new Command('approve')
    .description(
      'Approve the restore of a run started with --require-approval (or by a schedule with --with-restore). Naming the backup makes sure ' +
        'you approve what will be restored; --confirm <target database id> that you know which database it replaces.',
    )
    .argument('<workflow-id>', 'the run waiting for approval')
    .requiredOption('--backup-id <id>', 'the backup the run will restore (`status` shows it)');
  return withConsentOptions(command, 'consent to the restore this approves: the exact id of the database whose data it replaces').action(
    async (workflowId: string, options: { backupId: string; confirm?: string; yes?: boolean }) => {
      if (options.yes) {
        throw new CliError(`Nothing was approved: ${YES_REFUSED}`, EXIT.usage);
      }
      const { handle, description } = await describeRun(ctx, workflowId);
      if (description.status.name !== 'RUNNING') {
        throw new CliError(`${workflowId} already ended (${description.status.name}); there is nothing to approve.`, EXIT.runFailed);
      }
      const input = await runInput(handle, description.runId).catch((err) => {
        throw temporalErrorToCli(err, ctx);
      });
      if (typeof input.databaseId !== 'string') {
        throw new CliError(`${workflowId} does not say which database it restores; nothing was approved.`, EXIT.runFailed);
      }
      const target = replacedDatabase({ ...input, databaseId: input.databaseId });
      if (target === undefined && options.confirm !== undefined) {
        throw new CliError(`Nothing was approved: ${needlessConsent(`${workflowId}, restoring into a new database,`)}`, EXIT.usage);
      }
      if (target !== undefined) {
        await confirmReplacement(
          ctx,
          {
            target,
            warning: `Approving lets ${workflowId} restore database ${target} from backup ${options.backupId}, replacing all of its current data.`,
            example: commandLine(ctx, `approve ${workflowId} --backup-id ${options.backupId} --confirm ${target}`),
            nothing: 'approved',
          },
          options.confirm,
        );
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
    },
  );
}
