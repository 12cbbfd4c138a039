// The two sizes of the reliability run. Fast: a few of everything, inside `npm test`. Full: what
// the README documents (`npm run test:reliability`).
import { PROFILES, type ApiProfile } from '../src/shared/input';
import { heldPlanProblems, type HeldTrial } from './held-trials';
import { LANE_NAMES, type LaneName } from './report';

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
  /** The suites that run (RELIABILITY_LANES); the held-request suite runs in the prisma profile only. */
  lanes: readonly LaneName[];
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
  /**
   * Prisma: the hold window of the crash, server-restart, fault and load runs. Above the longest
   * hold their faults apply (the crash suite's 1 s, the fault mix's request timeout + 0.5 s), below
   * their settle times: a kill before the restore request left makes a run wait all of it.
   */
  holdWindowMs: number;
  /** The held-request suite (prisma): its trials, in order, and its own hold window and request timeout. */
  held: Durations & { trials: readonly HeldTrial[]; holdWindowMs: number; requestTimeoutMs: number; settleTimeoutMs: number };
  /** The workers' request timeout; the "timeout" fault holds a request 500 ms longer. */
  requestTimeoutMs: number;
  /** Runs' poll deadline: far beyond any recovery, so a slow recovery shows as slow, not as BackupTimedOut. */
  pollDeadlineMs: number;
  /** Completed runs per suite also read through `temporal workflow show` (failed ones always are). */
  cliSample: number;
}

// A run takes about 2 s (backups of 1.5 s; the dev server fires sub-second timers about once a
// second), so a random kill point falls within 2 s of its start. A kill with a request in flight costs that
// run the 10 s heartbeat timeout, and (prisma) a kill before its restore request left costs it the
// whole hold window (30 s); several kills in a row add up, hence generous settle times (the full
// mode's 260 concurrent fault and load runs, on a machine shared with other work, once left one
// run still progressing 4 min after the last start: slow, not lost). So does a 5xx to a prisma restore
// request in the fault suites: nothing shows it applied, so the run reads back for the hold window.
// Prisma's recovery is longer in the crash suite, so the ready-wait kill finds runs polling a
// recovering database even on a busy machine (where a workflow task may wait seconds), and in the
// restart suite, so every run of a round is in its wait at once. A restore the API holds past the
// client timeout (the fault mix's 2.5 s against 2 s) is applied while the run reads the target back,
// within its hold window: recovering, or ready from our backup, it counts as applied; nothing is sent again.
/** Both modes' crash trials: how a kill is timed, how long the API takes, how many databases live at once. */
const CRASH_TIMING = { randomWindowMs: 2_000, holdMs: 1_000, backupDurationMs: 1_500, recoveryMs: 8_000, liveDatabases: 4 } as const;

// The held-request suite: holds shorter and longer than its workers' 10 s request timeout (5 s is
// answered; 20 s and 60 s are given up on, and applied while the run reads the target back), the
// worker SIGKILLed during a hold (the first: hold 60 s, kill 2 s in), answers dropped once the request
// was applied. Its hold window, 90 s, covers the 60 s hold; its restores recover in 3 s, so the
// full mode's control, which resends after 5 s, gets its held request applied a second time.
const HELD_TIMING = { holdWindowMs: 90_000, requestTimeoutMs: 10_000, recoveryMs: 3_000, backupDurationMs: 1_500 } as const;
const held = (holdMs: number): HeldTrial => ({ kind: 'held', holdMs });
const kill = (holdMs: number, killAfterMs: number): HeldTrial => ({ kind: 'held-kill', holdMs, killAfterMs });
const drop = (holdMs: number): HeldTrial => ({ kind: 'held-drop', holdMs });
const RESET_AFTER: HeldTrial = { kind: 'reset-after', holdMs: 0 };
/** One trial of each kind, the longest first so that the others overlap it. */
const FAST_HELD: HeldTrial[] = [kill(60_000, 2_000), held(60_000), held(20_000), held(5_000), drop(5_000), RESET_AFTER];
const FULL_HELD_ROUND: HeldTrial[] = [
  kill(60_000, 2_000),
  kill(60_000, 30_000),
  kill(20_000, 2_000),
  // After the client gave up (10 s): the kill hits the read-back.
  kill(20_000, 15_000),
  kill(5_000, 2_000),
  held(60_000),
  held(20_000),
  held(5_000),
  drop(5_000),
  drop(8_000),
  RESET_AFTER,
];
/** Last, as it must be: it sends its restore again, and nothing may be armed then. */
const CONTROL: HeldTrial = { kind: 'control', holdMs: 30_000, holdWindowMs: 5_000 };

const FAST: ModeConfig = {
  name: 'fast',
  profiles: ['prisma'],
  lanes: LANE_NAMES,
  crash: { trials: 5, chosenRounds: 1, ...CRASH_TIMING, settleTimeoutMs: 150_000 },
  restart: { restarts: 1, runsPerRestart: 3, downtimeMs: 1_000, backupDurationMs: 5_000, recoveryMs: 10_000, settleTimeoutMs: 150_000 },
  faults: { runs: 20, share: 0.2, backupDurationMs: 1_000, recoveryMs: 1_500, settleTimeoutMs: 150_000 },
  load: { runs: 30, share: 0.15, backupDurationMs: 1_500, recoveryMs: 1_500, settleTimeoutMs: 150_000 },
  holdWindowMs: 30_000,
  held: { trials: FAST_HELD, ...HELD_TIMING, settleTimeoutMs: 150_000 },
  requestTimeoutMs: 2_000,
  pollDeadlineMs: 30 * 60_000,
  cliSample: 2,
};

const FULL: ModeConfig = {
  name: 'full',
  profiles: ['prisma', 'seed'],
  lanes: LANE_NAMES,
  crash: { trials: 100, chosenRounds: 10, ...CRASH_TIMING, settleTimeoutMs: 600_000 },
  restart: { restarts: 5, runsPerRestart: 4, downtimeMs: 1_000, backupDurationMs: 5_000, recoveryMs: 10_000, settleTimeoutMs: 600_000 },
  faults: { runs: 60, share: 0.25, backupDurationMs: 1_000, recoveryMs: 1_500, settleTimeoutMs: 600_000 },
  load: { runs: 200, share: 0.15, backupDurationMs: 1_500, recoveryMs: 1_500, settleTimeoutMs: 600_000 },
  holdWindowMs: 30_000,
  held: { trials: [...FULL_HELD_ROUND, ...FULL_HELD_ROUND, CONTROL], ...HELD_TIMING, settleTimeoutMs: 600_000 },
  requestTimeoutMs: 2_000,
  pollDeadlineMs: 30 * 60_000,
  cliSample: 5,
};

for (const mode of [FAST, FULL]) {
  const problems = heldPlanProblems(mode.held.trials, mode.held);
  if (problems.length > 0) throw new Error(`The ${mode.name} mode's held-request trials: ${problems.join(' ')}`);
}

const listOf = (text: string | undefined) =>
  text
    ?.split(',')
    .map((p) => p.trim())
    .filter(Boolean) ?? [];

/**
 * RELIABILITY_MODE=fast|full, else `fallback`; anything else is refused rather than guessed.
 * `profiles` (RELIABILITY_PROFILES, e.g. `seed` or `prisma,seed`) replaces the mode's profiles;
 * `lanes` (RELIABILITY_LANES, e.g. `held-request` or `crash,faults`) its suites.
 */
export function modeFrom(value: string | undefined, fallback: ModeName, profiles?: string, lanes?: string): ModeConfig {
  const name = value?.trim() || fallback;
  let mode = name === 'fast' ? FAST : name === 'full' ? FULL : undefined;
  if (!mode) throw new Error(`RELIABILITY_MODE must be fast or full, got ${JSON.stringify(value)}`);
  const chosen = listOf(profiles);
  if (chosen.length > 0) {
    const unknown = chosen.filter((p) => !PROFILES.includes(p as ApiProfile));
    if (unknown.length > 0)
      throw new Error(`RELIABILITY_PROFILES takes ${PROFILES.join(', ')}, comma-separated; got ${JSON.stringify(profiles)}`);
    mode = { ...mode, profiles: [...new Set(chosen as ApiProfile[])] };
  }
  const suites = listOf(lanes);
  if (suites.length > 0) {
    const unknown = suites.filter((l) => !LANE_NAMES.includes(l as LaneName));
    if (unknown.length > 0)
      throw new Error(`RELIABILITY_LANES takes ${LANE_NAMES.join(', ')}, comma-separated; got ${JSON.stringify(lanes)}`);
    mode = { ...mode, lanes: LANE_NAMES.filter((l) => suites.includes(l)) };
  }
  return mode;
}
