// The worker's own Prometheus metrics (prom-client), all prefixed prisma_backup_. Runs report
// through the workflow's metrics sink (src/workflows/interceptors.ts); backups are read from what
// the Management API answers, through observedApi(). Counts are this worker's: Prometheus sums workers.
import type { InjectedSinks } from '@temporalio/worker';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ManagementApi } from '../api/client';
import { PROFILES } from '../shared/input';
import type { MetricsSinks } from '../workflows/interceptors';

/** What a backup list or a create answers, in either profile. */
export interface SeenBackup {
  id: string;
  /** The backup's type as the API gives it: `type` (seed: automatic, manual) or `backupType` (prisma: full, incremental). */
  type: string;
  status: string;
  createdAt: string;
  completedAt?: string;
}

const UNFINISHED: readonly string[] = ['pending', 'in_progress', 'running'];
const MINUTES = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];

export class WorkerMetrics {
  private readonly runsStarted: Counter<'profile' | 'kind'>;
  private readonly runsFinished: Counter<'profile' | 'kind' | 'outcome' | 'reason'>;
  private readonly backupsStarted: Counter<'type'>;
  private readonly backupsCompleted: Counter<'type'>;
  private readonly backupsFailed: Counter<'type'>;
  private readonly backupDuration: Histogram<'type'>;
  private readonly readyWait: Histogram<'profile'>;
  private readonly restores: Counter<'profile' | 'outcome'>;
  private readonly drills: Counter<'outcome'>;
  private readonly fleetDatabases: Counter<'action' | 'outcome'>;
  /** 1 when the database's last drill passed, 0 when it failed, by database. */
  private readonly lastDrill = new Map<string, number>();
  /** Backups seen unfinished, by id, with their type: only these are counted when they finish. */
  private readonly unfinished = new Map<string, string>();
  /** Completion time (ms) of the newest completed backup seen, by database. */
  private readonly lastCompleted = new Map<string, number>();

  constructor(
    readonly registry: Registry = new Registry(),
    private readonly now: () => number = Date.now,
  ) {
    const registers = [registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name: `prisma_backup_${name}`, help, labelNames, registers });
    this.runsStarted = counter('runs_started_total', 'Runs started (a continuation counts with its first execution).', ['profile', 'kind']);
    this.runsFinished = counter('runs_finished_total', 'Runs ended; reason is the failure type, empty unless failed.', [
      'profile',
      'kind',
      'outcome',
      'reason',
    ]);
    this.backupsStarted = counter('backups_started_total', 'Backups this worker saw unfinished for the first time.', ['type']);
    this.backupsCompleted = counter('backups_completed_total', 'Backups this worker saw unfinished, then completed.', ['type']);
    this.backupsFailed = counter('backups_failed_total', 'Backups this worker saw unfinished, then failed.', ['type']);
    this.backupDuration = new Histogram({
      name: 'prisma_backup_backup_duration_seconds',
      help: "From a backup's createdAt to its completion (completedAt, or when this worker saw it completed).",
      labelNames: ['type'],
      buckets: MINUTES,
      registers,
    });
    this.readyWait = new Histogram({
      name: 'prisma_backup_database_ready_wait_seconds',
      help: 'From the restore request until the restored database was ready.',
      labelNames: ['profile'],
      buckets: MINUTES,
      registers,
    });
    this.restores = counter('restores_total', 'Runs that requested a restore, by whether it was applied.', ['profile', 'outcome']);
    this.drills = counter('drills_total', 'Restore drills ended, passed or failed.', ['outcome']);
    this.fleetDatabases = counter('fleet_databases_total', "Databases of fleet runs, by the fleet's action and the database's outcome.", [
      'action',
      'outcome',
    ]);
    const { lastDrill } = this;
    new Gauge({
      name: 'prisma_backup_last_drill_passed',
      help: "1 when the database's last drill passed, 0 when it failed, by database.",
      labelNames: ['database_id'],
      registers,
      collect() {
        for (const [database_id, passed] of lastDrill) this.set({ database_id }, passed);
      },
    });
    // Zero series from the start, so the first failure is an increase an alert can see.
    for (const outcome of ['passed', 'failed']) this.drills.inc({ outcome }, 0);
    for (const profile of PROFILES) for (const outcome of ['applied', 'failed']) this.restores.inc({ profile, outcome }, 0);

    const { lastCompleted } = this;
    new Gauge({
      name: 'prisma_backup_last_completed_backup_timestamp_seconds',
      help: 'Completion time (Unix seconds) of the newest completed backup this worker saw, by database.',
      labelNames: ['database_id'],
      registers,
      collect() {
        for (const [database_id, at] of lastCompleted) this.set({ database_id }, at / 1000);
      },
    });
    new Gauge({
      name: 'prisma_backup_seconds_since_last_completed_backup',
      help: 'Seconds from the newest completed backup this worker saw to the scrape, by database.',
      labelNames: ['database_id'],
      registers,
      collect() {
        for (const [database_id, at] of lastCompleted) this.set({ database_id }, (now() - at) / 1000);
      },
    });
  }

  /** The sink the workflow interceptor calls; never during replay, so a replayed run is not counted again. */
  sinks(): InjectedSinks<MetricsSinks> {
    return {
      metrics: {
        runStarted: { fn: (_info, { profile, kind }) => this.runsStarted.inc({ profile, kind }), callDuringReplay: false },
        runFinished: {
          fn: (_info, end) => {
            const { profile, kind, outcome, reason } = end;
            this.runsFinished.inc({ profile, kind, outcome, reason });
            if (end.restore) this.restores.inc({ profile, outcome: end.restore });
            if (end.drill) this.drills.inc({ outcome: end.drill });
            if (end.drill && end.databaseId) this.lastDrill.set(end.databaseId, end.drill === 'passed' ? 1 : 0);
            if (end.readyWaitMs !== undefined) this.readyWait.observe({ profile }, end.readyWaitMs / 1000);
          },
          callDuringReplay: false,
        },
        fleetDatabase: {
          fn: (_info, entry) => {
            this.fleetDatabases.inc({ action: entry.action, outcome: entry.outcome ?? 'failed' });
            if (entry.backupCreatedAt) this.sawCompleted(entry.databaseId, Date.parse(entry.backupCreatedAt));
          },
          callDuringReplay: false,
        },
      },
    };
  }

  private sawCompleted(databaseId: string, at: number): void {
    if (at > (this.lastCompleted.get(databaseId) ?? -Infinity)) this.lastCompleted.set(databaseId, at);
  }

  /** Counts a backup the first time it is seen unfinished, and when such a backup ends; keeps the newest completion per database. */
  backupsSeen(databaseId: string, backups: readonly SeenBackup[]): void {
    for (const backup of backups) {
      const tracked = this.unfinished.get(backup.id);
      if (UNFINISHED.includes(backup.status)) {
        if (tracked === undefined) {
          this.unfinished.set(backup.id, backup.type);
          this.backupsStarted.inc({ type: backup.type });
        }
        continue;
      }
      if (tracked !== undefined) this.unfinished.delete(backup.id);
      if (backup.status === 'failed' && tracked !== undefined) this.backupsFailed.inc({ type: tracked });
      if (backup.status !== 'completed') continue;
      // Prisma's backups carry no completedAt: one seen finishing completed about now; an older one, when it was taken.
      const completedAt = backup.completedAt
        ? Date.parse(backup.completedAt)
        : tracked !== undefined
          ? this.now()
          : Date.parse(backup.createdAt);
      if (tracked !== undefined) {
        this.backupsCompleted.inc({ type: tracked });
        this.backupDuration.observe({ type: tracked }, Math.max(0, completedAt - Date.parse(backup.createdAt)) / 1000);
      }
      this.sawCompleted(databaseId, completedAt);
    }
  }

  /** The client, reporting every backup list and created backup to backupsSeen(). */
  observedApi(api: ManagementApi): ManagementApi {
    if (api.profile === 'prisma') {
      return {
        ...api,
        listBackups: async (databaseId, options) => {
          const list = await api.listBackups(databaseId, options);
          this.backupsSeen(
            databaseId,
            list.data.map((b) => ({ ...b, type: b.backupType })),
          );
          return list;
        },
      };
    }
    return {
      ...api,
      listBackups: async (databaseId, options) => {
        const list = await api.listBackups(databaseId, options);
        this.backupsSeen(databaseId, list.data);
        return list;
      },
      createBackup: async (databaseId, label, options) => {
        const backup = await api.createBackup(databaseId, label, options);
        this.backupsSeen(databaseId, [backup]);
        return backup;
      },
    };
  }
}
