// Start a run, print where to watch it, follow it, print how it ended; returns the exit code.
import type { Client } from '@temporalio/client';
import type { BackupAndRestoreInput, WorkflowStatus } from '../shared/workflow-types';
import { failureReason } from './failure-reason';
import { followRun } from './follow-run';
import { startBackupRun, type StartOptions } from './start-run';
import { webUiBase, workflowUrl } from './web-ui';

export const EXIT = { ok: 0, runFailed: 1, usage: 2, interrupted: 130 } as const;

export function describeStatus(status: WorkflowStatus, now: number): string {
  const parts: string[] = [status.phase];
  if (status.backupId) parts.push(`backup ${status.backupId} ${status.backupStatus ?? ''}`.trim());
  parts.push(`polls ${status.pollsMade}`);
  if (status.nextPollAt) parts.push(`next poll in ${Math.max(0, Math.round((status.nextPollAt - now) / 1000))}s`);
  if (status.continuedAsNew) parts.push(`continued as new ${status.continuedAsNew}×`);
  return parts.join(' · ');
}

export interface ReportOptions extends StartOptions {
  address: string;
  namespace: string;
  print?: (line: string) => void;
}

export async function startAndReport(client: Client, input: BackupAndRestoreInput, options: ReportOptions): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const handle = await startBackupRun(client, input, options);
  print(`Started run ${handle.workflowId} (database ${input.databaseId}).`);
  const ui = webUiBase(options.address);
  print(
    ui
      ? `Watch it in the Temporal Web UI: ${workflowUrl(ui, options.namespace, handle.workflowId)}`
      : 'Set TEMPORAL_UI_URL to get a Web UI link to the run.',
  );
  const outcome = await followRun(handle, (status) => print(`  ${describeStatus(status, Date.now())}`));
  if (outcome.ok) {
    print('Result:');
    print(JSON.stringify(outcome.result, null, 2));
    return EXIT.ok;
  }
  const reason = failureReason(outcome.error);
  print(`Run failed: ${reason.type}: ${reason.message}`);
  return EXIT.runFailed;
}
