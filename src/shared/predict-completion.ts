// Polling that predicts: from how long earlier backups (or ready waits) took, when this one should
// finish, and when to look. Sparse before that window, evenly inside it, today's backoff after it
// (a wrong prediction) and whenever there is no history. Pure: the workflow and the benchmark's
// virtual-time simulation both call these functions.
import type { Backup } from './api-types';
import { pollDelayMs, POLL_POLICY_LIMITS } from './poll-policy';
import type { CompletionPrediction, PollPolicy } from './workflow-types';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const PREDICTION = {
  /** Durations a run carries: the newest ones, so history stays small. */
  maxSamples: 10,
  /**
   * Spacing of the looks inside the window: a completion is found about 34 s after it happens (half
   * the spacing), a little sooner than the AWS SDK waiter's median (38 s; see bench/poll-efficiency.ts).
   */
  denseIntervalMs: 68 * SECOND,
  /** Looks before the window halve the wait to it, but none comes sooner than this after the start. */
  sparseFirstMs: 30 * MINUTE,
  /** A duration more than this factor from the median is an outlier (a stuck or tiny backup) and is left out. */
  outlierFactor: 1.5,
  /** With one duration, the window is this share of it either side. */
  singleSampleSpread: 0.25,
  /** The window is never narrower than this share of the median either side (durations of 0 spread). */
  minimumSpread: 0.02,
} as const;

/**
 * How long the list's other completed backups took (completedAt − createdAt), newest first, at most
 * `maxSamples`: what a poll that already fetched the list hands the workflow, numbers only.
 */
export function pastBackupDurationsMs(backups: readonly Backup[], exceptBackupId: string): number[] {
  const took = (b: Backup) => Date.parse(b.completedAt!) - Date.parse(b.createdAt);
  return backups
    .filter((b) => b.id !== exceptBackupId && b.status === 'completed' && b.completedAt !== undefined)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .map(took)
    .filter((ms) => Number.isFinite(ms) && ms > 0)
    .slice(0, PREDICTION.maxSamples);
}

/** Completed runs a `prisma` ready wait looks at for its history: newest first, at most this many. */
export const PAST_RUNS_LOOKED_AT = 20;

/**
 * How long earlier runs waited until their database was ready (`timings.readyWaitMs`), from their
 * results, newest first: only `prisma` runs into the same target (`targetDatabaseId`), or, with none,
 * runs that created a database. Results are untrusted JSON (older runs lack the field): anything
 * else is skipped.
 */
export function pastReadyWaitsMs(results: readonly unknown[], targetDatabaseId: string | undefined): number[] {
  const waits = results.flatMap((result) => {
    if (typeof result !== 'object' || result === null) return [];
    const { profile, targetDatabaseId: target, createdDatabaseId, timings } = result as Record<string, unknown>;
    const sameTarget = targetDatabaseId === undefined ? typeof createdDatabaseId === 'string' : target === targetDatabaseId;
    const waited = typeof timings === 'object' && timings !== null ? (timings as Record<string, unknown>).readyWaitMs : undefined;
    return profile === 'prisma' && sameTarget && typeof waited === 'number' ? [waited] : [];
  });
  return usableDurations(waits);
}

/** Only positive, finite durations; the newest `maxSamples` (the caller lists newest first). */
export const usableDurations = (durationsMs: readonly number[]): number[] =>
  durationsMs.filter((ms) => Number.isFinite(ms) && ms > 0).slice(0, PREDICTION.maxSamples);

const median = (sorted: readonly number[]) => {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The window the next duration should fall in; undefined with no usable history. */
export function predictCompletion(durationsMs: readonly number[]): CompletionPrediction | undefined {
  const usable = usableDurations(durationsMs).sort((a, b) => a - b);
  if (usable.length === 0) return undefined;
  const mid = median(usable);
  const kept = usable.filter((ms) => ms <= mid * PREDICTION.outlierFactor && ms >= mid / PREDICTION.outlierFactor);
  // Durations far apart on both sides of an even count's median are all outliers: nothing to predict from.
  if (kept.length === 0) return undefined;
  const [min, max] = [kept[0], kept[kept.length - 1]];
  // For durations spread evenly, min − range/(n−1) and max + range/(n−1) estimate the true ends.
  const margin = Math.max(
    kept.length === 1 ? min * PREDICTION.singleSampleSpread : (max - min) / (kept.length - 1),
    mid * PREDICTION.minimumSpread,
  );
  return { earliestMs: Math.max(min - margin, 0), latestMs: max + margin, samples: kept.length };
}

/**
 * When to look, in ms after the start: halving the wait to the window (while no sooner than
 * `sparseFirstMs`), then evenly across it, the last look at its end.
 */
export function plannedLooksMs(prediction: CompletionPrediction): number[] {
  const { earliestMs, latestMs } = prediction;
  const before: number[] = [];
  for (let at = earliestMs / 2; at >= PREDICTION.sparseFirstMs; at /= 2) before.unshift(at);
  const looks = looksInside(prediction);
  const inside = Array.from({ length: looks }, (_, i) => earliestMs + ((latestMs - earliestMs) * (i + 1)) / looks);
  return [...before, ...inside];
}

/** As few looks inside the window as keep them no more than `denseIntervalMs` apart. */
const looksInside = ({ earliestMs, latestMs }: CompletionPrediction) =>
  Math.max(1, Math.ceil((latestMs - earliestMs) / PREDICTION.denseIntervalMs));

/** Where a wait stands when it plans its next look. */
export interface PollClock {
  /** Looks made so far in this wait. */
  pollsMade: number;
  /** Since the wait's start (the backup's creation, the restore request). */
  elapsedMs: number;
  /** Until the wait's deadline; no delay goes past it. */
  remainingMs: number;
  /** In [0, 1): the workflow's deterministic Math.random. */
  random: number;
}

/**
 * The wait before the next look. Without a prediction: today's backoff exactly. With one: the next
 * planned look, moved by up to ±jitter/2 of the gap between looks inside the window so runs do not
 * look in step; once the window has passed, the backoff again, as if it had started when it closed.
 */
export function nextPollDelayMs(policy: PollPolicy, prediction: CompletionPrediction | undefined, clock: PollClock): number {
  const { pollsMade, elapsedMs, remainingMs, random } = clock;
  const capped = (ms: number) => Math.max(Math.min(ms, remainingMs), 0);
  if (!prediction) return capped(pollDelayMs(policy, pollsMade, random));
  // A look made up to `spread` early or late (and a little more for rounding) counts as made: the
  // next one is the following.
  const spread = ((policy.jitter / 2) * (prediction.latestMs - prediction.earliestMs)) / looksInside(prediction);
  const next = plannedLooksMs(prediction).find((at) => at > elapsedMs + spread + POLL_POLICY_LIMITS.intervalMs.min);
  if (next !== undefined) {
    const delay = next - elapsedMs + spread * (2 * random - 1);
    return capped(Math.round(Math.max(delay, POLL_POLICY_LIMITS.intervalMs.min)));
  }
  return capped(pollDelayMs(policy, backoffStepsIn(policy, elapsedMs - prediction.latestMs), random));
}

/** How many backoff waits (without jitter) fit in `ms`: the backoff's step after that long. */
function backoffStepsIn(policy: PollPolicy, ms: number): number {
  const { initialIntervalMs: first, backoffCoefficient: k, maximumIntervalMs: max } = policy;
  let [steps, spent, wait] = [0, 0, first];
  // A coefficient of 1 never grows: every wait is the first.
  while (k > 1 && wait < max && spent + wait <= ms) [steps, spent, wait] = [steps + 1, spent + wait, wait * k];
  return steps;
}
