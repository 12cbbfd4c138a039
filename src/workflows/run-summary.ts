// What a run is, in words: the Web UI's summary and details, set by the client at start and repeated
// by a continuation, which has none of its own. Pure.
import { formatDuration } from '../shared/durations';
import type { BackupAndRestoreInput } from '../shared/workflow-types';
import { DEFAULT_READY_DEADLINE_MS, resolvePollPolicy } from '../shared/poll-policy';
import { DEFAULT_APPROVAL_TIMEOUT_MS, profileOf } from '../shared/validate-input';

/** Which backup a `prisma` run restores from, owned by `owner` ("its", "db_1's", "the"); `of` names the database after a backup id. */
function prismaBackup(input: BackupAndRestoreInput, owner: string, of = ''): string {
  if (input.backupId) return `backup ${input.backupId}${of}`;
  return input.waitForNewerBackup ? `${owner} first backup after the run starts` : `${owner} newest completed backup`;
}

/** One line, e.g. "Back up db_1, then restore it (after approval)". */
export function runSummary(input: BackupAndRestoreInput): string {
  const approval = input.approval ? ' (after approval)' : '';
  if (profileOf(input) === 'prisma') {
    const { databaseId, targetDatabaseId, newDatabase } = input;
    const elsewhere = prismaBackup(input, `${databaseId}'s`, ` of ${databaseId}`);
    if (newDatabase && input.drill)
      return `Drill: restore ${elsewhere} into a scratch database in ${newDatabase.projectId}, verify it, delete it`;
    if (newDatabase) return `Create a database in ${newDatabase.projectId} from ${elsewhere}${approval}`;
    if (targetDatabaseId && targetDatabaseId !== databaseId) return `Restore ${targetDatabaseId} from ${elsewhere}${approval}`;
    return `Restore ${databaseId} from ${prismaBackup(input, 'its')}${approval}`;
  }
  if (input.backupId) return `Restore ${input.databaseId} from backup ${input.backupId}${approval}`;
  if (input.restore === false) return `Back up ${input.databaseId} (no restore)`;
  return `Back up ${input.databaseId}, then restore it${approval}`;
}

/** The settings the run was started with, as a Markdown list (the Web UI draws tables without spacing). */
export function runDetails(input: BackupAndRestoreInput): string {
  const policy = resolvePollPolicy(input.poll);
  const prisma = profileOf(input) === 'prisma';
  const rows: [string, string][] = [
    ['API profile', prisma ? "prisma (Prisma's Management API: automatic daily backups)" : 'seed (a backup on demand)'],
    [prisma ? 'Backups of' : 'Database', `\`${input.databaseId}\``],
  ];
  if (input.backupId) rows.push(['Restore from', `\`${input.backupId}\``]);
  else if (prisma) rows.push(['Restore from', prismaBackup(input, 'the')]);
  if (input.backupLabel) rows.push(['Backup label', input.backupLabel]);
  const { targetDatabaseId, newDatabase } = input;
  const into = newDatabase
    ? `yes, into a new database in project \`${newDatabase.projectId}\`${newDatabase.name ? ` named ${newDatabase.name}` : ''}`
    : targetDatabaseId && targetDatabaseId !== input.databaseId
      ? `yes, into \`${targetDatabaseId}\``
      : 'yes, into the same database';
  rows.push(
    ['Restore', input.restore === false ? 'no' : into],
    ['Polls', `every ${formatDuration(policy.initialIntervalMs)} growing to ${formatDuration(policy.maximumIntervalMs)}`],
    [
      'Gives up after',
      `${formatDuration(policy.deadlineMs)}, or ${formatDuration(policy.failingLimitMs)} of failing polls (never restoring)`,
    ],
  );
  if (prisma) rows.push(['Ready within', formatDuration(input.readyDeadlineMs ?? DEFAULT_READY_DEADLINE_MS)]);
  if (input.verify || input.drill) rows.push(['Verify', verifyInWords(input)]);
  if (input.drill) rows.push(['Drill', 'the new database is scratch: deleted at the end, also when the run fails or is cancelled']);
  if (input.approval) rows.push(['Approval', `required within ${formatDuration(input.approval.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS)}`]);
  return rows.map(([k, v]) => `- **${k}**: ${v}`).join('\n');
}

/** How the restored database is checked (verify.ts says why each way). */
function verifyInWords(input: BackupAndRestoreInput): string {
  if (input.verify?.sql !== undefined) return 'the SQL check given (READ ONLY; every column of every row true)';
  if (profileOf(input) === 'seed') return "table inventory (rows, checksums) against the source's, taken before and after the backup";
  if (input.newDatabase) return 'every table read in full (row counts, checksums); contents are not compared without a SQL check';
  return 'table inventory (rows, checksums) against a reference database created from the same backup';
}
