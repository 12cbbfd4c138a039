// The two sizes of the reliability run. Fast: a few of everything, inside `npm test`. Full: what
// the README documents (`npm run test:reliability`).
import { API_PROFILES, type ApiProfile } from '../src/shared/api-types';

export type ModeName = 'fast' | 'full';

/** How long the API's slow parts take in a suite: the seed's backup, the prisma restore's recovery. */
export interface Durations {
  backupDurationMs: number;
  recoveryMs: number;
}

export interface ModeConfig {
  name: ModeName;
  /** The profiles whose suites run, one profile after the other (each profile's suites side by side). */
  profiles: readonly ApiProfile[];
  crash: Durations & {
    trials: number;
    chosenRounds: number;
    randomWindowMs: number;
    holdMs: number;
    settleTimeoutMs: number;
    /** Databases holding real rows at once (each about 200 MiB); a trial waits for a place. */
    liveDatabases: number;
  };
  restart: Durations & { restarts: number; runsPerRestart: number; downtimeMs: number; settleTimeoutMs: number };
  faults: Durations & { runs: number; share: number; settleTimeoutMs: number };
  load: Durations & { runs: number; share: number; settleTimeoutMs: number };
  /** The workers' request timeout; the "timeout" fault holds a request 500 ms longer. */
  requestTimeoutMs: number;
  /** Runs' poll deadline: far beyond any recovery, so a slow recovery shows as slow, not as BackupTimedOut. */
  pollDeadlineMs: number;
  /** Completed runs per suite also read through `temporal workflow show` (failed ones always are). */
  cliSample: number;
}

// A run takes about 2 s (backups of 1.5 s; the dev server fires sub-second timers about once a
// second), so a random kill point falls within 2 s of its start. A kill with a request in flight costs that
// run the 10 s heartbeat timeout; several kills in a row add up, hence generous settle times (the full
// mode's 260 concurrent fault and load runs, on a machine shared with other work, once left one
// run still progressing 4 min after the last start: slow, not lost).
// Prisma's recovery is longer in the crash suite, so the ready-wait kill finds runs polling a
// recovering database even on a busy machine (where a workflow task may wait seconds), and in the
// restart suite, so every run of a round is in its wait at once. In
// the fault suites it stays over 0.5 s: a restore the API holds past the client timeout (2.5 s against
// 2 s) must find the target still recovering from the one sent again meanwhile (see report.ts).
/** Both modes' crash trials: how a kill is timed, how long the API takes, how many databases live at once. */
const CRASH_TIMING = { randomWindowMs: 2_000, holdMs: 1_000, backupDurationMs: 1_500, recoveryMs: 8_000, liveDatabases: 4 } as const;

const FAST: ModeConfig = {
  name: 'fast',
  profiles: ['prisma'],
  crash: { trials: 5, chosenRounds: 1, ...CRASH_TIMING, settleTimeoutMs: 150_000 },
  restart: { restarts: 1, runsPerRestart: 3, downtimeMs: 1_000, backupDurationMs: 5_000, recoveryMs: 10_000, settleTimeoutMs: 150_000 },
  faults: { runs: 20, share: 0.2, backupDurationMs: 1_000, recoveryMs: 1_500, settleTimeoutMs: 150_000 },
  load: { runs: 30, share: 0.15, backupDurationMs: 1_500, recoveryMs: 1_500, settleTimeoutMs: 150_000 },
  requestTimeoutMs: 2_000,
  pollDeadlineMs: 30 * 60_000,
  cliSample: 2,
};

const FULL: ModeConfig = {
  name: 'full',
  profiles: ['prisma', 'seed'],
  crash: { trials: 100, chosenRounds: 10, ...CRASH_TIMING, settleTimeoutMs: 600_000 },
  restart: { restarts: 5, runsPerRestart: 4, downtimeMs: 1_000, backupDurationMs: 5_000, recoveryMs: 10_000, settleTimeoutMs: 600_000 },
  faults: { runs: 60, share: 0.25, backupDurationMs: 1_000, recoveryMs: 1_500, settleTimeoutMs: 600_000 },
  load: { runs: 200, share: 0.15, backupDurationMs: 1_500, recoveryMs: 1_500, settleTimeoutMs: 600_000 },
  requestTimeoutMs: 2_000,
  pollDeadlineMs: 30 * 60_000,
  cliSample: 5,
};

/**
 * RELIABILITY_MODE=fast|full, else `fallback`; anything else is refused rather than guessed.
 * `profiles` (RELIABILITY_PROFILES, e.g. `seed` or `prisma,seed`) replaces the mode's profiles.
 */
export function modeFrom(value: string | undefined, fallback: ModeName, profiles?: string): ModeConfig {
  const name = value?.trim() || fallback;
  const mode = name === 'fast' ? FAST : name === 'full' ? FULL : undefined;
  if (!mode) throw new Error(`RELIABILITY_MODE must be fast or full, got ${JSON.stringify(value)}`);
  const chosen =
    profiles
      ?.split(',')
      .map((p) => p.trim())
      .filter(Boolean) ?? [];
  if (chosen.length === 0) return mode;
  const unknown = chosen.filter((p) => !API_PROFILES.includes(p as ApiProfile));
  if (unknown.length > 0)
    throw new Error(`RELIABILITY_PROFILES takes ${API_PROFILES.join(', ')}, comma-separated; got ${JSON.stringify(profiles)}`);
  return { ...mode, profiles: [...new Set(chosen as ApiProfile[])] };
}
