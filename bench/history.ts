// Events per execution for backup waits of every length, in virtual time: Temporal's time-skipping
// test server, a worker in this process with the product's activities and prebuilt workflow bundle,
// and a simulator on the test server's clock, so a backup completes after hours of virtual time.
//
// Two stand-ins, both because the test server is not a full server:
// - it answers no visibility queries, so earlier runs' durations come from a stand-in for the runs
//   client that pastDurations reads (completed runs whose results carry timings.backupTookMs);
// - it skips time, but an activity's Date.now() is the machine's: within an activity attempt,
//   Date.now() here is the server's time (see activitiesOnServerTime).
import { asyncLocalStorage, type Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { seededRandom } from '../reliability/random';
import { startSimulator } from '../simulator';
import { createActivities } from '../src/activities';
import { createManagementApi, type ManagementApi } from '../src/api/client';
import { WORKFLOW_TYPE } from '../src/shared/constants';
import { runStartOptions } from '../src/runs/start';
import { WorkerMetrics } from '../src/temporal/metrics';
import type { backupAndRestoreDatabase } from '../src/workflows/run';
import { timeSkippingEnv } from '../test/support/temporal';
import { benchToken } from './bench-worker';
import { activityAttempts, type HistoryJson } from './history-events';
import { drawDuration, SPREAD } from './poll-efficiency';
import type { HistoryRow } from './results';
import { compiled } from '../reliability/worker-process';

const HOUR_MS = 3_600_000;

/**
 * Activities on the server's clock: each attempt of a wrapped activity first asks the server its
 * time, and from then on Date.now() inside that attempt is that time plus the real time since (on
 * the time-skipping server, virtual time, as the workflow sees it; it does not skip while an
 * activity runs). Date.now() elsewhere is untouched. (The attempt's currentAttemptScheduledTimestampMs
 * will not do: the test server sets it when the previous attempt failed, before the retry delay.)
 */
export function activitiesOnServerTime(serverTimeMs: () => Promise<number>) {
  const realNow = Date.now;
  const attempts = new WeakMap<object, { serverMs: number; realMs: number }>();
  Date.now = () => {
    const real = realNow();
    const info = (asyncLocalStorage.getStore() as Context | undefined)?.info;
    const at = info && attempts.get(info);
    return at ? at.serverMs + (real - at.realMs) : real;
  };
  return {
    wrap<A extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: A): A {
      return Object.fromEntries(
        Object.entries(activities).map(([name, activity]) => [
          name,
          async (...args: never[]) => {
            const serverMs = await serverTimeMs();
            attempts.set((asyncLocalStorage.getStore() as Context).info, { serverMs, realMs: realNow() });
            return activity(...args);
          },
        ]),
      ) as A;
    },
    undo() {
      Date.now = realNow;
    },
  };
}

/** The simulator's clock follows the activity calling it (Date.now() as activitiesOnServerTime sets it). */
function onServerTime(api: ManagementApi, setNow: (ms: number) => void): ManagementApi {
  return new Proxy(api, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        setNow(Date.now());
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** What pastDurations reads of visibility: completed runs of the database, each result with its backup's duration. */
export function earlierRunsClient(durationsMs: readonly number[]): Client {
  const runs = durationsMs.map((ms, i) => ({ workflowId: `earlier-${i}`, runId: `run-${i}`, result: { timings: { backupTookMs: ms } } }));
  const workflow = {
    async *list() {
      for (const { workflowId, runId } of runs) yield { workflowId, runId };
    },
    getHandle: (workflowId: string) => ({ result: async () => runs.find((r) => r.workflowId === workflowId)?.result }),
  };
  return { workflow } as unknown as Client;
}

type ServerClock = ReturnType<typeof activitiesOnServerTime>;

export interface HistoryWait {
  backupSeconds: number;
  /** Earlier completed runs of the database (durations ±20 % of this backup's), read before the wait: with some, the run predicts. */
  earlierRuns: number;
}

async function measureOne(env: TestWorkflowEnvironment, clock: ServerClock, wait: HistoryWait, index: number): Promise<HistoryRow> {
  const { backupSeconds, earlierRuns } = wait;
  const databaseId = `db_history${index}`;
  let now = await env.currentTimeMs();
  const token = benchToken();
  const sim = await startSimulator({ token, databases: [databaseId], backupDurationMs: backupSeconds * 1000, clock: () => now });
  const api = onServerTime(createManagementApi({ profile: 'seed', baseUrl: sim.url, token, idempotencyKeysHonoured: true }), (ms) => {
    now = Math.max(now, ms);
  });
  const random = seededRandom(7919 * (index + 1));
  const durations = Array.from({ length: earlierRuns }, () => drawDuration(backupSeconds * 1000, SPREAD, random));
  const taskQueue = `bench-history-${backupSeconds}-${earlierRuns}-${Date.now()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: { codePath: compiled('src', 'workflow-bundle.js') },
    activities: clock.wrap(createActivities(api, { runs: earlierRunsClient(durations) })),
    sinks: new WorkerMetrics().sinks(),
    shutdownGraceTime: '1s',
  });
  try {
    // The default poll policy, with a deadline past the wait so the run completes.
    const input = { profile: 'seed' as const, databaseId, poll: { deadlineMs: backupSeconds * 1000 + HOUR_MS } };
    const workflowId = `${taskQueue}-run`;
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof backupAndRestoreDatabase>(WORKFLOW_TYPE, {
        ...runStartOptions(input, { taskQueue, searchAttributes: false }),
        workflowId,
      }),
    );
    // Every execution of the chain, the latest first, should the run ever continue as new.
    const eventsPerExecution: number[] = [];
    let attempts = 0;
    let runId: string | undefined;
    do {
      const history = JSON.parse(historyToJSON(await env.client.workflow.getHandle(workflowId, runId).fetchHistory())) as HistoryJson;
      const events = history.events ?? [];
      eventsPerExecution.unshift(events.length);
      attempts += activityAttempts(history)
        .filter((a) => a.activity === 'awaitBackup')
        .reduce((sum, a) => sum + a.attempts, 0);
      runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    } while (runId);
    return {
      backupSeconds,
      earlierRuns,
      eventsPerExecution,
      listCalls: sim.requests.filter((request) => request.operation === 'listDatabaseBackups').length,
      waitAttempts: attempts,
      waitedSeconds: Math.round(result.timings.waitedForBackupMs / 1000),
      outcome: `${result.restoreStatus}, pollsMade ${result.pollsMade}`,
    };
  } finally {
    await sim.close();
  }
}

/** One run per wait, each on a worker of its own, on one time-skipping server. */
export async function measureHistory(waits: HistoryWait[], onRow: (row: HistoryRow) => void): Promise<HistoryRow[]> {
  const env = await timeSkippingEnv();
  const clock = activitiesOnServerTime(() => env.currentTimeMs());
  try {
    const rows: HistoryRow[] = [];
    for (const [index, wait] of waits.entries()) {
      const row = await measureOne(env, clock, wait, index);
      rows.push(row);
      onRow(row);
    }
    return rows;
  } finally {
    clock.undo();
    await env.teardown();
  }
}
