// What Temporal is asked to store: the spec, the action (a run started exactly as `run` and
// `backup` start one), the policies and the schedule's state. Pure.
import type { ScheduleDescription, ScheduleOptions, ScheduleUpdateOptions } from '@temporalio/client';
import { runStartOptions } from '../../runs/start-run';
import { WORKFLOW_TYPE } from '../../shared/constants';
import { DATABASE_ID_KEY } from '../../shared/search-attributes';
import type { ScheduleRequest } from './schedule-flags';
import { scheduledWorkflowId } from './schedule-ids';
import { OVERLAP_POLICY, pauseOnFailure } from './schedule-policy';
import { toScheduleSpec } from './schedule-spec';

export const PAUSED_AT_CREATE_NOTE = 'Created paused: `schedule unpause` starts it.';

export interface ScheduleTarget {
  /** The task queue runs are started on (the workers' queue). */
  taskQueue: string;
}

type Settings = Pick<ScheduleOptions, 'spec' | 'action' | 'policies' | 'typedSearchAttributes'>;

function settings(request: ScheduleRequest, target: ScheduleTarget): Settings {
  return {
    spec: toScheduleSpec(request.when),
    action: {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPE,
      workflowId: scheduledWorkflowId(request.scheduleId),
      ...runStartOptions(request.input, { taskQueue: target.taskQueue }),
    },
    policies: {
      overlap: OVERLAP_POLICY,
      catchupWindow: request.catchupWindowMs,
      // A drill replaces no data: like a backup, a failed one does not stop the next (it is loud instead).
      pauseOnFailure: pauseOnFailure(request.input.restore !== false && !request.input.drill),
    },
    // On the schedule too, so schedules can be found by database (`temporal schedule list --query`).
    typedSearchAttributes: [{ key: DATABASE_ID_KEY, value: request.input.databaseId }],
  };
}

export function createScheduleOptions(request: ScheduleRequest, target: ScheduleTarget): ScheduleOptions {
  return {
    scheduleId: request.scheduleId,
    ...settings(request, target),
    state: request.paused ? { paused: true, note: PAUSED_AT_CREATE_NOTE } : {},
  };
}

/** The new settings; a paused schedule stays paused (with its note) unless --paused asks anew. */
export function updateScheduleOptions(
  request: ScheduleRequest,
  target: ScheduleTarget,
  previous: Pick<ScheduleDescription, 'state'>,
): ScheduleUpdateOptions {
  const state = request.paused
    ? { paused: true, note: previous.state.paused ? previous.state.note : PAUSED_AT_CREATE_NOTE }
    : { paused: previous.state.paused, note: previous.state.note };
  return { ...settings(request, target), state: { ...state, remainingActions: previous.state.remainingActions } };
}
