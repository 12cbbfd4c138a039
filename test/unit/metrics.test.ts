// What a run tells the worker's metrics (src/shared/run-metrics.ts), what the worker counts and
// exports (src/temporal/metrics.ts), and that the example alert rules (deploy/prometheus/alerts.yml)
// select only what it exports, so a renamed metric or label cannot silence an alert.
import { strict as assert } from 'assert';
import { readFileSync } from 'node:fs';
import type { WorkflowInfo } from '@temporalio/workflow';
import { parse } from 'yaml';
import type { ManagementApi } from '../../src/api/client';
import { ErrorType } from '../../src/shared/errors';
import { runEnd, runKind, type RunLabels } from '../../src/shared/run-metrics';
import { WorkerMetrics } from '../../src/temporal/metrics';
import { freeLoopbackPort, METRICS_PATH, serveMetrics } from '../../src/temporal/metrics-server';
import { RULES_FILE } from '../alerts/prometheus';
import { parseSamples, sampleValue } from '../support/prometheus';

const info = {} as WorkflowInfo;

describe('run metrics: what a run is and how it ended', () => {
  it('names a run by the command that starts it', () => {
    assert.equal(runKind({ profile: 'seed', databaseId: 'db' }), 'run');
    assert.equal(runKind({ profile: 'seed', databaseId: 'db', restore: false }), 'backup');
    assert.equal(runKind({ profile: 'seed', databaseId: 'db', backupId: 'b1' }), 'restore');
    assert.equal(runKind({ profile: 'prisma', databaseId: 'db' }), 'restore');
    assert.equal(runKind({ profile: 'prisma', databaseId: 'db', newDatabase: { projectId: 'p' } }), 'restore');
    assert.equal(runKind({ profile: 'prisma', databaseId: 'db', newDatabase: { projectId: 'p' }, drill: true }), 'drill');
    assert.equal(runKind(undefined), 'run');
  });

  const restore: RunLabels = { profile: 'prisma', kind: 'restore', databaseId: 'db_1' };
  const drill: RunLabels = { profile: 'prisma', kind: 'drill', databaseId: 'db_1' };

  it('a completed restore: applied, with its wait until ready', () => {
    assert.deepEqual(runEnd(restore, 'completed', '', true, 3_500), {
      ...restore,
      outcome: 'completed',
      reason: '',
      restore: 'applied',
      readyWaitMs: 3_500,
    });
    assert.equal(runEnd(restore, 'completed', '', true).readyWaitMs, undefined, 'none after a lost answer');
  });

  it('a failure before any restore request: no restore counted; the reason only when failed', () => {
    assert.deepEqual(runEnd(restore, 'failed', ErrorType.BackupFailed, false), { ...restore, outcome: 'failed', reason: 'BackupFailed' });
    assert.equal(runEnd(restore, 'completed', 'ignored', false).reason, '');
  });

  it('a failure of the restore itself, or of a check after it was done (the restore counts as applied)', () => {
    for (const reason of [ErrorType.RestoreFailed, ErrorType.RestoreOutcomeUnknown, ErrorType.ReadyTimedOut, 'Terminated']) {
      assert.equal(runEnd(restore, 'failed', reason, true).restore, 'failed', reason);
    }
    for (const reason of [ErrorType.VerificationFailed, ErrorType.VerificationInconclusive, ErrorType.ScratchNotDeleted]) {
      assert.equal(runEnd(restore, 'failed', reason, true).restore, 'applied', reason);
    }
    assert.equal(runEnd(restore, 'failed', ErrorType.RestoreFailed, true, 9).readyWaitMs, undefined);
  });

  it('drills pass or fail; a cancelled run counts neither a drill nor a restore, and has no reason', () => {
    assert.equal(runEnd(drill, 'completed', '', true, 2).drill, 'passed');
    assert.equal(runEnd(drill, 'failed', ErrorType.VerificationFailed, true).drill, 'failed');
    assert.equal(runEnd(drill, 'failed', ErrorType.BackupNotFound, false).drill, 'failed', 'a drill that never restored failed too');
    assert.deepEqual(runEnd(drill, 'cancelled', 'Cancelled', true), { ...drill, outcome: 'cancelled', reason: '' });
  });
});

describe('worker metrics', () => {
  const T0 = Date.parse('2026-11-28T10:00:00.000Z');
  let now = T0;
  let metrics: WorkerMetrics;
  const scrape = () => metrics.registry.metrics();
  beforeEach(() => {
    now = T0;
    metrics = new WorkerMetrics(() => now);
  });

  it('counts a backup seen running once, then its completion with its duration; the newest completion per database', async () => {
    const running = { id: 'b2', type: 'full', status: 'running', createdAt: new Date(T0 - 60_000).toISOString() };
    const older = { id: 'b1', type: 'full', status: 'completed', createdAt: new Date(T0 - 86_400_000).toISOString() };
    metrics.backupsSeen('db_a', [running, older]);
    metrics.backupsSeen('db_a', [running, older]);
    let text = await scrape();
    assert.equal(sampleValue(text, 'prisma_backup_backups_started_total', { type: 'full' }), 1);
    // A backup already completed when first seen is not counted, but is the newest completion so far.
    assert.equal(sampleValue(text, 'prisma_backup_backups_completed_total', { type: 'full' }), undefined);
    assert.equal(
      sampleValue(text, 'prisma_backup_last_completed_backup_timestamp_seconds', { database_id: 'db_a' }),
      (T0 - 86_400_000) / 1000,
    );
    assert.equal(sampleValue(text, 'prisma_backup_seconds_since_last_completed_backup', { database_id: 'db_a' }), 86_400);

    now = T0 + 30_000;
    metrics.backupsSeen('db_a', [{ ...running, status: 'completed' }, older]);
    metrics.backupsSeen('db_a', [{ ...running, status: 'completed' }, older]);
    now = T0 + 40_000;
    text = await scrape();
    assert.equal(sampleValue(text, 'prisma_backup_backups_completed_total', { type: 'full' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_backup_duration_seconds_count', { type: 'full' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_backup_duration_seconds_sum', { type: 'full' }), 90);
    assert.equal(sampleValue(text, 'prisma_backup_last_completed_backup_timestamp_seconds', { database_id: 'db_a' }), (T0 + 30_000) / 1000);
    assert.equal(sampleValue(text, 'prisma_backup_seconds_since_last_completed_backup', { database_id: 'db_a' }), 10);
  });

  it('takes completedAt when the API gives it, and counts a failed backup by its type', async () => {
    const created = new Date(T0).toISOString();
    metrics.backupsSeen('db_b', [
      { id: 'm1', type: 'manual', status: 'pending', createdAt: created },
      { id: 'm2', type: 'manual', status: 'in_progress', createdAt: created },
    ]);
    metrics.backupsSeen('db_b', [
      { id: 'm1', type: 'manual', status: 'completed', createdAt: created, completedAt: new Date(T0 + 5_000).toISOString() },
      { id: 'm2', type: 'manual', status: 'failed', createdAt: created },
    ]);
    const text = await scrape();
    assert.equal(sampleValue(text, 'prisma_backup_backups_started_total', { type: 'manual' }), 2);
    assert.equal(sampleValue(text, 'prisma_backup_backups_failed_total', { type: 'manual' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_backup_duration_seconds_sum', { type: 'manual' }), 5);
    assert.equal(sampleValue(text, 'prisma_backup_last_completed_backup_timestamp_seconds', { database_id: 'db_b' }), (T0 + 5_000) / 1000);
  });

  it('exports zero series from the start, so a first failure is an increase', async () => {
    const text = await scrape();
    for (const outcome of ['passed', 'failed']) assert.equal(sampleValue(text, 'prisma_backup_drills_total', { outcome }), 0);
    for (const profile of ['prisma', 'seed']) {
      for (const outcome of ['applied', 'failed']) assert.equal(sampleValue(text, 'prisma_backup_restores_total', { profile, outcome }), 0);
    }
  });

  it('counts what the workflow reports through its sink, never on replay: runs, restores, drills, the wait until ready', async () => {
    const { metrics: sink } = metrics.sinks();
    for (const fn of [sink.runStarted, sink.runFinished, sink.fleetDatabase]) assert.equal(fn.callDuringReplay, false);
    const labels = { profile: 'prisma', kind: 'drill' } as const;
    await sink.runStarted.fn(info, labels);
    await sink.runFinished.fn(info, {
      ...labels,
      outcome: 'completed',
      reason: '',
      restore: 'applied',
      drill: 'passed',
      readyWaitMs: 2_500,
    });
    await sink.runFinished.fn(info, { ...labels, outcome: 'failed', reason: 'RestoreFailed', restore: 'failed', drill: 'failed' });
    const text = await scrape();
    assert.equal(sampleValue(text, 'prisma_backup_runs_started_total', labels), 1);
    assert.equal(sampleValue(text, 'prisma_backup_runs_finished_total', { ...labels, outcome: 'completed', reason: '' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_runs_finished_total', { ...labels, outcome: 'failed', reason: 'RestoreFailed' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_restores_total', { profile: 'prisma', outcome: 'applied' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_restores_total', { profile: 'prisma', outcome: 'failed' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_drills_total', { outcome: 'passed' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_drills_total', { outcome: 'failed' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_database_ready_wait_seconds_sum', { profile: 'prisma' }), 2.5);
    assert.equal(sampleValue(text, 'prisma_backup_database_ready_wait_seconds_count', { profile: 'prisma' }), 1);
  });

  it('keeps, per database, whether its last drill passed', async () => {
    const { runFinished } = metrics.sinks().metrics;
    const drill = (databaseId: string | undefined, passed: boolean) =>
      runFinished.fn(info, {
        profile: 'prisma',
        kind: 'drill',
        databaseId,
        outcome: passed ? 'completed' : 'failed',
        reason: passed ? '' : 'VerificationFailed',
        drill: passed ? 'passed' : 'failed',
      });
    await drill('db_a', true);
    await drill('db_b', false);
    let text = await scrape();
    assert.equal(sampleValue(text, 'prisma_backup_last_drill_passed', { database_id: 'db_a' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_last_drill_passed', { database_id: 'db_b' }), 0);
    await drill('db_a', false);
    await drill('db_b', true);
    await drill(undefined, false);
    await runFinished.fn(info, {
      profile: 'prisma',
      kind: 'restore',
      databaseId: 'db_c',
      outcome: 'completed',
      reason: '',
      restore: 'applied',
    });
    text = await scrape();
    assert.equal(sampleValue(text, 'prisma_backup_last_drill_passed', { database_id: 'db_a' }), 0);
    assert.equal(sampleValue(text, 'prisma_backup_last_drill_passed', { database_id: 'db_b' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_last_drill_passed', { database_id: 'db_c' }), undefined, 'only drills');
    assert.equal(parseSamples(text).filter((s) => s.name === 'prisma_backup_last_drill_passed').length, 2);
  });

  it("counts a fleet's databases by action and outcome, and the newest backup each used", async () => {
    const { fleetDatabase } = metrics.sinks().metrics;
    const entry = (databaseId: string, outcome: 'passed' | 'failed' | 'gone' | undefined, backupCreatedAt?: string) =>
      fleetDatabase.fn(info, {
        databaseId,
        workflowId: `f-${databaseId}`,
        outcome,
        action: 'drill',
        ...(backupCreatedAt ? { backupCreatedAt } : {}),
      });
    await entry('db_a', 'passed', '2026-11-28T03:00:00Z');
    await entry('db_a', 'passed', '2026-11-27T03:00:00Z');
    await entry('db_b', 'failed');
    await entry('db_c', 'gone');
    await entry('db_d', undefined);
    const text = await scrape();
    assert.equal(sampleValue(text, 'prisma_backup_fleet_databases_total', { action: 'drill', outcome: 'passed' }), 2);
    assert.equal(
      sampleValue(text, 'prisma_backup_fleet_databases_total', { action: 'drill', outcome: 'failed' }),
      2,
      'no outcome counts as failed',
    );
    assert.equal(sampleValue(text, 'prisma_backup_fleet_databases_total', { action: 'drill', outcome: 'gone' }), 1);
    assert.equal(
      sampleValue(text, 'prisma_backup_last_completed_backup_timestamp_seconds', { database_id: 'db_a' }),
      Date.parse('2026-11-28T03:00:00Z') / 1000,
    );
    assert.equal(sampleValue(text, 'prisma_backup_last_completed_backup_timestamp_seconds', { database_id: 'db_b' }), undefined);
  });

  describe('reads backups from what the API answers', () => {
    it('prisma: each backup list, by its backupType', async () => {
      const list = {
        data: [{ id: 'c1', backupType: 'incremental', status: 'running', createdAt: new Date(T0).toISOString() }],
        meta: { backupRetentionDays: 7 },
        pagination: { hasMore: false, limit: 100 },
      };
      const getDatabase = async () => ({ id: 'db_1' });
      const api = { profile: 'prisma', listBackups: async () => list, getDatabase } as unknown as ManagementApi;
      const observed = metrics.observedApi(api);
      assert.equal(await observed.listBackups('db_1', {}), list);
      assert.equal((observed as unknown as { getDatabase: unknown }).getDatabase, getDatabase, 'other methods untouched');
      assert.equal(sampleValue(await scrape(), 'prisma_backup_backups_started_total', { type: 'incremental' }), 1);
    });

    it('seed: each backup list and each backup created', async () => {
      const backup = { id: 'm1', databaseId: 'db_1', type: 'manual', status: 'pending', createdAt: new Date(T0).toISOString() };
      const api = {
        profile: 'seed',
        createBackup: async () => backup,
        listBackups: async () => ({ data: [{ ...backup, status: 'completed', completedAt: new Date(T0 + 7_000).toISOString() }] }),
      } as unknown as ManagementApi;
      const observed = metrics.observedApi(api);
      assert.equal(observed.profile, 'seed');
      await (observed as Extract<ManagementApi, { profile: 'seed' }>).createBackup('db_1', undefined, {});
      await observed.listBackups('db_1', {});
      const text = await scrape();
      assert.equal(sampleValue(text, 'prisma_backup_backups_started_total', { type: 'manual' }), 1);
      assert.equal(sampleValue(text, 'prisma_backup_backups_completed_total', { type: 'manual' }), 1);
      assert.equal(sampleValue(text, 'prisma_backup_backup_duration_seconds_sum', { type: 'manual' }), 7);
    });
  });
});

describe('the metrics endpoint', () => {
  it('serves our registry at /metrics, then the SDK’s, saying so when those cannot be read; nothing elsewhere', async () => {
    const metrics = new WorkerMetrics();
    const port = await freeLoopbackPort();
    const server = await serveMetrics(
      { host: '127.0.0.1', port },
      metrics.registry,
      `http://127.0.0.1:${await freeLoopbackPort()}/metrics`,
    );
    try {
      assert.equal(server.url, `http://127.0.0.1:${port}${METRICS_PATH}`);
      const scrape = await fetch(server.url);
      assert.equal(scrape.status, 200);
      const text = await scrape.text();
      assert.equal(sampleValue(text, 'prisma_backup_drills_total', { outcome: 'failed' }), 0);
      assert.match(text, /\n# The SDK's metrics could not be read: /);
      const elsewhere = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(elsewhere.status, 404);
      assert.equal(await elsewhere.text(), 'Metrics are at /metrics\n');
      await assert.rejects(
        serveMetrics({ host: '127.0.0.1', port }, metrics.registry),
        /^Error: Cannot serve metrics on 127\.0\.0\.1:\d+ \(EADDRINUSE\): set PRISMA_BACKUP_METRICS_ADDRESS to a free host:port, or off\.$/,
      );
    } finally {
      await server.close();
    }
  });
});

describe('alert rules and the worker metrics', () => {
  const rules = (
    parse(readFileSync(RULES_FILE, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }
  ).groups.flatMap((g) => g.rules);

  /** `name{a="x", b!="y"}` or a bare `name`: the metric name and its equality / inequality matchers. */
  function selectors(expr: string) {
    return [...expr.matchAll(/\b(prisma_backup_\w+)(?:\{([^}]*)\})?/g)].map(([, name, inner]) => ({
      name,
      matchers: (inner ?? '')
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean)
        .map((m) => {
          const found = /^(\w+)\s*(!=|=)\s*"([^"]*)"$/.exec(m);
          assert.ok(found, `unsupported matcher ${m}: extend this test`);
          return { label: found[1], op: found[2] as '=' | '!=', value: found[3] };
        }),
    }));
  }

  /** Every series the worker exports once it has seen a failed run, a failed drill, a fleet's database and a completed backup. */
  async function exportedSeries() {
    const metrics = new WorkerMetrics();
    const { runFinished, fleetDatabase } = metrics.sinks().metrics;
    await runFinished.fn(info, runEnd({ profile: 'seed', kind: 'run', databaseId: 'db_a' }, 'failed', 'BackupFailed', false));
    await runFinished.fn(info, runEnd({ profile: 'prisma', kind: 'drill', databaseId: 'db_a' }, 'failed', 'VerificationFailed', true));
    await runFinished.fn(info, runEnd({ profile: 'prisma', kind: 'restore', databaseId: 'db_a' }, 'completed', '', true, 1_000));
    await fleetDatabase.fn(info, { databaseId: 'db_a', workflowId: 'f', outcome: 'failed', action: 'drill' });
    metrics.backupsSeen('db_a', [{ id: 'b0', type: 'full', status: 'running', createdAt: '2026-01-01T00:00:00Z' }]);
    metrics.backupsSeen('db_a', [
      { id: 'b0', type: 'full', status: 'completed', createdAt: '2026-01-01T00:00:00Z', completedAt: '2026-01-01T00:01:00Z' },
    ]);
    const json = await metrics.registry.getMetricsAsJSON();
    return json.flatMap((m) =>
      m.values.map((v) => ({
        name: (v as { metricName?: string }).metricName ?? m.name, // a histogram's _bucket, _sum, _count
        labels: Object.fromEntries(Object.entries(v.labels).map(([k, x]) => [k, String(x)])),
      })),
    );
  }

  it('select only series the worker exports, and exclude only values it exports', async () => {
    const series = await exportedSeries();
    let checked = 0;
    for (const { alert, expr } of rules) {
      for (const { name, matchers } of selectors(expr)) {
        const matching = series.filter(
          (s) => s.name === name && matchers.every(({ label, op, value }) => ((s.labels[label] ?? '') === value) === (op === '=')),
        );
        assert.ok(
          matching.length > 0,
          `${alert}: ${name}{${matchers.map((m) => m.label + m.op + m.value).join(',')}} matches nothing the worker exports`,
        );
        for (const { label, value } of matchers.filter((m) => m.op === '!=')) {
          assert.ok(
            series.some((s) => s.name === name && s.labels[label] === value),
            `${alert}: ${name} never has ${label}="${value}"`,
          );
        }
        checked++;
      }
    }
    assert.ok(checked >= 4, `only ${checked} selectors found`);
  });

  it('group by labels those series have, or the job and instance Prometheus adds', async () => {
    const series = await exportedSeries();
    for (const { alert, expr } of rules) {
      const names = new Set(selectors(expr).map((s) => s.name));
      const labels = new Set(['job', 'instance', ...series.filter((s) => names.has(s.name)).flatMap((s) => Object.keys(s.labels))]);
      for (const [, list] of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
        for (const label of list.split(',').map((l) => l.trim()))
          assert.ok(labels.has(label), `${alert} groups by ${label}, which its series lack`);
      }
    }
  });

  it('the selector check itself fails on a metric the worker does not export', async () => {
    const series = await exportedSeries();
    const [{ name }] = selectors('increase(prisma_backup_drills_failed_total[15m])');
    assert.equal(series.filter((s) => s.name === name).length, 0);
  });
});
