// `drill`: would last night's backup restore today? Restores a backup into a new scratch database,
// waits until it is ready, verifies it, deletes it (also when the drill fails or is cancelled) and
// reports; the exit code is the drill's outcome. It replaces no data, so it needs no consent.
import { Command } from 'commander';
import type { BackupAndRestoreInput } from '../../shared/workflow-types';
import type { CliContext } from '../context';
import { drillFields, drillProblems, inDrillFlagTerms, withDrillOptions, type DrillFlags } from '../drill-options';
import { pollFromOptions, withFollowOptions, withPollOptions } from '../run-options';
import { checkedRun, startAndFollow } from './start';

interface DrillOptions extends DrillFlags {
  databaseId?: string;
  pollInitial?: string;
  pollMax?: string;
  deadline?: string;
  pollFailingLimit?: string;
  workflowId?: string;
  detach?: boolean;
  json?: boolean;
}

export function drillCommand(ctx: CliContext): Command {
  const command = new Command('drill')
    .description(
      'Restore drill (prisma profile): restore the newest completed backup of a database (or --backup-id) into a new scratch database, ' +
        'wait until it is ready, verify it (every table read in full, or your --sql check), and delete it, also when the drill fails or ' +
        'is cancelled. It never touches the source database and needs no --confirm. Exit 0 when the drill passed, 1 when it failed.',
    )
    .option('--database-id <id>', 'source database: the one whose backup is drilled (required)')
    .option('--backup-id <id>', 'drill this backup (default: the newest completed one)');
  withDrillOptions(command);
  return withFollowOptions(withPollOptions(command), 'drill').action(async (options: DrillOptions) => {
    const profile = ctx.apiProfile();
    const build = (): BackupAndRestoreInput => {
      const refused = drillProblems(options, profile);
      if (refused.length > 0) throw new Error(refused.join(' '));
      const poll = pollFromOptions(options);
      return {
        profile,
        databaseId: options.databaseId ?? '',
        ...drillFields(options),
        ...(Object.keys(poll).length > 0 ? { poll } : {}),
      };
    };
    ctx.exitCode = await startAndFollow(ctx, checkedRun(build, inDrillFlagTerms, options.workflowId, 'drill'), options);
  });
}
