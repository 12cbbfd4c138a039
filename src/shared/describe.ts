// What a run is, in words: the Web UI's summary and details, set when it starts. Pure.
import { formatDuration } from './durations';
import { DEFAULT_APPROVAL_TIMEOUT_MS, DEFAULT_HOLD_WINDOW_MS, DEFAULT_READY_DEADLINE_MS, type RunInput } from './input';
import { resolvePollPolicy } from './policy';
import type { BackupSource, FleetReport } from './types';

/** Which backup a prisma run restores. */
function prismaBackup(input: RunInput): string {
  if (input.backupId) return `backup ${input.backupId} of ${input.databaseId}`;
  return input.waitForNewerBackup
    ? `the first backup of ${input.databaseId} after the run starts`
    : `the newest completed backup of ${input.databaseId}`;
}

/** One line, e.g. "Back up db_1, then restore it (after approval)". */
export function runSummary(input: RunInput): string {
  const approval = input.approval ? ' (after approval)' : '';
  if (input.profile === 'prisma') {
    const { newDatabase, drill } = input;
    if (newDatabase && drill)
      return `Drill: restore ${prismaBackup(input)} into a scratch database in ${newDatabase.projectId}, verify it, delete it`;
    if (newDatabase) return `Create a database in ${newDatabase.projectId} from ${prismaBackup(input)}${approval}`;
    return `Restore ${input.targetDatabaseId ?? input.databaseId} from ${prismaBackup(input)}${approval}`;
  }
  if (input.backupId) return `Restore ${input.databaseId} from backup ${input.backupId}${approval}`;
  return input.restore === false ? `Back up ${input.databaseId} (no restore)` : `Back up ${input.databaseId}, then restore it${approval}`;
}

/** The settings the run started with, as a Markdown list. */
export function runDetails(input: RunInput): string {
  const { initialIntervalMs, maximumIntervalMs, deadlineMs, failingLimitMs, mode } = resolvePollPolicy(input.poll);
  const prisma = input.profile === 'prisma';
  const into = input.newDatabase
    ? `a new database in project \`${input.newDatabase.projectId}\`${input.newDatabase.name ? ` named ${input.newDatabase.name}` : ''}`
    : `\`${input.targetDatabaseId ?? input.databaseId}\``;
  const backup = prisma ? prismaBackup(input) : input.backupId ? `backup ${input.backupId}` : 'the new backup';
  const rows: [string, string][] = [
    ['API profile', prisma ? "prisma (Prisma's Management API: automatic daily backups)" : 'seed (a backup on demand)'],
    ['Database', `\`${input.databaseId}\``],
    ['Restore', input.restore === false ? 'no' : `${backup} into ${into}`],
    ['Looks', `from every ${formatDuration(initialIntervalMs)} to every ${formatDuration(maximumIntervalMs)} (${mode})`],
    ['Gives up after', `${formatDuration(deadlineMs)}, or ${formatDuration(failingLimitMs)} of failing looks, never restoring`],
  ];
  if (prisma) {
    const hold = formatDuration(input.holdWindowMs ?? DEFAULT_HOLD_WINDOW_MS);
    rows.push(['Ready within', formatDuration(input.readyDeadlineMs ?? DEFAULT_READY_DEADLINE_MS)]);
    rows.push(['Hold window', `after an unknown outcome, nothing is sent again for ${hold}`]);
  }
  const check = input.verify?.sql ? 'your SQL check (READ ONLY; every column of every row true)' : 'table inventory (rows and checksums)';
  if (input.verify || input.drill) rows.push(['Verify', check]);
  if (input.drill) rows.push(['Drill', 'the new database is scratch: deleted at the end, also when the run fails or is cancelled']);
  if (input.approval) rows.push(['Approval', `required within ${formatDuration(input.approval.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS)}`]);
  return rows.map(([k, v]) => `- **${k}**: ${v}`).join('\n');
}

/** A fleet's totals above zero, e.g. "3 passed". */
export const fleetCounts = (totals: FleetReport['totals']) => Object.entries(totals).flatMap(([k, n]) => (n > 0 ? [`${n} ${k}`] : []));

/** "db_2, restored from backup b1 of db_1,", or "created from". */
export const madeFrom = (databaseId: string, source: BackupSource, created?: boolean) =>
  `${databaseId}, ${created ? 'created' : 'restored'} from backup ${source.backupId} of ${source.databaseId},`;
