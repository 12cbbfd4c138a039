// The held-request suite's trials (prisma): the simulator holds one restore POST (its delay fault:
// the request is applied once the hold is over, whoever is still listening), and around that hold
// the worker's client gives up, the worker is SIGKILLed, or the answer is dropped. Pure.

/**
 * - held: held `holdMs`; answered after it when that is shorter than the worker's request timeout,
 *   otherwise the client gave up first (the answer is lost) and the run reads the target back while
 *   the request is still held.
 * - held-kill: held, and the worker SIGKILLed `killAfterMs` after the request reached the API (then
 *   started again): the attempt is lost, the run reads back after the heartbeat timeout.
 * - held-drop: held, applied, and its answer dropped on the way back (the socket reset after the
 *   hold; the hold must be shorter than the request timeout, so the client is still waiting).
 * - reset-after: applied at once and the answer dropped (the simulator's reset-after fault).
 * - control: a negative control, only where a duplicate is wanted: held longer than the hold window
 *   this one run is given (`holdWindowMs`), so it sends the restore again and the held request is
 *   applied a second time once the first recovery is over. The suite must count that duplicate.
 */
export const HELD_KINDS = ['held', 'held-kill', 'held-drop', 'reset-after', 'control'] as const;
export type HeldKind = (typeof HELD_KINDS)[number];

export interface HeldTrial {
  kind: HeldKind;
  /** How long the simulator holds the restore POST (0 for reset-after). */
  holdMs: number;
  /** held-kill: the SIGKILL this long after the request reached the API. */
  killAfterMs?: number;
  /** control: the run's own hold window, shorter than the hold. */
  holdWindowMs?: number;
}

export interface HeldTiming {
  /** The hold window the suite's runs get. */
  holdWindowMs: number;
  /** The worker's request timeout in this suite. */
  requestTimeoutMs: number;
  /** How long a restore keeps its target recovering. */
  recoveryMs: number;
}

const s = (ms: number) => `${+(ms / 1000).toFixed(1)} s`;

/** `held 60 s, SIGKILL 2 s in`: the trial as the report names it. */
export function describeTrial(trial: HeldTrial): string {
  switch (trial.kind) {
    case 'held':
      return `held ${s(trial.holdMs)}`;
    case 'held-kill':
      return `held ${s(trial.holdMs)}, SIGKILL ${s(trial.killAfterMs ?? 0)} in`;
    case 'held-drop':
      return `held ${s(trial.holdMs)}, answer dropped`;
    case 'reset-after':
      return 'applied, answer dropped (reset-after)';
    case 'control':
      return `control: held ${s(trial.holdMs)} past a ${s(trial.holdWindowMs ?? 0)} hold window`;
  }
}

/** What the trial does to the request, for the report: `answered`, `client gave up`, `worker killed`, `answer dropped`. */
export function trialEffect(trial: HeldTrial, timing: Pick<HeldTiming, 'requestTimeoutMs'>): string {
  switch (trial.kind) {
    case 'held':
      return trial.holdMs < timing.requestTimeoutMs ? 'answered after the hold' : 'client gave up during the hold';
    case 'held-kill':
      return 'worker killed during the hold';
    case 'held-drop':
    case 'reset-after':
      return 'answer dropped after the request was applied';
    case 'control':
      return 'sent again after the hold window (negative control)';
  }
}

// Slack for timers on a busy machine: a held request is applied this much before the window closes at the latest.
const MARGIN_MS = 5_000;

/**
 * Why a list of trials would not test what it says, one sentence each (empty when sound): a hold
 * the hold window does not cover (a duplicate would be the suite's fault, not the workflow's), a
 * kill after the hold, a drop the client no longer waits for, a control that cannot duplicate, or
 * one followed by other trials (its second request would take their hold).
 */
export function heldPlanProblems(trials: readonly HeldTrial[], timing: HeldTiming): string[] {
  const problems: string[] = [];
  trials.forEach((trial, i) => {
    const say = (what: string) => problems.push(`trial ${i + 1} (${describeTrial(trial)}): ${what}`);
    if (!(Number.isFinite(trial.holdMs) && trial.holdMs >= 0)) say('needs a hold of 0 ms or more');
    if (trial.kind !== 'control' && trial.holdMs + MARGIN_MS > timing.holdWindowMs) {
      say(`the hold window (${s(timing.holdWindowMs)}) must exceed the hold by ${s(MARGIN_MS)}`);
    }
    if (trial.kind === 'held-kill' && !(trial.killAfterMs !== undefined && trial.killAfterMs >= 0 && trial.killAfterMs < trial.holdMs)) {
      say('the kill must come during the hold');
    }
    if (trial.kind === 'held-drop' && !(trial.holdMs + MARGIN_MS / 5 < timing.requestTimeoutMs)) {
      say(`the hold must end well before the request timeout (${s(timing.requestTimeoutMs)}), or no answer is left to drop`);
    }
    if (trial.kind === 'reset-after' && trial.holdMs !== 0) say('holds nothing');
    if (trial.kind === 'control') {
      const window = trial.holdWindowMs;
      // Sent again once the client gave up and the window passed; the second must have recovered before the held one lands.
      if (window === undefined || trial.holdMs < timing.requestTimeoutMs + window + timing.recoveryMs + MARGIN_MS) {
        say('must hold past the request timeout, its own hold window and a recovery, or nothing is applied twice');
      }
      if (i !== trials.length - 1) say('must be the last trial: the restore it sends again would take a later trial’s hold');
    }
  });
  return problems;
}
