// What a running workflow answers: its status, the fleet's report, and the approval of a restore.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { FleetReport, RunStatus } from '../shared/types';

export const statusQuery = defineQuery<RunStatus>('status');
export const fleetQuery = defineQuery<FleetReport>('fleetReport');
/** Approves the restore of a run started with `approval`; it must name the backup the run will restore. */
export const approveRestoreUpdate = defineUpdate<{ backupId: string }, [{ backupId: string }]>('approveRestore');
