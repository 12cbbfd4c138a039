// The two sizes of `npm run test:cluster` (CLUSTER_MODE): full, what the README's table shows; short,
// a few of everything, for CI (.ci/run).

export type ClusterModeName = 'short' | 'full';

/** Requests the simulator holds at the moment of a fault, so activities are in flight when it strikes. */
export interface Holds {
  /** How many requests (the next ones to arrive) are held. */
  requests: number;
  /** How long; below the workers' request timeout, so a held request is answered, not timed out. */
  ms: number;
}

export interface RestartSuitePlan {
  restarts: number;
  /** Runs started before each restart; it comes once each has looked, so they are between looks (a wait's retry pending on the server). */
  runsPerRestart: number;
  downtimeMs: number;
  holds: Holds;
  /** Long enough that every run still waits for its backup across the restart. */
  backupDurationMs: number;
}

export interface ClusterMode {
  name: ClusterModeName;
  workerKill: { runs: number; workers: number; holds: Holds; backupDurationMs: number };
  historyRestart: RestartSuitePlan;
  /** Restarts alternate `fast` (clean shutdown) and `immediate` (as a crash: recovery at the start). */
  postgresRestart: RestartSuitePlan;
  burst: { runs: number; workers: number; backupDurationMs: number };
  /** How long runs may take to end after a suite's last action (the burst's scale with its size). */
  settleTimeoutMs: number;
  /** The workers' request timeout (the product's default is 20 s). */
  requestTimeoutMs: number;
  /** Runs' wait deadline (poll.deadlineMs): far beyond any recovery, so a slow one shows as slow, not as BackupTimedOut. */
  pollDeadlineMs: number;
  /** Completed runs per suite also read through `temporal workflow show` (failed ones always are). */
  cliSample: number;
}

const FULL: ClusterMode = {
  name: 'full',
  workerKill: { runs: 60, workers: 3, holds: { requests: 12, ms: 8_000 }, backupDurationMs: 3_000 },
  historyRestart: { restarts: 3, runsPerRestart: 10, downtimeMs: 2_000, holds: { requests: 4, ms: 6_000 }, backupDurationMs: 10_000 },
  postgresRestart: { restarts: 4, runsPerRestart: 10, downtimeMs: 2_000, holds: { requests: 4, ms: 6_000 }, backupDurationMs: 10_000 },
  burst: { runs: 1_000, workers: 3, backupDurationMs: 1_500 },
  settleTimeoutMs: 600_000,
  requestTimeoutMs: 10_000,
  pollDeadlineMs: 60 * 60_000,
  cliSample: 5,
};

const SHORT: ClusterMode = {
  name: 'short',
  workerKill: { runs: 15, workers: 3, holds: { requests: 6, ms: 8_000 }, backupDurationMs: 3_000 },
  historyRestart: { restarts: 1, runsPerRestart: 5, downtimeMs: 1_000, holds: { requests: 2, ms: 6_000 }, backupDurationMs: 8_000 },
  postgresRestart: { restarts: 2, runsPerRestart: 5, downtimeMs: 1_000, holds: { requests: 2, ms: 6_000 }, backupDurationMs: 8_000 },
  burst: { runs: 50, workers: 3, backupDurationMs: 1_500 },
  settleTimeoutMs: 300_000,
  requestTimeoutMs: 10_000,
  pollDeadlineMs: 60 * 60_000,
  cliSample: 2,
};

/** CLUSTER_MODE=short|full, else `fallback`; anything else is refused rather than guessed. */
export function clusterModeFrom(value: string | undefined, fallback: ClusterModeName): ClusterMode {
  const name = value?.trim() || fallback;
  if (name === 'short') return SHORT;
  if (name === 'full') return FULL;
  throw new Error(`CLUSTER_MODE must be short or full, got ${JSON.stringify(value)}`);
}
