// Figures read from a workflow history in its JSON form (historyToJSON, as `temporal workflow show
// -o json` prints it). Pure.
import { pollDelayMs, type PollPolicy } from '../src/shared/policy';
import type { NoopStep } from './noop-workflow';

export interface HistoryJsonEvent {
  eventId?: string;
  eventType?: string;
  /** RFC 3339, e.g. `2026-11-27T07:10:51.010815333Z`. */
  eventTime?: string;
  timerStartedEventAttributes?: { startToFireTimeout?: string };
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  /** Written once, for the attempt that ended the activity: `attempt` counts the retries before it. */
  activityTaskStartedEventAttributes?: { scheduledEventId?: string; attempt?: number };
  /** Set on the first event of an execution that continued an earlier one. */
  workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string };
}

export interface HistoryJson {
  events?: HistoryJsonEvent[];
}

/** Milliseconds of a protobuf Duration in JSON (`"5.250s"`). */
export function durationJsonMs(value: string): number {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value);
  if (!match) throw new Error(`not a protobuf duration: ${value}`);
  return Math.round(Number(match[1]) * 1000);
}

/** For each workflow task that started: the time from its scheduling to its start, in ms. */
export function workflowTaskScheduleToStartMs(history: HistoryJson): number[] {
  const gaps: number[] = [];
  let scheduledAt: number | undefined;
  for (const event of history.events ?? []) {
    const at = Date.parse(event.eventTime ?? '');
    if (event.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED') scheduledAt = at;
    else if (event.eventType === 'EVENT_TYPE_WORKFLOW_TASK_STARTED' && scheduledAt !== undefined) {
      gaps.push(at - scheduledAt);
      scheduledAt = undefined;
    }
  }
  return gaps;
}

/** The durations of the timers the run started, in order, in ms. */
export function timerDurationsMs(history: HistoryJson): number[] {
  return (history.events ?? [])
    .filter((event) => event.eventType === 'EVENT_TYPE_TIMER_STARTED')
    .map((event) => durationJsonMs(event.timerStartedEventAttributes?.startToFireTimeout ?? ''));
}

/** Each activity the run scheduled, in order: its type and how many attempts it took (1 when it never started). */
export function activityAttempts(history: HistoryJson): { activity: string; attempts: number }[] {
  const events = history.events ?? [];
  const attemptsOf = new Map<string, number>();
  for (const event of events) {
    const started = event.activityTaskStartedEventAttributes;
    if (event.eventType === 'EVENT_TYPE_ACTIVITY_TASK_STARTED' && started?.scheduledEventId) {
      attemptsOf.set(started.scheduledEventId, started.attempt ?? 1);
    }
  }
  return events
    .filter((event) => event.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')
    .map((event) => ({
      activity: event.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
      attempts: attemptsOf.get(event.eventId ?? '') ?? 1,
    }));
}

/** The run's waits: each attempt of these is one look. */
export const WAIT_ACTIVITIES: readonly string[] = ['awaitBackup', 'awaitDatabase'];

/**
 * The no-op baseline's steps for a run's history: its timers, and each of its activities with as
 * many attempts, a wait's retried after the poll policy's un-jittered delays (a run without
 * history waits on the backoff), any other's after the retry policy's (1 s, doubling).
 */
export function noopSteps(history: HistoryJson, policy: PollPolicy): NoopStep[] {
  const activities = activityAttempts(history);
  const steps: NoopStep[] = [];
  let next = 0;
  for (const event of history.events ?? []) {
    if (event.eventType === 'EVENT_TYPE_TIMER_STARTED') {
      steps.push({ timerMs: durationJsonMs(event.timerStartedEventAttributes?.startToFireTimeout ?? '') });
    } else if (event.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED') {
      const { activity, attempts } = activities[next++];
      const waits = WAIT_ACTIVITIES.includes(activity);
      const retryDelaysMs = Array.from({ length: attempts - 1 }, (_, i) =>
        waits ? pollDelayMs({ ...policy, jitter: 0 }, i, 0.5) : Math.min(1000 * 2 ** i, 60_000),
      );
      steps.push({ activity, retryDelaysMs });
    }
  }
  return steps;
}
