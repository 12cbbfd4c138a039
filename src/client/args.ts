// Command-line arguments of the starter, turned into a workflow input. Pure.
import { parseArgs } from 'node:util';
import type { BackupAndRestoreInput, PollPolicy } from '../shared/workflow-types';

export const STARTER_USAGE = `Usage: npm run starter -- --database-id ID [options]

Starts a backup-and-restore run on Temporal, prints its Web UI link, follows it to the end and
prints the result. Exit code 0: done; 1: the run failed (its typed reason is printed); 2: bad input.

Options:
  --database-id ID        database to back up and restore (required)
  --label TEXT            label for the manual backup
  --backup-only           back up and wait for completion, but do not restore
  --workflow-id ID        workflow id (default: backup-<database>-<UTC time>)
  --poll-initial-ms N     first wait between polls (default 5000)
  --poll-max-ms N         longest wait between polls (default 120000)
  --deadline-ms N         give up, never restoring, after this long (default 21600000 = 6 h)
  -h, --help              show this help`;

export type StarterArgs =
  | { help: true }
  | { help: false; input: BackupAndRestoreInput; workflowId?: string };

const numberOptions = {
  'poll-initial-ms': 'initialIntervalMs',
  'poll-max-ms': 'maximumIntervalMs',
  'deadline-ms': 'deadlineMs',
} as const satisfies Record<string, keyof PollPolicy>;

/** Input fields as the command line names them, so messages speak of the flags the user typed. */
const FLAG_FOR_FIELD: Record<string, string> = {
  databaseId: '--database-id',
  backupLabel: '--label',
  ...Object.fromEntries(Object.entries(numberOptions).map(([flag, field]) => [`poll.${field}`, `--${flag}`])),
};

export function inFlagTerms(message: string): string {
  return message.replace(/\b(poll\.\w+|databaseId|backupLabel)\b/g, (field) => FLAG_FOR_FIELD[field] ?? field);
}

/** Throws an Error whose message says what is wrong with the arguments. */
export function parseStarterArgs(argv: string[]): StarterArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'database-id': { type: 'string' },
      label: { type: 'string' },
      'backup-only': { type: 'boolean' },
      'workflow-id': { type: 'string' },
      'poll-initial-ms': { type: 'string' },
      'poll-max-ms': { type: 'string' },
      'deadline-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const poll: Partial<PollPolicy> = {};
  for (const [flag, field] of Object.entries(numberOptions)) {
    const raw = values[flag as keyof typeof numberOptions];
    if (raw === undefined) continue;
    if (!/^\d+$/.test(raw)) throw new Error(`--${flag} takes a whole number of milliseconds; got ${JSON.stringify(raw)}.`);
    poll[field] = Number(raw);
  }
  return {
    help: false,
    workflowId: values['workflow-id'],
    input: {
      databaseId: values['database-id'] ?? '',
      backupLabel: values.label,
      restore: !values['backup-only'],
      ...(Object.keys(poll).length > 0 ? { poll } : {}),
    },
  };
}
