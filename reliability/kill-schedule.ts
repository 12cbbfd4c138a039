// Where the crash suite kills the worker, trial by trial. Pure.

/**
 * - backup-post: the create POST has reached the API (which applies it) and its answer is not back.
 * - mid-poll: a status GET is in flight while the run waits for its backup.
 * - restore-post: the restore POST has reached the API and its answer is not back.
 * - random: a random moment after a new run started, whatever every open run is doing.
 */
export const CHOSEN_POINTS = ['backup-post', 'mid-poll', 'restore-post'] as const;
export type KillPoint = (typeof CHOSEN_POINTS)[number] | 'random';

/**
 * `trials` kill points: `chosenRounds` rounds of the three chosen points, each round at the start of
 * an equal share of the schedule (so the first round comes first: a kill with a request in flight
 * costs that run a full activity timeout, best overlapped with the trials after it), random ones between.
 */
export function killSchedule(trials: number, chosenRounds: number): KillPoint[] {
  if (!(Number.isInteger(trials) && trials >= 0)) throw new RangeError(`trials must be a non-negative integer, got ${trials}`);
  const rounds = Math.min(chosenRounds, Math.floor(trials / CHOSEN_POINTS.length));
  const share = rounds > 0 ? Math.floor(trials / rounds) : trials;
  const schedule: KillPoint[] = [];
  for (let i = 0; i < trials; i++) {
    const round = Math.floor(i / share);
    const offset = i % share;
    schedule.push(round < rounds && offset < CHOSEN_POINTS.length ? CHOSEN_POINTS[offset] : 'random');
  }
  return schedule;
}
