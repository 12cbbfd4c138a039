// The example alert rules (deploy/prometheus/alerts.yml) select only what the worker exports, so that a
// renamed metric or label cannot silence an alert: every selector of a prisma_backup_ metric matches a
// series of the worker's registry (src/temporal/metrics.ts) once it has seen a failed run, a failed drill
// and a completed backup, every value a rule excludes is one the worker exports, and every label a rule
// groups by is one of those series' labels, or Prometheus's job and instance.
import { strict as assert } from 'assert';
import { readFileSync } from 'node:fs';
import type { WorkflowInfo } from '@temporalio/workflow';
import { parse } from 'yaml';
import { runEnd } from '../../src/shared/run-metrics';
import { WorkerMetrics } from '../../src/temporal/metrics';
import { RULES_FILE } from '../alerts/prometheus';

const exprs = (
  parse(readFileSync(RULES_FILE, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }
).groups.flatMap((g) => g.rules);

/** `name{a="x", b!="y"}` or a bare `name`: the metric name and its equality / inequality matchers. */
function selectors(expr: string): Array<{ name: string; matchers: Array<{ label: string; op: '=' | '!='; value: string }> }> {
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

async function exportedSeries(): Promise<Array<{ name: string; labels: Record<string, string> }>> {
  const metrics = new WorkerMetrics();
  const { runFinished } = metrics.sinks().metrics;
  const info = {} as WorkflowInfo;
  await runFinished.fn(info, runEnd({ profile: 'seed', kind: 'run' }, 'failed', 'BackupFailed', {}));
  await runFinished.fn(info, runEnd({ profile: 'prisma', kind: 'drill' }, 'failed', 'VerificationFailed', { restoreRequestedAt: 1 }));
  metrics.backupsSeen('db_a', [
    { id: 'b1', type: 'full', status: 'completed', createdAt: '2026-01-01T00:00:00Z', completedAt: '2026-01-01T00:01:00Z' },
  ]);
  const json = await metrics.registry.getMetricsAsJSON();
  return json.flatMap((m) =>
    m.values.map((v) => ({
      name: (v as { metricName?: string }).metricName ?? m.name, // a histogram's _bucket, _sum, _count
      labels: Object.fromEntries(Object.entries(v.labels).map(([k, x]) => [k, String(x)])),
    })),
  );
}

describe('alert rules and the worker metrics', () => {
  it('select only series the worker exports', async () => {
    const series = await exportedSeries();
    let checked = 0;
    for (const { alert, expr } of exprs) {
      for (const { name, matchers } of selectors(expr)) {
        const matching = series.filter(
          (s) => s.name === name && matchers.every(({ label, op, value }) => ((s.labels[label] ?? '') === value) === (op === '=')),
        );
        assert.ok(
          matching.length > 0,
          `${alert}: ${name}{${matchers.map((m) => m.label + m.op + m.value).join(',')}} matches nothing the worker exports`,
        );
        // An exclusion of a value the worker never exports would exclude nothing.
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
    for (const { alert, expr } of exprs) {
      const names = new Set(selectors(expr).map((s) => s.name));
      const labels = new Set(['job', 'instance', ...series.filter((s) => names.has(s.name)).flatMap((s) => Object.keys(s.labels))]);
      for (const [, list] of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
        for (const label of list.split(',').map((l) => l.trim()))
          assert.ok(labels.has(label), `${alert} groups by ${label}, which its series lack`);
      }
    }
  });
});
