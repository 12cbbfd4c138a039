// Figures read from a workflow history in its JSON form (historyToJSON, as `temporal workflow show
// -o json` prints it). Pure.

export interface HistoryJsonEvent {
  eventType?: string;
  /** RFC 3339, e.g. `2026-11-27T07:10:51.010815333Z`. */
  eventTime?: string;
  timerStartedEventAttributes?: { startToFireTimeout?: string };
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
