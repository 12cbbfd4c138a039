// When to poll next: jittered exponential backoff, capped, within an overall deadline. Pure.
import { POLL_MODES, type PollPolicy } from './workflow-types';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Defaults: a first look after 5 s, then up to every 2 min, for at most 6 h, or 1 h of failing polls. */
export const DEFAULT_POLL_POLICY: Readonly<PollPolicy> = {
  initialIntervalMs: 5 * SECOND,
  maximumIntervalMs: 2 * MINUTE,
  backoffCoefficient: 2,
  jitter: 0.2,
  deadlineMs: 6 * HOUR,
  failingLimitMs: HOUR,
  mode: 'predictive',
};

/** Bounds that reject absurd settings; each is a plain reason, not a technical limit. */
export const POLL_POLICY_LIMITS = {
  intervalMs: { min: 100, max: HOUR },
  backoffCoefficient: { min: 1, max: 10 },
  jitter: { min: 0, max: 1 },
  deadlineMs: { min: SECOND, max: 30 * 24 * HOUR },
  failingLimitMs: { min: SECOND, max: 30 * 24 * HOUR },
} as const;

/** How long a `prisma` run's database may take to be ready (or, before the restore is sent, to stop being busy). */
export const DEFAULT_READY_DEADLINE_MS = HOUR;
export const READY_DEADLINE_LIMITS_MS = { min: SECOND, max: 30 * 24 * HOUR } as const;

/**
 * A restore request answered "not sent" or 429 is sent again after 1 s, doubling up to 1 min, or
 * after Retry-After, for up to an hour from the first request.
 */
export const RESEND = { initialMs: SECOND, maximumMs: MINUTE, windowMs: HOUR } as const;

/** The wait before sending a restore again, after `requestsSent` requests. */
export function resendDelayMs(requestsSent: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return retryAfterMs;
  return Math.min(RESEND.initialMs * 2 ** Math.max(requestsSent - 1, 0), RESEND.maximumMs);
}

export function resolvePollPolicy(overrides: Partial<PollPolicy> = {}): PollPolicy {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_POLL_POLICY, ...defined };
}

/**
 * The wait before poll number `pollsMade + 1`. `random` is in [0, 1): the workflow passes its
 * deterministic Math.random, so replays wait the same.
 */
export function pollDelayMs(policy: PollPolicy, pollsMade: number, random: number): number {
  const exponential = policy.initialIntervalMs * policy.backoffCoefficient ** pollsMade;
  const capped = Math.min(exponential, policy.maximumIntervalMs);
  // Spread by ±jitter/2 around the capped value, never past the maximum.
  const jittered = capped * (1 - policy.jitter / 2 + policy.jitter * random);
  return Math.round(Math.min(Math.max(jittered, POLL_POLICY_LIMITS.intervalMs.min), policy.maximumIntervalMs));
}

/** Problems with a policy, as sentences that say what to change; empty when it is usable. */
export function pollPolicyProblems(policy: PollPolicy): string[] {
  const problems: string[] = [];
  const check = (name: Exclude<keyof PollPolicy, 'mode'>, value: number, { min, max }: { min: number; max: number }, unit = '') => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      problems.push(`poll.${name} must be a number from ${min}${unit} to ${max}${unit}; got ${String(value)}.`);
    }
  };
  check('initialIntervalMs', policy.initialIntervalMs, POLL_POLICY_LIMITS.intervalMs, ' ms');
  check('maximumIntervalMs', policy.maximumIntervalMs, POLL_POLICY_LIMITS.intervalMs, ' ms');
  check('backoffCoefficient', policy.backoffCoefficient, POLL_POLICY_LIMITS.backoffCoefficient);
  check('jitter', policy.jitter, POLL_POLICY_LIMITS.jitter);
  check('deadlineMs', policy.deadlineMs, POLL_POLICY_LIMITS.deadlineMs, ' ms');
  check('failingLimitMs', policy.failingLimitMs, POLL_POLICY_LIMITS.failingLimitMs, ' ms');
  if (!POLL_MODES.includes(policy.mode)) {
    problems.push(`poll.mode must be one of ${POLL_MODES.join(', ')}; got ${JSON.stringify(policy.mode)}.`);
  }
  if (problems.length === 0 && policy.maximumIntervalMs < policy.initialIntervalMs) {
    problems.push('poll.maximumIntervalMs must not be smaller than poll.initialIntervalMs.');
  }
  return problems;
}
