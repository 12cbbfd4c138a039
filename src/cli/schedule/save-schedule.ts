// `schedule create`: create the schedule, or with --update change the one that exists.
import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError } from '@temporalio/client';
import type { ScheduleRequest } from './schedule-flags';
import { createScheduleOptions, type ScheduleTarget, updateScheduleOptions } from './schedule-options';

/** The id is taken and --update was not given. */
export class ScheduleExistsError extends Error {
  constructor(readonly scheduleId: string) {
    super(`Schedule ${scheduleId} exists.`);
    this.name = 'ScheduleExistsError';
  }
}

export async function saveSchedule(client: Client, request: ScheduleRequest, target: ScheduleTarget): Promise<'created' | 'updated'> {
  if (request.update) {
    try {
      await client.schedule.getHandle(request.scheduleId).update((previous) => updateScheduleOptions(request, target, previous));
      return 'updated';
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }
  try {
    await client.schedule.create(createScheduleOptions(request, target));
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) throw new ScheduleExistsError(request.scheduleId);
    throw err;
  }
}
