// What a run is, in words: the Web UI's summary and details, set by the client at start and repeated
// by a continuation, which has none of its own. Pure.
import { formatDuration } from '../shared/durations';
import type { BackupAndRestoreInput } from '../shared/workflow-types';
import { resolvePollPolicy } from '../shared/poll-policy';
import { DEFAULT_APPROVAL_TIMEOUT_MS } from '../shared/validate-input';

/** One line, e.g. "Back up db_1, then restore it (after approval)". */
export function runSummary(input: BackupAndRestoreInput): string {
  const approval = input.approval ? ' (after approval)' : '';
  if (input.backupId) return `Restore ${input.databaseId} from backup ${input.backupId}${approval}`;
  if (input.restore === false) return `Back up ${input.databaseId} (no restore)`;
  return `Back up ${input.databaseId}, then restore it${approval}`;
}

/** The settings the run was started with, as a Markdown list (the Web UI draws tables without spacing). */
export function runDetails(input: BackupAndRestoreInput): string {
  const policy = resolvePollPolicy(input.poll);
  const rows: [string, string][] = [['Database', `\`${input.databaseId}\``]];
  if (input.backupId) rows.push(['Restore from', `\`${input.backupId}\``]);
  if (input.backupLabel) rows.push(['Backup label', input.backupLabel]);
  rows.push(
    ['Restore', input.restore === false ? 'no' : 'yes, into the same database'],
    ['Polls', `every ${formatDuration(policy.initialIntervalMs)} growing to ${formatDuration(policy.maximumIntervalMs)}`],
    [
      'Gives up after',
      `${formatDuration(policy.deadlineMs)}, or ${formatDuration(policy.failingLimitMs)} of failing polls (never restoring)`,
    ],
  );
  if (input.approval) rows.push(['Approval', `required within ${formatDuration(input.approval.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS)}`]);
  return rows.map(([k, v]) => `- **${k}**: ${v}`).join('\n');
}
