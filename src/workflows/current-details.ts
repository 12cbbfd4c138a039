// The run's "current details" in the Web UI: one short Markdown block about what it waits for. Pure.
import type { WorkflowStatus } from '../shared/workflow-types';
import { at } from '../shared/durations';

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** The summary and details the client set at start; a continuation has none of its own, so it repeats them. */
export interface StartText {
  summary: string;
  details: string;
}

/** Polls made and the next one, failing polls, and when the wait gives up. */
function waitBlocks(status: WorkflowStatus, polls: number, deadlineAt: number | undefined, givesUp: string): string[] {
  const blocks: string[] = [];
  const next = status.nextPollAt ? `, next at ${at(status.nextPollAt)}` : '';
  blocks.push(`Polls made: ${polls}${next}.`);
  const expected = status.expectedCompletion;
  if (expected) {
    // A wait until ready predicts from earlier runs' waits; a backup wait from earlier backups.
    const of = status.phase === 'waiting-for-database' ? 'run' : 'backup';
    const earlier = expected.samples === 1 ? `1 earlier ${of}` : `${expected.samples} earlier ${of}s`;
    blocks.push(
      `Expects completion around ${at((expected.earliestAt + expected.latestAt) / 2)} from ${earlier}: ` +
        `polls are sparse until ${at(expected.earliestAt)}, then about every minute until ${at(expected.latestAt)}.`,
    );
  }
  if (status.failedPolls && status.pollFailingSince !== undefined) {
    blocks.push(
      `**Polls failing**: ${status.failedPolls} in a row since ${at(status.pollFailingSince)}; the last error: ${code(status.lastPollError ?? '')}.` +
        (status.pollFailingDeadlineAt ? ` Unless a poll is answered, gives up (${givesUp}) at ${at(status.pollFailingDeadlineAt)}.` : ''),
    );
  }
  if (deadlineAt) blocks.push(`Gives up (${givesUp}) at ${at(deadlineAt)}.`);
  return blocks;
}

/** What a `prisma` restore is doing at its step. */
function restoreLine(status: WorkflowStatus): string {
  const into = `**Restoring** \`${status.targetDatabaseId}\` from backup \`${status.backupId}\` of \`${status.databaseId}\``;
  const sent = status.restoreRequestsSent ?? 0;
  switch (status.restoreStep) {
    case 'check':
      return `${into}: the target is ${status.databaseStatus ?? 'being read'}; nothing is sent while it is provisioning or recovering.`;
    case 'read-back':
      return `${into}: the answer to request ${sent} was lost; reading the target back (${status.databaseStatus ?? 'not read yet'}) before anything is sent again.`;
    case 'conflict':
      return `${into}: the API answered 409 (the target is busy with something else); no second request is sent, and the run waits for the target (${status.databaseStatus ?? 'not read yet'}).`;
    default:
      return `${into}: request ${sent} sent.`;
  }
}

export function currentDetails(status: WorkflowStatus, atStart?: StartText): string {
  const blocks: string[] = [];
  if (atStart) blocks.push(`**${atStart.summary}** (continued as new ${status.continuedAsNew}×)`, atStart.details);
  const into = status.targetDatabaseId ?? (status.profile === 'prisma' ? 'a new database' : status.databaseId);
  switch (status.phase) {
    case 'awaiting-approval':
      blocks.push(
        `**Awaiting approval** to restore backup \`${status.backupId}\` into ${into === 'a new database' ? into : `\`${into}\``}.`,
      );
      if (status.approvalDeadlineAt) blocks.push(`Without approval by ${at(status.approvalDeadlineAt)}, nothing is restored.`);
      break;
    case 'waiting-for-backup': {
      const taken = status.backupCreatedAt ? ` (taken at ${status.backupCreatedAt})` : '';
      blocks.push(
        status.backupId
          ? `**Waiting for backup** \`${status.backupId}\` of \`${status.databaseId}\`: ${status.backupStatus ?? 'unknown'}${taken}.`
          : `**Waiting for a backup** of \`${status.databaseId}\` newer than the run's start: none listed yet.`,
      );
      blocks.push(...waitBlocks(status, status.pollsMade, status.deadlineAt, 'never restoring'));
      break;
    }
    case 'restoring':
      // The seed's restore is one request: nothing to wait for.
      if (status.restoreStep === undefined) break;
      blocks.push(restoreLine(status));
      if (status.databasePollsMade !== undefined) {
        const givesUp = status.restoreStep === 'check' ? 'never restoring' : 'sending nothing again';
        blocks.push(...waitBlocks(status, status.databasePollsMade, status.databaseDeadlineAt, givesUp));
      }
      break;
    case 'creating-database':
      blocks.push(`**Creating a database** from backup \`${status.backupId}\` of \`${status.databaseId}\`.`);
      break;
    case 'waiting-for-database': {
      const made = status.createdDatabaseId ? 'created from' : 'restored from';
      blocks.push(
        `**Waiting for database** \`${status.targetDatabaseId}\`, ${made} backup \`${status.backupId}\`, to be ready: ${status.databaseStatus ?? 'not read yet'}.`,
      );
      blocks.push(...waitBlocks(status, status.databasePollsMade ?? 0, status.databaseDeadlineAt, 'the restore is not undone'));
      break;
    }
    case 'verifying': {
      const database = status.createdDatabaseId ?? status.targetDatabaseId ?? status.databaseId;
      if (!status.referenceDatabaseId) {
        blocks.push(`**Verifying** \`${database}\`: reading its data.`);
        break;
      }
      blocks.push(
        `**Verifying** \`${database}\`: waiting for \`${status.referenceDatabaseId}\`, a reference database created from backup \`${status.backupId}\` ` +
          `to compare with (deleted once read), to be ready: ${status.databaseStatus ?? 'not read yet'}.`,
      );
      blocks.push(...waitBlocks(status, status.databasePollsMade ?? 0, status.databaseDeadlineAt, 'the restore is done, not verified'));
      break;
    }
    case 'deleting-database':
      blocks.push(`**Deleting** the scratch database${status.drill ? ` \`${status.createdDatabaseId}\` of this drill` : 's of this run'}.`);
      break;
  }
  return blocks.join('\n\n');
}
