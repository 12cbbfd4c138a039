// The options of the commands that start a run (run, backup, restore), and the workflow input they
// make. Turning options into input is pure and unit-tested.
import { Command } from 'commander';
import { parseDuration } from '../shared/durations';
import type { BackupAndRestoreInput, PollPolicy } from '../shared/workflow-types';

export type RunKind = 'run' | 'backup' | 'restore';

export interface RunOptions {
  databaseId?: string;
  label?: string;
  backupId?: string;
  targetDatabase?: string;
  requireApproval?: boolean;
  approvalTimeout?: string;
  pollInitial?: string;
  pollMax?: string;
  deadline?: string;
  pollFailingLimit?: string;
  workflowId?: string;
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
    .option('--poll-failing-limit <duration>', 'give up, never restoring, when polls have failed in a row this long (default 1h)');
}

/** Adds the options of one kind of run to its command. */
export function withRunOptions(command: Command, kind: RunKind, defaults: { databaseId?: string } = {}): Command {
  // Required options are checked by the input validation, after commander has reported unknown
  // flags: a misspelt --database-id is then named as such, not as a missing one.
  const database = kind === 'restore' ? 'database the backup belongs to (required)' : 'database to back up (required)';
  command.option('--database-id <id>', database, defaults.databaseId);
  if (kind !== 'restore') command.option('--label <text>', 'label for the new backup');
  if (kind === 'restore') command.option('--backup-id <id>', 'completed backup to restore from (required)');
  if (kind !== 'backup') {
    command
      .option('--target-database <id>', "database to restore into (the API allows only the backup's own database)")
      .option('--require-approval', 'wait for `approve` before restoring (default timeout 24h)')
      .option('--approval-timeout <duration>', 'how long to wait for approval; implies --require-approval')
      .option('-y, --yes', "confirm the restore, which replaces the database's data");
  }
  return withPollOptions(command)
    .option('--workflow-id <id>', 'workflow id (default: backup-<database>-<UTC time>)')
    .option('--detach', 'print the run id and exit instead of following the run')
    .option('--json', 'print progress and the result as JSON lines, for scripts');
}

/** The workflow input; throws an Error naming the flag when a value cannot be read. */
export function inputFromRunOptions(kind: RunKind, options: RunOptions): BackupAndRestoreInput {
  if (kind === 'restore' && options.backupId === undefined) {
    throw new Error(
      'restore needs --backup-id: the id of the completed backup to restore from (`status` or `list` of the run that made it shows it).',
    );
  }
  const poll: Partial<PollPolicy> = {};
  for (const [key, flag, field] of POLL_FLAGS) {
    const text = options[key];
    if (typeof text === 'string') poll[field] = parseDuration(flag, text);
  }
  const approval =
    options.approvalTimeout !== undefined
      ? { timeoutMs: parseDuration('--approval-timeout', options.approvalTimeout) }
      : options.requireApproval
        ? {}
        : undefined;
  return {
    databaseId: options.databaseId ?? '',
    ...(options.label !== undefined ? { backupLabel: options.label } : {}),
    ...(kind === 'backup' ? { restore: false } : {}),
    ...(options.backupId !== undefined ? { backupId: options.backupId } : {}),
    ...(options.targetDatabase !== undefined ? { targetDatabaseId: options.targetDatabase } : {}),
    ...(approval ? { approval } : {}),
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
  'approval.timeoutMs': '--approval-timeout',
  ...Object.fromEntries(POLL_FLAGS.map(([, flag, field]) => [`poll.${field}`, flag])),
};

export function inFlagTerms(message: string): string {
  return message.replace(
    /\b(poll\.\w+|approval\.timeoutMs|databaseId|backupLabel|backupId|targetDatabaseId)\b/g,
    (field) => FLAG_FOR_FIELD[field] ?? field,
  );
}
