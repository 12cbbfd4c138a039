// The held-request suite (prisma, a simulator that ignores Idempotency-Key as Prisma's API does):
// trial after trial a run's restore POST is held by the simulator (applied once the hold is over,
// whether or not anyone still waits for the answer), and the worker's client gives up, the worker is
// SIGKILLed during the hold, or the answer is dropped (held-trials.ts). The runs overlap: a trial
// arms its fault, starts its run and waits for the request to arrive before the next is armed (the
// simulator's faults pick requests by operation, not by database). Every run must end with its
// restore applied exactly once, which tally.ts counts from the simulator's effects.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultSpec, RequestRecord } from '../simulator';
import { RESTORE_OPERATION } from './fault-mix';
import { describeTrial, trialEffect, type HeldTrial } from './held-trials';
import type { Lane, TrackedRun } from './lane';

export interface HeldPlan {
  trials: readonly HeldTrial[];
  requestTimeoutMs: number;
  settleTimeoutMs: number;
}

export interface HeldFigures {
  trials: number;
  kills: number;
  /** Restore POSTs the simulator held (delay faults), and answers dropped (by the dropper or a reset-after). */
  heldRequests: number;
  answersDropped: number;
  /** Trials whose request never came, or whose fault went to another run's request. */
  notReached: number;
  faultOnOtherRun: number;
  /** Runs open during at least one kill. */
  runsHit: number;
  /**
   * Trials whose run sent more than one restore request: its first never reached the API (lost on a
   * machine too busy to forward it before the client gave up), so it read back through the whole
   * hold window and sent again; the hold went to that second one. Correct, but not the trial planned.
   */
  firstRequestLost: number;
  /** What the dropper in front of the simulator saw: requests, and answers that came after the client had gone. */
  dropper: { received: number; clientGoneFirst: number };
  /** Per trial: what it did and how its run ended (`held 60 s, SIGKILL 2 s in: completed, 1 restore applied, 71.2 s`). */
  byTrial: string[];
}

// A run reaches its restore in a few seconds; a fresh worker on a busy machine may take longer.
const REACH_TIMEOUT_MS = 120_000;

async function eventually<T>(check: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = check();
    if (found !== undefined || Date.now() > end) return found;
    await sleep(5);
  }
}

const restorePath = (databaseId: string) => `/v1/databases/${databaseId}/restore`;

export async function runHeldRequestLane(lane: Lane, plan: HeldPlan): Promise<HeldFigures> {
  if (lane.profile !== 'prisma') throw new Error('The held-request suite speaks the prisma profile only');
  if (!lane.dropper) throw new Error('The held-request suite needs a lane opened with dropAnswers');
  const dropper = lane.dropper;
  const operation = RESTORE_OPERATION.prisma;
  const figures: HeldFigures = {
    trials: 0,
    kills: 0,
    heldRequests: 0,
    answersDropped: 0,
    notReached: 0,
    faultOnOtherRun: 0,
    runsHit: 0,
    firstRequestLost: 0,
    dropper: dropper.counts,
    byTrial: [],
  };
  const started: { trial: HeldTrial; run: TrackedRun; request?: RequestRecord }[] = [];
  await lane.worker.start();
  for (const trial of plan.trials) {
    figures.trials += 1;
    const fault: FaultSpec =
      trial.kind === 'reset-after'
        ? { operation, kind: 'reset-after', times: 1 }
        : { operation, kind: 'delay', ms: trial.holdMs, times: 1 };
    const from = lane.sim.requests.length;
    lane.sim.faults.add(fault);
    const run = await lane.startRun({
      ...(trial.kind === 'control' ? { holdWindowMs: trial.holdWindowMs, control: true } : {}),
      beforeStart: (databaseId) => {
        if (trial.kind === 'held-drop') dropper.arm(restorePath(databaseId));
      },
    });
    const request = await eventually(
      () => lane.sim.requests.slice(from).find((r) => r.operation === operation && r.fault === fault.kind),
      REACH_TIMEOUT_MS,
    );
    started.push({ trial, run, request });
    if (!request) {
      figures.notReached += 1;
      lane.sim.faults.clear();
      continue;
    }
    if (request.path !== restorePath(run.databaseId)) figures.faultOnOtherRun += 1;
    if (trial.kind === 'held-kill') {
      await sleep(Math.max(0, request.time + (trial.killAfterMs ?? 0) - Date.now()));
      for (const open of lane.openRuns()) open.kills += 1;
      await lane.worker.kill();
      figures.kills += 1;
      await lane.worker.start();
    }
  }
  await lane.settle(plan.settleTimeoutMs);
  // A held request may outlast its run (the control's does, by design): count once every hold is over.
  const holdsOver = Math.max(0, ...started.map(({ trial, request }) => (request ? request.time + trial.holdMs : 0)));
  await sleep(Math.max(0, holdsOver + 1_000 - Date.now()));
  lane.sim.faults.clear();

  const held = lane.sim.requests.filter((r) => r.operation === operation && r.fault === 'delay');
  figures.heldRequests = held.length;
  figures.answersDropped =
    dropper.dropped.length + lane.sim.requests.filter((r) => r.operation === operation && r.fault === 'reset-after').length;
  figures.runsHit = lane.runs.filter((r) => r.kills > 0).length;
  for (const { trial, run, request } of started) {
    const applied = lane.sim.effects.restoresApplied.filter((r) => r.databaseId === run.databaseId).length;
    const took = run.endedAt === undefined ? 'not ended' : `${((run.endedAt - run.startedAt) / 1000).toFixed(1)} s`;
    const ending = run.outcome?.kind === 'failed-typed' ? `failed ${run.outcome.type}` : (run.outcome?.kind ?? 'open');
    const result = run.outcome?.kind === 'completed' ? run.outcome.result : undefined;
    const resent = result?.resentAfterHoldWindow ? ', sent again after the hold window' : '';
    if (trial.kind !== 'control' && (result?.restoreRequestsSent ?? 1) > 1) figures.firstRequestLost += 1;
    const sent = result?.restoreRequestsSent === undefined ? '' : `, ${result.restoreRequestsSent} request(s) sent`;
    figures.byTrial.push(
      `${describeTrial(trial)} (${request ? trialEffect(trial, plan) : 'never reached'}): ${ending}${sent}, ${applied} restore(s) applied${resent}, ${took}`,
    );
  }
  return figures;
}
