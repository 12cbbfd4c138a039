// The options of the commands that start a run (run, backup, restore), and the workflow input they
// make. Turning options into input is pure and unit-tested.
import { Command, Option } from 'commander';
import { DATABASE_REGIONS, type ApiProfile, type DatabaseRegion } from '../shared/api-types';
import { parseDuration } from '../shared/durations';
import type { BackupAndRestoreInput, PollMode, PollPolicy } from '../shared/workflow-types';

export type RunKind = 'run' | 'backup' | 'restore';

/** Where a restore goes and which backup it waits for: the flags `restore` and `schedule create` share. */
export interface RestoreTargetFlags {
  databaseId?: string;
  label?: string;
  backupId?: string;
  targetDatabase?: string;
  newDatabaseIn?: string;
  newDatabaseName?: string;
  region?: string;
  newerBackup?: boolean;
  readyTimeout?: string;
}

export interface RunOptions extends RestoreTargetFlags {
  verify?: boolean;
  /** The verification's SQL check; implies verify. */
  sql?: string;
  requireApproval?: boolean;
  approvalTimeout?: string;
  pollInitial?: string;
  pollMax?: string;
  deadline?: string;
  pollFailingLimit?: string;
  pollMode?: string;
  workflowId?: string;
  confirm?: string;
  /** Refused: a restore is confirmed with --confirm <target database id>. */
  yes?: boolean;
  detach?: boolean;
  json?: boolean;
}

/** The poll settings' flags, with the option key commander gives each and the field it sets. */
export const POLL_FLAGS = [
  ['pollInitial', '--poll-initial', 'initialIntervalMs'],
  ['pollMax', '--poll-max', 'maximumIntervalMs'],
  ['deadline', '--deadline', 'deadlineMs'],
  ['pollFailingLimit', '--poll-failing-limit', 'failingLimitMs'],
] as const satisfies readonly (readonly [keyof RunOptions & string, string, keyof PollPolicy])[];

/** The poll settings' options, for runs and schedules alike. */
export function withPollOptions(command: Command): Command {
  return command
    .option('--poll-initial <duration>', 'first wait between polls of the backup (default 5s)')
    .option('--poll-max <duration>', 'longest wait between polls (default 2m)')
    .option('--deadline <duration>', 'give up, never restoring, when the backup is not completed after this long (default 6h)')
    .option('--poll-failing-limit <duration>', 'give up, never restoring, when polls have failed in a row this long (default 1h)')
    .option('--poll-mode <mode>', 'predictive (default): poll around the end earlier backups predict; backoff: always the backoff');
}

/**
 * Where a restore goes, for `restore` and `schedule create`. A schedule gets no --new-database-name:
 * each of its runs needs a database of its own, named after the run.
 */
export function withRestoreTargetOptions(command: Command, { newDatabaseName = true } = {}): Command {
  command
    .option('--target-database <id>', 'existing database to restore into, replacing its data (default --database-id; seed: only that one)')
    .option('--new-database-in <project id>', 'prisma: restore into a new database created in this project instead, replacing nothing')
    .option(
      '--region <region>',
      `with --new-database-in: the new database's region, ${DATABASE_REGIONS.join(', ')} (default the project's)`,
    );
  if (newDatabaseName) command.option('--new-database-name <name>', 'with --new-database-in: its name (default from the workflow id)');
  return command
    .option('--newer-backup', "prisma: wait (under --deadline) for a backup newer than the run's start, and restore that one")
    .option('--ready-timeout <duration>', 'prisma: how long the restored database may take to be ready (default 1h)');
}

/** The consent of a destructive command, as Prisma's CLI asks for it: the exact target database id. */
export function withConsentOptions(
  command: Command,
  description = 'consent to the restore: the exact id of the database whose data it replaces',
): Command {
  return (
    command
      .option('--confirm <target database id>', description)
      // Kept only to say what replaced it: a bare yes confirms nothing.
      .addOption(new Option('-y, --yes').hideHelp())
  );
}

/** Adds the options of one kind of run to its command. */
export function withRunOptions(command: Command, kind: RunKind, defaults: { databaseId?: string } = {}): Command {
  // Required options are checked by the input validation, after commander has reported unknown
  // flags: a misspelt --database-id is then named as such, not as a missing one.
  const database = kind === 'restore' ? 'source database: the one whose backup is restored (required)' : 'database to back up (required)';
  command.option('--database-id <id>', database, defaults.databaseId);
  if (kind !== 'restore') command.option('--label <text>', 'seed: label for the new backup');
  if (kind === 'run') {
    command.option('--target-database <id>', "database to restore into (the seed API allows only the backup's own database)");
  }
  if (kind === 'restore') {
    command.option('--backup-id <id>', 'backup to restore (seed: required; prisma: default the newest completed one)');
    withRestoreTargetOptions(command);
  }
  if (kind !== 'backup') {
    command
      .option('--verify', "check the restored database: its tables' row counts and checksums against the backup's (see the README)")
      .option(
        '--verify-sql <query>',
        'check it with this query instead: it passes when it returns rows whose every column is true (READ ONLY)',
      )
      .option('--require-approval', 'wait for `approve` before restoring (default timeout 24h)')
      .option('--approval-timeout <duration>', 'how long to wait for approval; implies --require-approval');
    withConsentOptions(command);
  }
  return withFollowOptions(withPollOptions(command), 'backup');
}

/** How a run is named and followed, for runs and drills alike. */
export function withFollowOptions(command: Command, idPrefix: 'backup' | 'drill'): Command {
  return command
    .option('--workflow-id <id>', `workflow id (default: ${idPrefix}-<database>-<UTC time>)`)
    .option('--detach', 'print the run id and exit instead of following the run')
    .option('--json', 'print progress and the result as JSON lines, for scripts');
}

/** How the messages name each profile and where it is set. */
export const PROFILE_IN_WORDS: Record<ApiProfile, string> = {
  prisma: "Prisma's Management API (PRISMA_API_PROFILE=prisma, the default)",
  seed: 'the seed API (PRISMA_API_PROFILE=seed)',
};

const AUTOMATIC_BACKUPS = "Prisma's backups are automatic and daily, and its Management API takes no on-demand backup";
const RESTORE_INSTEAD =
  'restore from the newest completed one with `restore`, from a named one with --backup-id, or wait for a newer one with --newer-backup';

/** What the commands that take an on-demand backup cannot do with the prisma profile; undefined elsewhere. */
export function onDemandBackupProblem(kind: RunKind, profile: ApiProfile): string | undefined {
  if (profile !== 'prisma') return undefined;
  if (kind === 'backup') {
    return `\`backup\` takes an on-demand backup, which ${PROFILE_IN_WORDS.prisma} cannot: ${AUTOMATIC_BACKUPS}. To restore, ${RESTORE_INSTEAD}.`;
  }
  if (kind === 'run') {
    // A run restores what it has just backed up; the newest daily backup may be a day older, so
    // `run` does not quietly become `restore`: the user chooses that loss of data knowingly.
    return (
      `\`run\` backs up, then restores from that new backup, which ${PROFILE_IN_WORDS.prisma} cannot: ${AUTOMATIC_BACKUPS}. ` +
      'Use `restore`: it restores the newest completed backup (losing what was written since), a named one with --backup-id, ' +
      'or waits for a newer one with --newer-backup.'
    );
  }
  return undefined;
}

/**
 * What the restore flags ask that the profile cannot do, or that contradicts itself; each problem
 * says why and what to do. Shared by runs and schedules.
 */
export function restoreFlagProblems(flags: RestoreTargetFlags, profile: ApiProfile): string[] {
  const problems: string[] = [];
  const newDatabase = flags.newDatabaseIn !== undefined;
  if (!newDatabase) {
    for (const [flag, given] of [
      ['--new-database-name', flags.newDatabaseName],
      ['--region', flags.region],
    ] as const) {
      if (given !== undefined)
        problems.push(
          `${flag} describes the new database of --new-database-in; give --new-database-in <project id> too, or leave ${flag} out.`,
        );
    }
  }
  if (profile === 'prisma') {
    if (flags.label !== undefined) {
      problems.push(
        `--label labels an on-demand backup, which ${PROFILE_IN_WORDS.prisma} cannot take: ${AUTOMATIC_BACKUPS}. Leave --label out and ${RESTORE_INSTEAD}.`,
      );
    }
    if (newDatabase && flags.targetDatabase !== undefined) {
      problems.push(
        'Give either --target-database (restore into that existing database, replacing its data) or --new-database-in (into a new database, replacing nothing), not both.',
      );
    }
    if (flags.newerBackup && flags.backupId !== undefined) {
      problems.push("Give either --backup-id (restore that backup) or --newer-backup (wait for one newer than the run's start), not both.");
    }
    return problems;
  }
  const seedCannot = 'the seed API restores a backup only into its own database and cannot create databases';
  const useRun = '`run` takes a new backup and restores from it';
  if (flags.targetDatabase !== undefined && flags.databaseId !== undefined && flags.targetDatabase !== flags.databaseId) {
    problems.push(
      `--target-database ${JSON.stringify(flags.targetDatabase.slice(0, 40))} differs from --database-id ${JSON.stringify(flags.databaseId.slice(0, 40))}: ` +
        `${seedCannot}. Leave --target-database out, or restore across databases with ${PROFILE_IN_WORDS.prisma}.`,
    );
  }
  if (newDatabase) {
    problems.push(`--new-database-in restores into a new database, and ${seedCannot}. Leave it out, or use ${PROFILE_IN_WORDS.prisma}.`);
  }
  if (flags.newerBackup) {
    problems.push(`--newer-backup waits for one of Prisma's automatic daily backups, which the seed API does not take: ${useRun}.`);
  }
  if (flags.readyTimeout !== undefined) {
    problems.push(
      '--ready-timeout bounds the wait for the restored database to be ready, and the seed API reports no database status to wait for (its restore answers "restoring"); leave it out.',
    );
  }
  return problems;
}

/** The input fields of the restore flags; throws an Error naming the flag when a duration cannot be read. */
export function restoreTargetInput(
  flags: RestoreTargetFlags,
): Pick<BackupAndRestoreInput, 'targetDatabaseId' | 'newDatabase' | 'waitForNewerBackup' | 'readyDeadlineMs'> {
  return {
    ...(flags.targetDatabase !== undefined ? { targetDatabaseId: flags.targetDatabase } : {}),
    ...(flags.newDatabaseIn !== undefined
      ? {
          newDatabase: {
            projectId: flags.newDatabaseIn,
            ...(flags.newDatabaseName !== undefined ? { name: flags.newDatabaseName } : {}),
            // Checked with the rest of the input, which names the regions there are.
            ...(flags.region !== undefined ? { region: flags.region as DatabaseRegion } : {}),
          },
        }
      : {}),
    ...(flags.newerBackup ? { waitForNewerBackup: true } : {}),
    ...(flags.readyTimeout !== undefined ? { readyDeadlineMs: parseDuration('--ready-timeout', flags.readyTimeout) } : {}),
  };
}

/** The poll settings of the flags; throws an Error naming the flag when a duration cannot be read. */
export function pollFromOptions(options: Pick<RunOptions, (typeof POLL_FLAGS)[number][0] | 'pollMode'>): Partial<PollPolicy> {
  const poll: Partial<PollPolicy> = {};
  for (const [key, flag, field] of POLL_FLAGS) {
    const text = options[key];
    if (typeof text === 'string') poll[field] = parseDuration(flag, text);
  }
  return { ...poll, ...pollModeOf(options.pollMode) };
}

/** --poll-mode as the input's poll.mode; checked with the rest of the input, which names the modes. */
export const pollModeOf = (text: string | undefined): Partial<PollPolicy> => (text === undefined ? {} : { mode: text as PollMode });

/**
 * The workflow input of a run for the workers' profile; throws an Error naming the flag when a value
 * cannot be read, or saying why the profile cannot do what the flags ask.
 */
export function inputFromRunOptions(kind: RunKind, options: RunOptions, profile: ApiProfile): BackupAndRestoreInput {
  const refused = [onDemandBackupProblem(kind, profile), ...restoreFlagProblems(options, profile)].filter(
    (p): p is string => p !== undefined,
  );
  if (refused.length > 0) throw new Error(refused.join(' '));
  if (kind === 'restore' && profile === 'seed' && options.backupId === undefined) {
    throw new Error(
      'restore needs --backup-id: the id of the completed backup to restore from (`status` or `list` of the run that made it shows it).',
    );
  }
  const poll = pollFromOptions(options);
  const approval =
    options.approvalTimeout !== undefined
      ? { timeoutMs: parseDuration('--approval-timeout', options.approvalTimeout) }
      : options.requireApproval
        ? {}
        : undefined;
  return {
    profile,
    databaseId: options.databaseId ?? '',
    ...(options.label !== undefined ? { backupLabel: options.label } : {}),
    ...(kind === 'backup' ? { restore: false } : {}),
    ...(options.backupId !== undefined ? { backupId: options.backupId } : {}),
    ...restoreTargetInput(options),
    ...(approval ? { approval } : {}),
    ...(options.sql !== undefined ? { verify: { sql: options.sql } } : options.verify ? { verify: {} } : {}),
    ...(Object.keys(poll).length > 0 ? { poll } : {}),
  };
}

/** Temporal's default limit on workflow ids. */
const MAX_WORKFLOW_ID_LENGTH = 1000;

/** What is wrong with a workflow id typed on the command line, if anything. */
export function workflowIdProblem(flag: string, id: string): string | undefined {
  if (id.trim() === '') return `${flag} is empty: give the run's workflow id, as \`run\` or \`list\` printed it.`;
  if (id.length > MAX_WORKFLOW_ID_LENGTH)
    return `${flag} is ${id.length} characters long; Temporal allows at most ${MAX_WORKFLOW_ID_LENGTH}.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) return `${flag} contains control characters (such as newlines); remove them.`;
  return undefined;
}

/** Input fields as the command line names them, so messages speak of the flags the user typed. */
const FLAG_FOR_FIELD: Record<string, string> = {
  databaseId: '--database-id',
  backupLabel: '--label',
  backupId: '--backup-id',
  targetDatabaseId: '--target-database',
  newDatabase: '--new-database-in',
  'newDatabase.projectId': '--new-database-in',
  'newDatabase.name': '--new-database-name',
  'newDatabase.region': '--region',
  waitForNewerBackup: '--newer-backup',
  readyDeadlineMs: '--ready-timeout',
  'approval.timeoutMs': '--approval-timeout',
  verify: '--verify',
  'verify.sql': '--sql',
  ...Object.fromEntries(POLL_FLAGS.map(([, flag, field]) => [`poll.${field}`, flag])),
  'poll.mode': '--poll-mode',
};

export function inFlagTerms(message: string): string {
  return message.replace(
    /\b(poll\.\w+|approval\.timeoutMs|newDatabase(?:\.\w+)?|verify(?:\.sql)?|databaseId|backupLabel|backupId|targetDatabaseId|waitForNewerBackup|readyDeadlineMs)\b/g,
    (field) => FLAG_FOR_FIELD[field] ?? field,
  );
}
