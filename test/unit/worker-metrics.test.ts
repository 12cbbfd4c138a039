import { strict as assert } from 'assert';
import type { WorkflowInfo } from '@temporalio/workflow';
import { WorkerMetrics } from '../../src/temporal/metrics';
import { sampleValue } from '../support/prometheus';

const T0 = Date.parse('2026-11-28T10:00:00.000Z');

describe('worker metrics: backups seen, runs reported', () => {
  let now = T0;
  let metrics: WorkerMetrics;
  const scrape = () => metrics.registry.metrics();
  beforeEach(() => {
    now = T0;
    metrics = new WorkerMetrics(undefined, () => now);
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

  it('counts what the workflow reports through its sink: runs, restores, drills and the wait until ready', async () => {
    const { metrics: sink } = metrics.sinks();
    const info = {} as WorkflowInfo;
    const labels = { profile: 'prisma', kind: 'drill' } as const;
    let text = await scrape();
    assert.equal(sampleValue(text, 'prisma_backup_drills_total', { outcome: 'failed' }), 0);
    assert.equal(sink.runStarted.callDuringReplay, false);
    assert.equal(sink.runFinished.callDuringReplay, false);
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
    text = await scrape();
    assert.equal(sampleValue(text, 'prisma_backup_runs_started_total', labels), 1);
    assert.equal(sampleValue(text, 'prisma_backup_runs_finished_total', { ...labels, outcome: 'completed', reason: '' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_runs_finished_total', { ...labels, outcome: 'failed', reason: 'RestoreFailed' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_restores_total', { profile: 'prisma', outcome: 'applied' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_restores_total', { profile: 'prisma', outcome: 'failed' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_drills_total', { outcome: 'passed' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_drills_total', { outcome: 'failed' }), 1);
    assert.equal(sampleValue(text, 'prisma_backup_database_ready_wait_seconds_sum', { profile: 'prisma' }), 2.5);
  });
});
