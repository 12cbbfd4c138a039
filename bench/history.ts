// Events per execution for long backup waits, in virtual time: Temporal's time-skipping test server,
// and a simulator whose clock is that server's, so its backup completes after hours of virtual time.
import { Context } from '@temporalio/activity';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startSimulator } from '../simulator';
import { createManagementApi, type ManagementApi } from '../src/api';
import { WORKFLOW_TYPE } from '../src/shared/constants';
import { runStartOptions } from '../src/runs/start-run';
import { createBackupWorker } from '../src/temporal/create-worker';
import type { backupAndRestoreDatabase } from '../src/workflows/backup-and-restore';
import { timeSkippingEnv } from '../test/support/temporal';
import { benchToken } from './bench-worker';
import type { HistoryJson } from './history-events';
import type { HistoryRow } from './results';

const DATABASE = 'db_bench';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The API as the worker's activities call it, moving `clock` to the activity's scheduled time (the
 * test server's virtual time) before each call, so the simulator sees the time the run sees.
 */
function onVirtualTime(api: ManagementApi, setNow: (ms: number) => void): ManagementApi {
  return new Proxy(api, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        setNow(Context.current().info.currentAttemptScheduledTimestampMs);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function measureOne(env: TestWorkflowEnvironment, code: string, wait: HistoryWait): Promise<HistoryRow> {
  const { backupSeconds, earlierBackups } = wait;
  const startedAt = await env.currentTimeMs();
  let now = startedAt;
  const token = benchToken();
  const sim = await startSimulator({ token, databases: [DATABASE], backupDurationMs: backupSeconds * 1000, clock: () => now });
  const plainApi = createManagementApi({ profile: 'seed', baseUrl: sim.url, token, idempotencyKeysHonoured: true });
  // Earlier backups of the same duration, one a day before the run, for the run to predict from.
  for (let day = earlierBackups; day >= 1; day -= 1) {
    now = startedAt - day * DAY_MS;
    await plainApi.createBackup(DATABASE, undefined, {});
  }
  now = startedAt;
  const api = onVirtualTime(plainApi, (ms) => (now = ms));
  const taskQueue = `bench-history-${backupSeconds}-${earlierBackups}`;
  const worker = await createBackupWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    api,
    taskQueue,
    workflowBundle: { code },
    shutdownGraceTime: '1s',
  });
  try {
    // The default poll policy, with a deadline past the wait so the run completes.
    const input = { profile: 'seed' as const, databaseId: DATABASE, poll: { deadlineMs: backupSeconds * 1000 + HOUR_MS } };
    const workflowId = `${taskQueue}-${Date.now()}`;
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof backupAndRestoreDatabase>(WORKFLOW_TYPE, {
        ...runStartOptions(input, { taskQueue, searchAttributes: false }),
        workflowId,
      }),
    );
    // Every execution of the chain, the latest first, in case the run continued as new.
    const eventsPerExecution: number[] = [];
    let runId: string | undefined;
    do {
      const history = JSON.parse(historyToJSON(await env.client.workflow.getHandle(workflowId, runId).fetchHistory())) as HistoryJson;
      const events = history.events ?? [];
      eventsPerExecution.unshift(events.length);
      runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    } while (runId);
    return {
      backupSeconds,
      earlierBackups,
      eventsPerExecution,
      listCalls: sim.requests.filter((request) => request.operation === 'listDatabaseBackups').length,
      outcome: `${result.restoreStatus}, ${result.pollsMade} polls`,
    };
  } finally {
    await sim.close();
  }
}

export interface HistoryWait {
  backupSeconds: number;
  /** Completed backups of the same duration in the list before the run: with some, the run predicts. */
  earlierBackups: number;
}

/** One run per wait, each on a worker of its own, on one time-skipping server. */
export async function measureHistory(code: string, waits: HistoryWait[], onRow: (row: HistoryRow) => void): Promise<HistoryRow[]> {
  const env = await timeSkippingEnv();
  try {
    const rows: HistoryRow[] = [];
    for (const wait of waits) {
      const row = await measureOne(env, code, wait);
      rows.push(row);
      onRow(row);
    }
    return rows;
  } finally {
    await env.teardown();
  }
}
