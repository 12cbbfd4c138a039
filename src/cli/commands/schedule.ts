// `schedule create` (a Temporal Schedule from database flags) and `schedule check` (the health a monitor calls).
// The rest is Temporal's own: `temporal schedule list|describe|toggle|trigger|backfill|delete` and the Web UI.
import { Command } from 'commander';
import type { Client, ScheduleOptions } from '@temporalio/client';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { DATABASE_ID_KEY, FLEET_WORKFLOW_TYPE, WORKFLOW_TYPE } from '../../shared/constants';
import { formatDuration } from '../../shared/durations';
import { DEFAULT_APPROVAL_TIMEOUT_MS, type RunInput } from '../../shared/input';
import { resolvePollPolicy } from '../../shared/policy';
import { fleetStartOptions, runStartOptions } from '../../runs/start';
import { confirmTargets, replacedDatabase, withConsent, YES_REFUSED } from '../confirm';
import { CliError, EXIT, invalid, type CliContext } from '../context';
import { duration, flagName, fleetInput, keyOf, RUN_FLAGS, runInput, withFlags, type Flag, type RunKind } from '../flags';
import { inCliTerms, temporalErrorToCli } from '../temporal-errors';

const ALL_FLAGS = [
  ...new Map(
    Object.values(RUN_FLAGS)
      .flat()
      .map((f) => [flagName(f), f]),
  ).values(),
];

/** What each schedule's runs are: a kind of run, or a fleet drill; refused with why for what a profile cannot. */
function kindOf(options: Record<string, unknown>, profile: string): RunKind | 'fleet' {
  const restore = options.withRestore === true;
  const refuse = (what: string) => invalid(`Nothing was created: ${what}.`, 'Leave one of them out.');
  if (restore && options.drill) throw refuse('--drill replaces no data and --with-restore does: a schedule is one or the other');
  if (!restore && options.approval === false) throw refuse('--no-approval only applies with --with-restore');
  if (options.approval === false && options.requireApproval) throw refuse('--no-approval and --require-approval say the opposite');
  if (options.drill && profile === 'seed') {
    throw new CliError(
      'PROFILE_CANNOT',
      'A drill restores into a new scratch database, and the seed API cannot create one; nothing was created.',
      'Use PRISMA_API_PROFILE=prisma.',
    );
  }
  if (options.drill) return options.databaseId === undefined ? 'fleet' : 'drill';
  if (profile === 'seed') return restore ? 'run' : 'backup';
  if (restore) return 'restore';
  throw new CliError(
    'PROFILE_CANNOT',
    'Prisma takes its backups itself, daily: a schedule of ours restores (--with-restore) or drills (--drill) them.',
    'Give --drill --project <id> (a restore drill), or --with-restore --confirm <id>.',
  );
}

/** A given flag the schedule's runs would not use is refused, never dropped. */
function refuseUnused(options: Record<string, unknown>, used: readonly Flag[], kind: string): void {
  const usedKeys = new Set(used.map(keyOf));
  const unused = ALL_FLAGS.filter((f) => options[keyOf(f)] !== undefined && !usedKeys.has(keyOf(f))).map(flagName);
  if (unused.length > 0)
    throw invalid(`Nothing was created: ${unused.join(', ')} does not apply to a schedule of ${kind} runs.`, 'Leave it out.');
}

function specOf(options: Record<string, string | undefined>) {
  const { cron, every, timeZone } = options;
  if ((cron === undefined) === (every === undefined))
    throw invalid('Nothing was created: give exactly one of --cron and --every.', 'E.g. --cron "0 3 * * *" for 03:00 daily.');
  if (every !== undefined) {
    if (timeZone !== undefined)
      throw invalid(
        'Nothing was created: --time-zone applies to --cron; --every counts from 1970-01-01 UTC.',
        'Leave --time-zone out, or use --cron.',
      );
    return {
      intervals: [{ every: duration('--every', every, 'created'), offset: duration('--offset', options.offset ?? '0s', 'created') }],
    };
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timeZone ?? 'UTC' });
  } catch {
    throw invalid(
      `Nothing was created: --time-zone ${JSON.stringify(timeZone)} is not a time zone.`,
      'Use an IANA name such as Europe/Berlin or UTC.',
    );
  }
  // Temporal checks the fields themselves; this says which flag when there are not 5 to 7 of them.
  if (!/^(@\w+|\S+(\s+\S+){4,6})$/.test(cron!.trim()))
    throw invalid(
      `Nothing was created: --cron "${cron}" is not a cron expression.`,
      'Give 5 fields (minute hour day month weekday), e.g. "0 3 * * *", or @daily.',
    );
  return { cronExpressions: [cron!], timezone: timeZone ?? 'UTC' };
}

async function create(ctx: CliContext, id: string | undefined, options: Record<string, unknown>): Promise<void> {
  if (options.yes) throw YES_REFUSED;
  const profile = ctx.apiProfile();
  const kind = kindOf(options, profile);
  refuseUnused(options, RUN_FLAGS[kind], kind);
  const restores = kind === 'run' || kind === 'restore';
  const withApproval = restores && options.approval !== false;
  const fleet = kind === 'fleet' ? fleetInput('drill', options, profile, 'created') : undefined;
  const input = fleet
    ? undefined
    : runInput(kind as RunKind, { ...options, requireApproval: withApproval || undefined }, profile, 'created');
  const target = input && replacedDatabase(input);
  await confirmTargets(ctx, target ? [target] : [], (options.confirm as string[]) ?? [], 'created');
  const scheduleId = id ?? (fleet ? `drill-${fleet.projectId}` : `${kind === 'backup' ? 'backup' : kind}-${input!.databaseId}`);
  const start = fleet ? fleetStartOptions(fleet, { taskQueue: ctx.taskQueue }) : runStartOptions(input!, { taskQueue: ctx.taskQueue });
  const spec = specOf(options as Record<string, string | undefined>);
  const catchupWindow = duration('--catchup-window', (options.catchupWindow as string) ?? '1h', 'created');
  const workflowType = fleet ? FLEET_WORKFLOW_TYPE : WORKFLOW_TYPE;
  const schedule: ScheduleOptions = {
    scheduleId,
    spec,
    action: { type: 'startWorkflow', workflowType, workflowId: `scheduled-${scheduleId}`, ...start },
    // A failed restore pauses the schedule, so no further restore replaces the data before someone looked.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow, pauseOnFailure: restores },
    ...(input ? { typedSearchAttributes: [{ key: DATABASE_ID_KEY, value: input.databaseId }] } : {}),
    state: { paused: options.paused === true },
  };
  const client = await ctx.client();
  // The SDK says a timing Temporal refuses (an hour of 25, say) as a TypeError.
  const timing = (err: unknown) =>
    err instanceof TypeError
      ? invalid(
          `Nothing was saved: Temporal refused --cron or --every: ${err.message}.`,
          'Correct it; e.g. --cron "0 3 * * *" for 03:00 daily.',
        )
      : err;
  const saved = await inCliTerms(
    save(client, schedule, options.update === true).catch((err) => Promise.reject(timing(err))),
    ctx,
    'schedule',
  );
  const next = (await client.schedule.getHandle(scheduleId).describe()).info.nextActionTimes.slice(0, 3).map((t) => t.toISOString());
  if (options.json) return ctx.out(JSON.stringify({ scheduleId, saved, kind, nextActionTimes: next }));
  ctx.out(
    `Schedule ${scheduleId} ${saved}: ${start.staticSummary}${withApproval ? ', each restore after `approve`' : ''}. Next runs: ${next.join(', ') || 'none'}.`,
  );
  ctx.out(
    `Pause, trigger, backfill or delete it with \`temporal schedule toggle|trigger|backfill|delete --schedule-id ${scheduleId}\`, or in the Web UI's Schedules page.`,
  );
}

async function save(client: Client, schedule: ScheduleOptions, update: boolean): Promise<'created' | 'updated'> {
  const { scheduleId, spec, action, policies } = schedule;
  if (update) {
    try {
      const handle = client.schedule.getHandle(scheduleId);
      await handle.update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }) as never);
      return 'updated';
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }
  try {
    await client.schedule.create(schedule);
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning)
      throw new CliError(
        'ALREADY_EXISTS',
        `Schedule ${scheduleId} exists; nothing was created.`,
        'Add --update to change it, or `temporal schedule delete` it first.',
      );
    throw err;
  }
}

/** Healthy: its last ended run completed, it is not paused, and a run completed within the window. */
async function health(client: Client, scheduleId: string, withinMs: number | undefined) {
  const description = await client.schedule.getHandle(scheduleId).describe();
  const problems: string[] = [];
  if (description.state.paused) problems.push(`paused${description.state.note ? ` (${description.state.note})` : ''}`);
  const times = description.info.nextActionTimes.map((t) => t.getTime());
  const [input] = (description.action.type === 'startWorkflow' ? description.action.args : []) as (RunInput | undefined)[];
  const run = resolvePollPolicy(input?.poll).deadlineMs + (input?.approval ? (input.approval.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS) : 0);
  const window = withinMs ?? (times.length >= 2 ? Math.max(...times.slice(1).map((t, i) => t - times[i])) + run : undefined);
  let lastSuccess = description.info.createdAt.getTime();
  let lastEnded: string | undefined;
  for (const action of [...description.info.recentActions].reverse()) {
    const handle = client.workflow.getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId);
    const { status, closeTime } = await handle.describe();
    if (status.name === 'RUNNING') continue;
    lastEnded ??= status.name;
    if (status.name === 'COMPLETED') {
      lastSuccess = closeTime?.getTime() ?? lastSuccess;
      break;
    }
  }
  if (lastEnded && lastEnded !== 'COMPLETED') problems.push(`its last ended run ${lastEnded.toLowerCase()}`);
  if (window !== undefined && Date.now() - lastSuccess > window) problems.push(`no run completed within ${formatDuration(window)}`);
  return { scheduleId, healthy: problems.length === 0, problems, lastSuccess: new Date(lastSuccess).toISOString() };
}

async function check(ctx: CliContext, id: string | undefined, options: { within?: string; json?: boolean }): Promise<void> {
  const withinMs = options.within === undefined ? undefined : duration('--within', options.within);
  const client = await ctx.client();
  const ids: string[] = [];
  try {
    if (id) ids.push(id);
    else
      for await (const s of client.schedule.list())
        if (s.action?.type === 'startWorkflow' && [WORKFLOW_TYPE, FLEET_WORKFLOW_TYPE].includes(s.action.workflowType))
          ids.push(s.scheduleId);
    const results = await Promise.all(ids.map((scheduleId) => health(client, scheduleId, withinMs)));
    for (const r of results)
      ctx.out(
        options.json
          ? JSON.stringify(r)
          : `${r.scheduleId}: ${r.healthy ? 'healthy' : `UNHEALTHY: ${r.problems.join('; ')}`} (last completed run ended ${r.lastSuccess})`,
      );
    ctx.exitCode = results.every((r) => r.healthy) ? EXIT.ok : EXIT.failed;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError)
      throw new CliError('NOT_FOUND', `No schedule ${id}.`, '`temporal schedule list` shows them.', EXIT.notFound);
    throw temporalErrorToCli(err, ctx, 'schedule');
  }
}

export function scheduleCommand(ctx: CliContext): Command {
  const schedule = new Command('schedule').description(
    'Recurring runs as Temporal Schedules; list, pause, trigger, backfill or delete them with `temporal schedule`.',
  );
  const createCommand = withFlags(new Command('create'), ALL_FLAGS)
    .description(
      'Create a schedule: seed backups by default; --with-restore (after `approve` unless --no-approval); --drill a database, or every database of --project.',
    )
    .argument('[id]', 'the schedule id (default: <kind>-<database or project>)')
    .option('--cron <expr>', 'when, as cron in --time-zone, e.g. "0 3 * * *"')
    .option('--time-zone <zone>', 'IANA time zone of --cron (default UTC)')
    .option('--every <duration>', 'or a fixed interval, counted from 1970-01-01 UTC')
    .option('--offset <duration>', 'with --every: the offset into each interval')
    .option('--catchup-window <duration>', 'a run missed while Temporal was down is still taken this late (default 1h)')
    .option('--with-restore', 'restore after each backup (destructive: needs --confirm <target>)')
    .option('--drill', 'prisma: drill the database, or every database of --project')
    .option('--no-approval', 'with --with-restore: restore without waiting for `approve`');
  withConsent(createCommand, 'each run replaces')
    .option('--paused', 'create it paused')
    .option('--update', 'change it in place if it exists')
    .option('--json', 'print the result as JSON')
    .action((id: string | undefined, options: Record<string, unknown>) => create(ctx, id, options));
  const checkCommand = new Command('check')
    .description('Health for monitors: exit 0 when healthy, 1 when a run failed, it is paused, or no run completed within --within.')
    .argument('[id]', 'the schedule (default: every schedule of ours)')
    .option('--within <duration>', 'a run must have completed this recently (default: the gap between runs plus a run’s deadline)')
    .option('--json', 'one JSON line per schedule')
    .action((id: string | undefined, options: { within?: string; json?: boolean }) => check(ctx, id, options));
  return schedule.addCommand(createCommand).addCommand(checkCommand);
}
