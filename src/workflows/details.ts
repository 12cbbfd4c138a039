// The run's "current details" in the Web UI, in Markdown: what it does and waits for (its looks are on the pending activity). Pure.
import { at } from '../shared/durations';
import type { RunStatus } from '../shared/types';

const code = (text: string | undefined) => `\`${text ?? '?'}\``;

const RESTORE_STEP: Record<string, string> = {
  check: 'reading the target first: nothing is sent while it is provisioning or recovering',
  send: 'the request is under way',
  'read-back': 'the outcome of a request is unknown: reading the target back, sending nothing again while the API could still hold it',
  conflict: 'the API answered 409 (the target is busy): no second request is sent; waiting for the target',
  applied: 'accepted',
};

export function currentDetails(status: RunStatus): string {
  const blocks: string[] = [];
  const { phase, wait } = status;
  const into = status.createdDatabaseId ?? status.targetDatabaseId;
  const again = status.resentAfterHoldWindow ? ' (sent again after the hold window)' : '';
  const taken = status.backupCreatedAt ? ` (taken at ${status.backupCreatedAt})` : '';
  switch (phase) {
    case 'awaiting-approval':
      blocks.push(`**Awaiting approval** to restore backup ${code(status.backupId)}${into ? ` into ${code(into)}` : ''}.`);
      if (status.approvalDeadlineAt) blocks.push(`Without approval by ${at(status.approvalDeadlineAt)}, nothing is restored.`);
      break;
    case 'restoring':
      if (status.restoreStep)
        blocks.push(`**Restoring** ${code(into)} from backup ${code(status.backupId)}: ${RESTORE_STEP[status.restoreStep]}.`);
      if (status.restoreAttempts) blocks.push(`Restore requests attempted: ${status.restoreAttempts}${again}.`);
      break;
    case 'verifying':
      blocks.push(
        status.referenceDatabaseId
          ? `**Verifying** ${code(into)} against ${code(status.referenceDatabaseId)}, a reference database from the same backup (deleted once read).`
          : `**Verifying** ${code(into ?? status.databaseId)}: reading its data.`,
      );
      break;
    case 'completed':
    case 'failed':
    case 'cancelled':
      blocks.push(`**${phase[0].toUpperCase()}${phase.slice(1)}**${status.endedAt ? ` at ${at(status.endedAt)}` : ''}.`);
      break;
    default:
      blocks.push(`**${phase}**${status.backupId ? `: backup ${code(status.backupId)}${taken}` : ''}.`);
  }
  if (wait) {
    blocks.push(`${wait.what}. Each look is an attempt of the pending activity below; gives up at ${at(wait.deadlineAt)}.`);
    if (wait.expected) {
      const { earliestMs, latestMs, samples } = wait.expected;
      blocks.push(
        `Expects the end between ${at(wait.startedAt + earliestMs)} and ${at(wait.startedAt + latestMs)} from ${samples} earlier run${samples === 1 ? '' : 's'}: looks are sparse before.`,
      );
    }
  }
  return blocks.join('\n\n');
}
