// The run's "current details" in the Web UI: one short Markdown block about what it waits for. Pure.
import type { WorkflowStatus } from '../shared/workflow-types';

const at = (epochMs: number) => new Date(epochMs).toISOString().replace(/\.\d+Z$/, 'Z');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** The summary and details the client set at start; a continuation has none of its own, so it repeats them. */
export interface StartText {
  summary: string;
  details: string;
}

export function currentDetails(status: WorkflowStatus, atStart?: StartText): string {
  const blocks: string[] = [];
  if (atStart) blocks.push(`**${atStart.summary}** (continued as new ${status.continuedAsNew}×)`, atStart.details);
  if (status.phase === 'awaiting-approval') {
    blocks.push(`**Awaiting approval** to restore backup \`${status.backupId}\` into \`${status.databaseId}\`.`);
    if (status.approvalDeadlineAt) blocks.push(`Without approval by ${at(status.approvalDeadlineAt)}, nothing is restored.`);
  } else if (status.phase === 'waiting-for-backup') {
    blocks.push(`**Waiting for backup** \`${status.backupId}\` of \`${status.databaseId}\`: ${status.backupStatus ?? 'unknown'}.`);
    const next = status.nextPollAt ? `, next at ${at(status.nextPollAt)}` : '';
    blocks.push(`Polls made: ${status.pollsMade}${next}.`);
    if (status.failedPolls && status.pollFailingSince !== undefined) {
      blocks.push(
        `**Polls failing**: ${status.failedPolls} in a row since ${at(status.pollFailingSince)}; the last error: ${code(status.lastPollError ?? '')}.` +
          (status.pollFailingDeadlineAt
            ? ` Unless a poll is answered, gives up (never restoring) at ${at(status.pollFailingDeadlineAt)}.`
            : ''),
      );
    }
    if (status.deadlineAt) blocks.push(`Gives up (never restoring) at ${at(status.deadlineAt)}.`);
  }
  return blocks.join('\n\n');
}
