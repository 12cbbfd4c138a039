// The run's "current details" in the Web UI: one short Markdown block about what it waits for. Pure.
import type { WorkflowStatus } from '../shared/workflow-types';

const at = (epochMs: number) => new Date(epochMs).toISOString().replace(/\.\d+Z$/, 'Z');

export function currentDetails(status: WorkflowStatus): string {
  const lines: string[] = [];
  if (status.phase === 'awaiting-approval') {
    lines.push(`**Awaiting approval** to restore backup \`${status.backupId}\` into \`${status.databaseId}\`.`);
    if (status.approvalDeadlineAt) lines.push(`Without approval by ${at(status.approvalDeadlineAt)}, nothing is restored.`);
    return lines.join('\n\n');
  }
  lines.push(`**Waiting for backup** \`${status.backupId}\` of \`${status.databaseId}\`: ${status.backupStatus ?? 'unknown'}.`);
  const next = status.nextPollAt ? `, next at ${at(status.nextPollAt)}` : '';
  lines.push(`Polls made: ${status.pollsMade}${next}.`);
  if (status.deadlineAt) lines.push(`Gives up (never restoring) at ${at(status.deadlineAt)}.`);
  return lines.join('\n\n');
}
