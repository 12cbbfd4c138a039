// Poll efficiency in virtual time: how many list calls each polling policy makes per backup, and how
// long after a backup completes it notices. Ours runs the workflow's own pure functions
// (nextPollDelayMs, predictCompletion), so this measures the policy the runs use, not a copy.
import { seededRandom } from '../reliability/random';
import { resolvePollPolicy } from '../src/shared/poll-policy';
import { nextPollDelayMs, PREDICTION, predictCompletion } from '../src/shared/predict-completion';
import type { CompletionPrediction } from '../src/shared/workflow-types';
import { percentile } from './stats';

export type PollingPolicyName = 'ours-backoff' | 'ours-predictive' | 'ours-predictive-similar' | 'aws-waiter' | 'fixed-60s' | 'oracle';

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

/** The spread of backup durations, and the tighter one of consecutive backups of one database. */
const SPREAD = 0.2;
const SIMILAR_SPREAD = 0.05;

export const POLICY_DESCRIPTIONS: Record<PollingPolicyName, string> = {
  'ours-backoff': 'ours without history: jittered backoff, 5 s ×2 up to 2 min (pollDelayMs)',
  'ours-predictive': `ours predicting from the ${PREDICTION.maxSamples} earlier backups the first call lists (durations ±${SPREAD * 100} %): then a call every ${PREDICTION.denseIntervalMs / 1000} s or less across the predicted window`,
  'ours-predictive-similar': `ours predicting from ${PREDICTION.maxSamples} similar earlier backups of the database (±${SIMILAR_SPREAD * 100} %), listed by the first call`,
  'aws-waiter': 'AWS SDK waiter: a call at once, then U[30, min(120, 30·2^(n−1))] s',
  'fixed-60s': 'a call every 60 s',
  oracle: `oracle: knows the ±${SPREAD * 100} % window, not the draw; calls evenly across it at the AWS waiter's median latency`,
};

const POLICIES = Object.keys(POLICY_DESCRIPTIONS) as PollingPolicyName[];

/** One simulated backup: when it completes, and where each policy looks next (ms after its start). */
interface Backup {
  durationMs: number;
  random: () => number;
}

/** Looks until the backup is seen completed: calls made and how late. */
function detect(backup: Backup, nextLookAt: (looksMade: number, now: number) => number): { calls: number; latencyMs: number } {
  let [now, calls] = [0, 0];
  while (now < backup.durationMs) {
    now = nextLookAt(calls, now);
    calls += 1;
  }
  return { calls, latencyMs: now - backup.durationMs };
}

const drawDuration = (nominalMs: number, spread: number, random: () => number) => nominalMs * (1 + spread * (2 * random() - 1));

export function runPollEfficiency(options: PollEfficiencyOptions = {}): PollEfficiencyRow[] {
  const { samples = 2000, seed = 13, backupSeconds = [60, 600, 3600, 21600] } = options;
  const rows: PollEfficiencyRow[] = [];
  for (const seconds of backupSeconds) {
    const nominalMs = seconds * 1000;
    // Long enough that no run in the ±20 % spread meets its deadline: the figures are about finding it.
    const policy = resolvePollPolicy({ deadlineMs: nominalMs * 3 });
    const byPolicy = new Map<PollingPolicyName, PollEfficiencyRow>();
    for (const name of POLICIES) {
      const random = seededRandom(seed * 1_000_003 + seconds * 31 + POLICIES.indexOf(name));
      const spread = name === 'ours-predictive-similar' ? SIMILAR_SPREAD : SPREAD;
      const oracleSpacingMs = 2 * (byPolicy.get('aws-waiter')?.latencyMedianSeconds ?? 0) * 1000;
      const outcomes = Array.from({ length: samples }, () => {
        const backup: Backup = { durationMs: drawDuration(nominalMs, spread, random), random };
        const history = Array.from({ length: PREDICTION.maxSamples }, () => drawDuration(nominalMs, spread, random));
        // As in the workflow, the history arrives with the first look (from the list it fetches):
        // the wait before that look is the backoff's.
        const ours = (prediction: CompletionPrediction | undefined) =>
          detect(backup, (pollsMade, now) => {
            const clock = { pollsMade, elapsedMs: now, remainingMs: policy.deadlineMs - now, random: random() };
            return now + nextPollDelayMs(policy, pollsMade === 0 ? undefined : prediction, clock);
          });
        switch (name) {
          case 'ours-backoff':
            return ours(undefined);
          case 'ours-predictive':
          case 'ours-predictive-similar':
            return ours(predictCompletion(history));
          case 'aws-waiter':
            return detect(backup, (calls, now) => (calls === 0 ? 0 : now + awsWaiterDelayMs(calls, random())));
          case 'fixed-60s':
            return detect(backup, (_, now) => now + 60_000);
          case 'oracle':
            return detect(backup, (_, now) => oracleNextLookAt(nominalMs, oracleSpacingMs, now));
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
function awsWaiterDelayMs(callsMade: number, random: number): number {
  const [min, max] = [30_000, Math.min(120_000, 30_000 * 2 ** (callsMade - 1))];
  return min + (max - min) * random;
}

/**
 * The oracle knows the window [0.8, 1.2] × nominal and spaces its looks evenly across it, as few as
 * keep the median latency (half the spacing) at the AWS waiter's; the last look is at the window's end.
 */
function oracleNextLookAt(nominalMs: number, spacingMs: number, now: number): number {
  const [earliest, latest] = [nominalMs * (1 - SPREAD), nominalMs * (1 + SPREAD)];
  const looks = Math.max(1, Math.ceil((latest - earliest) / spacingMs));
  const step = (latest - earliest) / looks;
  return earliest + step * (Math.floor((Math.max(now, earliest) - earliest) / step + 1e-9) + 1);
}
