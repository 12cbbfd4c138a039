// Fleets on one compiled worker: a drill fleet (one child run per database, `concurrency` at a
// time) against as many independent drills started by this process under the same bound (a
// semaphore of `concurrency` lanes); and a large fleet's parent, whose history is reported per
// execution (it continues as new every FLEET_BATCH children). The simulator holds the databases as
// records (metadata mode): a drill's scratch database is reached at one shared empty PGlite.
import type { WorkflowHandle } from '@temporalio/client';
import { startSimulator, type PrismaSimulator } from '../simulator';
import { childInput, type FleetInput, type PollSettings } from '../src/shared/input';
import type { FleetReport } from '../src/shared/types';
import { startFleet, startRun } from '../src/runs/start';
import { benchWorker, inLanes, type BenchWorld } from './bench-worker';
import { type HistoryJson } from './history-events';
import { cpuSecondsOf, memoryBytes } from './proc';
import { median, percentile } from './stats';
import type { FleetMeasure, FleetResult } from './results';
import { historyOf } from './scale';

export interface FleetOptions {
  databases: number;
  concurrency: number;
  /** A fleet this large for its parent's history (past FLEET_BATCH it continues as new); none when undefined. */
  parentDatabases?: number;
  parentConcurrency: number;
  /** How long a new database stays provisioning in the simulator. */
  provisioningMs: number;
  poll: PollSettings;
}

/** The events of every execution of a workflow's chain, oldest first. */
export async function eventsPerExecution(world: BenchWorld, workflowId: string): Promise<number[]> {
  const counts: number[] = [];
  let runId: string | undefined;
  do {
    const history: HistoryJson = await historyOf(world.client.workflow.getHandle(workflowId, runId));
    const events = history.events ?? [];
    counts.unshift(events.length);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
  } while (runId);
  return counts;
}

/** `work` on a fresh product worker, from its first start to its end, with the worker's and the server's figures. */
async function measured<T>(
  world: BenchWorld,
  sim: PrismaSimulator,
  logName: string,
  taskQueue: string,
  work: () => Promise<{ runs: number; passed: number; drillsMs: number[]; extra: T }>,
): Promise<FleetMeasure & { extra: T }> {
  const worker = benchWorker(world, { kind: 'product', taskQueue, api: { url: sim.url, profile: 'prisma' }, logName });
  await worker.start();
  const pid = worker.pid!;
  const serverPid = world.server.pid!;
  try {
    const workerIdleRssMB = memoryBytes(pid, 'VmRSS') / 1e6;
    const [serverBefore, workerBefore] = [cpuSecondsOf(serverPid), cpuSecondsOf(pid)];
    const startedAt = Date.now();
    const { runs, passed, drillsMs, extra } = await work();
    return {
      runs,
      passed,
      drillMedianSeconds: median(drillsMs) / 1000,
      drillP95Seconds: percentile(drillsMs, 95) / 1000,
      wallSeconds: (Date.now() - startedAt) / 1000,
      workerPeakRssMB: memoryBytes(pid, 'VmHWM') / 1e6,
      workerIdleRssMB,
      workerCpuSeconds: cpuSecondsOf(pid) - workerBefore,
      serverCpuSeconds: cpuSecondsOf(serverPid) - serverBefore,
      extra,
    };
  } finally {
    await worker.stop();
  }
}

export async function measureFleet(world: BenchWorld, options: FleetOptions, onPart: (part: string) => void): Promise<FleetResult> {
  const sim = (await startSimulator({
    profile: 'prisma',
    token: world.token,
    databases: [],
    provisioningMs: options.provisioningMs,
    recoveryMs: options.provisioningMs,
    requestLogLimit: 0,
  })) as PrismaSimulator;
  const tag = Date.now().toString(36);
  const drillFleet = (projectId: string, concurrency: number): FleetInput => ({
    profile: 'prisma',
    action: 'drill',
    projectId,
    concurrency,
    poll: options.poll,
  });
  /** A project of its own with `count` databases, each with a completed backup: no run of theirs has history. */
  const project = (name: string, count: number) => {
    const projectId = `proj_${name}${tag}`;
    sim.addProject(projectId);
    const ids = sim.addDatabases({ count, projectId, prefix: `${name}${tag}`, backup: {} });
    return { projectId, ids };
  };
  const runFleet = async (kind: string, count: number, concurrency: number) => {
    const { projectId } = project(kind, count);
    const taskQueue = `bench-fleet-${kind}-${tag}`;
    const workflowId = `fleet-${kind}-${tag}`;
    return measured(world, sim, `fleet-${kind}`, taskQueue, async () => {
      const handle: WorkflowHandle = await startFleet(world.client, drillFleet(projectId, concurrency), workflowId, { taskQueue });
      const report = (await handle.result()) as FleetReport;
      return {
        runs: report.entries.length,
        passed: report.totals.passed,
        drillsMs: report.entries.flatMap((entry) => (entry.durationMs === undefined ? [] : [entry.durationMs])),
        extra: await eventsPerExecution(world, workflowId),
      };
    });
  };
  try {
    // One drill first, unmeasured: the simulator starts its shared PGlite at the first connection,
    // and the server and worker code warm up, so neither measured phase pays for that alone.
    const warm = project('warm', 1);
    await measured(world, sim, 'fleet-warm-up', `bench-warm-${tag}`, async () => {
      const handle = await startRun(world.client, childInput(drillFleet(warm.projectId, 1), warm.ids[0]), `warm-${tag}`, {
        taskQueue: `bench-warm-${tag}`,
      });
      await handle.result();
      return { runs: 1, passed: 1, drillsMs: [], extra: undefined };
    });
    const { extra: fleetEvents, ...fleet } = await runFleet('fleet', options.databases, options.concurrency);
    onPart(`fleet of ${options.databases}: ${fleet.wallSeconds.toFixed(1)} s, ${fleet.passed} passed`);
    const { projectId: aloneProject, ids } = project('alone', options.databases);
    const alone = drillFleet(aloneProject, options.concurrency);
    const { extra: _none, ...independent } = await measured(world, sim, 'fleet-independent', `bench-alone-${tag}`, async () => {
      const outcomes = await inLanes(ids.length, options.concurrency, async (i) => {
        const startedAt = Date.now();
        const handle = await startRun(world.client, childInput(alone, ids[i]), `alone-${tag}-${ids[i]}`, {
          taskQueue: `bench-alone-${tag}`,
        });
        const passed = await handle.result().then(
          () => true,
          () => false,
        );
        return { passed, ms: Date.now() - startedAt };
      });
      return {
        runs: ids.length,
        passed: outcomes.filter((o) => o.passed).length,
        drillsMs: outcomes.map((o) => o.ms),
        extra: undefined,
      };
    });
    onPart(`${options.databases} independent drills: ${independent.wallSeconds.toFixed(1)} s, ${independent.passed} passed`);
    let parent: FleetResult['parent'];
    if (options.parentDatabases) {
      const { extra: events, ...big } = await runFleet('big', options.parentDatabases, options.parentConcurrency);
      parent = { databases: options.parentDatabases, concurrency: options.parentConcurrency, measure: big, eventsPerExecution: events };
      onPart(`fleet of ${options.parentDatabases}: ${big.wallSeconds.toFixed(1)} s, parent events per execution ${events.join(', ')}`);
    }
    return {
      databases: options.databases,
      concurrency: options.concurrency,
      fleet,
      independent,
      fleetEventsPerExecution: fleetEvents,
      parent,
    };
  } finally {
    await sim.close();
  }
}
