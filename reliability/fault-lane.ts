// The fault and load suites: many runs at once on one worker while the simulator injects a mix
// of faults into a share of all requests.
import { faultMix, faultsSeen, RESTORE_OPERATION, type FaultMixKind } from './fault-mix';
import type { Lane } from './lane';

export interface FaultPlan {
  runs: number;
  mix: FaultMixKind;
  /** Share of requests that get a fault. */
  share: number;
  settleTimeoutMs: number;
}

export interface FaultFigures {
  /** Requests the simulator received. */
  requests: number;
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  /** Those that hit the restore request (prisma: a reset-after there must be read back, never sent again). */
  restoreFaultsByKind: Record<string, number>;
}

export async function runFaultLane(lane: Lane, plan: FaultPlan, afterStart: () => Promise<void>): Promise<FaultFigures> {
  for (const fault of faultMix(plan.mix, plan.share, lane.options.requestTimeoutMs, lane.profile)) lane.sim.faults.add(fault);
  await lane.worker.start();
  // Started in small batches: all of them are running concurrently well before the first ends.
  for (let i = 0; i < plan.runs; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, plan.runs - i) }, () => lane.startRun()));
  }
  await afterStart();
  await lane.settle(plan.settleTimeoutMs);
  lane.sim.faults.clear();
  const faultsByKind = faultsSeen(lane.sim.requests);
  const restoreFaultsByKind = faultsSeen(lane.sim.requests.filter((r) => r.operation === RESTORE_OPERATION[lane.profile]));
  return {
    faultsInjected: Object.values(faultsByKind).reduce((a, b) => a + b, 0),
    faultsByKind,
    restoreFaultsByKind,
    requests: lane.sim.requests.length,
  };
}
