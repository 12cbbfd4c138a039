// Poll efficiency in virtual time: how many list calls each polling policy makes per backup, and how
// long after a backup completes it notices. Ours replays the wait activity's attempts
// (src/activities/waits.ts) on the policy's own pure functions (nextLookDelayMs, predictCompletion,
// from src/shared/policy.ts), so this measures what the runs do, not a copy of the policy.
import { seededRandom } from '../reliability/random';
import {
  nextLookDelayMs,
  PREDICTION,
  predictCompletion,
  resolvePollPolicy,
  type CompletionPrediction,
  type PollPolicy,
} from '../src/shared/policy';
import { percentile } from './stats';

export type PollingPolicyName = 'ours-backoff' | 'ours-predictive' | 'ours-predictive-history' | 'aws-waiter' | 'oracle';

export interface PollEfficiencyRow {
  /** Nominal backup duration (60, 600, 3600, 21600). */
  backupSeconds: number;
  policy: PollingPolicyName;
  /** Simulated backups. */
  samples: number;
  /** List calls per backup (median over samples). */
  callsMedian: number;
  callsMean: number;
  /** Completion → detection. */
  latencyMedianSeconds: number;
  latencyP95Seconds: number;
}

export interface PollEfficiencyOptions {
  samples?: number;
  seed?: number;
  backupSeconds?: number[];
}

/** The spread of backup durations: each backup, and each earlier one, takes nominal ±20 %. */
export const SPREAD = 0.2;

export const POLICY_DESCRIPTIONS: Record<PollingPolicyName, string> = {
  'ours-backoff': 'ours without any history (or poll mode backoff): a look at once, then 5 s ×2 up to 2 min, ±10 % jitter',
  'ours-predictive': `ours, no history before the first look: the seed wait learns the ${PREDICTION.maxSamples} earlier backups' durations (±${SPREAD * 100} %) from the list its first look fetches, then looks across the predicted window`,
  'ours-predictive-history': `ours with the durations of ${PREDICTION.maxSamples} earlier runs (±${SPREAD * 100} %) read before the wait (pastDurations): the first attempt is put off to the first planned look without a call, then a look every ${PREDICTION.denseIntervalMs / 1000} s or less across the window`,
  'aws-waiter': 'AWS SDK waiter: a call at once, then U[30, min(120, 30·2^(n−1))] s',
  oracle: `oracle: knows the ±${SPREAD * 100} % window, not the draw; calls evenly across it at the AWS waiter's median latency`,
};

export const POLICIES = Object.keys(POLICY_DESCRIPTIONS) as PollingPolicyName[];

/** One wait as the activity sees it: when the backup completes, and what it knows of earlier runs. */
export interface WaitModel {
  policy: PollPolicy;
  /** When the backup completes, ms after the wait's start. */
  completesAtMs: number;
  /** From earlier runs before the wait (the activity's spec.prediction). */
  prediction?: CompletionPrediction;
  /** What the first look's list teaches (seed: the other completed backups), when there is no spec.prediction. */
  listed?: CompletionPrediction;
  random: () => number;
}

export interface WaitOutcome {
  /** API calls (list calls): attempts that looked. */
  looks: number;
  /** Attempts in all: looks, and the first one put off without a call. */
  attempts: number;
  /** Ms after completion the look that saw it was made; NaN when the deadline came first. */
  latencyMs: number;
  /** When each look was made, ms after the wait's start. */
  looksAtMs: number[];
}

/**
 * The attempts of one wait activity, as attempt() in src/activities/waits.ts makes them: the first
 * put off once to the planned look when a prediction says so (no call), then one look per attempt,
 * each next one after nextLookDelayMs, until a look at or after the completion, or the deadline.
 */
export function simulateWait(model: WaitModel): WaitOutcome {
  const { policy, completesAtMs, random } = model;
  const predictive = policy.mode === 'predictive';
  let [now, looks, attempts, planned] = [0, 0, 0, false];
  let carried: CompletionPrediction | undefined;
  const looksAtMs: number[] = [];
  const clock = (looksMade: number) => ({ looksMade, elapsedMs: now, remainingMs: policy.deadlineMs - now, random: random() });
  for (;;) {
    attempts += 1;
    if (now > policy.deadlineMs) return { looks, attempts, latencyMs: Number.NaN, looksAtMs };
    const prediction = predictive ? (carried ?? model.prediction) : undefined;
    if (looks === 0 && !planned && prediction) {
      const delay = nextLookDelayMs(policy, prediction, clock(0));
      if (delay > policy.initialIntervalMs) {
        planned = true;
        now += Math.max(delay, 1);
        continue;
      }
    }
    looks += 1;
    looksAtMs.push(now);
    if (now >= completesAtMs) return { looks, attempts, latencyMs: now - completesAtMs, looksAtMs };
    if (!model.prediction && !carried && model.listed) carried = model.listed;
    planned = false;
    now += Math.max(nextLookDelayMs(policy, predictive ? (carried ?? model.prediction) : undefined, clock(looks - 1)), 1);
  }
}

/** Looks until the backup is seen completed: calls made and how late. */
function detect(completesAtMs: number, nextLookAt: (looksMade: number, now: number) => number): { calls: number; latencyMs: number } {
  let [now, calls] = [0, 0];
  for (;;) {
    now = nextLookAt(calls, now);
    calls += 1;
    if (now >= completesAtMs) return { calls, latencyMs: now - completesAtMs };
  }
}

export const drawDuration = (nominalMs: number, spread: number, random: () => number) => nominalMs * (1 + spread * (2 * random() - 1));

export function runPollEfficiency(options: PollEfficiencyOptions = {}): PollEfficiencyRow[] {
  const { samples = 2000, seed = 13, backupSeconds = [60, 600, 3600, 21600] } = options;
  const rows: PollEfficiencyRow[] = [];
  for (const seconds of backupSeconds) {
    const nominalMs = seconds * 1000;
    // Long enough that no backup in the ±20 % spread meets the deadline: the figures are about finding it.
    const policy = resolvePollPolicy({ deadlineMs: nominalMs * 3 });
    const byPolicy = new Map<PollingPolicyName, PollEfficiencyRow>();
    for (const name of POLICIES) {
      const random = seededRandom(seed * 1_000_003 + seconds * 31 + POLICIES.indexOf(name));
      const oracleSpacingMs = 2 * (byPolicy.get('aws-waiter')?.latencyMedianSeconds ?? 0) * 1000;
      const outcomes = Array.from({ length: samples }, () => {
        const completesAtMs = drawDuration(nominalMs, SPREAD, random);
        const history = predictCompletion(Array.from({ length: PREDICTION.maxSamples }, () => drawDuration(nominalMs, SPREAD, random)));
        const ours = (model: Partial<WaitModel>) => {
          const outcome = simulateWait({ policy, completesAtMs, random, ...model });
          return { calls: outcome.looks, latencyMs: outcome.latencyMs };
        };
        switch (name) {
          case 'ours-backoff':
            return ours({});
          case 'ours-predictive':
            return ours({ listed: history });
          case 'ours-predictive-history':
            return ours({ prediction: history });
          case 'aws-waiter':
            return detect(completesAtMs, (calls, now) => (calls === 0 ? 0 : now + awsWaiterDelayMs(calls, random())));
          case 'oracle':
            return detect(completesAtMs, (_, now) => oracleNextLookAt(nominalMs, oracleSpacingMs, now));
        }
      });
      const calls = outcomes.map((o) => o.calls);
      const latencies = outcomes.map((o) => o.latencyMs / 1000);
      const row: PollEfficiencyRow = {
        backupSeconds: seconds,
        policy: name,
        samples,
        callsMedian: percentile(calls, 50),
        callsMean: calls.reduce((sum, c) => sum + c, 0) / samples,
        latencyMedianSeconds: percentile(latencies, 50),
        latencyP95Seconds: percentile(latencies, 95),
      };
      byPolicy.set(name, row);
      rows.push(row);
    }
  }
  return rows;
}

/** The AWS SDK's waiter: after call n, a wait drawn from [30 s, min(120 s, 30 s · 2^(n−1))]. */
export function awsWaiterDelayMs(callsMade: number, random: number): number {
  const [min, max] = [30_000, Math.min(120_000, 30_000 * 2 ** (callsMade - 1))];
  return min + (max - min) * random;
}

/**
 * The oracle knows the window [0.8, 1.2] × nominal and spaces its looks evenly across it, as few as
 * keep the median latency (half the spacing) at the AWS waiter's; the last look is at the window's end.
 */
export function oracleNextLookAt(nominalMs: number, spacingMs: number, now: number): number {
  const [earliest, latest] = [nominalMs * (1 - SPREAD), nominalMs * (1 + SPREAD)];
  const looks = Math.max(1, Math.ceil((latest - earliest) / spacingMs));
  const step = (latest - earliest) / looks;
  return earliest + step * (Math.floor((Math.max(now, earliest) - earliest) / step + 1e-9) + 1);
}
