// `schedule`: recurring backups on Temporal Schedules. The flags are checked by the pure functions
// in src/cli/schedule/ before Temporal is contacted; this file wires them to commander and Temporal.
import { Command } from 'commander';
import { ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import { WORKFLOW_TYPE } from '../../shared/constants';
import { backfillRange } from '../schedule/backfill-range';
import { webUiBase } from '../../runs/web-ui';
import { parseDuration } from '../../shared/durations';
import { runOutcomes } from '../schedule/run-outcomes';
import { defaultCheckWindowMs, scheduleHealth } from '../schedule/schedule-health';
import { scheduleUrl } from '../schedule/schedule-ids';
import { saveSchedule, ScheduleExistsError } from '../schedule/save-schedule';
import { ScheduleFlagsError, scheduleRequestFromFlags, type ScheduleCreateFlags } from '../schedule/schedule-flags';
import { DEFAULT_CATCHUP_WINDOW } from '../schedule/schedule-policy';
import {
  hasEnded,
  isFailure,
  outcomeInWords,
  restoreTargetInWords,
  scheduleLines,
  scheduleRow,
  scheduleTable,
  scheduleView,
  type ScheduledRunOutcome,
  type ScheduleView,
} from '../schedule/schedule-view';
import { waitForScheduleAction, type ScheduleActionSeen } from '../schedule/wait-for-action';
import { utcTime, zonedTime } from '../schedule/zoned-time';
import { CliError, commandLine, EXIT, type CliContext } from '../context';
import { CLI_NAME } from '../invocation';
import { GRPC, grpcError, temporalErrorToCli } from '../temporal-errors';
import { withDrillOnlyOptions } from '../drill-options';
import { withConsentOptions, withPollOptions, withRestoreTargetOptions } from '../run-options';

/** How long `trigger` and `backfill` wait to see what the schedule did. */
const ACTION_WAIT_MS = 10_000;

/** Temporal's errors about schedules, said in the CLI's terms; anything else is rethrown as is. */
function scheduleErrorToCli(err: unknown, ctx: CliContext, scheduleId: string): unknown {
  if (err instanceof CliError) return err;
  if (err instanceof ScheduleFlagsError) return new CliError(err.message, EXIT.usage);
  if (err instanceof ScheduleNotFoundError) {
    return new CliError(
      `No schedule ${scheduleId} in namespace ${ctx.temporal.namespace} at ${ctx.temporal.address}. \`${commandLine(ctx, 'schedule list')}\` shows the schedules.`,
      EXIT.notFound,
    );
  }
  if (err instanceof ScheduleExistsError) {
    return new CliError(
      `Schedule ${scheduleId} exists; use --update to change it or \`${commandLine(ctx, `schedule delete ${scheduleId}`)}\`. Nothing was changed.`,
      EXIT.usage,
    );
  }
  // The SDK turns Temporal's "Invalid schedule spec" answer into a TypeError.
  if (err instanceof TypeError && !grpcError(err))
    return new CliError(`Temporal refused the schedule: ${err.message}. Nothing was changed.`, EXIT.usage);
  const grpc = grpcError(err);
  if (grpc?.code === GRPC.INVALID_ARGUMENT) return new CliError(`Temporal refused the request: ${grpc.details}`, EXIT.usage);
  return temporalErrorToCli(err, ctx, 'schedule');
}

/** Runs `work` with Temporal's client, turning its errors into CliErrors. */
async function withSchedules<T>(ctx: CliContext, scheduleId: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await ctx.client();
  try {
    return await work(client);
  } catch (err) {
    throw scheduleErrorToCli(err, ctx, scheduleId);
  }
}

/**
 * The schedule with the outcomes of its recent runs: all of them, or with `until`, newest first up
 * to the first outcome it accepts.
 */
async function viewWithOutcomes(
  client: Client,
  description: ScheduleDescription,
  until?: (outcome: ScheduledRunOutcome) => boolean,
): Promise<ScheduleView> {
  const newestFirst = description.info.recentActions.map((a) => a.action.workflow.workflowId).reverse();
  return scheduleView(description, await runOutcomes(client, newestFirst, until));
}

/** The backup schedules (those that start our workflow), optionally of one database, by id. */
async function backupSchedules(client: Client, databaseId: string | undefined): Promise<ScheduleDescription[]> {
  const ids: string[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.action?.workflowType === WORKFLOW_TYPE) ids.push(summary.scheduleId);
  }
  // The list is eventually consistent; describe says what each schedule is now.
  const described = await Promise.all(
    ids.map((scheduleId) =>
      client.schedule
        .getHandle(scheduleId)
        .describe()
        .catch((err: unknown) => {
          if (err instanceof ScheduleNotFoundError) return undefined;
          throw err;
        }),
    ),
  );
  return described
    .filter((d): d is ScheduleDescription => d !== undefined && (databaseId === undefined || scheduleView(d).databaseId === databaseId))
    .sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** Where the schedule is in the Web UI (its recent runs show there with their status), when there is one. */
function webUiLine(ctx: CliContext, scheduleId: string): string | undefined {
  const ui = webUiBase(ctx.temporal.address);
  return ui ? `Web UI: ${scheduleUrl(ui, ctx.temporal.namespace, scheduleId)}` : undefined;
}

const noSchedules = (ctx: CliContext, databaseId: string | undefined) =>
  `No backup schedules${databaseId ? ` for ${databaseId}` : ''} in namespace ${ctx.temporal.namespace}. ` +
  `\`${commandLine(ctx, 'schedule create --database-id <id> --cron "0 3 * * *"')}\` makes one.`;

const waitOptions = (ctx: CliContext) => ({ timeoutMs: ACTION_WAIT_MS, intervalMs: Math.min(Math.max(ctx.followIntervalMs, 50), 1000) });

function reportAction(ctx: CliContext, scheduleId: string, seen: ScheduleActionSeen): void {
  for (const workflowId of seen.started)
    ctx.out(`Started run ${workflowId}; follow it with \`${commandLine(ctx, `watch ${workflowId}`)}\`.`);
  if (seen.skipped > 0) {
    const running = seen.after.info.runningActions.map((run) => run.workflow.workflowId);
    ctx.out(
      `Skipped ${seen.skipped} run${seen.skipped === 1 ? '' : 's'}: ${running.length > 0 ? `run ${running.join(', ')} is` : 'a run is'} still running, ` +
        `and the overlap policy is ${seen.after.policies.overlap ?? 'SKIP'}.`,
    );
  }
  if (seen.started.length === 0 && seen.skipped === 0) {
    ctx.out(`No run seen yet; \`${commandLine(ctx, `schedule describe ${scheduleId}`)}\` shows the schedule's recent runs.`);
  }
}

function createCommand(ctx: CliContext): Command {
  const command = new Command('create')
    .description(
      'Create a schedule that backs up a database (seed profile), restores it (--with-restore; in the prisma profile from its newest ' +
        'completed backup, into it or into a new database) or drills it (--drill) on a cron or interval spec. A restore into an existing database is ' +
        'destructive: it needs --confirm <target database id>, and waits for `approve` unless --no-approval.',
    )
    .argument('[id]', 'schedule id (default: backup-<database id>)')
    .option('--database-id <id>', 'database to back up, or whose backups are restored (required)')
    .option('--cron <expression>', 'cron spec, read in --time-zone, e.g. "0 3 * * *" (03:00 every day)')
    .option('--every <duration>', 'interval spec instead of --cron, e.g. 24h (counted from 1970-01-01 00:00 UTC)')
    .option('--offset <duration>', 'shift of the --every times, e.g. 2h with --every 24h runs at 02:00 UTC')
    .option('--time-zone <zone>', 'IANA time zone of --cron, e.g. Europe/Berlin (default UTC)')
    .option(
      '--catchup-window <duration>',
      'runs missed while Temporal was unavailable are still taken when at most this late',
      DEFAULT_CATCHUP_WINDOW,
    )
    .option('--label <text>', 'seed: label of every backup the schedule takes')
    .option('--with-restore', 'restore on every run (seed: from the backup it has just taken; prisma: from the newest completed one)')
    .option('--drill', 'prisma: every run a restore drill (see `drill`): into a scratch database in --project, verified, then deleted');
  withDrillOnlyOptions(command);
  withRestoreTargetOptions(command, { newDatabaseName: false });
  withConsentOptions(command, 'consent to --with-restore: the exact id of the database whose data every run replaces')
    .option('--require-approval', 'wait for `approve` before restoring (the default with --with-restore)')
    .option('--approval-timeout <duration>', 'how long a run waits for approval before failing, restoring nothing (default 24h)')
    .option('--no-approval', 'with --with-restore: restore without waiting for approval');
  return withPollOptions(command)
    .option('--paused', 'create the schedule paused (`schedule unpause` starts it)')
    .option('--update', 'change the schedule if it exists (it keeps its paused state), create it if not')
    .option('--json', 'print the schedule as one JSON object')
    .action(async (id: string | undefined, flags: ScheduleCreateFlags & { json?: boolean }) => {
      let request;
      try {
        request = scheduleRequestFromFlags(id, flags, ctx.apiProfile());
      } catch (err) {
        throw scheduleErrorToCli(err, ctx, id ?? '');
      }
      const { scheduleId } = request;
      const { outcome, view } = await withSchedules(ctx, scheduleId, async (client) => {
        const saved = await saveSchedule(client, request, { taskQueue: ctx.taskQueue });
        return { outcome: saved, view: scheduleView(await client.schedule.getHandle(scheduleId).describe()) };
      });
      if (flags.json) return ctx.out(JSON.stringify({ [outcome]: true, schedule: view }));
      const zone = view.spec.timeZone;
      ctx.out(
        `${outcome === 'created' ? 'Created' : 'Updated'} schedule ${scheduleId}: ${view.action}, ${view.spec.description}${view.spec.cron.length > 0 ? ` (${zone})` : ''}.`,
      );
      if (view.paused) ctx.out(`  It is paused: \`${commandLine(ctx, `schedule unpause ${scheduleId}`)}\` starts it.`);
      ctx.out(
        `  Next runs: ${
          view.nextRuns
            .slice(0, 3)
            .map((iso) => zonedTime(new Date(iso), zone))
            .join(', ') || 'none'
        }`,
      );
      ctx.out(`  Runs are started as ${view.workflowIdPrefix}-<scheduled time, UTC> on task queue ${view.taskQueue}.`);
      const onFailure = view.pauseOnFailure
        ? 'a failed run pauses the schedule, so no further restore runs until it is unpaused'
        : `a failed run does not stop later ${view.drill ? 'drills' : 'backups'} (\`${commandLine(ctx, `schedule check ${scheduleId}`)}\` reports it)`;
      ctx.out(`  A run is skipped while the previous one is still running; ${onFailure}; catch-up window ${view.catchupWindow}.`);
      const into = restoreTargetInWords(view);
      if (into) {
        const approve = `approve <workflow id> --backup-id <id>${view.restoreInto ? ` --confirm ${view.restoreInto}` : ''}`;
        ctx.out(
          view.approvalTimeout
            ? `  Every run restores into ${into}, once approved: \`${commandLine(ctx, approve)}\` within ${view.approvalTimeout}, else it fails and restores nothing.`
            : `  Every run restores into ${into}, without approval.`,
        );
      }
    });
}

function listCommand(ctx: CliContext): Command {
  return new Command('list')
    .description(
      'List the backup schedules, with what they run, when, their next run and how their last run ended (a failure in capitals, with why).',
    )
    .option('--database-id <id>', 'only schedules of this database')
    .option('--json', 'print JSON lines, one per schedule')
    .action(async (options: { databaseId?: string; json?: boolean }) => {
      const views = await withSchedules(ctx, '', async (client) =>
        Promise.all((await backupSchedules(client, options.databaseId)).map((d) => viewWithOutcomes(client, d, hasEnded))),
      );
      if (options.json) return views.forEach((view) => ctx.out(JSON.stringify(view)));
      if (views.length === 0) return ctx.out(noSchedules(ctx, options.databaseId));
      scheduleTable(views.map(scheduleRow)).forEach((line) => ctx.out(line));
      for (const view of views.filter((v) => v.lastRun && isFailure(v.lastRun))) {
        ctx.out('');
        ctx.out(`${view.scheduleId}: last run ${view.lastRun!.workflowId} ${outcomeInWords(view.lastRun!)}`);
        ctx.out(`  \`${commandLine(ctx, `schedule describe ${view.scheduleId}`)}\` shows its recent runs.`);
      }
    });
}

function describeCommand(ctx: CliContext): Command {
  return new Command('describe')
    .description('Show a schedule: its spec in words, time zone, next run times, recent runs and how they ended, paused state and note.')
    .argument('<id>', 'schedule id')
    .option('--json', 'print one JSON object')
    .action(async (scheduleId: string, options: { json?: boolean }) => {
      const view = await withSchedules(ctx, scheduleId, async (client) =>
        viewWithOutcomes(client, await client.schedule.getHandle(scheduleId).describe()),
      );
      if (options.json) return ctx.out(JSON.stringify(view));
      scheduleLines(view).forEach((line) => ctx.out(line));
      const ui = webUiLine(ctx, scheduleId);
      if (ui) ctx.out(`  ${ui}`);
    });
}

function checkCommand(ctx: CliContext): Command {
  return new Command('check')
    .description(
      'For monitors: exit 0 when the schedule (default: every backup schedule) is healthy; exit 1, saying why, ' +
        'when its latest run failed, it is paused, or no run completed within --within.',
    )
    .argument('[id]', 'schedule id (default: every backup schedule)')
    .option('--database-id <id>', 'without an id: only the schedules of this database')
    .option(
      '--within <duration>',
      'a run must have completed this recently, e.g. 26h (default: the longest gap between scheduled times plus the longest a run may take)',
    )
    .option('--json', 'print JSON lines, one per schedule')
    .action(async (scheduleId: string | undefined, options: { databaseId?: string; within?: string; json?: boolean }) => {
      let within: number | undefined;
      try {
        within = options.within === undefined ? undefined : parseDuration('--within', options.within);
      } catch (err) {
        throw new CliError(`Nothing was checked: ${(err as Error).message}`, EXIT.usage);
      }
      const now = new Date();
      const checked = await withSchedules(ctx, scheduleId ?? '', async (client) => {
        const descriptions = scheduleId
          ? [await client.schedule.getHandle(scheduleId).describe()]
          : await backupSchedules(client, options.databaseId);
        // Newest first up to the latest completed run: the last run's outcome and the last success.
        return Promise.all(
          descriptions.map(async (d) => {
            const view = await viewWithOutcomes(client, d, (outcome) => outcome.status === 'completed');
            return { view, health: scheduleHealth(view, now, within ?? defaultCheckWindowMs(d)) };
          }),
        );
      });
      ctx.exitCode = checked.every(({ health }) => health.healthy) ? EXIT.ok : EXIT.runFailed;
      if (options.json) return checked.forEach(({ view, health }) => ctx.out(JSON.stringify({ ...health, lastRun: view.lastRun })));
      if (checked.length === 0) return ctx.out(`${noSchedules(ctx, options.databaseId)} Nothing to check.`);
      for (const { health } of checked) {
        const [first, ...more] = health.problems;
        const label = first ? first.kind.toUpperCase() : 'OK';
        ctx.out(`${label.padEnd(7)} ${health.scheduleId}: ${first ? first.text : health.lastSuccess}`);
        if (!first) continue;
        for (const problem of more) ctx.out(`        ${problem.text}`);
        ctx.out(`        ${health.lastSuccess}`);
        const ui = webUiLine(ctx, health.scheduleId);
        ctx.out(`        \`${commandLine(ctx, `schedule describe ${health.scheduleId}`)}\` shows its recent runs${ui ? `; ${ui}` : ''}.`);
      }
    });
}

/** Describes first, so a missing schedule is a clear "not found" before anything is changed. */
async function existing(client: Client, scheduleId: string): Promise<{ handle: ScheduleHandle; before: ScheduleDescription }> {
  const handle = client.schedule.getHandle(scheduleId);
  return { handle, before: await handle.describe() };
}

function pauseCommand(ctx: CliContext, pause: boolean): Command {
  const verb = pause ? 'pause' : 'unpause';
  return new Command(verb)
    .description(
      pause
        ? 'Pause a schedule: no run starts until `schedule unpause`; running runs carry on.'
        : 'Unpause a schedule, so its runs start again.',
    )
    .argument('<id>', 'schedule id')
    .option('--note <text>', `why (shown by \`schedule describe\` and the Web UI)`)
    .action(async (scheduleId: string, options: { note?: string }) => {
      // A record kept by Temporal and read elsewhere: it names the tool, not this machine's way of running it.
      const note = options.note ?? `${pause ? 'Paused' : 'Unpaused'} with \`${CLI_NAME} schedule ${verb}\``;
      const said = options.note === undefined ? '' : ` (${options.note})`;
      const after = await withSchedules(ctx, scheduleId, async (client) => {
        const { handle } = await existing(client, scheduleId);
        await (pause ? handle.pause(note) : handle.unpause(note));
        return handle.describe();
      });
      const view = scheduleView(after);
      if (pause) {
        ctx.out(
          `Paused schedule ${scheduleId}${said}. No run starts until \`${commandLine(ctx, `schedule unpause ${scheduleId}`)}\`; running runs carry on.`,
        );
      } else {
        const next = view.nextRuns[0];
        ctx.out(`Unpaused schedule ${scheduleId}${said}.${next ? ` Next run: ${zonedTime(new Date(next), view.spec.timeZone)}.` : ''}`);
      }
    });
}

function triggerCommand(ctx: CliContext): Command {
  return new Command('trigger')
    .description('Start a run of the schedule now. The overlap policy applies: it is skipped while a run of the schedule is running.')
    .argument('<id>', 'schedule id')
    .action(async (scheduleId: string) => {
      const seen = await withSchedules(ctx, scheduleId, async (client) => {
        const { handle, before } = await existing(client, scheduleId);
        // The SDK's default for a trigger is ALLOW_ALL; the schedule's own policy is what we promise.
        await handle.trigger(before.policies.overlap ?? 'SKIP');
        return waitForScheduleAction(handle, before, waitOptions(ctx));
      });
      ctx.out(`Triggered schedule ${scheduleId}.`);
      reportAction(ctx, scheduleId, seen);
    });
}

function backfillCommand(ctx: CliContext): Command {
  return new Command('backfill')
    .description(
      'Take the runs of the scheduled times between --from and --to that were missed (e.g. while Temporal was down). ' +
        'The overlap policy applies, so a run is skipped while another runs: a backup is of the database as it is now.',
    )
    .argument('<id>', 'schedule id')
    .requiredOption('--from <time>', 'start of the range, ISO 8601: 2026-11-20 (00:00 UTC) or 2026-11-20T03:00:00Z / +01:00')
    .requiredOption('--to <time>', 'end of the range, ISO 8601, not in the future')
    .action(async (scheduleId: string, options: { from: string; to: string }) => {
      let range;
      try {
        range = backfillRange(options.from, options.to, new Date());
      } catch (err) {
        throw new CliError((err as Error).message, EXIT.usage);
      }
      const seen = await withSchedules(ctx, scheduleId, async (client) => {
        const { handle, before } = await existing(client, scheduleId);
        await handle.backfill({ start: range.start, end: range.end });
        return waitForScheduleAction(handle, before, waitOptions(ctx));
      });
      ctx.out(`Backfill of schedule ${scheduleId} from ${utcTime(range.start)} to ${utcTime(range.end)} requested.`);
      if (seen.started.length === 0 && seen.skipped === 0) {
        ctx.out(
          `No run seen: either no scheduled time falls in that range, or it is still being processed (\`${commandLine(ctx, `schedule describe ${scheduleId}`)}\`).`,
        );
      } else {
        reportAction(ctx, scheduleId, seen);
      }
    });
}

function deleteCommand(ctx: CliContext): Command {
  return new Command('delete')
    .description('Delete a schedule. Runs it started carry on, and no backup is deleted.')
    .argument('<id>', 'schedule id')
    .action(async (scheduleId: string) => {
      const running = await withSchedules(ctx, scheduleId, async (client) => {
        const { handle, before } = await existing(client, scheduleId);
        await handle.delete();
        return before.info.runningActions.map((run) => run.workflow.workflowId);
      });
      ctx.out(`Deleted schedule ${scheduleId}. No backup was deleted.`);
      for (const workflowId of running)
        ctx.out(`  Run ${workflowId} is still running; \`${commandLine(ctx, `cancel ${workflowId}`)}\` stops it.`);
    });
}

export function scheduleCommand(ctx: CliContext): Command {
  return new Command('schedule')
    .description('Recurring backups on Temporal Schedules: create, list, describe, check, pause, unpause, trigger, backfill, delete.')
    .addCommand(createCommand(ctx))
    .addCommand(listCommand(ctx))
    .addCommand(describeCommand(ctx))
    .addCommand(checkCommand(ctx))
    .addCommand(pauseCommand(ctx, true))
    .addCommand(pauseCommand(ctx, false))
    .addCommand(triggerCommand(ctx))
    .addCommand(backfillCommand(ctx))
    .addCommand(deleteCommand(ctx));
}
