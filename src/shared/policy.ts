// When to look next: jittered backoff under a deadline, or sparse looks before the end earlier runs predict
// and dense ones across it. Pure: the wait activities and the benchmark's simulation call the same functions.
import type { PollSettings } from './input';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export type PollPolicy = Required<PollSettings>;

/** A first look after 5 s, then up to every 2 min, for at most 6 h, or 1 h of failing looks. */
export const DEFAULT_POLL_POLICY: Readonly<PollPolicy> = {
  initialIntervalMs: 5 * SECOND,
  maximumIntervalMs: 2 * MINUTE,
  backoffCoefficient: 2,
  jitter: 0.2,
  deadlineMs: 6 * HOUR,
  failingLimitMs: HOUR,
  mode: 'predictive',
};

/** The shortest wait between two looks. */
export const MIN_INTERVAL_MS = 100;

export const resolvePollPolicy = (settings: PollSettings = {}): PollPolicy => ({
  ...DEFAULT_POLL_POLICY,
  ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
});

/** The wait before look `looksMade + 1`, ±jitter/2, never above the maximum. `random` is in [0, 1). */
export function pollDelayMs(policy: PollPolicy, looksMade: number, random: number): number {
  const capped = Math.min(policy.initialIntervalMs * policy.backoffCoefficient ** looksMade, policy.maximumIntervalMs);
  const jittered = capped * (1 - policy.jitter / 2 + policy.jitter * random);
  return Math.round(Math.min(Math.max(jittered, MIN_INTERVAL_MS), policy.maximumIntervalMs));
}

/** When the wait should end, in ms after its start, from how many earlier durations. */
export type CompletionPrediction = { earliestMs: number; latestMs: number; samples: number };

export const PREDICTION = {
  /** Durations looked at: the newest ones. */
  maxSamples: 10,
  /** Spacing of looks inside the window: a completion is seen about 34 s after it happens, as soon as the AWS SDK waiter's median. */
  denseIntervalMs: 68 * SECOND,
  /** Looks before the window halve the wait to it, none sooner than this after the start. */
  sparseFirstMs: 30 * MINUTE,
  /** A duration more than this factor from the median is an outlier. */
  outlierFactor: 1.5,
  /** With one duration, the window is this share of it either side. */
  singleSampleSpread: 0.25,
  /** The window is never narrower than this share of the median either side. */
  minimumSpread: 0.02,
} as const;

/** Positive, finite durations, the newest `maxSamples` (callers list newest first). */
export const usableDurations = (durationsMs: readonly number[]): number[] =>
  durationsMs.filter((ms) => Number.isFinite(ms) && ms > 0).slice(0, PREDICTION.maxSamples);

const median = (sorted: readonly number[]) => {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The window the next duration should fall in; undefined without usable history. */
export function predictCompletion(durationsMs: readonly number[]): CompletionPrediction | undefined {
  const usable = usableDurations(durationsMs).sort((a, b) => a - b);
  if (usable.length === 0) return undefined;
  const mid = median(usable);
  const kept = usable.filter((ms) => ms <= mid * PREDICTION.outlierFactor && ms >= mid / PREDICTION.outlierFactor);
  // Two durations far apart around an even count's median are both outliers: nothing to predict from.
  if (kept.length === 0) return undefined;
  const [min, max] = [kept[0], kept[kept.length - 1]];
  // For durations spread evenly, min − range/(n−1) and max + range/(n−1) estimate the true ends.
  const margin = Math.max(
    kept.length === 1 ? min * PREDICTION.singleSampleSpread : (max - min) / (kept.length - 1),
    mid * PREDICTION.minimumSpread,
  );
  return { earliestMs: Math.max(min - margin, 0), latestMs: max + margin, samples: kept.length };
}

const looksInside = ({ earliestMs, latestMs }: CompletionPrediction) =>
  Math.max(1, Math.ceil((latestMs - earliestMs) / PREDICTION.denseIntervalMs));

/** When to look, in ms after the start: halving the wait to the window, then evenly across it, the last at its end. */
export function plannedLooksMs(prediction: CompletionPrediction): number[] {
  const { earliestMs, latestMs } = prediction;
  const before: number[] = [];
  for (let at = earliestMs / 2; at >= PREDICTION.sparseFirstMs; at /= 2) before.unshift(at);
  const looks = looksInside(prediction);
  return [...before, ...Array.from({ length: looks }, (_, i) => earliestMs + ((latestMs - earliestMs) * (i + 1)) / looks)];
}

/** Where a wait stands when it plans its next look. */
export interface PollClock {
  looksMade: number;
  /** Since the wait's start. */
  elapsedMs: number;
  /** Until the deadline; no delay goes past it. */
  remainingMs: number;
  /** In [0, 1). */
  random: number;
}

/** The wait before the next look: the backoff; with a prediction, the next planned look ±jitter/2 of a gap, then the backoff anew. */
export function nextLookDelayMs(policy: PollPolicy, prediction: CompletionPrediction | undefined, clock: PollClock): number {
  const { looksMade, elapsedMs, remainingMs, random } = clock;
  const capped = (ms: number) => Math.max(Math.min(ms, remainingMs), 0);
  if (!prediction || policy.mode === 'backoff') return capped(pollDelayMs(policy, looksMade, random));
  // A look up to `spread` early or late counts as made: the next one is the following.
  const spread = ((policy.jitter / 2) * (prediction.latestMs - prediction.earliestMs)) / looksInside(prediction);
  const next = plannedLooksMs(prediction).find((at) => at > elapsedMs + spread + MIN_INTERVAL_MS);
  if (next !== undefined) return capped(Math.round(Math.max(next - elapsedMs + spread * (2 * random - 1), MIN_INTERVAL_MS)));
  return capped(pollDelayMs(policy, backoffStepsIn(policy, elapsedMs - prediction.latestMs), random));
}

/** How many backoff waits (without jitter) fit in `ms`. */
function backoffStepsIn(policy: PollPolicy, ms: number): number {
  const { initialIntervalMs: first, backoffCoefficient: k, maximumIntervalMs: max } = policy;
  let [steps, spent, wait] = [0, 0, first];
  while (k > 1 && wait < max && spent + wait <= ms) [steps, spent, wait] = [steps + 1, spent + wait, wait * k];
  return steps;
}

/** A restore answered "not sent" or 429 is sent again after 1 s, doubling up to 1 min, or after Retry-After, for up to an hour. */
export const RESEND = { initialMs: SECOND, maximumMs: MINUTE, windowMs: HOUR } as const;

export function resendDelayMs(requestsSent: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return retryAfterMs;
  return Math.min(RESEND.initialMs * 2 ** Math.max(requestsSent - 1, 0), RESEND.maximumMs);
}
