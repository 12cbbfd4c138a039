// Where the crash suite kills the worker, trial by trial. Pure.
import type { ApiProfile } from '../src/shared/input';

/**
 * - backup-post (seed): the create POST has reached the API (which applies it) and its answer is not back.
 * - mid-poll (seed): a status GET is in flight while the run waits for its backup.
 * - restore-post: the restore POST has reached the API and its answer is not back.
 * - ready-wait (prisma): the run polls its database, restored and still recovering, until it is ready.
 * - random: a random moment after a new run started, whatever every open run is doing.
 */
export const CHOSEN_POINTS = {
  seed: ['backup-post', 'mid-poll', 'restore-post'],
  prisma: ['restore-post', 'ready-wait'],
} as const satisfies Record<ApiProfile, readonly string[]>;
export type ChosenPoint = (typeof CHOSEN_POINTS)[ApiProfile][number];
export type KillPoint = ChosenPoint | 'random';

/**
 * `trials` kill points: `chosenRounds` rounds of the profile's chosen points, each round at the start
 * of an equal share of the schedule (so the first round comes first: a kill with a request in flight
 * costs that run a full activity timeout, best overlapped with the trials after it), random ones between.
 */
export function killSchedule(trials: number, chosenRounds: number, profile: ApiProfile): KillPoint[] {
  if (!(Number.isInteger(trials) && trials >= 0)) throw new RangeError(`trials must be a non-negative integer, got ${trials}`);
  const chosen = CHOSEN_POINTS[profile];
  const rounds = Math.min(chosenRounds, Math.floor(trials / chosen.length));
  const share = rounds > 0 ? Math.floor(trials / rounds) : trials;
  const schedule: KillPoint[] = [];
  for (let i = 0; i < trials; i++) {
    const round = Math.floor(i / share);
    const offset = i % share;
    schedule.push(round < rounds && offset < chosen.length ? chosen[offset] : 'random');
  }
  return schedule;
}
