// The two sizes of the reliability run. Fast: a few of everything, inside `npm test`. Full: what
// the README documents (`npm run test:reliability`).

export type ModeName = 'fast' | 'full';

export interface ModeConfig {
  name: ModeName;
  crash: {
    trials: number;
    chosenRounds: number;
    randomWindowMs: number;
    holdMs: number;
    backupDurationMs: number;
    settleTimeoutMs: number;
  };
  restart: { restarts: number; runsPerRestart: number; downtimeMs: number; backupDurationMs: number; settleTimeoutMs: number };
  faults: { runs: number; share: number; backupDurationMs: number; settleTimeoutMs: number };
  load: { runs: number; share: number; backupDurationMs: number; settleTimeoutMs: number };
  /** The workers' request timeout; the "timeout" fault holds a request 500 ms longer. */
  requestTimeoutMs: number;
  /** Runs' poll deadline: far beyond any recovery, so a slow recovery shows as slow, not as BackupTimedOut. */
  pollDeadlineMs: number;
  /** Completed runs per suite also read through `temporal workflow show` (failed ones always are). */
  cliSample: number;
}

// A run takes about 2 s (backups of 1.5 s; the dev server fires sub-second timers about once a
// second), so a random kill point falls within 2 s of its start. A kill with a request in flight costs that
// run the 10 s heartbeat timeout; several kills in a row add up, hence generous settle times.
const FAST: ModeConfig = {
  name: 'fast',
  crash: { trials: 5, chosenRounds: 1, randomWindowMs: 2_000, holdMs: 1_000, backupDurationMs: 1_500, settleTimeoutMs: 150_000 },
  restart: { restarts: 1, runsPerRestart: 3, downtimeMs: 1_000, backupDurationMs: 5_000, settleTimeoutMs: 150_000 },
  faults: { runs: 20, share: 0.2, backupDurationMs: 1_000, settleTimeoutMs: 150_000 },
  load: { runs: 30, share: 0.15, backupDurationMs: 1_500, settleTimeoutMs: 150_000 },
  requestTimeoutMs: 2_000,
  pollDeadlineMs: 30 * 60_000,
  cliSample: 2,
};

const FULL: ModeConfig = {
  name: 'full',
  crash: { trials: 100, chosenRounds: 10, randomWindowMs: 2_000, holdMs: 1_000, backupDurationMs: 1_500, settleTimeoutMs: 240_000 },
  restart: { restarts: 5, runsPerRestart: 4, downtimeMs: 1_000, backupDurationMs: 5_000, settleTimeoutMs: 240_000 },
  faults: { runs: 60, share: 0.25, backupDurationMs: 1_000, settleTimeoutMs: 240_000 },
  load: { runs: 200, share: 0.15, backupDurationMs: 1_500, settleTimeoutMs: 240_000 },
  requestTimeoutMs: 2_000,
  pollDeadlineMs: 30 * 60_000,
  cliSample: 5,
};

/** RELIABILITY_MODE=fast|full, else `fallback`; anything else is refused rather than guessed. */
export function modeFrom(value: string | undefined, fallback: ModeName): ModeConfig {
  const name = value?.trim() || fallback;
  if (name === 'fast') return FAST;
  if (name === 'full') return FULL;
  throw new Error(`RELIABILITY_MODE must be fast or full, got ${JSON.stringify(value)}`);
}
