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

async function measureOne(env: TestWorkflowEnvironment, code: string, backupSeconds: number): Promise<HistoryRow> {
  let now = await env.currentTimeMs();
  const token = benchToken();
  const sim = await startSimulator({ token, databases: [DATABASE], backupDurationMs: backupSeconds * 1000, clock: () => now });
  const api = onVirtualTime(
    createManagementApi({ profile: 'seed', baseUrl: sim.url, token, idempotencyKeysHonoured: true }),
    (ms) => (now = ms),
  );
  const taskQueue = `bench-history-${backupSeconds}`;
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
      eventsPerExecution,
      listCalls: sim.requests.filter((request) => request.operation === 'listDatabaseBackups').length,
      outcome: `${result.restoreStatus}, ${result.pollsMade} polls`,
    };
  } finally {
    await sim.close();
  }
}

/** One run per wait in `backupSeconds`, each on a worker of its own, on one time-skipping server. */
export async function measureHistory(code: string, backupSeconds: number[], onRow: (row: HistoryRow) => void): Promise<HistoryRow[]> {
  const env = await timeSkippingEnv();
  try {
    const rows: HistoryRow[] = [];
    for (const seconds of backupSeconds) {
      const row = await measureOne(env, code, seconds);
      rows.push(row);
      onRow(row);
    }
    return rows;
  } finally {
    await env.teardown();
  }
}
