// `approve`: lets a run started with --require-approval restore. It names the backup (what is
// restored) and, as starting it did, confirms the exact target (where): approving is the moment
// the data is replaced, perhaps long after the start and by someone else.
import { Command } from 'commander';
import type { RunStatus } from '../../shared/types';
import { approveRestoreUpdate, statusQuery } from '../../workflows/messages';
import { confirmTargets, YES_REFUSED } from '../confirm';
import { CliError, commandLine, EXIT, type CliContext } from '../context';
import { temporalErrorToCli } from '../temporal-errors';
import { describeRun } from './inspect';

const ANSWER_WITHIN_MS = 30_000;

export function approveCommand(ctx: CliContext): Command {
  return new Command('approve')
    .description('Approve the restore of a run waiting for approval: name its backup, and confirm its target database.')
    .argument('<workflow-id>')
    .requiredOption('--backup-id <id>', 'the backup the run will restore (`status` shows it)')
    .option('--confirm <id>', 'consent: the exact id of the database whose data it replaces', (v: string, list: string[] = []) => [
      ...list,
      v,
    ])
    .option('-y, --yes', 'refused: confirm with --confirm <id>')
    .action(async (workflowId: string, options: { backupId: string; confirm?: string[]; yes?: boolean }) => {
      if (options.yes) throw YES_REFUSED;
      const { handle, description } = await describeRun(ctx, workflowId);
      if (description.status.name !== 'RUNNING')
        throw new CliError(
          'NOT_WAITING',
          `${workflowId} already ended (${description.status.name}).`,
          'There is nothing to approve.',
          EXIT.failed,
        );
      const query = () => handle.client.withDeadline(Date.now() + ANSWER_WITHIN_MS, () => handle.query<RunStatus>(statusQuery));
      const status = await query().catch((err) => Promise.reject(temporalErrorToCli(err, ctx)));
      await confirmTargets(ctx, status.targetDatabaseId ? [status.targetDatabaseId] : [], options.confirm ?? [], 'approved');
      await handle.client
        .withDeadline(Date.now() + ANSWER_WITHIN_MS, () =>
          handle.executeUpdate(approveRestoreUpdate, { args: [{ backupId: options.backupId }] }),
        )
        .catch((err) => Promise.reject(temporalErrorToCli(err, ctx)));
      ctx.out(
        `Approved: ${workflowId} now restores backup ${options.backupId}. \`${commandLine(ctx, `watch ${workflowId}`)}\` follows it.`,
      );
    });
}
