// Names of schedules and of the runs they start. Pure.

/** Schedule ids the CLI creates: readable, and safe inside a workflow id. */
export const SCHEDULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

/** The schedule of a database when no id is given, e.g. `backup-db_123`, or `drill-db_123` for drills. */
export function defaultScheduleId(databaseId: string, kind: 'backup' | 'drill' = 'backup'): string {
  return `${kind}-${databaseId}`;
}

/**
 * The workflow id of the schedule's runs; Temporal appends the scheduled time, so a run is
 * `scheduled-backup-db_123-2026-11-28T02:00:00Z`.
 */
export function scheduledWorkflowId(scheduleId: string): string {
  return `scheduled-${scheduleId}`;
}

/** Empty when the id can be used for a new schedule. */
export function scheduleIdProblems(scheduleId: string): string[] {
  return SCHEDULE_ID_PATTERN.test(scheduleId)
    ? []
    : [
        `Schedule id ${JSON.stringify(scheduleId.slice(0, 60))} is not usable: start with a letter or digit, then letters, digits, _, . or - (at most 200).`,
      ];
}

/** The schedule's page in the Web UI, which lists its recent runs with their status. */
export function scheduleUrl(webUi: string, namespace: string, scheduleId: string): string {
  return `${webUi}/namespaces/${encodeURIComponent(namespace)}/schedules/${encodeURIComponent(scheduleId)}`;
}
