// The example Prometheus alert rules (deploy/prometheus/alerts.yml) and scrape config, checked by promtool:
// `check rules`, `check config`, and `test rules` on series such as the workers export, written here, with
// the alerts expected at each moment: each fires when it should and stays silent when it should not.
//
// promtool comes from Debian's `prometheus` package (or PROMTOOL_PATH). In CI (CI=true) these tests fail
// without it; elsewhere they are skipped, saying why.
import { strict as assert } from 'assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { DEFAULT_METRICS_ADDRESS } from '../../src/shared/config';
import { inCi } from '../support/ci';
import { findPromtool, PROMETHEUS_DIR, RULES_FILE, WORKER_JOB as JOB, type PrometheusConfig } from './prometheus';

const CONFIG_FILE = path.join(PROMETHEUS_DIR, 'prometheus.yml');
// What docker-compose.yml runs (test/compose/docker-compose.test.ts checks its scrape job).
const COMPOSE_CONFIG_FILE = path.join(PROMETHEUS_DIR, 'prometheus-compose.yml');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const ruleFile = parse(readFileSync(RULES_FILE, 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> };
const alertRules = ruleFile.groups.flatMap((g) => g.rules);

// promtool's unit-test file (https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/).
interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations: { summary: string };
}
interface AlertCheck {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpectedAlert[];
}
interface UnitTest {
  name: string;
  interval: string;
  input_series: Array<{ series: string; values: string }>;
  alert_rule_test: AlertCheck[];
}

const execFileAsync = promisify(execFile);

function series(name: string, labels: Record<string, string>, values: string): { series: string; values: string } {
  const matchers = Object.entries(labels).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return { series: `${name}{${matchers.join(',')}}`, values };
}

const worker = (n: number) => ({ job: JOB, instance: `worker-${n}:9464` });
const HOUR = 60; // samples per hour at the tests' 1 min interval
const severityOf = (alertname: string) => alertRules.find((r) => r.alert === alertname)?.labels?.severity ?? '';

function check(alertname: string, evalTime: string, firing: Array<[Record<string, string>, string]> = []): AlertCheck {
  return {
    eval_time: evalTime,
    alertname,
    exp_alerts: firing.map(([labels, summary]) => ({
      exp_labels: { ...labels, severity: severityOf(alertname) },
      exp_annotations: { summary },
    })),
  };
}

// Input series use promtool's notation: `a+bxn` is n+1 samples from a, step b; `_xn` n missing samples;
// `stale` a staleness marker, which Prometheus writes when a target stops exporting a series.
const UNIT_TESTS: UnitTest[] = [
  {
    name: 'no completed backup for 26 h: per database, newest over all workers, through restarts',
    interval: '1m',
    input_series: [
      // db_old's newest backup completed at 0 s; worker 1 keeps exporting it.
      series('prisma_backup_last_completed_backup_timestamp_seconds', { ...worker(1), database_id: 'db_old' }, `0x${52 * HOUR}`),
      // db_fresh: worker 1 only saw the backup of 0 s; worker 2 saw one completed at 20 h (72,000 s).
      series('prisma_backup_last_completed_backup_timestamp_seconds', { ...worker(1), database_id: 'db_fresh' }, `0x${52 * HOUR}`),
      series(
        'prisma_backup_last_completed_backup_timestamp_seconds',
        { ...worker(2), database_id: 'db_fresh' },
        `_x${20 * HOUR} 72000x${32 * HOUR}`,
      ),
      // db_gone: exported until 2 h, then the worker restarts and no run looks at db_gone again.
      series('prisma_backup_last_completed_backup_timestamp_seconds', { ...worker(1), database_id: 'db_gone' }, `0x${2 * HOUR} stale`),
    ],
    alert_rule_test: [
      check('PrismaBackupNoRecentBackup', '25h'),
      check('PrismaBackupNoRecentBackup', '27h', [
        [{ database_id: 'db_old' }, 'No completed backup of db_old for 1d 3h 0m 0s'],
        [{ database_id: 'db_gone' }, 'No completed backup of db_gone for 1d 3h 0m 0s'],
      ]),
      // db_fresh's backup of 20 h is 26 h old at 46 h.
      check('PrismaBackupNoRecentBackup', '49h', [
        [{ database_id: 'db_old' }, 'No completed backup of db_old for 2d 1h 0m 0s'],
        [{ database_id: 'db_fresh' }, 'No completed backup of db_fresh for 1d 5h 0m 0s'],
        [{ database_id: 'db_gone' }, 'No completed backup of db_gone for 2d 1h 0m 0s'],
      ]),
      // More than 2 days after db_gone's series was last scraped it is forgotten.
      check('PrismaBackupNoRecentBackup', '51h', [
        [{ database_id: 'db_old' }, 'No completed backup of db_old for 2d 3h 0m 0s'],
        [{ database_id: 'db_fresh' }, 'No completed backup of db_fresh for 1d 7h 0m 0s'],
      ]),
    ],
  },
  {
    name: 'failed runs: a new failure reason, a further failure, never completed runs, drills or zeros',
    interval: '1m',
    input_series: [
      series(
        'prisma_backup_runs_finished_total',
        { ...worker(1), profile: 'seed', kind: 'run', outcome: 'completed', reason: '' },
        '0+1x90',
      ),
      // First failed at 10 min (the series appears at 1), again at 61 min.
      series(
        'prisma_backup_runs_finished_total',
        { ...worker(1), profile: 'seed', kind: 'run', outcome: 'failed', reason: 'BackupFailed' },
        '_x10 1x50 2x30',
      ),
      // A failed drill is the drill alert's; a counter created at 0 is no failure.
      series(
        'prisma_backup_runs_finished_total',
        { ...worker(1), profile: 'prisma', kind: 'drill', outcome: 'failed', reason: 'VerificationFailed' },
        '_x10 1x80',
      ),
      series(
        'prisma_backup_runs_finished_total',
        { ...worker(1), profile: 'seed', kind: 'run', outcome: 'failed', reason: 'Unauthorized' },
        '_x10 0x80',
      ),
    ],
    alert_rule_test: [
      check('PrismaBackupRunFailed', '9m'),
      check('PrismaBackupRunFailed', '11m', [
        [{ ...worker(1), profile: 'seed', kind: 'run', reason: 'BackupFailed' }, 'A run run failed (seed): BackupFailed'],
      ]),
      check('PrismaBackupRunFailed', '30m'),
      check('PrismaBackupRunFailed', '62m', [
        [{ ...worker(1), profile: 'seed', kind: 'run', reason: 'BackupFailed' }, 'A run run failed (seed): BackupFailed'],
      ]),
      check('PrismaBackupRunFailed', '80m'),
    ],
  },
  {
    name: 'failed runs: a worker restarts, its counter starts again and counts a new failure',
    interval: '1m',
    input_series: [
      series(
        'prisma_backup_runs_finished_total',
        { ...worker(2), profile: 'prisma', kind: 'restore', outcome: 'failed', reason: 'RestoreFailed' },
        '3x40 stale _x5 1x40',
      ),
    ],
    alert_rule_test: [
      check('PrismaBackupRunFailed', '30m'),
      check('PrismaBackupRunFailed', '48m', [
        [{ ...worker(2), profile: 'prisma', kind: 'restore', reason: 'RestoreFailed' }, 'A restore run failed (prisma): RestoreFailed'],
      ]),
      check('PrismaBackupRunFailed', '70m'),
    ],
  },
  {
    name: 'failed drills',
    interval: '1m',
    input_series: [
      series('prisma_backup_drills_total', { ...worker(1), outcome: 'passed' }, '0+1x60'),
      series('prisma_backup_drills_total', { ...worker(1), outcome: 'failed' }, '_x10 1x50'),
    ],
    alert_rule_test: [
      check('PrismaBackupDrillFailed', '9m'),
      check('PrismaBackupDrillFailed', '11m', [[worker(1), 'A restore drill failed on worker-1:9464']]),
      check('PrismaBackupDrillFailed', '30m'),
    ],
  },
  {
    name: 'the last drill of a database failed: by its id, until a drill of it passes, through a restart',
    interval: '1m',
    input_series: [
      // db_ok's drills pass; db_bad's fails at 10 min and passes again at 31 min.
      series('prisma_backup_last_drill_passed', { ...worker(1), database_id: 'db_ok' }, '_x5 1x100'),
      series('prisma_backup_last_drill_passed', { ...worker(1), database_id: 'db_bad' }, '_x10 0x20 1x70'),
      // db_restart's drill fails at 10 min; the worker restarts at 31 min and runs no drill of it again.
      series('prisma_backup_last_drill_passed', { ...worker(1), database_id: 'db_restart' }, '_x10 0x20 stale'),
    ],
    alert_rule_test: [
      check('PrismaBackupLastDrillFailed', '9m'),
      check('PrismaBackupLastDrillFailed', '11m', [
        [{ database_id: 'db_bad' }, 'The last restore drill of db_bad failed'],
        [{ database_id: 'db_restart' }, 'The last restore drill of db_restart failed'],
      ]),
      check('PrismaBackupLastDrillFailed', '30m', [
        [{ database_id: 'db_bad' }, 'The last restore drill of db_bad failed'],
        [{ database_id: 'db_restart' }, 'The last restore drill of db_restart failed'],
      ]),
      // db_bad passed; the restarted worker forgot db_restart, the alert did not.
      check('PrismaBackupLastDrillFailed', '40m', [[{ database_id: 'db_restart' }, 'The last restore drill of db_restart failed']]),
      check('PrismaBackupLastDrillFailed', '47h', [[{ database_id: 'db_restart' }, 'The last restore drill of db_restart failed']]),
      // 2 days after db_restart's series was last scraped it is forgotten.
      check('PrismaBackupLastDrillFailed', '49h'),
    ],
  },
  {
    name: 'the last drill of a database failed: several workers',
    interval: '1m',
    input_series: [
      // db_split: worker 1's drill failed, worker 2's passed; which came last is unknown, so it fires.
      series('prisma_backup_last_drill_passed', { ...worker(1), database_id: 'db_split' }, '_x10 0x50'),
      series('prisma_backup_last_drill_passed', { ...worker(2), database_id: 'db_split' }, '1x60'),
      // db_moved: worker 1's drill fails at 10 min, worker 1 restarts at 21 min, worker 2's drill passes at 30 min.
      series('prisma_backup_last_drill_passed', { ...worker(1), database_id: 'db_moved' }, '_x10 0x10 stale'),
      series('prisma_backup_last_drill_passed', { ...worker(2), database_id: 'db_moved' }, '_x30 1x30'),
    ],
    alert_rule_test: [
      check('PrismaBackupLastDrillFailed', '5m'),
      check('PrismaBackupLastDrillFailed', '15m', [
        [{ database_id: 'db_split' }, 'The last restore drill of db_split failed'],
        [{ database_id: 'db_moved' }, 'The last restore drill of db_moved failed'],
      ]),
      // No worker exports db_moved: the failure worker 1 exported stands.
      check('PrismaBackupLastDrillFailed', '25m', [
        [{ database_id: 'db_split' }, 'The last restore drill of db_split failed'],
        [{ database_id: 'db_moved' }, 'The last restore drill of db_moved failed'],
      ]),
      check('PrismaBackupLastDrillFailed', '35m', [[{ database_id: 'db_split' }, 'The last restore drill of db_split failed']]),
    ],
  },
  {
    name: 'a worker gone: down for 5 min, not a brief restart',
    interval: '1m',
    input_series: [
      // Worker 1 restarts: down for 3 min. Worker 2 goes down at 11 min and stays down.
      series('up', worker(1), '1x10 0x3 1x30'),
      series('up', worker(2), '1x10 0x30'),
    ],
    alert_rule_test: [
      check('PrismaBackupWorkerGone', '13m'),
      check('PrismaBackupWorkerGone', '15m'),
      check('PrismaBackupWorkerGone', '17m', [[worker(2), 'Backup worker worker-2:9464 is down']]),
    ],
  },
  {
    name: 'a worker gone: no backup worker scraped at all',
    interval: '1m',
    input_series: [series('up', { job: 'node', instance: 'host:9100' }, '1x20')],
    alert_rule_test: [
      check('PrismaBackupWorkerGone', '4m'),
      check('PrismaBackupWorkerGone', '6m', [[{ job: JOB }, 'No backup worker is scraped']]),
    ],
  },
];

describe('Prometheus alert rules (deploy/prometheus)', function () {
  this.timeout(120_000);
  let promtool: string;
  let dir: string;

  before(function () {
    const found = findPromtool();
    if ('problem' in found) {
      // CI must run these tests; elsewhere `npm test` stays usable on a machine without promtool.
      if (inCi() || process.env.PROMTOOL_PATH) throw new Error(`The alert-rule tests cannot run. ${found.problem}`);
      console.log(`    Skipping the alert-rule tests (CI would fail here). ${found.problem}`);
      this.skip();
    }
    promtool = found.path;
    dir = mkdtempSync(path.join(tmpdir(), 'alert-rules-'));
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** promtool's exit status and output; it exits 1 on a failed check, which is an answer here, not an error. */
  async function run(...args: string[]): Promise<{ ok: boolean; output: string }> {
    try {
      const { stdout, stderr } = await execFileAsync(promtool, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
      return { ok: true, output: stdout + stderr };
    } catch (error) {
      const e = error as { code?: unknown; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw error;
      return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  }

  /**
   * Runs `promtool test rules` on these unit tests. The rules are alerts.yml's with only the `summary`
   * annotation: promtool compares all annotations, and the descriptions' wording is no behaviour to pin
   * (`check rules` checks their templates).
   */
  async function testRules(tests: UnitTest[]): Promise<{ ok: boolean; output: string }> {
    const summaryOnly = {
      groups: ruleFile.groups.map((g) => ({
        ...g,
        rules: g.rules.map((r) => ({ ...r, annotations: { summary: r.annotations?.summary ?? '' } })),
      })),
    };
    writeFileSync(path.join(dir, 'alerts.yml'), stringify(summaryOnly));
    writeFileSync(path.join(dir, 'alerts.test.yml'), stringify({ rule_files: ['alerts.yml'], evaluation_interval: '1m', tests }));
    return run('test', 'rules', 'alerts.test.yml');
  }

  it('passes `promtool check rules`, with every rule an alert with a severity, a summary and a description', async () => {
    const { ok, output } = await run('check', 'rules', RULES_FILE);
    assert.ok(ok, output);
    assert.match(output, new RegExp(`SUCCESS: ${alertRules.length} rules found`));
    assert.equal(ruleFile.groups.length, 1);
    for (const rule of alertRules) {
      assert.ok(rule.alert, `a rule without an alert name: ${rule.expr}`);
      assert.ok(['warning', 'critical'].includes(rule.labels?.severity ?? ''), `${rule.alert}: severity`);
      assert.ok(rule.annotations?.summary && rule.annotations.description, `${rule.alert}: summary and description`);
    }
  });

  it('passes `promtool check config` on the example prometheus.yml, which scrapes the worker and loads the rules', async () => {
    const { ok, output } = await run('check', 'config', CONFIG_FILE);
    assert.ok(ok, output);
    const config = parse(readFileSync(CONFIG_FILE, 'utf8')) as PrometheusConfig;
    assert.deepEqual(config.rule_files, [path.basename(RULES_FILE)]);
    const job = config.scrape_configs.find((c) => c.job_name === JOB);
    assert.ok(job, `no scrape job ${JOB}`);
    assert.deepEqual(job.static_configs?.[0].targets, [DEFAULT_METRICS_ADDRESS]);
  });

  it("passes `promtool check config` on docker-compose.yml's prometheus-compose.yml", async () => {
    const { ok, output } = await run('check', 'config', COMPOSE_CONFIG_FILE);
    assert.ok(ok, output);
    assert.match(output, /SUCCESS: 1 rule files found/);
  });

  it('tests every alert both firing and silent', () => {
    for (const { alert } of alertRules) {
      const checks = UNIT_TESTS.flatMap((t) => t.alert_rule_test).filter((c) => c.alertname === alert);
      assert.ok(
        checks.some((c) => c.exp_alerts.length > 0),
        `${alert} is never expected to fire`,
      );
      assert.ok(
        checks.some((c) => c.exp_alerts.length === 0),
        `${alert} is never expected to be silent`,
      );
    }
  });

  for (const unitTest of UNIT_TESTS) {
    it(`promtool test rules: ${unitTest.name}`, async () => {
      const { ok, output } = await testRules([unitTest]);
      assert.ok(ok, output);
      assert.match(output, /SUCCESS/);
    });
  }

  it('promtool test rules fails when an expectation is wrong (a backup 25 h old expected to alert)', async () => {
    const [noRecentBackup] = UNIT_TESTS;
    const wrong = { ...noRecentBackup, alert_rule_test: [check('PrismaBackupNoRecentBackup', '25h', [[{ database_id: 'db_old' }, 'x']])] };
    const { ok, output } = await testRules([wrong]);
    assert.ok(!ok, output);
    assert.match(output, /FAILED/);
  });

  it('promtool test rules fails when an expectation is wrong (a failed drill expected to be forgotten at a restart)', async () => {
    const drills = UNIT_TESTS.find((t) => t.name.startsWith('the last drill of a database failed: by its id'))!;
    const wrong = { ...drills, alert_rule_test: [check('PrismaBackupLastDrillFailed', '40m')] };
    const { ok, output } = await testRules([wrong]);
    assert.ok(!ok, output);
    assert.match(output, /FAILED/);
  });
});
