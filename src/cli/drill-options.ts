// The flags that describe a restore drill, for `drill` and `schedule create --drill`, and the
// workflow input they make. Turning flags into input is pure and unit-tested.
import type { Command } from 'commander';
import { DATABASE_REGIONS, type ApiProfile, type DatabaseRegion } from '../shared/api-types';
import { parseDuration } from '../shared/durations';
import type { BackupAndRestoreInput } from '../shared/workflow-types';
import { inFlagTerms, PROFILE_IN_WORDS } from './run-options';

export interface DrillFlags {
  project?: string;
  backupId?: string;
  sql?: string;
  region?: string;
  newerBackup?: boolean;
  readyTimeout?: string;
}

/** Why the seed profile cannot drill: said wherever a drill is asked for. */
export const SEED_CANNOT_DRILL =
  `A drill restores into a new scratch database, so that it never touches the source, and ${PROFILE_IN_WORDS.seed} cannot create a database: ` +
  `it restores a backup only into its own database. Drill with ${PROFILE_IN_WORDS.prisma}; to check a seed restore, use \`run --verify\`.`;

/** What the profile or the flags make impossible, each said with why; empty when a drill can be made. */
export function drillProblems(flags: DrillFlags, profile: ApiProfile): string[] {
  if (profile === 'seed') return [SEED_CANNOT_DRILL];
  return flags.backupId !== undefined && flags.newerBackup
    ? ["Give either --backup-id (drill that backup) or --newer-backup (wait for one newer than the drill's start), not both."]
    : [];
}

export type DrillFields = Pick<
  BackupAndRestoreInput,
  'backupId' | 'waitForNewerBackup' | 'newDatabase' | 'drill' | 'verify' | 'readyDeadlineMs'
>;

/** The drill's input fields; throws an Error naming the flag when a duration cannot be read. */
export function drillFields(flags: DrillFlags): DrillFields {
  return {
    ...(flags.backupId !== undefined ? { backupId: flags.backupId } : {}),
    ...(flags.newerBackup ? { waitForNewerBackup: true } : {}),
    newDatabase: {
      projectId: flags.project ?? '',
      // Checked with the rest of the input, which names the regions there are.
      ...(flags.region !== undefined ? { region: flags.region as DatabaseRegion } : {}),
    },
    drill: true,
    verify: flags.sql !== undefined ? { sql: flags.sql } : {},
    ...(flags.readyTimeout !== undefined ? { readyDeadlineMs: parseDuration('--ready-timeout', flags.readyTimeout) } : {}),
  };
}

/** Input fields as a drill's flags name them (its project is --project, not --new-database-in). */
export function inDrillFlagTerms(message: string): string {
  return inFlagTerms(message.replace(/\bnewDatabase\.projectId\b|\bnewDatabase\b/g, '--project'));
}

const PROJECT_HELP = 'project to create the scratch database in (required)';
const SQL_HELP = 'check the scratch database with this query: it passes when it returns rows whose every column is true (READ ONLY)';

/** The flags only a drill has: where its scratch database goes and the check of your own. */
export function withDrillOnlyOptions(command: Command): Command {
  return command.option('--project <project id>', PROJECT_HELP).option('--sql <query>', SQL_HELP);
}

/** Every flag that describes a drill, for `drill` (schedules share --region, --newer-backup and --ready-timeout with restores). */
export function withDrillOptions(command: Command): Command {
  return withDrillOnlyOptions(command)
    .option('--region <region>', `the scratch database's region, ${DATABASE_REGIONS.join(', ')} (default the project's)`)
    .option('--newer-backup', "wait (under --deadline) for a backup newer than the drill's start, and drill that one")
    .option('--ready-timeout <duration>', 'how long the scratch database may take to be ready (default 1h)');
}
