// The worker's own Prometheus metrics, prefixed prisma_backup_: runs as the workflows' sink reports them, backups as
// the API answers them (observedApi). Counts are this worker's: Prometheus sums workers.
import type { InjectedSinks } from '@temporalio/worker';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ManagementApi } from '../api/client';
import { PROFILES } from '../shared/input';
import type { MetricsSinks } from '../workflows/interceptors';

/** A backup as a list or a create answers it; `type` is the seed's type or Prisma's backupType. */
export type SeenBackup = { id: string; type: string; status: string; createdAt: string; completedAt?: string };

const UNFINISHED: readonly string[] = ['pending', 'in_progress', 'running'];
const SECONDS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];

export class WorkerMetrics {
  readonly registry = new Registry();
  #counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name: `prisma_backup_${name}`, help, labelNames, registers: [this.registry] });
  #histogram = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Histogram<L>({ name: `prisma_backup_${name}`, help, labelNames, buckets: SECONDS, registers: [this.registry] });
  /** A gauge by database_id, read from `values` at each scrape. */
  #gauge = (name: string, help: string, values: Map<string, number>, value: (v: number) => number) =>
    new Gauge({
      name: `prisma_backup_${name}`,
      help,
      labelNames: ['database_id'],
      registers: [this.registry],
      collect() {
        for (const [database_id, v] of values) this.set({ database_id }, value(v));
      },
    });

  #runsStarted = this.#counter('runs_started_total', 'Runs started.', ['profile', 'kind']);
  #runsFinished = this.#counter('runs_finished_total', 'Runs ended; reason is the failure type, empty unless failed.', [
    'profile',
    'kind',
    'outcome',
    'reason',
  ]);
  #backupsStarted = this.#counter('backups_started_total', 'Backups this worker saw unfinished for the first time.', ['type']);
  #backupsCompleted = this.#counter('backups_completed_total', 'Backups this worker saw unfinished, then completed.', ['type']);
  #backupsFailed = this.#counter('backups_failed_total', 'Backups this worker saw unfinished, then failed.', ['type']);
  #backupDuration = this.#histogram('backup_duration_seconds', "From a backup's createdAt to its completion.", ['type']);
  #readyWait = this.#histogram('database_ready_wait_seconds', 'From the restore request until the database was ready.', ['profile']);
  #restores = this.#counter('restores_total', 'Runs that requested a restore, by whether it was applied.', ['profile', 'outcome']);
  #drills = this.#counter('drills_total', 'Restore drills ended, passed or failed.', ['outcome']);
  #fleetDatabases = this.#counter('fleet_databases_total', "Fleets' databases, by action and outcome.", ['action', 'outcome']);
  /** Backups seen unfinished, by id, with their type: only these are counted when they finish. */
  #unfinished = new Map<string, string>();
  /** By database: the newest completed backup seen (ms), and whether the last drill passed (1) or failed (0). */
  #lastCompleted = new Map<string, number>();
  #lastDrill = new Map<string, number>();

  /** `now`: the clock the age of the last backup is measured with (tests pass their own). */
  constructor(private readonly now: () => number = Date.now) {
    this.#gauge('last_drill_passed', "1 when the database's last drill passed, 0 when it failed.", this.#lastDrill, (v) => v);
    this.#gauge(
      'last_completed_backup_timestamp_seconds',
      'Completion time of the newest completed backup seen.',
      this.#lastCompleted,
      (at) => at / 1000,
    );
    this.#gauge(
      'seconds_since_last_completed_backup',
      'Seconds since the newest completed backup seen.',
      this.#lastCompleted,
      (at) => (now() - at) / 1000,
    );
    // Zero series from the start, so the first failure is an increase an alert can see.
    for (const outcome of ['passed', 'failed']) this.#drills.inc({ outcome }, 0);
    for (const profile of PROFILES) for (const outcome of ['applied', 'failed']) this.#restores.inc({ profile, outcome }, 0);
  }

  /** The sinks the workflow interceptor calls; never during replay, so nothing is counted twice. */
  sinks(): InjectedSinks<MetricsSinks> {
    return {
      metrics: {
        runStarted: { fn: (_info, { profile, kind }) => this.#runsStarted.inc({ profile, kind }), callDuringReplay: false },
        runFinished: {
          fn: (_info, { profile, kind, outcome, reason, restore, drill, databaseId, readyWaitMs }) => {
            this.#runsFinished.inc({ profile, kind, outcome, reason });
            if (restore) this.#restores.inc({ profile, outcome: restore });
            if (drill) this.#drills.inc({ outcome: drill });
            if (drill && databaseId) this.#lastDrill.set(databaseId, drill === 'passed' ? 1 : 0);
            if (readyWaitMs !== undefined) this.#readyWait.observe({ profile }, readyWaitMs / 1000);
          },
          callDuringReplay: false,
        },
        fleetDatabase: {
          fn: (_info, entry) => {
            this.#fleetDatabases.inc({ action: entry.action, outcome: entry.outcome ?? 'failed' });
            if (entry.backupCreatedAt) this.#sawCompleted(entry.databaseId, Date.parse(entry.backupCreatedAt));
          },
          callDuringReplay: false,
        },
      },
    };
  }

  #sawCompleted(databaseId: string, at: number): void {
    if (at > (this.#lastCompleted.get(databaseId) ?? -Infinity)) this.#lastCompleted.set(databaseId, at);
  }

  /** Counts a backup the first time it is seen unfinished, and when such a backup ends; keeps the newest completion per database. */
  backupsSeen(databaseId: string, backups: readonly SeenBackup[]): void {
    for (const { id, type, status, createdAt, completedAt } of backups) {
      const tracked = this.#unfinished.get(id);
      if (UNFINISHED.includes(status)) {
        if (tracked === undefined) this.#backupsStarted.inc({ type });
        this.#unfinished.set(id, type);
        continue;
      }
      this.#unfinished.delete(id);
      if (status === 'failed' && tracked !== undefined) this.#backupsFailed.inc({ type: tracked });
      if (status !== 'completed') continue;
      // Prisma's backups carry no completedAt: one seen finishing completed about now; an older one, when it was taken.
      const at = completedAt ? Date.parse(completedAt) : tracked !== undefined ? this.now() : Date.parse(createdAt);
      if (tracked !== undefined) {
        this.#backupsCompleted.inc({ type: tracked });
        this.#backupDuration.observe({ type: tracked }, Math.max(0, at - Date.parse(createdAt)) / 1000);
      }
      this.#sawCompleted(databaseId, at);
    }
  }

  /** The client, reporting every backup list and created backup to backupsSeen(). */
  observedApi(api: ManagementApi): ManagementApi {
    const seen = <T extends { data: object[] }>(databaseId: string, list: T, type: (b: never) => string) => {
      this.backupsSeen(
        databaseId,
        list.data.map((b) => ({ ...(b as SeenBackup), type: type(b as never) })),
      );
      return list;
    };
    if (api.profile === 'prisma')
      return { ...api, listBackups: async (id, o) => seen(id, await api.listBackups(id, o), (b: { backupType: string }) => b.backupType) };
    return {
      ...api,
      listBackups: async (id, o) => seen(id, await api.listBackups(id, o), (b: { type: string }) => b.type),
      createBackup: async (id, label, o) => {
        const backup = await api.createBackup(id, label, o);
        this.backupsSeen(id, [backup]);
        return backup;
      },
    };
  }
}
