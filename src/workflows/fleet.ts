// A fleet: a child run per database of a project (or a list), a handful at a time, its id derived so a retried fleet never
// starts one twice; a failure stops no other. After a batch it continues as new with what is left, so history stays bounded.
import {
  ChildWorkflowFailure,
  continueAsNew,
  log,
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import { PHASE_KEY, startingAttributes, WORKFLOW_TYPE } from '../shared/constants';
import { fleetCounts, runDetails, runSummary } from '../shared/describe';
import { roughDuration } from '../shared/durations';
import { ErrorType } from '../shared/errors';
import { failureReason } from '../shared/failure-reason';
import { childInput, DEFAULT_FLEET_CONCURRENCY, FleetInputSchema, problemsOf, problemText, type FleetInput } from '../shared/input';
import type { FleetEntry, FleetOutcome, FleetReport, RunResult } from '../shared/types';
import { metrics } from './interceptors';
import { fleetQuery } from './messages';
import { CALL, fail } from './options';
import type { backupAndRestoreDatabase } from './run';

const { listDatabases, runOutcome } = proxyActivities<Activities>(CALL);
/** Children started in one execution before the fleet continues as new. */
export const FLEET_BATCH = 250;
const DONE: Record<FleetInput['action'], FleetOutcome> = { drill: 'passed', restore: 'restored', backup: 'backed-up' };

export function totals(entries: FleetEntry[]): FleetReport['totals'] {
  const totals = { passed: 0, restored: 0, 'backed-up': 0, failed: 0, gone: 0, running: 0, waiting: 0 };
  for (const entry of entries) totals[entry.outcome ?? (entry.startedAt === undefined ? 'waiting' : 'running')]++;
  return totals;
}

/** The report as Markdown for the Web UI: totals, then the databases that did not pass. */
export function fleetDetails(report: FleetReport): string {
  const counts = fleetCounts(report.totals).join(', ') || 'nothing yet';
  const failed = report.entries.filter((e) => e.outcome === 'failed' || e.outcome === 'gone').slice(0, 50);
  const rows = failed.map((e) => `- \`${e.databaseId}\`: ${e.outcome}${e.errorType ? ` (${e.errorType})` : ''}`);
  return [`**Fleet ${report.action}**: ${report.listing ? 'listing the databases' : counts}.`, ...rows].join('\n');
}

type Carried = { entries: FleetEntry[]; startedAt: number };

export async function fleet(input: FleetInput, carried?: Carried): Promise<FleetReport> {
  const problems = problemsOf(FleetInputSchema, input);
  if (problems.length > 0) fail(ErrorType.InvalidInput, `The fleet's input was refused; nothing was started. ${problemText(problems)}`);
  const info = workflowInfo();
  const report: FleetReport = {
    action: input.action,
    startedAt: carried?.startedAt ?? info.startTime.getTime(),
    entries: carried?.entries ?? [],
    totals: totals([]),
  };
  const show = () => {
    report.totals = totals(report.entries);
    setCurrentDetails(fleetDetails(report));
  };
  setHandler(fleetQuery, () => report);
  if (!carried) {
    report.listing = true;
    show();
    const ids =
      input.databaseIds ??
      (input.action === 'restore' ? Object.keys(input.targets!) : await listDatabases({ projectId: input.projectId! }));
    report.entries = [...new Set(ids)].sort().map((databaseId) => ({ databaseId, workflowId: `${info.workflowId}-${databaseId}` }));
    report.listing = undefined;
  }
  show();
  const waiting = report.entries.filter((e) => e.outcome === undefined);
  const running = new Set<Promise<void>>();
  const concurrency = input.concurrency ?? DEFAULT_FLEET_CONCURRENCY;
  // Children get search attributes when the fleet has them: a server without them registered refuses them.
  const publish = info.typedSearchAttributes.get(PHASE_KEY) !== undefined;
  for (let started = 0; waiting.length > 0 && started < FLEET_BATCH; started++) {
    if (running.size >= concurrency) await Promise.race(running);
    const entry = waiting.shift()!;
    const one = runOne(input, entry, publish, show).finally(() => running.delete(one));
    running.add(one);
  }
  await Promise.all(running);
  if (waiting.length > 0) return continueAsNew<typeof fleet>(input, { entries: report.entries, startedAt: report.startedAt });
  report.endedAt = Date.now();
  show();
  const failed = report.entries.filter((e) => e.outcome === 'failed');
  if (failed.length > 0) {
    const which = failed.slice(0, 20).map((e) => `${e.databaseId} (${e.errorType})`);
    fail(ErrorType.FleetFailed, `${failed.length} of ${report.entries.length} databases failed: ${which.join(', ')}.`);
  }
  return report;
}

/** One database's run, to its end; its outcome goes into the entry, the metrics and the details. */
async function runOne(input: FleetInput, entry: FleetEntry, publish: boolean, show: () => void): Promise<void> {
  const args = childInput(input, entry.databaseId);
  entry.startedAt = Date.now();
  show();
  let result: RunResult | undefined;
  let error: { type: string; message: string } | undefined;
  try {
    const child = await startChild<typeof backupAndRestoreDatabase>(WORKFLOW_TYPE, {
      workflowId: entry.workflowId,
      args: [args],
      staticSummary: runSummary(args),
      staticDetails: runDetails(args),
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      ...(publish ? { typedSearchAttributes: startingAttributes(entry.databaseId) } : {}),
    });
    result = await child.result();
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      // A fleet retried after it had started this child: its outcome, never a second run.
      const earlier = await runOutcome({ workflowId: entry.workflowId });
      result = earlier.result as RunResult | undefined;
      error = earlier.error;
    } else if (err instanceof ChildWorkflowFailure) {
      error = failureReason(err);
    } else {
      throw err;
    }
  }
  const gone = error?.type === ErrorType.DatabaseNotFound;
  Object.assign(entry, {
    outcome: error ? (gone ? 'gone' : 'failed') : DONE[input.action],
    message: error?.message ?? result?.message,
    durationMs: Date.now() - entry.startedAt,
    ...(error ? { errorType: error.type } : {}),
    ...(result?.backupId ? { backupId: result.backupId } : {}),
    ...(result?.backupAgeMs !== undefined ? { backupAgeMs: result.backupAgeMs } : {}),
  });
  log.info('Fleet database done', { databaseId: entry.databaseId, outcome: entry.outcome, took: roughDuration(entry.durationMs!) });
  metrics.fleetDatabase({
    ...entry,
    action: input.action,
    ...(result?.backupCreatedAt ? { backupCreatedAt: result.backupCreatedAt } : {}),
  });
  show();
}
