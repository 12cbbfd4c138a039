// Many concurrent runs on one worker process against the benchmark's dev server and a simulator,
// beside the same number of no-op workflows of the same length (bench/noop-workflow.ts).
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { startSimulator, type Simulator } from '../simulator';
import { WORKFLOW_TYPE } from '../src/shared/constants';
import { runStartOptions } from '../src/runs/start-run';
import type { BackupAndRestoreInput } from '../src/shared/workflow-types';
import { benchWorker, type BenchWorld } from './bench-worker';
import { timerDurationsMs, workflowTaskScheduleToStartMs, type HistoryJson } from './history-events';
import type { benchNoopWorkflow } from './noop-workflow';
import { cpuSecondsOf, memoryBytes } from './proc';
import type { ScaleMeasure, ScaleRow } from './results';
import { percentile } from './stats';

export interface ScaleOptions {
  counts: number[];
  /** How long each run's backup takes: with `poll`, a run is a handful of polls. */
  backupDurationMs: number;
  poll: BackupAndRestoreInput['poll'];
  /** Histories read per phase for the schedule-to-start figures. */
  sampledRuns: number;
  /** Starts in flight at once. */
  startConcurrency: number;
}

/** Calls `task` for 0…count-1 with at most `concurrency` in flight; the results in order. */
async function inBatches<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return results;
}

async function historyOf(handle: WorkflowHandle): Promise<HistoryJson> {
  return JSON.parse(historyToJSON(await handle.fetchHistory())) as HistoryJson;
}

type Phase = 'workflow' | 'noop';

class ScaleBench {
  private phases = 0;

  constructor(
    private readonly world: BenchWorld,
    private readonly sim: Simulator,
    private readonly options: ScaleOptions,
  ) {}

  private start(phase: Phase, taskQueue: string, index: number, timersMs: number[]): Promise<WorkflowHandle> {
    const workflowId = `${taskQueue}-${index}`;
    if (phase === 'noop') {
      return this.world.client.workflow.start<typeof benchNoopWorkflow>('benchNoopWorkflow', { taskQueue, workflowId, args: [timersMs] });
    }
    const databaseId = `db_${taskQueue.replace(/\W/g, '')}${index}`;
    this.sim.addDatabase(databaseId);
    return this.world.client.workflow.start(WORKFLOW_TYPE, {
      ...runStartOptions({ profile: 'seed', databaseId, poll: this.options.poll }, { taskQueue }),
      workflowId,
    });
  }

  /** `count` runs of one kind on a fresh worker process, from the first start to the last close. */
  async measure(phase: Phase, count: number, timersMs: number[]): Promise<{ measure: ScaleMeasure; handles: WorkflowHandle[] }> {
    const taskQueue = `bench-${phase}-${count}-${Date.now()}-${++this.phases}`;
    const worker = benchWorker({
      sim: this.sim,
      token: this.world.token,
      temporalAddress: this.world.server.address,
      taskQueue,
      bundlePath: this.world.bundlePath,
      logFile: path.join(this.world.logsDir, `scale-${phase}-${count}.log`),
    });
    await worker.start();
    const workerIdleRssMB = memoryBytes(worker.pid!, 'VmRSS') / 1e6;
    const serverPid = this.world.server.pid!;
    try {
      const cpuBefore = cpuSecondsOf(serverPid);
      const startedAt = Date.now();
      const handles = await inBatches(count, this.options.startConcurrency, (index) => this.start(phase, taskQueue, index, timersMs));
      const outcomes = await Promise.allSettled(handles.map((handle) => handle.result()));
      const wallSeconds = (Date.now() - startedAt) / 1000;
      const serverCpuSeconds = cpuSecondsOf(serverPid) - cpuBefore;
      const workerPeakRssMB = memoryBytes(worker.pid!, 'VmHWM') / 1e6;
      const workerCpuSeconds = cpuSecondsOf(worker.pid!);
      // Evenly spread over the runs, so early and late starts are both in the sample.
      const sampled = Array.from(
        { length: Math.min(this.options.sampledRuns, count) },
        (_, i) => handles[Math.floor((i * count) / Math.min(this.options.sampledRuns, count))],
      );
      const gaps = (await Promise.all(sampled.map(historyOf))).flatMap(workflowTaskScheduleToStartMs);
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
          sampledRuns: sampled.length,
          serverCpuSeconds,
        },
      };
    } finally {
      await worker.stop();
    }
  }
}

/**
 * Each count, workflow then no-op. One run first, alone, gives the timers the no-op sleeps (and
 * warms the server up); `onRow` hears of each count as it is done.
 */
export async function measureScale(world: BenchWorld, options: ScaleOptions, onRow: (row: ScaleRow) => void): Promise<ScaleRow[]> {
  const sim = await startSimulator({ token: world.token, databases: [], backupDurationMs: options.backupDurationMs, requestLogLimit: 0 });
  try {
    const bench = new ScaleBench(world, sim, options);
    const { handles } = await bench.measure('workflow', 1, []);
    const timersMs = timerDurationsMs(await historyOf(handles[0]));
    const rows: ScaleRow[] = [];
    for (const count of options.counts) {
      const workflow = (await bench.measure('workflow', count, timersMs)).measure;
      const noop = (await bench.measure('noop', count, timersMs)).measure;
      const row = { runs: count, timersMs, workflow, noop };
      rows.push(row);
      onRow(row);
    }
    return rows;
  } finally {
    await sim.close();
  }
}
