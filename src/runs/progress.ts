// One line about a run's progress, for terminals and logs. Pure.
import type { WorkflowStatus } from '../shared/workflow-types';
import { roughDuration } from '../shared/durations';

/** Enough of a poll error to name its cause on one terminal line. */
const MAX_ERROR_CHARS = 100;
const clip = (text: string) => (text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text);

/**
 * e.g. "waiting-for-backup · backup bkp_1 in_progress · polls 3 · elapsed 1m20s · next poll in 12s".
 * Elapsed runs from the run's start to its end, or to `now` while it runs; `startedAt` stands in
 * for a status without a start (answered by a worker on older code).
 */
export function progressLine(status: WorkflowStatus, now: number, startedAt?: number): string {
  const parts: string[] = [status.phase];
  if (status.backupId) parts.push(`backup ${status.backupId} ${status.backupStatus ?? ''}`.trim());
  parts.push(`polls ${status.pollsMade}`);
  if (status.targetDatabaseId && status.restoreStep) {
    const which = status.createdDatabaseId ? 'new database' : 'into';
    // While a verification's reference database is awaited, the database status is the reference's.
    const reference = status.referenceDatabaseId ? ` · reference ${status.referenceDatabaseId}` : '';
    parts.push(`${which} ${status.targetDatabaseId}${reference} ${status.databaseStatus ?? ''}`.trim());
    if (status.restoreRequestsSent) parts.push(`restore requests ${status.restoreRequestsSent}`);
    if (status.databasePollsMade !== undefined) parts.push(`database polls ${status.databasePollsMade}`);
  }
  if (status.failedPolls) {
    const givesUp = status.pollFailingDeadlineAt ? `, gives up in ${roughDuration(status.pollFailingDeadlineAt - now)}` : '';
    parts.push(`${status.failedPolls} failed in a row${givesUp}: ${clip(status.lastPollError ?? 'no error recorded')}`);
  }
  const start = status.runStartedAt ?? startedAt;
  if (start !== undefined) parts.push(`elapsed ${roughDuration((status.endedAt ?? now) - start)}`);
  if (status.nextPollAt) parts.push(`next poll in ${roughDuration(status.nextPollAt - now)}`);
  const expected = status.expectedCompletion;
  // Says why polls are sparse: the run waits for the end earlier backups predict.
  if (expected && expected.latestAt > now) {
    parts.push(`expects completion in ${roughDuration((expected.earliestAt + expected.latestAt) / 2 - now)} (${expected.samples} earlier)`);
  }
  if (status.approvalDeadlineAt) parts.push(`approval needed within ${roughDuration(status.approvalDeadlineAt - now)}`);
  if (status.continuedAsNew) parts.push(`continued as new ${status.continuedAsNew}×`);
  return parts.join(' · ');
}
