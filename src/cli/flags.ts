// The one mapping from flags to a workflow's input: each flag names the input field it sets, so every option
// reaches the input, and the schema's problems come back in the words of the flags the user typed.
import { Option, type Command } from 'commander';
import type { z } from 'zod';
import { parseDuration } from '../shared/durations';
import type { ApiProfile, FleetInput, RunInput } from '../shared/input';
import { FleetInputSchema, POLL_MODES, problemsOf, REGIONS, RunInputSchema } from '../shared/input';
import { invalid } from './context';

/** An input being built from flags, before the schema checks it. */
type Draft = Record<string, unknown>;

export interface Flag {
  /** As commander takes it, e.g. `--database-id <id>`. */
  flags: string;
  help: string;
  /** The input field it sets, dotted; problems with that field are said as this flag. */
  path: string;
  /** Repeatable, collected into a list. */
  many?: true;
}

const nested = (draft: Draft, path: string, value: unknown) => {
  const keys = path.split('.');
  let at = draft;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Draft;
  at[keys.at(-1)!] = value;
};

const flag = (flags: string, path: string, help: string, many?: true): Flag => ({ flags, path, help, ...(many ? { many } : {}) });
/** Fields whose flag takes a duration, in ms in the input. */
const DURATION = /Ms$/;

export const FLAGS = {
  databaseId: flag('--database-id <id>', 'databaseId', 'the database backed up, or whose backup is restored (required)'),
  label: flag('--label <text>', 'backupLabel', 'seed: the label of the new backup'),
  backupId: flag('--backup-id <id>', 'backupId', 'restore this backup (seed: required; prisma: default the newest completed)'),
  target: flag(
    '--target-database <id>',
    'targetDatabaseId',
    'restore into this existing database, replacing its data (default --database-id)',
  ),
  newIn: flag(
    '--new-database-in <project>',
    'newDatabase.projectId',
    'prisma: restore into a new database in this project, replacing nothing',
  ),
  newName: flag('--new-database-name <name>', 'newDatabase.name', 'with --new-database-in: its name (default from the workflow id)'),
  region: flag('--region <region>', 'newDatabase.region', `the new database's region: ${REGIONS.join(', ')}`),
  project: flag('--project <id>', 'newDatabase.projectId', 'the project the scratch database is created in (required)'),
  newer: flag('--newer-backup', 'waitForNewerBackup', "prisma: wait (under --deadline) for a backup newer than the run's start"),
  readyTimeout: flag('--ready-timeout <duration>', 'readyDeadlineMs', 'prisma: how long the database may take to be ready (default 1h)'),
  holdWindow: flag(
    '--hold-window <duration>',
    'holdWindowMs',
    'prisma: after an unknown outcome, how long nothing is sent again (default 15m)',
  ),
  verify: flag('--verify', 'verify', "check the restored data: each table's rows and checksum against the backup's"),
  verifySql: flag(
    '--verify-sql <query>',
    'verify.sql',
    'check it with this query instead: it passes when every column of every row is true (READ ONLY)',
  ),
  approval: flag('--require-approval', 'approval', 'wait for `approve` before restoring (default timeout 24h)'),
  approvalTimeout: flag('--approval-timeout <duration>', 'approval.timeoutMs', 'how long to wait for approval; implies --require-approval'),
  pollInitial: flag('--poll-initial <duration>', 'poll.initialIntervalMs', 'first wait between looks (default 5s)'),
  pollMax: flag('--poll-max <duration>', 'poll.maximumIntervalMs', 'longest wait between looks (default 2m)'),
  deadline: flag(
    '--deadline <duration>',
    'poll.deadlineMs',
    'give up, never restoring, when the backup is not completed after this long (default 6h)',
  ),
  failingLimit: flag(
    '--poll-failing-limit <duration>',
    'poll.failingLimitMs',
    'give up when looks have failed in a row this long (default 1h)',
  ),
  pollMode: flag(
    '--poll-mode <mode>',
    'poll.mode',
    `${POLL_MODES.join(' or ')}: look around the end earlier runs predict, or always back off`,
  ),
  // Fleets.
  fleetProject: flag('--project <id>', 'projectId', "prisma: every database of this project (its drills' scratch databases go there too)"),
  databases: flag('--databases <ids>', 'databaseIds', 'these databases, comma-separated, instead of a project’s'),
  map: flag('--map <source=target>', 'targets', 'restore: restore source into target; repeat for each database', true),
  concurrency: flag('--concurrency <n>', 'concurrency', 'runs at once (default 4)'),
  fleetSql: flag('--verify-sql <query>', 'verify.sql', 'check each database with this query (READ ONLY)'),
} satisfies Record<string, Flag>;

const of = (...keys: (keyof typeof FLAGS)[]) => keys.map((key) => FLAGS[key]);
const POLL = of('pollInitial', 'pollMax', 'deadline', 'failingLimit', 'pollMode');
const CHECKS = [...of('verify', 'verifySql', 'approval', 'approvalTimeout'), ...POLL];

/** The input flags of each kind of run. */
export const RUN_FLAGS = {
  run: [...of('databaseId', 'label', 'target'), ...CHECKS],
  backup: [...of('databaseId', 'label'), ...POLL],
  restore: [...of('databaseId', 'backupId', 'target', 'newIn', 'newName', 'region', 'newer', 'readyTimeout', 'holdWindow'), ...CHECKS],
  drill: [...of('databaseId', 'backupId', 'project', 'region', 'verifySql', 'newer', 'readyTimeout'), ...POLL],
  fleet: [...of('fleetProject', 'databases', 'map', 'concurrency', 'fleetSql', 'readyTimeout'), ...POLL],
};
export type RunKind = Exclude<keyof typeof RUN_FLAGS, 'fleet'>;
/** What each kind sets without a flag. */
const IMPLIED: Record<RunKind, Draft> = { run: {}, backup: { restore: false }, restore: {}, drill: { drill: true, verify: {} } };
/** Collects a repeated option's values. */
export const collect = (value: string, list: string[] = []) => [...list, value];

/** Adds the flags to a command. */
export function withFlags(command: Command, flags: readonly Flag[]): Command {
  for (const f of flags) command.addOption(f.many ? new Option(f.flags, f.help).argParser(collect) : new Option(f.flags, f.help));
  return command;
}

/** The camelCase key commander stores a flag's value under. */
export const keyOf = (f: Flag) => new Option(f.flags).attributeName();
/** The long flag as typed, e.g. `--database-id`. */
export const flagName = (f: Flag) => f.flags.split(' ')[0];

function readValue(f: Flag, name: string, value: unknown): unknown {
  const leaf = f.path.split('.').at(-1)!;
  if (value === true) return f.path === 'verify' || f.path === 'approval' ? {} : true;
  if (f.many) return Object.fromEntries((value as string[]).map((pair) => pairOf(name, pair)));
  const text = String(value);
  if (DURATION.test(leaf)) return parseDuration(name, text);
  if (f.path === 'databaseIds') return text.split(',').flatMap((id) => id.trim() || []);
  if (f.path === 'concurrency') {
    if (!/^\d+$/.test(text)) throw new Error(`${name} takes a whole number; got ${JSON.stringify(text)}.`);
    return Number(text);
  }
  return text;
}

function pairOf(name: string, pair: string): [string, string] {
  const [source, target, ...rest] = pair.split('=');
  if (!source || !target || rest.length > 0) throw new Error(`${name} takes source=target; got ${JSON.stringify(pair)}.`);
  return [source, target];
}

/** Input field names in a message, said as the flags that set them. */
export function inFlagTerms(text: string, flags: readonly Flag[]): string {
  const byPath = new Map<string, string>();
  // A field's flag, or else the first flag of a field inside it (newDatabase: --new-database-in).
  for (const f of flags) {
    const parts = f.path.split('.');
    for (let i = parts.length; i > 0; i--)
      if (!byPath.has(parts.slice(0, i).join('.'))) byPath.set(parts.slice(0, i).join('.'), flagName(f));
  }
  const paths = [...byPath.keys()].sort((a, b) => b.length - a.length);
  return paths.reduce(
    (out, path) => out.replace(new RegExp(`(?<![\\w.-])${path.replace('.', '\\.')}(?![\\w-])`, 'g'), byPath.get(path)!),
    text,
  );
}

/** A duration flag's value in ms, or INVALID_INPUT naming the flag. */
export function duration(flag: string, text: string, nothing = 'started'): number {
  try {
    return parseDuration(flag, text);
  } catch (err) {
    return refuse([(err as Error).message], nothing);
  }
}

/** Bad flags: nothing was `nothing` (started, created). */
function refuse(problems: string[], nothing: string): never {
  throw invalid(`Nothing was ${nothing}: ${problems.join(' ')}`, 'Correct the flags named; `--help` lists them.');
}

/** The flags' values set into the draft, checked with the workflow's schema; problems said in flag terms; nothing was `nothing`. */
function checked<T>(schema: z.ZodType, flags: readonly Flag[], options: Record<string, unknown>, draft: Draft, nothing: string): T {
  const problems: string[] = [];
  for (const f of flags) {
    const value = options[keyOf(f)];
    if (value === undefined) continue;
    try {
      nested(draft, f.path, readValue(f, flagName(f), value));
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length > 0) refuse(problems, nothing);
  const found = problemsOf(schema, draft);
  if (found.length > 0)
    refuse(
      found.map((p) => inFlagTerms(`${p.path} ${p.message}.`, flags)),
      nothing,
    );
  return draft as T;
}

/** The input of a run from its command's flags. */
export const runInput = (kind: RunKind, options: Record<string, unknown>, profile: ApiProfile, nothing = 'started'): RunInput =>
  checked(RunInputSchema, RUN_FLAGS[kind], options, { profile, ...structuredClone(IMPLIED[kind]) }, nothing);

/** The input of a fleet from its flags. */
export const fleetInput = (
  action: FleetInput['action'],
  options: Record<string, unknown>,
  profile: ApiProfile,
  nothing = 'started',
): FleetInput => checked(FleetInputSchema, RUN_FLAGS.fleet, options, { profile, action }, nothing);
