// Many concurrent runs on one compiled worker process against the benchmark's dev server and a
// simulator, beside as many no-op workflows waiting the same way (bench/noop-workflow.ts): the same
// activities, each attempted as often, the waits' attempts as far apart.
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { startSimulator, type Simulator } from '../simulator';
import { WORKFLOW_TYPE } from '../src/shared/constants';
import type { PollSettings } from '../src/shared/input';
import { resolvePollPolicy } from '../src/shared/policy';
import { runStartOptions } from '../src/runs/start';
import { benchWorker, inLanes, type BenchWorld } from './bench-worker';
import { noopSteps, workflowTaskScheduleToStartMs, type HistoryJson } from './history-events';
import type { benchNoopWorkflow, NoopStep } from './noop-workflow';
import { cpuSecondsOf, memoryBytes } from './proc';
import { requestsDelta } from './server-metrics';
import type { ScaleMeasure, ScaleRow } from './results';
import { percentile } from './stats';

export interface ScaleOptions {
  counts: number[];
  /** How long each run's backup takes: with `poll`, a run's wait is a handful of looks. */
  backupDurationMs: number;
  poll: PollSettings;
  /** Histories read per phase for the schedule-to-start and event figures. */
  sampledRuns: number;
  /** Starts in flight at once. */
  startConcurrency: number;
}

export async function historyOf(handle: WorkflowHandle): Promise<HistoryJson> {
  return JSON.parse(historyToJSON(await handle.fetchHistory())) as HistoryJson;
}

type Phase = 'workflow' | 'noop';

const METRICS_FLUSH_MS = 3_000;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class ScaleBench {
  private phases = 0;

  constructor(
    private readonly world: BenchWorld,
    private readonly sim: Simulator,
    private readonly options: ScaleOptions,
  ) {}

  private start(phase: Phase, taskQueue: string, index: number, steps: NoopStep[]): Promise<WorkflowHandle> {
    const workflowId = `${taskQueue}-${index}`;
    if (phase === 'noop') {
      return this.world.client.workflow.start<typeof benchNoopWorkflow>('benchNoopWorkflow', { taskQueue, workflowId, args: [steps] });
    }
    const databaseId = `db_${taskQueue.replace(/\W/g, '')}${index}`;
    this.sim.addDatabase(databaseId);
    return this.world.client.workflow.start(WORKFLOW_TYPE, {
      ...runStartOptions({ profile: 'seed', databaseId, poll: this.options.poll }, { taskQueue }),
      workflowId,
    });
  }

  /** `count` runs of one kind on a fresh worker process, from the first start to the last close. */
  async measure(phase: Phase, count: number, steps: NoopStep[]): Promise<{ measure: ScaleMeasure; handles: WorkflowHandle[] }> {
    const taskQueue = `bench-${phase}-${count}-${Date.now()}-${++this.phases}`;
    const worker = benchWorker(this.world, {
      kind: phase === 'noop' ? 'noop' : 'product',
      taskQueue,
      api: { url: this.sim.url, profile: 'seed' },
      logName: `scale-${phase}-${count}`,
    });
    await worker.start();
    const pid = worker.pid!;
    const workerIdleRssMB = memoryBytes(pid, 'VmRSS') / 1e6;
    const serverPid = this.world.server.pid!;
    try {
      const requestsBefore = await this.world.serverRequests?.();
      const cpuBefore = cpuSecondsOf(serverPid);
      const workerCpuBefore = cpuSecondsOf(pid);
      const startedAt = Date.now();
      const handles = await inLanes(count, this.options.startConcurrency, (index) => this.start(phase, taskQueue, index, steps));
      const outcomes = await Promise.allSettled(handles.map((handle) => handle.result()));
      const wallSeconds = (Date.now() - startedAt) / 1000;
      const serverCpuSeconds = cpuSecondsOf(serverPid) - cpuBefore;
      // The server's metrics are flushed about every second: read them once they have caught up.
      const requestsAfter = requestsBefore && (await delay(METRICS_FLUSH_MS).then(() => this.world.serverRequests?.()));
      const workerPeakRssMB = memoryBytes(pid, 'VmHWM') / 1e6;
      const workerCpuSeconds = cpuSecondsOf(pid) - workerCpuBefore;
      // Evenly spread over the runs, so early and late starts are both in the sample.
      const sampledRuns = Math.min(this.options.sampledRuns, count);
      const sampled = Array.from({ length: sampledRuns }, (_, i) => handles[Math.floor((i * count) / sampledRuns)]);
      const histories = await Promise.all(sampled.map(historyOf));
      const gaps = histories.flatMap(workflowTaskScheduleToStartMs);
      return {
        handles,
        measure: {
          runs: count,
          completed: outcomes.filter((outcome) => outcome.status === 'fulfilled').length,
          wallSeconds,
          workerPeakRssMB,
          workerIdleRssMB,
          workerCpuSeconds,
          scheduleToStartP50Ms: percentile(gaps, 50),
          scheduleToStartP99Ms: percentile(gaps, 99),
          workflowTasksSampled: gaps.length,
          eventsPerRun: histories.reduce((sum, h) => sum + (h.events?.length ?? 0), 0) / Math.max(histories.length, 1),
          sampledRuns,
          serverCpuSeconds,
          ...(requestsBefore && requestsAfter ? { serverRequestsPerRun: requestsDelta(requestsBefore, requestsAfter, count) } : {}),
        },
      };
    } finally {
      await worker.stop();
    }
  }
}

/**
 * One run first, alone, gives the steps the no-op takes (and warms the server up); then each count,
 * the product's runs then the no-op's. `onRow` hears of each count as it is done.
 */
export async function measureScale(world: BenchWorld, options: ScaleOptions, onRow: (row: ScaleRow) => void): Promise<ScaleRow[]> {
  const sim = await startSimulator({ token: world.token, databases: [], backupDurationMs: options.backupDurationMs, requestLogLimit: 0 });
  try {
    const bench = new ScaleBench(world, sim, options);
    const { handles } = await bench.measure('workflow', 1, []);
    const steps = noopSteps(await historyOf(handles[0]), resolvePollPolicy(options.poll));
    const rows: ScaleRow[] = [];
    for (const count of options.counts) {
      const workflow = (await bench.measure('workflow', count, steps)).measure;
      const noop = (await bench.measure('noop', count, steps)).measure;
      const row = { runs: count, steps, workflow, noop };
      rows.push(row);
      onRow(row);
    }
    return rows;
  } finally {
    await sim.close();
  }
}
