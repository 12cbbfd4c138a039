// Watching a run or a fleet: its status query and a wait's pending activity, as one line; then how it ended.
import { defaultPayloadConverter } from '@temporalio/common';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { FLEET_WORKFLOW_TYPE } from '../shared/constants';
import { fleetCounts } from '../shared/describe';
import { roughDuration } from '../shared/durations';
import { failureReason, type FailureReason } from '../shared/failure-reason';
import type { FleetReport, RunStatus } from '../shared/types';
import { fleetQuery, statusQuery } from '../workflows/messages';
import { commandLine, EXIT, type CliContext, type LineFields } from './context';
import { inCliTerms } from './temporal-errors';

/** A wait's progress, from its pending activity. */
export type Pending = { looks: number; lastLook?: string; nextLookAt?: number };

/** A query waits for a worker; give up after this long, so a run nobody works on is noticed. */
const QUERY_TIMEOUT_MS = 5_000;
const NO_WORKER_HINT_AFTER_MS = 10_000;
/** What a run or a fleet says of itself. */
type Progress = { status?: RunStatus; report?: FleetReport; pending?: Pending };

/** What a run or a fleet says of itself now; undefined when no worker answers. */
export async function progressOf(handle: WorkflowHandle, type: string): Promise<Progress | undefined> {
  const ask = <T>(query: Parameters<WorkflowHandle['query']>[0]) =>
    handle.client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query<T>(query as never)).catch(() => undefined);
  if (type === FLEET_WORKFLOW_TYPE) {
    const report = await ask<FleetReport>(fleetQuery);
    return report && { report };
  }
  const status = await ask<RunStatus>(statusQuery);
  if (!status) return undefined;
  if (!status.wait) return { status };
  const description = await handle.describe().catch(() => undefined);
  const activity = description?.raw.pendingActivities?.find((a) => /^await/.test(a.activityType?.name ?? ''));
  if (!activity) return { status };
  const [payload] = activity.heartbeatDetails?.payloads ?? [];
  const details = payload ? defaultPayloadConverter.fromPayload<{ looks?: number }>(payload) : undefined;
  const [lastLook, next] = [activity.lastFailure?.message, activity.nextAttemptScheduleTime?.seconds];
  const pending = { looks: details?.looks ?? 0, ...(lastLook ? { lastLook } : {}), ...(next ? { nextLookAt: Number(next) * 1000 } : {}) };
  return { status, pending };
}

/** One line of where a run is, e.g. "waiting-for-backup · backup bkp_1 · 3 looks · next look in 40s · elapsed 1m20s". Pure. */
export function progressLine(status: RunStatus, pending: Pending | undefined, now: number): string {
  const parts: string[] = [status.phase];
  if (status.backupId) parts.push(`backup ${status.backupId}`);
  const into = status.createdDatabaseId ?? status.targetDatabaseId;
  if (into && status.restoreStep)
    parts.push(`into ${into}: ${status.restoreStep}${status.restoreAttempts ? `, ${status.restoreAttempts} attempted` : ''}`);
  if (status.referenceDatabaseId) parts.push(`reference ${status.referenceDatabaseId}`);
  if (pending) {
    parts.push(`${pending.looks} look${pending.looks === 1 ? '' : 's'}`);
    if (pending.lastLook) parts.push(`last: ${pending.lastLook.replace(/; next look in .*$/, '').slice(0, 120)}`);
    if (pending.nextLookAt) parts.push(`next look in ${roughDuration(pending.nextLookAt - now)}`);
  }
  if (status.wait) parts.push(`gives up in ${roughDuration(status.wait.deadlineAt - now)}`);
  if (status.approvalDeadlineAt) parts.push(`approval needed within ${roughDuration(status.approvalDeadlineAt - now)}`);
  parts.push(`elapsed ${roughDuration((status.endedAt ?? now) - status.runStartedAt)}`);
  return parts.join(' · ');
}

/** The fleet's totals in one line. Pure. */
export function fleetLine(report: FleetReport, now: number): string {
  const elapsed = `elapsed ${roughDuration((report.endedAt ?? now) - report.startedAt)}`;
  return [`fleet ${report.action}`, report.listing ? 'listing databases' : fleetCounts(report.totals).join(' · '), elapsed].join(' · ');
}

/** A run's or a fleet's progress in one line. */
export const progressText = (progress: Progress, now: number) =>
  progress.report ? fleetLine(progress.report, now) : progressLine(progress.status!, progress.pending, now);

/** The report, a line per database. */
export function printReport(ctx: CliContext, report: FleetReport): void {
  for (const e of report.entries) {
    const age = e.backupAgeMs === undefined ? '' : ` · backup ${e.backupId} (${roughDuration(e.backupAgeMs)} old)`;
    const took = e.durationMs === undefined ? '' : ` · ${roughDuration(e.durationMs)}`;
    const why = e.outcome === 'failed' || e.outcome === 'gone' ? ` · ${e.errorType}: ${e.message}` : '';
    ctx.out(`  ${e.databaseId.padEnd(24)} ${e.outcome ?? 'not run'}${age}${took}${why}`);
  }
  ctx.out(`  ${fleetLine(report, Date.now())}`);
}

/** How it ended: the result, or the typed failure. Returns the exit code. */
export function printEnd(
  ctx: CliContext,
  type: string,
  end: { result?: unknown; failure?: FailureReason; report?: FleetReport },
  json: boolean,
  fields?: LineFields,
): number {
  const report = type === FLEET_WORKFLOW_TYPE ? ((end.result as FleetReport | undefined) ?? end.report) : undefined;
  const { failure, result } = end;
  const event = failure ? { event: 'failed', error: failure, ...(report ? { report } : {}) } : { event: 'completed', result };
  if (json) ctx.out(JSON.stringify(event), fields);
  else {
    if (report) printReport(ctx, report);
    else if (result) ctx.out(`Result:\n${JSON.stringify(result, null, 2)}`, fields);
    if (failure) ctx.out(`✖ [${failure.type}] ${failure.message}`, fields);
  }
  return failure ? EXIT.failed : EXIT.ok;
}

/** The run's (or fleet's) outcome once it ended; a fleet's report comes from its query when it failed. */
export async function outcomeOf(handle: WorkflowHandle, type: string) {
  try {
    return { result: await handle.result() };
  } catch (err) {
    const failure = failureReason(err);
    const report = type === FLEET_WORKFLOW_TYPE ? (await progressOf(handle, type))?.report : undefined;
    return { failure, ...(report ? { report } : {}) };
  }
}

/** Follows until the end: a redrawn line on a terminal, a line per change otherwise, JSON lines with --json. */
export async function follow(ctx: CliContext, handle: WorkflowHandle, type: string, json = false, about: LineFields = {}): Promise<number> {
  const { workflowId } = handle;
  // Every JSON log line about the run names it and its database.
  const fields: LineFields = { workflowId, ...about };
  let ended = false;
  const outcome = outcomeOf(handle, type).finally(() => (ended = true));
  const stop = ctx.onInterrupt?.(() => {
    ctx.redraw?.(undefined);
    ctx.err(`Stopped following ${workflowId}; it goes on. \`watch ${workflowId}\` follows it again, \`cancel ${workflowId}\` stops it.`);
  });
  let last = '';
  let lastAnswer = Date.now();
  let hinted = false;
  while (!ended) {
    const now = Date.now();
    const progress = await progressOf(handle, type);
    if (progress) {
      lastAnswer = now;
      const line = progressText(progress, now);
      const change = line.replace(/ · (next look in|gives up in|elapsed|approval needed within) [^ ·]+/g, '');
      if (json) {
        if (change !== last) ctx.out(JSON.stringify({ event: 'status', workflowId, ...progress }), fields);
      } else if (ctx.redraw) ctx.redraw(line);
      else if (change !== last) ctx.out(`  ${line}`, fields);
      last = change;
    } else if (!hinted && now - lastAnswer >= NO_WORKER_HINT_AFTER_MS) {
      hinted = true;
      ctx.err(
        `${workflowId} has not answered for ${Math.round((now - lastAnswer) / 1000)}s: is a worker running (\`npm run worker\`)? Still waiting.`,
        fields,
      );
    }
    await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, ctx.followIntervalMs))]);
  }
  stop?.();
  ctx.redraw?.(undefined);
  return printEnd(ctx, type, await outcome, json, fields);
}

/** The Web UI's base URL: TEMPORAL_UI_URL, or the dev server's for a local address. */
export function webUiBase(address: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TEMPORAL_UI_URL) return env.TEMPORAL_UI_URL.replace(/\/+$/, '');
  const [host, port] = address.split(':');
  return ['127.0.0.1', 'localhost'].includes(host) && port === '7233' ? 'http://127.0.0.1:8233' : undefined;
}

export const workflowUrl = (base: string, namespace: string, workflowId: string) =>
  `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;

/** Starts it, says where to watch it, and follows it unless --detach; returns the exit code. */
export async function startAndFollow(
  ctx: CliContext,
  type: string,
  start: (client: Client) => Promise<WorkflowHandle & { firstExecutionRunId: string }>,
  options: { detach?: boolean; json?: boolean },
  what: { subject: string; hint?: string; databaseId?: string },
): Promise<number> {
  const client = await ctx.client();
  const handle = await inCliTerms(start(client), ctx);
  const { workflowId } = handle;
  const fields: LineFields = { workflowId, runId: handle.firstExecutionRunId, ...(what.databaseId ? { databaseId: what.databaseId } : {}) };
  const ui = webUiBase(ctx.temporal.address);
  const link = ui ? workflowUrl(ui, ctx.temporal.namespace, workflowId) : undefined;
  if (options.json) ctx.out(JSON.stringify({ event: 'started', workflowId, webUi: link }), fields);
  else {
    ctx.out(`Started ${workflowId} (${what.subject}).`, fields);
    ctx.out(link ? `Watch it in the Temporal Web UI: ${link}` : 'Set TEMPORAL_UI_URL to get a Web UI link.', fields);
    if (what.hint) ctx.out(what.hint, fields);
  }
  if (!options.detach) return follow(ctx, handle, type, options.json, fields);
  const taskQueue = { namespace: ctx.temporal.namespace, taskQueue: { name: ctx.taskQueue } };
  const { pollers } = await client.workflowService.describeTaskQueue(taskQueue).catch(() => ({ pollers: undefined }));
  // Detached, nobody watches it: say now if nothing will pick it up.
  if (pollers && pollers.length === 0)
    ctx.err(`No worker polls task queue ${ctx.taskQueue}: it waits until one does (\`npm run worker\`).`);
  if (!options.json) ctx.out(`Follow it with \`${commandLine(ctx, `watch ${workflowId}`)}\`.`);
  return EXIT.ok;
}
